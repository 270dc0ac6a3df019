"""Real storage faults for tests above the journal: another connection holds the write lock.

SQLite answers the kiosk's next write with BUSY once `journal.busy_timeout_ms` has passed, the
journal raises StorageUnavailable(locked), and releasing the lock ends the fault; no fakes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from kiosk.core.journal.journal import journal_path

SHORT_BUSY = {"journal.busy_timeout_ms": 50}  # the kiosk gives up on a held lock quickly


@contextmanager
def journal_locked(data_dir: Path) -> Iterator[None]:
    with closing(sqlite3.connect(journal_path(data_dir), isolation_level=None)) as other:
        other.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            other.execute("COMMIT")
