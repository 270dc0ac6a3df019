"""Exports of the journal for a time range, as CSV or JSON lines, without personal data.

Left out: the sealed data, the pseudonym, the revocation hash and the hash over them. What
remains says what happened, when and where, never who.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from kiosk.core.journal.outbox import iso_time
from kiosk.core.journal.schema import CHAINED

# Derived from the schema, so a new column is declared once: every chained column except the
# personal hash and the clock's raw parts (they become one ISO `time`), latency in ms.
_NOT_EXPORTED = {"event_id", "ts_ms", "utc_offset_min", "mono_us", "personal_hash"}
_SOURCE_COLUMNS = [c for c in CHAINED if c not in _NOT_EXPORTED]
COLUMNS = (
    "seq",
    "event_id",
    "time",
    *(c.replace("latency_us", "latency_ms") for c in _SOURCE_COLUMNS),
    "row_hash",
)
_FROM = (
    f"SELECT seq, event_id, ts_ms, utc_offset_min, {', '.join(_SOURCE_COLUMNS)}, row_hash"
    " FROM events WHERE ts_ms >= ? AND ts_ms < ?"
)
_SELECT = f"{_FROM} ORDER BY seq"
FORMATS = ("csv", "jsonl")
Progress = Callable[[int], None]
Keep = Callable[[dict[str, Any]], bool]  # a filter on exported records (a search)


def count(conn: sqlite3.Connection, from_ms: int, to_ms: int) -> int:
    return int(
        conn.execute(
            "SELECT count(*) FROM events WHERE ts_ms >= ? AND ts_ms < ?", (from_ms, to_ms)
        ).fetchone()[0]
    )


def rows(conn: sqlite3.Connection, from_ms: int, to_ms: int) -> Iterator[dict[str, Any]]:
    for r in conn.execute(_SELECT, (from_ms, to_ms)):
        yield _record(r)


def newest(
    conn: sqlite3.Connection, from_ms: int, to_ms: int, limit: int, kind: str | None = None
) -> list[dict[str, Any]]:
    """The newest `limit` rows of the range (of `kind`, given one), oldest first, as `rows`
    words them: read back from the newest through the time index, not the whole range."""
    where, args = (" AND kind = ?", (kind,)) if kind is not None else ("", ())
    found = conn.execute(
        f"{_FROM}{where} ORDER BY ts_ms DESC, seq DESC LIMIT ?", (from_ms, to_ms, *args, limit)
    ).fetchall()
    return [_record(r) for r in reversed(found)]


def _record(r: tuple[Any, ...]) -> dict[str, Any]:
    seq, event_id, ts_ms, offset, *rest = r
    record = dict(zip(COLUMNS, (seq, event_id, iso_time(ts_ms, offset), *rest), strict=True))
    latency = record["latency_ms"]
    record["latency_ms"] = latency / 1000 if latency is not None else None
    record["kid"] = bytes(record["kid"]).hex() if record["kid"] is not None else None
    record["row_hash"] = bytes(record["row_hash"]).hex()
    return record


def write(
    records: Iterator[dict[str, Any]], out: TextIO, fmt: str, progress: Progress | None = None
) -> int:
    """Writes CSV (with a header) or JSON lines; returns how many rows were written."""
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n") if fmt == "csv" else None
    if writer:
        writer.writeheader()
    done = 0
    for record in records:
        if writer:
            writer.writerow(record)
        else:
            out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
        done += 1
        if progress and done % 1000 == 0:
            progress(done)
    if progress:
        progress(done)
    return done
