"""The journal's tables, triggers and migrations (`PRAGMA user_version` counts the steps done).

One table, `events`, holds every row of the hash chain: scans, passages, counter transactions
and technician/system events. Columns in CHAINED are covered by the row hash; the PERSONAL ones
are covered through `personal_hash`, so retention can blank them and the chain still checks.
`outbox` lists the rows the portal has not acknowledged; it is written in the same transaction
as the event. Triggers make `events` append-only: the only updates allowed are stamping
`acked_at` once and blanking personal columns (retention).
"""

from __future__ import annotations

import sqlite3

from kiosk.core.journal.db import Migration

CHAINED: tuple[str, ...] = (
    "event_id",  # ULID: unique, sorts by time
    "kind",  # scan | passage | counter | system
    "action",  # system events: what happened (app.start, settings.changed, ...)
    "ts_ms",  # UTC, Unix milliseconds
    "utc_offset_min",  # local offset at the time, minutes
    "mono_us",  # monotonic clock, microseconds (orders events when the wall clock jumps)
    "kiosk_id",
    "mode",  # gate | counter
    "direction",  # entry | exit (gate)
    "service",  # service code (counter transactions)
    "verdict",  # accept | reject | unverified
    "reason",  # reason code of a reject
    "code_kind",  # cds1 | cccd | qr1405 | other
    "warnings",  # reason codes, comma separated (e.g. stale_trust_list)
    "source",
    "source_kind",
    "latency_us",
    "outcome",  # scan: admitted/refused/awaiting_passage/presented; passage: passed/not_passed
    "flags",  # comma separated, e.g. passback
    "ref",  # the event id a passage or counter transaction follows up
    "operator",
    "detail",  # system events: canonical JSON
    "kid",  # issuer key id of a signed credential (8 bytes)
    "personal_hash",  # BLAKE2b over the PERSONAL columns, NULL when there were none
)
PERSONAL: tuple[str, ...] = (
    "rev_hash",  # revocation hash of the credential: a stable identifier of it
    "pseudonym",  # keyed BLAKE2b of the ID number with the site secret
    "sealed",  # SealedBox to the portal: ID number, name (and a counter's reference)
)
TEXT_COLUMNS = {
    "event_id",
    "kind",
    "action",
    "kiosk_id",
    "mode",
    "direction",
    "service",
    "verdict",
    "reason",
    "code_kind",
    "warnings",
    "source",
    "source_kind",
    "outcome",
    "flags",
    "ref",
    "operator",
    "detail",
}
BLOB_COLUMNS = {"kid", "personal_hash", "rev_hash", "pseudonym", "sealed"}


def _column_sql(name: str) -> str:
    if name in ("event_id", "kind", "kiosk_id", "mode"):
        return f"{name} TEXT NOT NULL"
    if name in ("ts_ms", "utc_offset_min"):
        return f"{name} INTEGER NOT NULL"
    kind = "TEXT" if name in TEXT_COLUMNS else "BLOB" if name in BLOB_COLUMNS else "INTEGER"
    return f"{name} {kind}"


def _v1_create(conn: sqlite3.Connection) -> None:
    columns = ",\n  ".join(_column_sql(c) for c in (*CHAINED, *PERSONAL))
    conn.execute(
        f"""CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  {columns},
  prev_hash BLOB NOT NULL,
  row_hash BLOB NOT NULL,
  acked_at INTEGER
)"""
    )
    conn.execute("CREATE TABLE outbox (seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE)")
    kept = ("seq", *CHAINED, "prev_hash", "row_hash")
    frozen = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in kept)
    blank_only = " OR ".join(f"(NEW.{c} IS NOT NULL AND NEW.{c} IS NOT OLD.{c})" for c in PERSONAL)
    conn.execute(
        f"""CREATE TRIGGER events_append_only BEFORE UPDATE ON events
WHEN {frozen} OR {blank_only}
  OR (OLD.acked_at IS NOT NULL AND NEW.acked_at IS NOT OLD.acked_at)
BEGIN SELECT RAISE(ABORT, 'journal rows are append-only'); END"""
    )
    conn.execute(
        """CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'journal rows are append-only'); END"""
    )


HOLDS_PERSONAL = " OR ".join(f"{c} IS NOT NULL" for c in PERSONAL)


def _v2_indexes(conn: sqlite3.Connection) -> None:
    # Stats, export and the gate's rebuild select by time.
    conn.execute("CREATE INDEX events_ts ON events (ts_ms)")
    # Retention looks only at rows still holding personal data: a few weeks' worth, not years.
    conn.execute(f"CREATE INDEX events_personal ON events (seq) WHERE {HOLDS_PERSONAL}")


MIGRATIONS: tuple[Migration, ...] = (_v1_create, _v2_indexes)
SCHEMA_VERSION = len(MIGRATIONS)
