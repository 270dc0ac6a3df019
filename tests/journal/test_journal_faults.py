"""Storage faults: disk full, read-only, locked. Each gives a clear StorageUnavailable state
(not a crash, not a pretended success), loses nothing committed, and recovers once it ends."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from kiosk.core.journal import Journal, StorageFault, StorageUnavailable
from kiosk.core.journal.db import classify, connect, storage_errors
from kiosk.core.journal.journal import journal_path
from kiosk.core.journal.verify import verify

from .conftest import JournalFactory, ScanFactory


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 512 KiB filesystem of its own (needs root; skipped where mounting is not allowed)."""
    where = tmp_path / "small"
    where.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=512k", "tmpfs", str(where)):
        pytest.skip("cannot mount a tmpfs here (not root?)")
    yield where
    subprocess.run(["umount", "-l", str(where)], check=True)


def _events(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as conn:
        assert verify(conn).ok
        return {r[0] for r in conn.execute("SELECT event_id FROM events")}


def _fill_until_full(journal: Journal, scan: ScanFactory) -> tuple[list[str], StorageUnavailable]:
    committed: list[str] = []
    for _ in range(100_000):
        try:
            recorded = journal.record_scan(scan("valid"))
        except StorageUnavailable as e:
            return committed, e
        assert recorded is not None
        committed.append(recorded.event_id)
    raise AssertionError("the disk never filled")


def test_disk_full_by_page_cap(
    open_journal: JournalFactory, scan: ScanFactory, portal_key: object
) -> None:
    """SQLite's max_page_count makes the file full for real (SQLITE_FULL), no root needed."""
    first = open_journal()
    first.close()
    with closing(sqlite3.connect(first.path)) as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    journal = open_journal(max_page_count=pages + 3)
    committed, error = _fill_until_full(journal, scan)
    assert error.fault is StorageFault.FULL
    assert journal.storage.fault is StorageFault.FULL and not journal.storage.ok
    state = journal.gate_state()
    assert state.counts["scans"] == len(committed)  # the failed scan was not counted
    assert journal.probe().fault is StorageFault.FULL  # still full: still out of service
    assert journal.backlog() > 0  # reads still work: the sync client can keep draining
    journal.close()
    # The fault ends (here: the cap goes away with the connection); nothing was lost.
    assert set(committed) <= _events(first.path)
    again = open_journal()
    assert again.record_scan(scan("valid")) is not None


def test_disk_full_on_a_small_filesystem(
    tmpfs: Path, open_journal: JournalFactory, scan: ScanFactory, portal_key: object
) -> None:
    data = tmpfs / "data"
    (data / "portal").mkdir(parents=True)
    (data / "portal" / "seal.pub").write_bytes(portal_key_file(portal_key))
    journal = open_journal(directory=data)
    filler = tmpfs / "filler"
    space = os.statvfs(tmpfs)
    filler.write_bytes(bytes(max(0, space.f_bavail * space.f_frsize - 48 * 1024)))
    committed, error = _fill_until_full(journal, scan)
    assert error.fault is StorageFault.FULL
    retry = scan("valid")
    with pytest.raises(StorageUnavailable):
        journal.record_scan(retry)
    # (A probe now would checkpoint and cut the log, which may itself give back enough room:
    # test_journal_storage_edges covers that.)
    filler.unlink()  # the fault ends
    assert journal.probe().ok
    assert journal.record_scan(retry) is not None  # not mistaken for a repeat
    actions = [i.body["action"] for i in journal.pending(100_000)]
    assert "storage.fault" in actions
    journal.close()
    assert set(committed) <= _events(journal.path)


def portal_key_file(key: object) -> bytes:
    from nacl.public import PrivateKey

    assert isinstance(key, PrivateKey)
    return bytes(key.public_key).hex().encode()


def test_read_only_filesystem(
    tmp_path: Path, open_journal: JournalFactory, scan: ScanFactory, data_dir: Path
) -> None:
    journal = open_journal()
    kept = journal.record_scan(scan("valid"))
    assert kept is not None
    journal.close()
    view = tmp_path / "view"
    view.mkdir()
    if not _mount("--bind", str(data_dir), str(view)):
        pytest.skip("cannot bind-mount here (not root?)")
    try:
        assert _mount("-o", "remount,bind,ro", str(view))
        with pytest.raises(StorageUnavailable) as caught:
            open_journal(directory=view)
        assert caught.value.fault in (StorageFault.READ_ONLY, StorageFault.CANT_OPEN)
        assert _mount("-o", "remount,bind,rw", str(view))  # the fault ends
        journal = open_journal(directory=view)
        assert journal.storage.ok
        assert journal.record_scan(scan("valid")) is not None
        journal.close()
    finally:
        subprocess.run(["umount", str(view)], check=True)
    assert kept.event_id in _events(journal_path(data_dir))


def test_locked_database(open_journal: JournalFactory, scan: ScanFactory) -> None:
    journal = open_journal(busy_timeout_ms=50)
    before = journal.record_scan(scan("valid"))
    assert before is not None
    with closing(sqlite3.connect(journal.path, isolation_level=None)) as other:
        other.execute("BEGIN EXCLUSIVE")
        waiting = scan("expired")
        with pytest.raises(StorageUnavailable) as caught:
            journal.record_scan(waiting)
        assert caught.value.fault is StorageFault.LOCKED
        assert journal.storage.fault is StorageFault.LOCKED
        assert journal.probe().fault is StorageFault.LOCKED
        other.execute("COMMIT")  # the fault ends
    assert journal.probe().ok
    after = journal.record_scan(waiting)
    assert after is not None and after.outcome == "refused"
    report = journal.verify()
    assert report.ok
    items = journal.pending(100)
    actions = [i.body["action"] for i in items]
    assert actions.count("storage.fault") == 1
    fault_row = next(i.body for i in items if i.body["action"] == "storage.fault")
    assert '"fault":"locked"' in fault_row["detail"]


def test_bugs_are_not_storage_faults(tmp_path: Path) -> None:
    conn = connect(tmp_path / "x.db", busy_timeout_ms=10)
    with closing(conn):
        with pytest.raises(sqlite3.OperationalError), storage_errors():
            conn.execute("SELECT no_such_column FROM sqlite_master")
        with pytest.raises(sqlite3.ProgrammingError), storage_errors():
            conn.execute("SELECT ?", ())
    assert classify(ValueError("x")) is None
    assert classify(OSError(28, "No space left on device")) is StorageFault.FULL


def test_connection_is_durable(tmp_path: Path) -> None:
    with closing(connect(tmp_path / "x.db", busy_timeout_ms=10)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
