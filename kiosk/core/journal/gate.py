"""The gate's memory: direction, anti-passback, occupancy now and counts today.

Everything here is derived from committed journal rows (`note` is called after the commit, and
`rebuild` replays today's rows at start), so a restart finds the same occupancy and the same
anti-passback memory. Anti-passback judges entries only: holding someone at an exit is a safety
risk (a fire), and an exit without an entry proves nothing.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from kiosk.core.journal.admission import PASSBACK, Admission, Decision
from kiosk.core.journal.people_inside import PeopleInside
from kiosk.core.journal.records import Kind, Outcome
from kiosk.core.journal.settings import JournalSettings
from verifier import Verdict

ENTRY, EXIT = "entry", "exit"
_DAY_MS = 86_400_000


def local_day(ts_ms: int, offset_min: int) -> int:
    """Days since 1970-01-01 in local time."""
    return (ts_ms + offset_min * 60_000) // _DAY_MS


@dataclass(frozen=True, slots=True)
class GateState:
    mode: str
    direction: str | None  # None at a counter
    occupancy: (
        int  # people inside: per person, entries minus exits since midnight (people_inside.py)
    )
    day: int  # local day the counts are for (days since 1970-01-01)
    counts: Mapping[str, int] = field(default_factory=dict)  # today: see Gate.note
    services: Mapping[str, int] = field(default_factory=dict)  # today's counter transactions


@dataclass(frozen=True, slots=True)
class Noted:
    """What the gate needs of a committed row."""

    kind: str
    outcome: str | None
    verdict: str | None
    direction: str | None
    service: str | None
    flags: str | None
    ts_ms: int
    offset_min: int
    pseudonym: bytes | None


def counts_as_passage(kind: str, outcome: str | None) -> bool:
    return (kind == Kind.SCAN and outcome == Outcome.ADMITTED) or (
        kind == Kind.PASSAGE and outcome == Outcome.PASSED
    )


class Gate:
    def __init__(self, settings: JournalSettings, mode: str) -> None:
        self.settings = settings
        self.mode = mode
        self.admission = Admission.from_settings(settings)  # the rules read at start
        self.direction: str | None = settings.gate_direction if mode == "gate" else None
        self._last_passage: dict[bytes, tuple[str, int]] = {}  # pseudonym -> (direction, ts)
        self._day = -1
        self._inside = PeopleInside()
        self._counts: Counter[str] = Counter()
        self._services: Counter[str] = Counter()

    # Decisions.

    def decide(
        self,
        verdict: Verdict,
        pseudonym: bytes | None,
        now_ms: int,
        aliases: tuple[bytes, ...] = (),
        admission: Admission | None = None,
    ) -> Decision:
        """The admission rules (the ones read at start unless given) applied with what the gate
        remembers of this person."""
        rules = self.admission if admission is None else admission
        passback = any(self._passback(p, now_ms) for p in (pseudonym, *aliases))
        return rules.decide(verdict, at_gate=self.mode == "gate", passback=passback)

    def _passback(self, pseudonym: bytes | None, now_ms: int) -> bool:
        if self.settings.antipassback == "off" or self.direction != ENTRY or pseudonym is None:
            return False
        last = self._last_passage.get(pseudonym)
        if last is None:
            return False
        direction, ts_ms = last
        return direction == ENTRY and now_ms - ts_ms <= self.settings.antipassback_window_s * 1000

    # State, kept from committed rows.

    def _roll(self, day: int) -> None:
        if day > self._day:
            self._day = day
            self._inside.clear()
            self._counts.clear()
            self._services.clear()

    def note(self, row: Noted) -> None:
        if row.pseudonym is not None and counts_as_passage(row.kind, row.outcome):
            self._last_passage[row.pseudonym] = (row.direction or "", row.ts_ms)
        day = local_day(row.ts_ms, row.offset_min)
        self._roll(day)
        if day < self._day:
            return  # a late row from yesterday (clock stepped back): not today's count
        if row.kind == Kind.SCAN:
            self._counts["scans"] += 1
            self._counts[f"verdict.{row.verdict}"] += 1
            self._counts[f"outcome.{row.outcome}"] += 1
            if row.flags and PASSBACK in row.flags.split(","):
                self._counts[PASSBACK] += 1
        elif row.kind == Kind.COUNTER and row.service:
            self._services[row.service] += 1
        if counts_as_passage(row.kind, row.outcome):
            if row.direction == ENTRY:
                self._counts["entries"] += 1
            elif row.direction == EXIT:
                self._counts["exits"] += 1
            self._inside.passage(row.pseudonym, row.direction)

    def remember(self, pseudonym: bytes, direction: str, ts_ms: int) -> None:
        """A passage at another lane of the site: the latest per person wins, whatever the
        order they arrive in."""
        held = self._last_passage.get(pseudonym)
        if held is None or ts_ms >= held[1]:
            self._last_passage[pseudonym] = (direction, ts_ms)

    def forget_old(self, now_ms: int) -> None:
        horizon = now_ms - self.settings.antipassback_window_s * 1000
        stale = [p for p, (_, ts) in self._last_passage.items() if ts < horizon]
        for p in stale:
            del self._last_passage[p]

    def state(self, now_ms: int, offset_min: int) -> GateState:
        self._roll(local_day(now_ms, offset_min))
        return GateState(
            self.mode,
            self.direction,
            len(self._inside),
            self._day,
            dict(self._counts),
            dict(self._services),
        )

    def rebuild(self, conn: sqlite3.Connection, now_ms: int, offset_min: int) -> None:
        """Replay today's rows and the anti-passback window from the journal."""
        day_start = local_day(now_ms, offset_min) * _DAY_MS - offset_min * 60_000
        since = min(day_start, now_ms - self.settings.antipassback_window_s * 1000)
        self._day = local_day(now_ms, offset_min)
        rows = conn.execute(
            "SELECT kind, outcome, verdict, direction, service, flags, ts_ms, utc_offset_min,"
            " pseudonym FROM events WHERE ts_ms >= ? ORDER BY seq",
            (since,),
        )
        for r in rows:
            kind, outcome, verdict, direction, service, flags, ts_ms, offset, pseudonym = r
            noted = Noted(
                kind,
                outcome,
                verdict,
                direction,
                service,
                flags,
                ts_ms,
                offset,
                bytes(pseudonym) if pseudonym is not None else None,
            )
            if noted.ts_ms < day_start:
                if noted.pseudonym is not None and counts_as_passage(noted.kind, noted.outcome):
                    self._last_passage[noted.pseudonym] = (noted.direction or "", noted.ts_ms)
                continue
            self.note(noted)
