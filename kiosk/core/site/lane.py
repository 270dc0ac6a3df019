"""One lane on the site bus: its journal is the outbox, the site's passages go into its gate.

Out: a thread follows the journal (a read-only connection, by seq) and turns each committed
passage (an admitted scan, a turnstile's `passed`) into a signed bus message. It is merged into
the site state first, marked unpublished until the broker's PUBACK; at start the lane publishes
again what it journaled but never saw acknowledged (a kill -9 between journal and bus). The
receivers keep one copy per event id, so publishing twice is harmless; losing one is not.

In: a message is verified against the roster (passage.py), merged (state.py), and when new
handed to the gate's anti-passback memory; conflicts the merge finds are journaled, and so are
refusals (at most one row per lane and reason per minute, with the count).

No broker configured: no lane object at all (the kiosk is alone). Broker down: the lane
decides alone on what it knows, says so (`status`), and catches up when the broker returns.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

import nacl.signing

from kiosk.core.journal.gate import ENTRY, EXIT, counts_as_passage, local_day
from kiosk.core.journal.journal import Journal, journal_path
from kiosk.core.journal.records import Action, Clock, SystemClock
from kiosk.core.site import passage as wire
from kiosk.core.site.bus import BusSettings, SiteBus
from kiosk.core.site.passage import Passage, PassageRefused
from kiosk.core.site.roster import RosterView
from kiosk.core.site.secret import epoch_of
from kiosk.core.site.state import STATE_FILE, Conflict, SiteState

log = logging.getLogger(__name__)

_POLL_S = 0.02  # the outbox looks for new passages this often (poke() wakes it at once)
_REFUSAL_EVERY_MS = 60_000
_REFUSALS_REMEMBERED = 256  # (lane, reason) pairs; past that the memory starts again
_DAY_MS = 86_400_000


@dataclass(frozen=True, slots=True)
class SiteStatus:
    site: str
    online: bool
    detail: str
    lanes_online: int  # lanes heard from in the last few minutes, this one included
    lanes: int  # on the roster
    occupancy: int  # the site's people inside, today
    conflicts: int
    unpublished: int
    refused: int


class SiteLane:
    def __init__(
        self,
        data_dir: Path,
        journal: Journal,
        *,
        site: str,
        device_id: str,
        device_key: nacl.signing.SigningKey,
        anchor: bytes,
        bus: BusSettings,
        antipassback_window_s: int,
        clock: Clock | None = None,
    ) -> None:
        self.site, self.device_id = site, device_id
        self._journal, self._key = journal, device_key
        self._clock: Clock = clock or SystemClock()
        self.state = SiteState(Path(data_dir) / STATE_FILE, antipassback_window_s)
        self.roster = RosterView(data_dir, anchor)
        self._window_ms = antipassback_window_s * 1000
        self._journal_file = journal_path(Path(data_dir))
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._refusals: dict[tuple[str, str], tuple[int, int]] = {}  # -> (last journaled, count)
        self.refused = 0
        self._lock = threading.Lock()
        self.bus = SiteBus(
            bus,
            client_id=device_id,
            site=site,
            on_message=self.receive,
            on_acked=self.state.mark_published,
            on_state=self._bus_state,
            on_hello=self.receive_hello,
            hello=lambda: wire.sign_hello(self.site, device_id, self._now_ms(), device_key),
        )
        self._answered: dict[str, int] = {}  # lane -> when its hello was last answered

    # Life.

    def start(self) -> None:
        now = self._now_ms()
        for p in self.state.recent(now - self._window_ms):
            self._journal.note_site_passage(p.pseudonym, p.direction, p.ts_ms)
        # Merged but never acknowledged by the broker (stopped, or killed, before its PUBACK):
        # publish again; then what was journaled but never merged (killed in between).
        for event_id in self.state.unpublished(self.device_id):
            held = self.state.get(event_id)
            if held is not None:
                self._publish(replace(held, site=self.site))
        self._next_seq = self._first_seq(now)
        while self._catch_up():
            pass
        self.bus.start()
        self._thread = threading.Thread(target=self._run, name="site-outbox", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> bool:
        """Stop the outbox and the bus; True once the outbox thread has ended (then the state
        is closed), False to be asked again."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                return False
        self.bus.stop()
        self.state.close()
        return True

    def poke(self) -> None:
        """A row was journaled: publish it now rather than at the next poll."""
        self._wake.set()

    def _now_ms(self) -> int:
        return round(self._clock.wall() * 1000)

    # Out: the journal is the outbox.

    def _reader(self) -> sqlite3.Connection:
        conn = sqlite3.connect(f"file:{self._journal_file}?mode=ro", uri=True, timeout=5)
        conn.execute("PRAGMA query_only=1")
        return conn

    def _first_seq(self, now_ms: int) -> int:
        """Where the outbox starts: the passages that still matter (today, the window)."""
        since = min(now_ms - self._window_ms, now_ms - _DAY_MS)
        conn = self._reader()
        try:
            (first,) = conn.execute(
                "SELECT MIN(seq) FROM events WHERE ts_ms >= ?", (since,)
            ).fetchone()
            (top,) = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()
        finally:
            conn.close()
        return int(first) if first is not None else int(top) + 1

    def _catch_up(self) -> int:
        """Merge and publish the passages journaled since the last look. Returns how many rows
        it read (0: nothing new)."""
        conn = self._reader()
        try:
            rows = conn.execute(
                "SELECT seq, event_id, kind, outcome, direction, pseudonym, ts_ms, row_hash"
                " FROM events WHERE seq >= ? ORDER BY seq LIMIT 1000",
                (self._next_seq,),
            ).fetchall()
        finally:
            conn.close()
        for seq, event_id, kind, outcome, direction, pseudonym, ts_ms, row_hash in rows:
            self._next_seq = seq + 1
            if not counts_as_passage(kind, outcome) or pseudonym is None:
                continue
            if direction not in (ENTRY, EXIT):
                continue
            p = Passage(
                event_id,
                self.site,
                self.device_id,
                bytes(pseudonym),
                epoch_of(ts_ms, self._clock.utc_offset_min(ts_ms / 1000)),
                direction,
                ts_ms,
                bytes(row_hash).hex(),
            )
            merged = self.state.merge(p, self._now_ms())
            self._journal_conflicts(merged.conflicts)
            if merged.new:
                self._publish(p)
        return len(rows)

    def _publish(self, p: Passage) -> None:
        self.bus.publish(p.event_id, wire.sign(p, self._key))

    def _run(self) -> None:
        next_prune = 0.0
        while not self._stop.is_set():
            self._wake.wait(_POLL_S)
            self._wake.clear()
            if time.monotonic() >= next_prune:  # keep the state to what still decides
                next_prune = time.monotonic() + 3600
                now = self._now_ms()
                self.state.forget_before(now - max(self._window_ms, _DAY_MS) - _DAY_MS)
            try:
                while self._catch_up() and not self._stop.is_set():
                    pass
            except sqlite3.Error as e:
                log.warning("site outbox: cannot read the journal (%s); trying again", e)
                self._stop.wait(1)

    # In.

    def receive(self, message: bytes) -> None:
        """One message from the bus (paho's thread). Refusals are journaled, never raised."""
        try:
            p = wire.read(message, self.roster.lane_key)
            if p.site != self.site:
                raise PassageRefused("wrong_site", f"a passage of site {p.site!r}", p.lane)
        except PassageRefused as e:
            self._refuse(e)
            return
        if p.lane == self.device_id:
            return  # our own, already merged when journaled
        merged = self.state.merge(p, self._now_ms(), published=True)  # the broker has it
        if merged.new:
            self._journal.note_site_passage(p.pseudonym, p.direction, p.ts_ms)
        self._journal_conflicts(merged.conflicts)

    def receive_hello(self, message: bytes) -> None:
        """A lane with a fresh session asks for what it missed: resend this lane's passages
        that still matter (today, the anti-passback window)."""
        try:
            site, lane, sent = wire.read_hello(message, self.roster.lane_key)
            if site != self.site:
                raise PassageRefused("wrong_site", f"a hello of site {site!r}", lane)
        except PassageRefused as e:
            self._refuse(e)
            return
        now = self._now_ms()
        # Each hello once (a lane that reconnects with a fresh session asks again), and only a
        # recent one: a recorded hello replayed later makes no lane resend anything.
        if lane == self.device_id or self._answered.get(lane) == sent or abs(now - sent) > 60_000:
            return
        self._answered[lane] = sent
        for p in self.state.recent(now - max(self._window_ms, _DAY_MS)):
            if p.lane == self.device_id:
                self._publish(replace(p, site=self.site))

    def _journal_conflicts(self, conflicts: tuple[Conflict, ...]) -> None:
        for c in conflicts:
            self._journal.record_system(
                Action.SITE_CONFLICT,
                {
                    "first": c.first_event,
                    "second": c.second_event,
                    "first_lane": c.first_lane,
                    "second_lane": c.second_lane,
                },
            )

    def _refuse(self, e: PassageRefused) -> None:
        now = self._now_ms()
        lane = e.lane or "?"
        with self._lock:
            self.refused += 1
            # The lane name is the sender's claim: unsigned senders must not grow this memory.
            key = (lane if e.code not in ("not_on_roster", "malformed") else "?", e.code)
            if key not in self._refusals and len(self._refusals) >= _REFUSALS_REMEMBERED:
                self._refusals.clear()
            last, count = self._refusals.get(key, (-_REFUSAL_EVERY_MS, 0))
            due = now - last >= _REFUSAL_EVERY_MS
            self._refusals[key] = (now, 0) if due else (last, count + 1)
        if due:
            log.warning("site bus: passage refused (%s): %s", e.code, e)
            self._journal.record_system(
                Action.SITE_PASSAGE_REFUSED,
                {"lane": lane[:64], "code": e.code, "count": count + 1},
            )

    def _bus_state(self, online: bool, detail: str) -> None:
        try:
            self._journal.record_system(
                Action.SITE_BUS, {"state": "online" if online else "offline", "detail": detail}
            )
        except Exception:  # storage out of service: the status line still says it
            log.warning(
                "site bus: %s (%s); not journaled", "online" if online else "offline", detail
            )

    # Reading.

    def occupancy(self) -> int:
        now = self._clock.wall()
        offset = self._clock.utc_offset_min(now)
        day = local_day(round(now * 1000), offset)
        start = day * _DAY_MS - offset * 60_000
        return self.state.occupancy(start, start + _DAY_MS)

    def status(self) -> SiteStatus:
        roster = self.roster.current()
        now = self._now_ms()
        recent = {
            s.lane
            for s in self.state.lanes()
            if s.last_received_ms is not None and now - s.last_received_ms < 300_000
        }
        if self.bus.online:
            recent.add(self.device_id)
        return SiteStatus(
            self.site,
            self.bus.online,
            self.bus.detail,
            len(recent),
            len(roster.lanes) if roster else 0,
            self.occupancy(),
            self.state.conflict_count(),
            len(self.state.unpublished(self.device_id)),
            self.refused,
        )
