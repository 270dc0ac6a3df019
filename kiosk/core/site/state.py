"""The site's passages, merged: what every lane of a site agrees on.

A set of passages keyed by event id, in SQLite beside the journal. Merging is a set union, so it
is idempotent (a passage seen twice changes nothing) and order-independent: everything read from
it is a function of the set alone: people inside are the pseudonyms whose latest passage of the
day is an entry, as in the lane's own gate; the anti-passback memory is each pseudonym's latest
passage; both latest by (time, event id). Two lanes holding the same passages hold the same state.

A conflict is two entries of one pseudonym at two different lanes within the anti-passback
window with no exit between them: the lanes could not see each other (a partition) and both
admitted. Its key is the pair of event ids, so each lane records each conflict once, whichever
of the two passages it learnt first.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.core.site.passage import Passage

STATE_FILE = Path("site") / "site-state.db"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS passages (
  event_id TEXT PRIMARY KEY, lane TEXT NOT NULL, pseudonym BLOB NOT NULL, epoch INTEGER NOT NULL,
  direction TEXT NOT NULL, ts_ms INTEGER NOT NULL, row_hash TEXT NOT NULL,
  received_ms INTEGER NOT NULL, published INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS passages_person ON passages (pseudonym, ts_ms);
CREATE INDEX IF NOT EXISTS passages_ts ON passages (ts_ms);
CREATE TABLE IF NOT EXISTS conflicts (
  first_event TEXT NOT NULL, second_event TEXT NOT NULL, pseudonym BLOB NOT NULL,
  first_lane TEXT NOT NULL, second_lane TEXT NOT NULL, found_ms INTEGER NOT NULL,
  PRIMARY KEY (first_event, second_event)
);
"""


@dataclass(frozen=True, slots=True)
class Conflict:
    first_event: str  # the earlier entry (time, then event id)
    second_event: str
    first_lane: str
    second_lane: str


@dataclass(frozen=True, slots=True)
class Merged:
    new: bool  # False: the passage was already held (a duplicate delivery)
    conflicts: tuple[Conflict, ...] = ()


@dataclass(frozen=True, slots=True)
class LaneSummary:
    lane: str
    passages: int
    last_ts_ms: int | None
    last_received_ms: int | None
    lag_ms: int | None  # received minus admitted, for the latest passage held


