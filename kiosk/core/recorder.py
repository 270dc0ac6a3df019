"""The journal as the runtime uses it: events in, the gate's counts out, errors in our terms.

There is no memory-only fallback: the design promises that whatever the screen shows is in the
journal first, so a kiosk whose journal cannot write is out of service, not forgetful.

    RecorderError            base
     └─ StorageDown          the journal cannot write: show "out of service: storage"
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from kiosk.core.config import Config
from kiosk.core.events import ScanEvent
from kiosk.core.journal.errors import JournalError, StorageFault, StorageUnavailable
from kiosk.core.journal.export import Keep
from kiosk.core.journal.journal import Journal, SpaceState
from kiosk.core.journal.records import Action, admits
from kiosk.core.sync.device_id import kiosk_id

Detail = Mapping[str, str | int | bool | None]


class RecorderError(Exception):
    """The recorder refused or failed."""


class StorageDown(RecorderError):
    """The journal cannot write right now."""

    @property
    def fault(self) -> StorageFault | None:
        cause = self.__cause__
        return cause.fault if isinstance(cause, StorageUnavailable) else None


@dataclass(frozen=True, slots=True)
class Recording:
    """What the journal made of one scan (committed before anyone is told)."""

    event_id: str
    outcome: str | None  # the journal's: admitted, refused, awaiting_passage, presented
    flags: tuple[str, ...] = ()

    @property
    def admitted(self) -> bool:
        """Open the gate (or wait for the turnstile): the journal's rule, after the commit."""
        return admits(self.outcome)


@dataclass(frozen=True, slots=True)
class GateSnapshot:
    mode: str
    direction: str | None  # None at a counter
    occupancy: int = 0
    entries: int = 0
    exits: int = 0
    scans: int = 0
    services: Mapping[str, int] = field(default_factory=dict)


class Recorder:
    """Wraps one open Journal; every row is committed before the call returns."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal

    @classmethod
    def open(cls, data_dir: Path, config: Config) -> Recorder:
        """Raises StorageDown when the journal cannot be opened for writing."""
        try:
            # The enrolled device id when there is one: the id the portal knows this kiosk by.
            return cls(Journal.open(data_dir, config, kiosk_id=kiosk_id(config, data_dir)))
        except StorageUnavailable as e:
            raise StorageDown(str(e)) from e

    def record_scan(self, scan: ScanEvent, in_force: Config) -> Recording:
        """`in_force`: the settings in force now (the admission rules that apply at once)."""
        try:
            done = self.journal.record_scan(scan, in_force=in_force)
        except StorageUnavailable as e:
            raise StorageDown(str(e)) from e
        return Recording(done.event_id, done.outcome, tuple(done.flags))

    def record_system(self, action: Action, detail: Detail, operator: str | None = None) -> None:
        """Raises ValueError for a name that is not an Action: a bug, never relabelled."""
        try:
            self.journal.record_system(action, detail, operator=operator)
        except StorageUnavailable as e:
            raise StorageDown(str(e)) from e

    def set_direction(self, direction: str) -> None:
        try:
            self.journal.set_direction(direction)
        except StorageUnavailable as e:
            raise StorageDown(str(e)) from e

    def record_transaction(self, scan_id: str, service: str, reference: str | None) -> str:
        try:
            done = self.journal.record_transaction(scan_id, service, reference=reference)
        except StorageUnavailable as e:
            raise StorageDown(str(e)) from e
        except JournalError as e:
            raise RecorderError(str(e)) from e
        return str(done.event_id)

    def record_passage(self, scan_id: str, passed: bool) -> None:
        try:
            self.journal.record_passage(scan_id, passed)
        except StorageUnavailable as e:
            raise StorageDown(str(e)) from e
        except JournalError as e:
            raise RecorderError(str(e)) from e

    def gate(self) -> GateSnapshot:
        s = self.journal.gate_state()
        c = s.counts
        return GateSnapshot(s.mode, s.direction, s.occupancy, c.get("entries", 0),
                            c.get("exits", 0), c.get("scans", 0), dict(s.services))  # fmt: skip

    def backlog(self) -> int | None:
        try:
            return int(self.journal.backlog())
        except StorageUnavailable:
            return None

    def tick(self) -> int:
        """Retention on the journal's schedule (journal.purge_interval_s); returns the rows
        whose personal data was blanked now (0 when it was not yet time or nothing was due)."""
        try:
            report = self.journal.tick()
        except StorageUnavailable as e:
            raise StorageDown(str(e)) from e
        return report.rows if report is not None else 0

    def storage_problem(self) -> str | None:
        state = self.journal.probe() if not self.journal.storage.ok else self.journal.storage
        return None if state.ok else f"{state.fault}: {state.detail}"

    def space(self) -> SpaceState:
        return self.journal.space()

    def verify_chain(self) -> tuple[bool, str]:
        report = self.journal.verify()
        if report.ok:
            return True, f"{report.rows} rows, chain intact"
        if report.damage:
            return False, f"file damaged ({len(report.damage)} problem(s)); {report.damage[0]}"
        first = report.findings[0]
        return False, f"{len(report.findings)} problem(s); first: {first.problem}: {first.message}"

    def export(
        self, from_ms: int, to_ms: int, out: TextIO, fmt: str, keep: Keep | None = None
    ) -> int:
        try:
            return self.journal.export(from_ms, to_ms, out, fmt, keep=keep)
        except StorageUnavailable as e:
            raise StorageDown(str(e)) from e

    def newest(
        self, from_ms: int, to_ms: int, limit: int, kind: str | None = None
    ) -> list[dict[str, Any]]:
        try:
            return self.journal.newest(from_ms, to_ms, limit, kind)
        except StorageUnavailable as e:
            raise StorageDown(str(e)) from e

    def close(self) -> None:
        self.journal.close()
