"""The storage edges: a small disk the log must not fill, a full disk named `full`, damaged
files named by SQLite's own check, read-only inspection, and a lost journal never replaced in
silence. Real SQLite files throughout: tmpfs with a size limit (root), pages overwritten,
files emptied, read-only mounts."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.cli.main import main
from kiosk.core.config import load_config
from kiosk.core.journal import Journal, Space, StorageFault, StorageUnavailable, db
from kiosk.core.journal.chain_record import ChainRecord, chain_record_path
from kiosk.core.journal.journal import (
    LOW_SPACE_WAL_BYTES,
    SPACE_CHECK_COMMITS,
    journal_path,
)
from kiosk.core.journal.verify import verify
from tests.faults import fill, read_only_view, small_filesystem

from .conftest import OFFSET_MIN, FakeClock, JournalFactory, ScanFactory


def _open(data_dir: Path, clock: FakeClock, **overrides: object) -> Journal:
    return Journal.open(data_dir, load_config(overrides=overrides), clock=clock)


def _fill_journal(journal: Journal, scan: ScanFactory, rows: int) -> list[str]:
    done = []
    for _ in range(rows):
        recorded = journal.record_scan(scan("valid"))
        assert recorded is not None
        done.append(recorded.event_id)
    return done


def _footprint(data_dir: Path) -> tuple[int, int]:
    """(bytes of the journal file, bytes of the file with its log and index)."""
    path = journal_path(data_dir)
    parts = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
    return path.stat().st_size, sum(p.stat().st_size for p in parts if p.exists())


# The log on a small disk (point 3).


def test_the_log_stays_near_the_data_on_a_small_disk(
    tmp_path: Path, clock: FakeClock, scan: ScanFactory, portal_key: object
) -> None:
    """SQLite's default checkpoints every 1,000 pages (4 MB): on a 2 MB card the log alone
    filled the disk after ~80 rows. With the policy, 1,500 sealed rows fit and the log stays
    under its limit."""
    with small_filesystem(tmp_path / "card", "2m") as card:
        data = card / "data"
        shutil.copytree(tmp_path / "data" / "portal", data / "portal")
        journal = _open(data, clock)
        wal = journal_path(data).with_name("journal.db-wal")
        biggest = 0
        for _ in range(15):
            _fill_journal(journal, scan, 100)
            biggest = max(biggest, wal.stat().st_size if wal.exists() else 0)
        assert biggest <= db.WAL_LIMIT_BYTES + 64 * 1024
        data_bytes, footprint = _footprint(data)
        assert footprint <= 2 * data_bytes
        journal.close()


def test_a_full_disk_is_full_not_an_io_error(
    tmp_path: Path, clock: FakeClock, scan: ScanFactory
) -> None:
    """Opening a journal on a disk with no room fails in the log's index (SQLITE_IOERR):
    reported as `full`, which is what the technician must fix."""
    with small_filesystem(tmp_path / "card", "1m") as card:
        journal = _open(card / "data", clock)
        _fill_journal(journal, scan, 5)
        journal.close()
        fill(card)
        with pytest.raises(StorageUnavailable) as caught:
            _open(card / "data", clock)
        assert caught.value.fault is StorageFault.FULL
    assert db.refine(StorageFault.IO, tmp_path) is StorageFault.IO  # room: a real I/O error


def test_full_disk_recovers_and_the_log_gives_its_space_back(
    tmp_path: Path, clock: FakeClock, scan: ScanFactory
) -> None:
    with small_filesystem(tmp_path / "card", "2m") as card:
        journal = _open(card / "data", clock)
        kept = _fill_journal(journal, scan, 20)
        filler = fill(card)
        with pytest.raises(StorageUnavailable) as caught:
            for _ in range(10_000):
                journal.record_scan(scan("valid"))
        assert caught.value.fault is StorageFault.FULL
        assert journal.space().level is Space.FULL
        filler.unlink()
        assert journal.probe().ok  # no restart: the next probe writes again
        wal = journal_path(card / "data").with_name("journal.db-wal")
        assert wal.stat().st_size < db.WAL_LIMIT_BYTES  # the probe's checkpoint cut the log
        assert journal.record_scan(scan("valid")) is not None
        journal.close()
        with closing(sqlite3.connect(journal_path(card / "data"))) as conn:
            ids = {r[0] for r in conn.execute("SELECT event_id FROM events")}
        assert set(kept) <= ids


def test_low_space_is_told_before_the_disk_is_full(
    open_journal: JournalFactory, data_dir: Path
) -> None:
    free = shutil.disk_usage(data_dir.parent).free
    roomy = open_journal(low_space_mb=1)
    assert roomy.space().level is Space.OK
    tight = open_journal(low_space_mb=free // 2**20 + 10_000)  # 10 GB above: steady on a busy disk
    state = tight.space()
    assert state.level is Space.LOW and state.free_bytes is not None


# Damaged files (points 1 and 5).


def _pages_of(path: Path, name: str) -> list[int]:
    with closing(sqlite3.connect(path)) as conn:
        return [
            int(r[0]) for r in conn.execute("SELECT pageno FROM dbstat WHERE name = ?", (name,))
        ]


def _overwrite(path: Path, pages: list[int]) -> None:
    with path.open("r+b") as f:
        for page in pages:
            f.seek((page - 1) * 4096)
            f.write(b"\xa5" * 4096)


def _closed_journal(
    open_journal: JournalFactory, scan: ScanFactory, rows: int, data_dir: Path
) -> Path:
    journal = open_journal()
    _fill_journal(journal, scan, rows)
    journal.close()
    return journal_path(data_dir)


def test_verify_names_damage_the_chain_walk_cannot_see(
    open_journal: JournalFactory,
    scan: ScanFactory,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Three pages of the time index overwritten: every row still reads and chains, but the
    file is malformed. verify says so and names the index."""
    path = _closed_journal(open_journal, scan, 400, data_dir)
    pages = _pages_of(path, "events_ts")[:3]
    assert len(pages) == 3
    _overwrite(path, pages)
    with closing(sqlite3.connect(path)) as conn:
        report = verify(conn)
    assert report.rows == 402 and not report.findings  # the chain alone would say OK
    assert not report.ok and report.damage
    assert any("index events_ts" in line for line in report.damage)
    assert not any("table events" in line for line in report.damage)
    assert main(["--data-dir", str(data_dir), "journal", "verify"]) == 1
    out = capsys.readouterr().out
    assert "DAMAGED" in out and "index events_ts" in out and "OK" not in out


