"""The journal's side of portal_sync.outbox.Outbox: what waits for the portal, and its body.

Every row goes to the portal, system and technician events included (the portal audits them,
and a gap in `seq` there shows a row withheld). The body carries the chained fields exactly as
hashed (bytes as hex), so the portal can recompute each row hash and link, plus the personal
columns: `sealed` (base64; only the portal can open it), `pseudonym` and `rev_hash` (hex). The
pseudonym is keyed by the site secret, so it links visits at this site only, and the portal can
read the sealed ID anyway: sending it reveals nothing new and spares the portal a decryption
for counting.
"""

from __future__ import annotations

import base64
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from kiosk.core.journal.schema import CHAINED, PERSONAL
from kiosk.core.journal.writer import head
from portal_sync.outbox import Checkpoint, OutboxItem

_SELECT = (
    f"SELECT e.seq, {', '.join('e.' + c for c in (*CHAINED, *PERSONAL))},"
    " e.prev_hash, e.row_hash FROM outbox o JOIN events e ON e.seq = o.seq ORDER BY o.seq LIMIT ?"
)
_CHUNK = 500  # ids per statement, well under SQLite's variable limit


def iso_time(ts_ms: int, offset_min: int) -> str:
    zone = timezone(timedelta(minutes=offset_min))
    moment = datetime.fromtimestamp(ts_ms / 1000, UTC).astimezone(zone)
    return moment.isoformat(timespec="milliseconds")


def _hex(value: object) -> str | None:
    return bytes(value).hex() if isinstance(value, bytes | memoryview) else None


def body(row: Sequence[Any]) -> dict[str, Any]:
    n = len(CHAINED)
    out: dict[str, Any] = {"seq": row[0]}
    for name, value in zip(CHAINED, row[1 : 1 + n], strict=True):
        out[name] = _hex(value) if isinstance(value, bytes | memoryview) else value
    rev_hash, pseudonym, sealed = row[1 + n : 1 + n + len(PERSONAL)]
    out["rev_hash"] = _hex(rev_hash)
    out["pseudonym"] = _hex(pseudonym)
    out["sealed"] = base64.b64encode(bytes(sealed)).decode() if sealed is not None else None
    out["prev_hash"] = _hex(row[-2])
    out["row_hash"] = _hex(row[-1])
    out["time"] = iso_time(int(out["ts_ms"]), int(out["utc_offset_min"]))
    return out


def pending(conn: sqlite3.Connection, limit: int) -> list[OutboxItem]:
    return [OutboxItem(str(r[1]), body(r)) for r in conn.execute(_SELECT, (limit,))]


def acknowledge_in(conn: sqlite3.Connection, event_ids: Sequence[str], now_ms: int) -> int:
    """Inside the caller's transaction: stamp acked_at and leave the outbox. Unknown or
    already acknowledged ids are ignored, so a repeated acknowledgement is harmless."""
    marked = 0
    unique = list(dict.fromkeys(event_ids))
    for start in range(0, len(unique), _CHUNK):
        chunk = unique[start : start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        conn.execute(
            f"UPDATE events SET acked_at = ? WHERE seq IN"
            f" (SELECT seq FROM outbox WHERE event_id IN ({marks}))",
            (now_ms, *chunk),
        )
        marked += conn.execute(f"DELETE FROM outbox WHERE event_id IN ({marks})", chunk).rowcount
    return marked


def backlog(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM outbox").fetchone()[0])


def checkpoint(conn: sqlite3.Connection) -> Checkpoint:
    seq, digest = head(conn)
    return Checkpoint(seq, digest.hex())
