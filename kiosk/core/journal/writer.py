"""Appending rows: each event and its outbox entry in one transaction, chained to the head.

The head is read inside the write transaction (BEGIN IMMEDIATE holds the write lock), never
cached, so a second writer such as `kiosk journal purge` from a shell cannot fork the chain.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.core.journal.chain import GENESIS, personal_hash, row_hash
from kiosk.core.journal.db import transaction
from kiosk.core.journal.records import Row
from kiosk.core.journal.schema import CHAINED, PERSONAL

_COLUMNS = ("seq", *CHAINED, *PERSONAL, "prev_hash", "row_hash")
_INSERT_EVENT = (
    f"INSERT INTO events ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
)
_INSERT_OUTBOX = "INSERT INTO outbox (seq, event_id) VALUES (?, ?)"


@dataclass(frozen=True, slots=True)
class Appended:
    seq: int
    event_id: str
    row_hash: bytes


def head(conn: sqlite3.Connection) -> tuple[int, bytes]:
    """(seq, row hash) of the last row; (0, GENESIS) for an empty journal."""
    found = conn.execute("SELECT seq, row_hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
    return (int(found[0]), bytes(found[1])) if found else (0, GENESIS)


def append_in(conn: sqlite3.Connection, rows: Sequence[Row]) -> list[Appended]:
    """Append inside the caller's transaction."""
    seq, prev = head(conn)
    done: list[Appended] = []
    for row in rows:
        seq += 1
        fields = {**row.chained, "personal_hash": personal_hash(row.personal)}
        digest = row_hash(prev, fields)
        values = (
            seq,
            *(fields[c] for c in CHAINED),
            *(row.personal[c] for c in PERSONAL),
            prev,
            digest,
        )
        conn.execute(_INSERT_EVENT, values)
        conn.execute(_INSERT_OUTBOX, (seq, row.event_id))
        done.append(Appended(seq, row.event_id, digest))
        prev = digest
    return done


def append(conn: sqlite3.Connection, rows: Sequence[Row]) -> list[Appended]:
    """Append durably: when this returns, the rows and their outbox entries are committed."""
    with transaction(conn):
        return append_in(conn, rows)