def test_damaged_table_pages_are_findings_and_one_line_errors(
    open_journal: JournalFactory,
    scan: ScanFactory,
    data_dir: Path,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = _closed_journal(open_journal, scan, 300, data_dir)
    _overwrite(path, _pages_of(path, "events")[2:5])
    assert main(["--data-dir", str(data_dir), "journal", "verify"]) == 1
    out = capsys.readouterr().out
    assert "DAMAGED" in out and "table events" in out
    day = datetime.fromtimestamp(clock.now + OFFSET_MIN * 60, UTC).date().isoformat()
    for command in (["stats", "--day", day], ["stats", "--json", "--day", day],
                    ["export", "--from", "2000-01-01", "--to", "2100-01-01"]):  # fmt: skip
        assert main(["--data-dir", str(data_dir), "journal", *command]) == 2
        out, err = capsys.readouterr()
        assert err.count("\n") == 1 and "corrupt" in err and "Traceback" not in err


# Read-only inspection (point 7).


def test_a_journal_on_a_read_only_mount_can_be_inspected(
    open_journal: JournalFactory,
    scan: ScanFactory,
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _closed_journal(open_journal, scan, 10, data_dir)
    before = journal_path(data_dir).read_bytes()
    with read_only_view(data_dir, tmp_path / "card") as card:
        assert main(["--data-dir", str(card), "journal", "verify"]) == 0
        assert "OK: 12 rows" in capsys.readouterr().out
        assert main(["--data-dir", str(card), "journal", "stats", "--json"]) == 0
        json.loads(capsys.readouterr().out)
        status = main(["--data-dir", str(card), "journal", "export", "--from", "2000-01-01",
                       "--to", "2100-01-01", "--format", "jsonl"])  # fmt: skip
        assert status == 0
        assert len(capsys.readouterr().out.splitlines()) == 12
    assert journal_path(data_dir).read_bytes() == before  # inspection wrote nothing
    assert not journal_path(data_dir).with_name("journal.db-wal").exists()


# A lost journal (point 4).


@pytest.fixture
def kept_chain(data_dir: Path, clock: FakeClock, scan: ScanFactory) -> ChainRecord:
    """A journal of 20 rows (18 scans) whose first 9 the portal acknowledged, then closed."""
    journal = _open(data_dir, clock)
    _fill_journal(journal, scan, 18)
    journal.acknowledge([item.event_id for item in journal.pending(9)])
    journal.close()
    record = ChainRecord.load(chain_record_path(data_dir))
    assert record is not None and record.acked_seq == 9 and record.seen_seq == 20
    return record


@pytest.mark.parametrize("damage", ["emptied", "deleted", "replaced", "cut"])
def test_a_lost_journal_is_refused_not_replaced(
    damage: str, kept_chain: ChainRecord, data_dir: Path, clock: FakeClock, scan: ScanFactory
) -> None:
    path = journal_path(data_dir)
    if damage == "emptied":
        path.write_bytes(b"")
    elif damage == "deleted":
        path.unlink()
    elif damage == "replaced":
        path.unlink()
        other = Journal.open(data_dir / "elsewhere", load_config(), clock=clock)
        other.close()
        shutil.copy(journal_path(data_dir / "elsewhere"), path)
    else:  # the newest rows cut, below what the portal acknowledged
        with closing(sqlite3.connect(path)) as conn:
            conn.execute("DROP TRIGGER events_no_delete")
            conn.execute("DELETE FROM events WHERE seq > 5")
            conn.commit()
    with pytest.raises(StorageUnavailable) as caught:
        _open(data_dir, clock)
    assert caught.value.fault is StorageFault.LOST
    assert "rows 10-20" in caught.value.detail and "restart-chain" in caught.value.detail
    if damage in ("emptied", "deleted"):
        assert not path.exists() or path.stat().st_size == 0  # no new chain was started


def test_restart_chain_only_when_confirmed_and_it_names_the_lost_rows(
    kept_chain: ChainRecord, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = journal_path(data_dir)
    assert main(["--data-dir", str(data_dir), "journal", "restart-chain"]) == 0
    assert "whole: nothing to restart" in capsys.readouterr().out
    path.write_bytes(b"")
    assert main(["--data-dir", str(data_dir), "journal", "verify"]) == 2  # no chain in it
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "journal", "restart-chain"]) == 1
    assert "rows 10-20" in capsys.readouterr().out and path.stat().st_size == 0
    argv = ["--data-dir", str(data_dir), "journal", "restart-chain", "--confirm",
            "--operator", "tech-7"]  # fmt: skip
    assert main(argv) == 0
    assert "rows 10-20" in capsys.readouterr().out
    kept = [p.name for p in path.parent.glob("journal.db.lost-*")]
    assert len(kept) == 1
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute("SELECT seq, action, operator, detail FROM events").fetchall()
        assert verify(conn).ok
    assert [r[1] for r in rows] == ["journal.created", "journal.chain_restarted"]
    detail = json.loads(rows[1][3])
    assert rows[1][2] == "tech-7"
    assert detail["previous_journal"] == kept_chain.journal_id
    assert detail["lost"].startswith("10-20") and detail["kept_as"] == kept[0]
    record = ChainRecord.load(chain_record_path(data_dir))
    assert record is not None and record.journal_id != kept_chain.journal_id
    assert main(["--data-dir", str(data_dir), "journal", "verify"]) == 0  # the new chain


def test_verify_says_a_replaced_journal_is_not_this_kiosks(
    kept_chain: ChainRecord, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = journal_path(data_dir)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("DROP TRIGGER events_no_delete")
        conn.execute("DELETE FROM events WHERE seq > 3")
        conn.execute("DELETE FROM outbox")
        conn.commit()
    assert main(["--data-dir", str(data_dir), "journal", "verify"]) == 1
    assert "LOST" in capsys.readouterr().out


def test_the_record_is_outside_the_journals_folder(kept_chain: ChainRecord, data_dir: Path) -> None:
    assert journal_path(data_dir).parent not in chain_record_path(data_dir).parents
    assert os.path.commonpath([chain_record_path(data_dir), data_dir]) == str(data_dir)


def test_a_card_not_closed_cleanly_says_what_a_read_only_look_leaves_out(
    open_journal: JournalFactory,
    scan: ScanFactory,
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A card pulled while the kiosk ran: its newest rows are still in the log, which an
    immutable open cannot read. The command says so rather than passing in silence."""
    journal = open_journal()
    _fill_journal(journal, scan, 5)
    pulled = tmp_path / "pulled"
    (pulled / "journal").mkdir(parents=True)
    for part in ("journal.db", "journal.db-wal"):  # copied while the journal is open
        shutil.copy(journal_path(data_dir).with_name(part), pulled / "journal" / part)
    journal.close()
    assert (pulled / "journal" / "journal.db-wal").stat().st_size > 0
    with read_only_view(pulled, tmp_path / "card") as card:
        main(["--data-dir", str(card), "journal", "verify"])
    err = capsys.readouterr().err
    assert "not closed cleanly" in err and "bytes of log are not read" in err


def test_room_running_short_cuts_the_log_back_within_a_few_commits(
    tmp_path: Path, clock: FakeClock, scan: ScanFactory, portal_key: object
) -> None:
    """With room the log is left to SQLite's checkpoints, and whether room is short is asked
    only every SPACE_CHECK_COMMITS commits; once it is short, every commit that leaves more than
    LOW_SPACE_WAL_BYTES of log cuts it back."""
    with small_filesystem(tmp_path / "card", "4m") as card:
        data = card / "data"
        shutil.copytree(tmp_path / "data" / "portal", data / "portal")
        journal = _open(data, clock, **{"journal.low_space_mb": 1})
        wal = journal_path(data).with_name("journal.db-wal")
        _fill_journal(journal, scan, 40)
        assert journal.space().level is Space.OK
        assert wal.stat().st_size > LOW_SPACE_WAL_BYTES  # room: not cut back
        free = shutil.disk_usage(card).free
        (card / "ballast").write_bytes(bytes(free - 700 * 1024))
        assert journal.space().level is Space.LOW
        sizes = []
        for _ in range(3 * SPACE_CHECK_COMMITS):
            _fill_journal(journal, scan, 1)
            sizes.append(wal.stat().st_size)
        grown = [b - a for a, b in itertools.pairwise(sizes) if b > a]
        assert min(sizes[:SPACE_CHECK_COMMITS]) <= LOW_SPACE_WAL_BYTES  # noticed in time
        assert max(sizes[SPACE_CHECK_COMMITS:]) <= LOW_SPACE_WAL_BYTES + max(grown)
        journal.close()
