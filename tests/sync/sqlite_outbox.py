"""A small SQLite outbox implementing portal_sync.outbox.Outbox, for tests and the benchmark.

A test double standing in for the journal until it is wired to the sync client: real SQLite,
a real hash chain, marks only what it is told was acknowledged.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

from portal_sync.outbox import Checkpoint, OutboxItem


class SqliteOutbox:
    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY, event_id TEXT UNIQUE,"
            " body TEXT NOT NULL, row_hash TEXT NOT NULL, sent INTEGER NOT NULL DEFAULT 0)"
        )
        self._lock = threading.Lock()
        self.acknowledge_calls = 0

    def close(self) -> None:
        self._db.close()

    def add(self, count: int, *, start_ms: int = 1_790_000_000_000) -> list[str]:
        """Append `count` scan-like events; returns their ids (time-ordered)."""
        with self._lock:
            row = self._db.execute("SELECT seq, row_hash FROM outbox ORDER BY seq DESC").fetchone()
            seq, prev = (row[0], row[1]) if row else (0, "00" * 32)
            rows, ids = [], []
            for n in range(seq + 1, seq + count + 1):
                event_id = f"e{start_ms + n:015d}-{n:08d}"
                body = json.dumps(
                    {"kind": "scan", "outcome": "accept", "seq": n, "ts_ms": start_ms + n}
                )
                prev = hashlib.sha256((prev + event_id + body).encode()).hexdigest()
                rows.append((n, event_id, body, prev))
                ids.append(event_id)
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT INTO outbox (seq, event_id, body, row_hash) VALUES (?, ?, ?, ?)", rows
            )
            self._db.execute("COMMIT")
        return ids

    def pending(self, limit: int) -> Sequence[OutboxItem]:
        with self._lock:
            rows = self._db.execute(
                "SELECT event_id, body FROM outbox WHERE sent=0 ORDER BY seq LIMIT ?", (limit,)
            ).fetchall()
        return [OutboxItem(r[0], json.loads(r[1])) for r in rows]

    def acknowledge(self, event_ids: Sequence[str]) -> int:
        with self._lock:
            self.acknowledge_calls += 1
            self._db.execute("BEGIN")
            marked = 0
            for i in range(0, len(event_ids), 500):
                chunk = list(event_ids[i : i + 500])
                marks = ",".join("?" * len(chunk))
                marked += self._db.execute(
                    f"UPDATE outbox SET sent=1 WHERE sent=0 AND event_id IN ({marks})", chunk
                ).rowcount
            self._db.execute("COMMIT")
        return marked

    def backlog(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM outbox WHERE sent=0").fetchone()[0])

    def checkpoint(self) -> Checkpoint:
        with self._lock:
            row = self._db.execute("SELECT seq, row_hash FROM outbox ORDER BY seq DESC").fetchone()
        return Checkpoint(row[0], row[1]) if row else Checkpoint(0, "00" * 32)

    def all_ids(self) -> list[str]:
        with self._lock:
            return [r[0] for r in self._db.execute("SELECT event_id FROM outbox ORDER BY seq")]

    def sent_ids(self) -> set[str]:
        with self._lock:
            return {r[0] for r in self._db.execute("SELECT event_id FROM outbox WHERE sent=1")}
