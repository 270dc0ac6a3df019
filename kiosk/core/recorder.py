"""Where the runtime records what happened: the journal when it is there, else memory.

The runtime talks to one small interface, so the screen and the headless runner do not care
whether the SQLite journal (kiosk.core.journal) is installed and configured. The memory
recorder keeps today's counts for the screen but nothing survives a restart, and it says so
(`durable` is False and the status line shows it).

    RecorderError            base
     └─ StorageDown          the journal cannot write: show "out of service: storage"
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter, deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TextIO

from kiosk.core.config import BY_KEY, Config
from kiosk.core.events import ScanEvent

log = logging.getLogger(__name__)

ENTRY, EXIT = "entry", "exit"
Detail = Mapping[str, str | int | bool | None]


class RecorderError(Exception):
    """The recorder refused or failed."""


class StorageDown(RecorderError):
    """The journal cannot write right now."""


@dataclass(frozen=True, slots=True)
class Recording:
    """What the recorder made of one scan."""

    event_id: str | None
    outcome: str | None  # the journal's: admitted, refused, awaiting_passage, presented
    flags: tuple[str, ...] = ()
    durable: bool = False


@dataclass(frozen=True, slots=True)
class GateSnapshot:
    mode: str
    direction: str | None  # None at a counter
    occupancy: int = 0
    entries: int = 0
    exits: int = 0
    scans: int = 0
    services: Mapping[str, int] = field(default_factory=dict)


class Recorder(Protocol):
    durable: bool

    def record_scan(self, scan: ScanEvent, *, admit: bool | None) -> Recording | None: ...
    def record_system(self, action: str, detail: Detail, operator: str | None = None) -> None: ...
    def set_direction(self, direction: str) -> None: ...
    def record_transaction(self, scan_id: str, service: str, reference: str | None) -> str: ...
    def record_passage(self, scan_id: str, passed: bool) -> None: ...
    def gate(self) -> GateSnapshot: ...
    def backlog(self) -> int | None: ...
    def storage_problem(self) -> str | None: ...
    def verify_chain(self) -> tuple[bool, str]: ...
    def export(self, from_ms: int, to_ms: int, out: TextIO, fmt: str) -> int: ...
    def outbox(self) -> Any: ...
    def close(self) -> None: ...


class MemoryRecorder:
    """No journal: today's counts in memory, and a ring of system events for the logs."""

    durable = False

    def __init__(self, mode: str, direction: str = ENTRY) -> None:
        self.mode = mode
        self.direction: str | None = direction if mode == "gate" else None
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._services: Counter[str] = Counter()
        self._occupancy = 0
        self._next = 0
        self.system_events: deque[tuple[float, str, dict[str, Any]]] = deque(maxlen=200)

    def _id(self) -> str:
        self._next += 1
        return f"mem-{self._next}"

    def record_scan(self, scan: ScanEvent, *, admit: bool | None) -> Recording:
        with self._lock:
            self._counts["scans"] += 1
            if self.mode != "gate":
                return Recording(self._id(), "presented")
            allowed = scan.verdict.accepted if admit is None else admit
            if not allowed:
                return Recording(self._id(), "refused")
            if self.direction == ENTRY:
                self._counts["entries"] += 1
                self._occupancy += 1
            else:
                self._counts["exits"] += 1
                self._occupancy = max(0, self._occupancy - 1)
            return Recording(self._id(), "admitted")

    def record_system(self, action: str, detail: Detail, operator: str | None = None) -> None:
        with self._lock:
            self.system_events.append((time.time(), action, dict(detail)))
        log.info("system event (not journaled: no journal): %s %s", action, dict(detail))

    def set_direction(self, direction: str) -> None:
        old = self.direction
        self.direction = direction
        self.record_system("gate.direction", {"old": old, "new": direction})

    def record_transaction(self, scan_id: str, service: str, reference: str | None) -> str:
        with self._lock:
            self._services[service] += 1
            return self._id()

    def record_passage(self, scan_id: str, passed: bool) -> None:
        self.record_system("gate.passage", {"scan": scan_id, "passed": passed})

    def gate(self) -> GateSnapshot:
        with self._lock:
            c = self._counts
            return GateSnapshot(self.mode, self.direction, self._occupancy, c["entries"],
                                c["exits"], c["scans"], dict(self._services))  # fmt: skip

    def backlog(self) -> int | None:
        return None

    def storage_problem(self) -> str | None:
        return None

    def verify_chain(self) -> tuple[bool, str]:
        return False, "no journal on this kiosk"

    def export(self, from_ms: int, to_ms: int, out: TextIO, fmt: str) -> int:
        raise RecorderError("no journal on this kiosk: nothing to export")

    def outbox(self) -> None:
        return None

    def close(self) -> None:
        pass