class SiteState:
    def __init__(self, path: Path, antipassback_window_s: int, *, readonly: bool = False) -> None:
        """`readonly`: for `kiosk site status` beside a running lane (FileNotFoundError when
        the lane never ran)."""
        self.path = path
        self.window_ms = antipassback_window_s * 1000
        self._lock = threading.Lock()
        if readonly:
            if not path.exists():
                raise FileNotFoundError(path)
            self._conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        # NORMAL: a killed process loses nothing (WAL); a power cut may lose the last merges.
        # The lane's own come back from its journal (the outbox); another lane's already
        # acknowledged to the broker do not, which weakens anti-passback for those people only
        # (docs/site.md). FULL would cost an fsync per passage of every lane, at every lane.
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def merge(self, p: Passage, now_ms: int, *, published: bool = False) -> Merged:
        """Add one passage (a set union); return whether it was new and the conflicts it shows."""
        with self._lock:
            c = self._conn
            c.execute("BEGIN IMMEDIATE")
            try:
                cur = c.execute(
                    "INSERT OR IGNORE INTO passages (event_id, lane, pseudonym, epoch, direction,"
                    " ts_ms, row_hash, received_ms, published) VALUES (?,?,?,?,?,?,?,?,?)",
                    (
                        p.event_id,
                        p.lane,
                        p.pseudonym,
                        p.epoch,
                        p.direction,
                        p.ts_ms,
                        p.row_hash,
                        now_ms,
                        int(published),
                    ),
                )
                new = cur.rowcount == 1
                found = self._conflicts_of(p, now_ms) if new and p.direction == "entry" else ()
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise
        return Merged(new, found)

    def _conflicts_of(self, p: Passage, now_ms: int) -> tuple[Conflict, ...]:
        rows = self._conn.execute(
            "SELECT event_id, lane, direction, ts_ms FROM passages WHERE pseudonym = ?"
            " AND ts_ms BETWEEN ? AND ? ORDER BY ts_ms, event_id",
            (p.pseudonym, p.ts_ms - self.window_ms, p.ts_ms + self.window_ms),
        ).fetchall()
        mine = (p.ts_ms, p.event_id)
        found: list[Conflict] = []
        for event_id, lane, direction, ts_ms in rows:
            if direction != "entry" or lane == p.lane or event_id == p.event_id:
                continue
            low, high = sorted([mine, (ts_ms, event_id)])
            exit_between = any(
                d == "exit" and low < (t, e) < high for e, _, d, t in rows if e != p.event_id
            )
            if exit_between:
                continue
            first, second = (p, None) if low == mine else (None, p)
            first_lane = p.lane if first else lane
            second_lane = p.lane if second else lane
            conflict = Conflict(low[1], high[1], first_lane, second_lane)
            cur = self._conn.execute(
                "INSERT OR IGNORE INTO conflicts VALUES (?,?,?,?,?,?)",
                (
                    conflict.first_event,
                    conflict.second_event,
                    p.pseudonym,
                    conflict.first_lane,
                    conflict.second_lane,
                    now_ms,
                ),
            )
            if cur.rowcount == 1:
                found.append(conflict)
        return tuple(found)

    def forget_before(self, ts_ms: int) -> int:
        """Drop passages older than `ts_ms` (past the day and the window, they decide nothing),
        except this lane's own not yet on the broker. Conflicts stay: they are counted."""
        with self._lock:
            cur = self._conn.execute(
                "DELETE FROM passages WHERE ts_ms < ? AND published = 1", (ts_ms,)
            )
        return cur.rowcount

    def mark_published(self, event_id: str) -> None:
        with self._lock:
            self._conn.execute("UPDATE passages SET published = 1 WHERE event_id = ?", (event_id,))

    def unpublished(self, lane: str) -> list[str]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT event_id FROM passages WHERE lane = ? AND published = 0 ORDER BY ts_ms",
                (lane,),
            ).fetchall()
        return [r[0] for r in rows]

    def get(self, event_id: str) -> Passage | None:
        with self._lock:
            r = self._conn.execute(
                "SELECT event_id, lane, pseudonym, epoch, direction, ts_ms, row_hash"
                " FROM passages WHERE event_id = ?",
                (event_id,),
            ).fetchone()
        return _passage(r, "") if r else None

    def occupancy(self, day_start_ms: int, day_end_ms: int) -> int:
        """People inside: the pseudonyms whose latest passage of the day is an entry (one
        person let in twice is one person inside; an exit without an entry takes no one out),
        latest by (time, event id), so the order passages arrived in does not matter."""
        with self._lock:
            (inside,) = self._conn.execute(
                "SELECT COUNT(*) FROM (SELECT direction, ROW_NUMBER() OVER (PARTITION BY"
                " pseudonym ORDER BY ts_ms DESC, event_id DESC) AS n FROM passages"
                " WHERE ts_ms >= ? AND ts_ms < ?) WHERE n = 1 AND direction = 'entry'",
                (day_start_ms, day_end_ms),
            ).fetchone()
        return int(inside)

    def recent(self, since_ms: int) -> list[Passage]:
        """The passages since `since_ms`, in (time, event id) order: the anti-passback memory."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT event_id, lane, pseudonym, epoch, direction, ts_ms, row_hash"
                " FROM passages WHERE ts_ms >= ? ORDER BY ts_ms, event_id",
                (since_ms,),
            ).fetchall()
        return [_passage(r, "") for r in rows]

    def digest(self, since_ms: int) -> tuple[int, str]:
        """(count, a hash of the event ids): two lanes with the same value hold the same set."""
        import hashlib

        h = hashlib.sha256()
        n = 0
        with self._lock:
            for (event_id,) in self._conn.execute(
                "SELECT event_id FROM passages WHERE ts_ms >= ? ORDER BY event_id", (since_ms,)
            ):
                h.update(event_id.encode() + b"\n")
                n += 1
        return n, h.hexdigest()[:16]

    def conflict_count(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM conflicts").fetchone()[0])

    def lanes(self) -> list[LaneSummary]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT lane, COUNT(*), MAX(ts_ms) FROM passages GROUP BY lane ORDER BY lane"
            ).fetchall()
            out = []
            for lane, count, last_ts in rows:
                received = self._conn.execute(
                    "SELECT received_ms FROM passages WHERE lane = ? ORDER BY ts_ms DESC,"
                    " event_id DESC LIMIT 1",
                    (lane,),
                ).fetchone()[0]
                out.append(LaneSummary(lane, count, last_ts, received, received - last_ts))
        return out


def _passage(r: tuple[Any, ...], site: str) -> Passage:
    event_id, lane, pseudonym, epoch, direction, ts_ms, row_hash = r
    return Passage(
        str(event_id),
        site,
        str(lane),
        bytes(pseudonym),
        int(epoch),
        str(direction),
        int(ts_ms),
        str(row_hash),
    )
