"""The journal's SQLite connection: durable settings, schema migrations, and error triage.

Environment failures (disk full, locked, I/O, read-only, corrupt) become StorageUnavailable so the
kiosk can say "out of service: storage" and retry; every other sqlite3 error is a bug and escapes
as it is (the split qutebrowser's misc/sql.py makes).
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import quote

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

# The checkpoint policy (https://sqlite.org/wal.html#ckpt): a checkpoint every
# CHECKPOINT_PAGES pages of log rather than SQLite's 1,000 (4 MB, which alone fills a small
# card), and the log cut back to WAL_LIMIT_BYTES each time it restarts, so the journal's
# footprint on disk stays near its data instead of keeping the log's high-water mark.
CHECKPOINT_PAGES = 64
WAL_LIMIT_BYTES = 256 * 1024
# An I/O error with less room than this left on the journal's filesystem is a full disk:
# SQLite reports some ENOSPC failures (growing the log's index, a size hint) as SQLITE_IOERR.
FULL_BELOW_BYTES = 128 * 1024


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


def free_bytes(directory: Path) -> int | None:
    """Room left for the journal on its filesystem; None when it cannot be told."""
    try:
        return shutil.disk_usage(directory).free
    except OSError:
        return None


def refine(fault: StorageFault, directory: Path | None) -> StorageFault:
    """An I/O error on a filesystem with (almost) no room left is reported as `full`."""
    if fault is StorageFault.IO and directory is not None:
        free = free_bytes(directory)
        if free is not None and free < FULL_BELOW_BYTES:
            return StorageFault.FULL
    return fault


@contextmanager
def storage_errors(directory: Path | None = None) -> Iterator[None]:
    """Turn environment failures into StorageUnavailable; let bugs through untouched.
    `directory` (the journal's) lets a full disk be told from an I/O error."""
    try:
        yield
    except (sqlite3.Error, OSError) as e:
        fault = classify(e)
        if fault is None:
            raise
        raise StorageUnavailable(refine(fault, directory), str(e)) from e


def connect(
    path: Path, *, busy_timeout_ms: int, max_page_count: int | None = None
) -> sqlite3.Connection:
    """A connection in WAL mode with synchronous=FULL: a commit that returned survives power loss.

    `max_page_count` caps the file's size; tests use it to make the disk "full" for real.
    """
    with storage_errors(path.parent):
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
            conn.execute(f"PRAGMA wal_autocheckpoint={CHECKPOINT_PAGES}")
            conn.execute(f"PRAGMA journal_size_limit={WAL_LIMIT_BYTES}")
            if max_page_count is not None:
                conn.execute(f"PRAGMA max_page_count={int(max_page_count)}")
        except BaseException:
            conn.close()
            raise
    return conn


def connect_read_only(path: Path, *, busy_timeout_ms: int) -> sqlite3.Connection:
    """A connection that never writes: for inspecting a journal, also on a read-only mount or
    a card pulled from a kiosk. A read-only open still needs to create the log's index beside
    the file; where it cannot (a read-only directory), the file is opened as immutable, which
    is sound only because nothing else writes a card that is mounted read-only."""
    uri = "file:" + quote(str(path.resolve()))
    with storage_errors(path.parent):
        if not path.is_file():
            raise StorageUnavailable(StorageFault.CANT_OPEN, f"no file at {path}")
        mode = "?mode=ro" if os.access(path.parent, os.W_OK) else "?immutable=1"
        conn = sqlite3.connect(
            uri + mode,
            uri=True,
            isolation_level=None,
            check_same_thread=False,
            timeout=busy_timeout_ms / 1000,
        )
        try:
            conn.execute("PRAGMA query_only=ON")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except BaseException:
            conn.close()
            raise
    return conn


def unread_log_bytes(path: Path) -> int:
    """Bytes of write-ahead log an immutable open leaves unread: a journal not closed cleanly
    on a read-only mount (0 when the log is absent or could be read)."""
    wal = path.with_name(path.name + "-wal")
    if os.access(path.parent, os.W_OK) or not wal.is_file():
        return 0
    return wal.stat().st_size


def checkpoint(conn: sqlite3.Connection, directory: Path | None = None) -> None:
    """Copy the log into the file and cut the log to nothing: frees its space on a full disk."""
    with storage_errors(directory):
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()


def integrity_problems(conn: sqlite3.Connection, limit: int = 100) -> list[str]:
    """SQLite's own check of the file (pages, b-trees, indexes); [] when it is sound."""
    with storage_errors():
        found = [str(r[0]) for r in conn.execute(f"PRAGMA integrity_check({int(limit)})")]
    return [] if found == ["ok"] else found


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
