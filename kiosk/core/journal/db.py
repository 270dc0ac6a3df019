"""The journal's SQLite connection: durable settings, schema migrations, and error triage.

Environment failures (disk full, locked, I/O, read-only, corrupt) become StorageUnavailable so the
kiosk can say "out of service: storage" and retry; every other sqlite3 error is a bug and escapes
as it is (the split qutebrowser's misc/sql.py makes).
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from kiosk.core.journal.errors import SchemaTooNew, StorageFault, StorageUnavailable

# Primary result codes (https://sqlite.org/rescode.html) that mean "the environment", not "our SQL".
_FAULTS: dict[int, StorageFault] = {
    3: StorageFault.READ_ONLY,  # SQLITE_PERM
    5: StorageFault.LOCKED,  # SQLITE_BUSY
    6: StorageFault.LOCKED,  # SQLITE_LOCKED
    7: StorageFault.NO_MEMORY,  # SQLITE_NOMEM
    8: StorageFault.READ_ONLY,  # SQLITE_READONLY
    10: StorageFault.IO,  # SQLITE_IOERR (and its extended codes)
    11: StorageFault.CORRUPT,  # SQLITE_CORRUPT
    13: StorageFault.FULL,  # SQLITE_FULL
    14: StorageFault.CANT_OPEN,  # SQLITE_CANTOPEN
    15: StorageFault.LOCKED,  # SQLITE_PROTOCOL: lock protocol trouble, usually transient
    26: StorageFault.CORRUPT,  # SQLITE_NOTADB
}
_OS_FAULTS: dict[int, StorageFault] = {
    errno.ENOSPC: StorageFault.FULL,
    errno.EDQUOT: StorageFault.FULL,
    errno.EROFS: StorageFault.READ_ONLY,
    errno.EACCES: StorageFault.READ_ONLY,
    errno.EPERM: StorageFault.READ_ONLY,
}

Migration = Callable[[sqlite3.Connection], None]


def classify(error: BaseException) -> StorageFault | None:
    """The storage fault behind an error, or None when it is a bug."""
    if isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", None)
        if code is None:
            return None
        return _FAULTS.get(code & 0xFF)
    if isinstance(error, OSError):
        return _OS_FAULTS.get(error.errno or 0, StorageFault.IO)
    return None


@contextmanager
def storage_errors() -> Iterator[None]:
    """Turn environment failures into StorageUnavailable; let bugs through untouched."""
    try:
        yield
    except (sqlite3.Error, OSError) as e:
        fault = classify(e)
        if fault is None:
            raise
        raise StorageUnavailable(fault, str(e)) from e


def connect(
    path: Path, *, busy_timeout_ms: int, max_page_count: int | None = None
) -> sqlite3.Connection:
    """A connection in WAL mode with synchronous=FULL: a commit that returned survives power loss.

    `max_page_count` caps the file's size; tests use it to make the disk "full" for real.
    """
    with storage_errors():
        conn = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=busy_timeout_ms / 1000
        )
        try:
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode != "wal":
                raise StorageUnavailable(StorageFault.IO, f"journal_mode is {mode}, not wal")
            conn.execute("PRAGMA synchronous=FULL")
            # Purged personal data must not linger in freed page space.
            conn.execute("PRAGMA secure_delete=ON")
            if max_page_count is not None:
                conn.execute(f"PRAGMA max_page_count={int(max_page_count)}")
        except BaseException:
            conn.close()
            raise
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT; any failure rolls back, so nothing half-written remains."""
    with storage_errors():
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                # The original error says more; SQLite rolls back on close anyway.
                with suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise


def user_version(conn: sqlite3.Connection) -> int:
    with storage_errors():
        return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, migrations: Sequence[Migration]) -> int:
    """Bring the file to len(migrations), one transaction per step. Returns the version before."""
    before = user_version(conn)
    if before > len(migrations):
        raise SchemaTooNew(
            f"the journal has schema version {before}; this kiosk knows up to {len(migrations)}"
        )
    for version in range(before, len(migrations)):
        with transaction(conn):
            migrations[version](conn)
            # user_version lives in the file header and is written inside the same transaction.
            conn.execute(f"PRAGMA user_version={version + 1}")
    return before
