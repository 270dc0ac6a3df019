"""Retention: personal data is blanked N days after the portal acknowledged it.

Personal columns (sealed data, pseudonym, revocation hash) of rows acknowledged more than
`retention_days` ago, or older than `unsent_retention_days` even if never acknowledged (0: wait
for the portal forever), are set to NULL. The same transaction appends a `retention.purge` row
naming the blanked rows, signed with the journal's key; `verify` accepts a blank row only when
such a marker covers it. Rows themselves are never deleted: the chain stays whole.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass

import nacl.signing

from kiosk.core.journal.chain import canonical
from kiosk.core.journal.db import storage_errors, transaction
from kiosk.core.journal.ranges import Ranges, format_ranges, to_ranges
from kiosk.core.journal.records import DetailValue, Row
from kiosk.core.journal.schema import HOLDS_PERSONAL, PERSONAL
from kiosk.core.journal.settings import JournalSettings
from kiosk.core.journal.writer import append_in

BATCH = 20_000  # rows blanked per transaction, so the writer is never held for long
_DAY_MS = 86_400_000


@dataclass(frozen=True, slots=True)
class Cutoffs:
    acked_before_ms: int
    unsent_before_ms: int | None  # None: unacknowledged rows are kept until acknowledged

    @classmethod
    def at(cls, now_ms: int, settings: JournalSettings) -> Cutoffs:
        unsent = settings.unsent_retention_days
        return cls(
            now_ms - settings.retention_days * _DAY_MS,
            now_ms - unsent * _DAY_MS if unsent else None,
        )


@dataclass(frozen=True, slots=True)
class PurgeReport:
    rows: int  # rows whose personal data was (or would be) blanked
    markers: int  # signed markers written
    oldest_ts_ms: int | None
    newest_ts_ms: int | None


def _due(conn: sqlite3.Connection, cutoffs: Cutoffs, limit: int) -> list[tuple[int, int]]:
    unsent = cutoffs.unsent_before_ms
    return [
        (int(seq), int(ts))
        for seq, ts in conn.execute(
            f"SELECT seq, ts_ms FROM events WHERE ({HOLDS_PERSONAL})"
            " AND ((acked_at IS NOT NULL AND acked_at <= ?) OR (? IS NOT NULL AND ts_ms <= ?))"
            " ORDER BY seq LIMIT ?",
            (cutoffs.acked_before_ms, unsent, unsent, limit),
        )
    ]


def plan(conn: sqlite3.Connection, cutoffs: Cutoffs) -> PurgeReport:
    """What a purge would blank now."""
    with storage_errors():
        due = _due(conn, cutoffs, -1)
    times = [ts for _, ts in due]
    return PurgeReport(len(due), 0, min(times, default=None), max(times, default=None))


def marker_message(journal_id: str, cutoffs: Cutoffs, ranges: Ranges, rows: int) -> bytes:
    """What the marker's signature covers (verify.py rebuilds it the same way)."""
    return canonical(
        {
            "journal": journal_id,
            "acked_before_ms": cutoffs.acked_before_ms,
            "unsent_before_ms": cutoffs.unsent_before_ms,
            "ranges": format_ranges(ranges),
            "rows": rows,
        }
    )


def purge(
    conn: sqlite3.Connection,
    cutoffs: Cutoffs,
    *,
    journal_id: str,
    signing_key: nacl.signing.SigningKey,
    marker_row: Callable[[Mapping[str, DetailValue]], Row],
    hold: Callable[[], AbstractContextManager[object]] = nullcontext,
    batch: int = BATCH,
    between: Callable[[], None] = lambda: None,
) -> PurgeReport:
    """Blank what is due, `batch` rows and one signed marker per transaction.

    `hold()` is entered around each batch (and the checkpoint) alone, never the whole purge: a
    first purge of a long backlog lets scans commit between its batches. Each batch reads the
    chain's head inside its own transaction, so a scan in between is linked like any row."""
    total = markers = 0
    oldest: int | None = None
    newest: int | None = None
    blank = ", ".join(f"{c} = NULL" for c in PERSONAL)
    while True:
        with hold(), transaction(conn):
            due = _due(conn, cutoffs, batch)
            if not due:
                break
            runs = to_ranges(seq for seq, _ in due)
            for a, b in runs:
                conn.execute(
                    f"UPDATE events SET {blank} WHERE seq BETWEEN ? AND ? AND ({HOLDS_PERSONAL})",
                    (a, b),
                )
            message = marker_message(journal_id, cutoffs, runs, len(due))
            detail = {
                "acked_before_ms": cutoffs.acked_before_ms,
                "unsent_before_ms": cutoffs.unsent_before_ms,
                "ranges": format_ranges(runs),
                "rows": len(due),
                "signature": signing_key.sign(message).signature.hex(),
            }
            append_in(conn, [marker_row(detail)])
        total, markers = total + len(due), markers + 1
        times = [ts for _, ts in due]
        oldest = min(times) if oldest is None else min(oldest, *times)
        newest = max(times) if newest is None else max(newest, *times)
        if len(due) < batch:
            break
        between()
    if markers:
        with hold(), storage_errors():
            # Old page images holding the blanked values leave the WAL file now, not "some day".
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return PurgeReport(total, markers, oldest, newest)