def journal_available(config: Config) -> bool:
    """The journal package is installed and its settings are declared."""
    try:
        import kiosk.core.journal.journal  # noqa: F401
    except ImportError:
        return False
    return "journal.retention_days" in BY_KEY and "journal.gate_direction" in BY_KEY


class JournalRecorder:
    """The SQLite journal (kiosk.core.journal): every row committed before it is shown."""

    durable = True

    def __init__(self, data_dir: Path, config: Config) -> None:
        from kiosk.core.journal.journal import Journal
        from kiosk.core.sync_setup import kiosk_id

        # The enrolled device id when there is one: the id the portal knows this kiosk by.
        self._journal = Journal.open(data_dir, config, kiosk_id=kiosk_id(config, data_dir))

    def _storage(self) -> Any:
        from kiosk.core.journal.errors import StorageUnavailable

        return StorageUnavailable

    def record_scan(self, scan: ScanEvent, *, admit: bool | None) -> Recording | None:
        try:
            done = self._journal.record_scan(scan, admit=admit)
        except self._storage() as e:
            raise StorageDown(str(e)) from e
        if done is None:
            return None
        return Recording(done.event_id, done.outcome, tuple(done.flags), durable=True)

    def record_system(self, action: str, detail: Detail, operator: str | None = None) -> None:
        from kiosk.core.journal.records import Action

        try:
            known = Action(action)
        except ValueError:  # an action the journal has no name for yet: a settings change
            known, detail = Action.SETTINGS_CHANGED, {"key": action, **detail}
        try:
            self._journal.record_system(known, detail, operator=operator)
        except self._storage() as e:
            raise StorageDown(str(e)) from e

    def set_direction(self, direction: str) -> None:
        try:
            self._journal.set_direction(direction)
        except self._storage() as e:
            raise StorageDown(str(e)) from e

    def record_transaction(self, scan_id: str, service: str, reference: str | None) -> str:
        from kiosk.core.journal.errors import JournalError

        try:
            done = self._journal.record_transaction(scan_id, service, reference=reference)
        except self._storage() as e:
            raise StorageDown(str(e)) from e
        except JournalError as e:
            raise RecorderError(str(e)) from e
        return str(done.event_id)

    def record_passage(self, scan_id: str, passed: bool) -> None:
        from kiosk.core.journal.errors import JournalError

        try:
            self._journal.record_passage(scan_id, passed)
        except self._storage() as e:
            raise StorageDown(str(e)) from e
        except JournalError as e:
            raise RecorderError(str(e)) from e

    def gate(self) -> GateSnapshot:
        s = self._journal.gate_state()
        c = s.counts
        return GateSnapshot(s.mode, s.direction, s.occupancy, c.get("entries", 0),
                            c.get("exits", 0), c.get("scans", 0), dict(s.services))  # fmt: skip

    def backlog(self) -> int | None:
        try:
            return int(self._journal.backlog())
        except self._storage():
            return None

    def storage_problem(self) -> str | None:
        state = self._journal.probe() if not self._journal.storage.ok else self._journal.storage
        return None if state.ok else f"{state.fault}: {state.detail}"

    def verify_chain(self) -> tuple[bool, str]:
        report = self._journal.verify()
        if report.ok:
            return True, f"{report.rows} rows, chain intact"
        return False, f"first bad row: {report.first}"

    def export(self, from_ms: int, to_ms: int, out: TextIO, fmt: str) -> int:
        from kiosk.core.journal import export

        journal = self._journal
        with journal._lock:  # the journal has no public export call yet
            return export.write(export.rows(journal._conn, from_ms, to_ms), out, fmt)

    def outbox(self) -> Any:
        return self._journal

    def close(self) -> None:
        self._journal.close()


def open_recorder(data_dir: Path, config: Config) -> Recorder:
    if journal_available(config):
        return JournalRecorder(data_dir, config)
    log.warning("no journal on this kiosk yet: events are counted in memory only")
    direction = config["journal.gate_direction"] if "journal.gate_direction" in BY_KEY else ENTRY
    return MemoryRecorder(config["kiosk.mode"], direction)
