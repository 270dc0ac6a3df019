"""Schema versions: an older journal is migrated in place; a newer one is refused."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from kiosk.core.journal import SchemaTooNew
from kiosk.core.journal.db import connect, migrate
from kiosk.core.journal.journal import journal_path
from kiosk.core.journal.schema import MIGRATIONS, SCHEMA_VERSION

from .conftest import JournalFactory, ScanFactory


def _indexes(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}


def test_version_1_journal_is_migrated_with_its_rows(
    open_journal: JournalFactory, scan: ScanFactory, data_dir: Path, tmp_path: Path
) -> None:
    path = journal_path(data_dir)
    first = open_journal()
    first.record_scan(scan("expired"))
    first.close()
    # Version 2 only added indexes: taking them away leaves exactly what version 1 made.
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("DROP INDEX events_ts")
        conn.execute("DROP INDEX events_personal")
        conn.execute("PRAGMA user_version = 1")
        conn.commit()
    with closing(connect(tmp_path / "v1.db", busy_timeout_ms=100)) as conn:
        migrate(conn, MIGRATIONS[:1])
        v1 = {r[0] for r in conn.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL")}
    with closing(sqlite3.connect(path)) as conn:
        assert {
            r[0] for r in conn.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL")
        } == v1
    journal = open_journal()
    recorded = journal.record_scan(scan("valid"))
    assert recorded is not None
    assert {"events_ts", "events_personal"} <= _indexes(path)
    opened = [i.body for i in journal.pending(100) if i.body["action"] == "journal.opened"]
    assert ['"migrated_from":1' in o["detail"] for o in opened] == [False, True]
    assert journal.verify().ok and journal.verify().rows == 5
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_newer_journal_is_refused(open_journal: JournalFactory, data_dir: Path) -> None:
    open_journal().close()
    path = journal_path(data_dir)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(SchemaTooNew, match="knows up to"):
        open_journal()
