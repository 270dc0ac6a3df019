"""The chain and tampering behind the app's back: `kiosk journal verify` names each bad row."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from kiosk.cli.main import main
from kiosk.core.journal import Journal
from kiosk.core.journal.chain import GENESIS, canonical, personal_hash, row_hash
from kiosk.core.journal.journal import journal_path
from kiosk.core.journal.schema import CHAINED, PERSONAL
from kiosk.core.journal.verify import Problem, verify

from .conftest import FakeClock, JournalFactory, ScanFactory


@pytest.fixture
def filled(open_journal: JournalFactory, scan: ScanFactory, portal_key: object) -> Path:
    """A closed journal of 12 rows: 2 system rows, then 10 scans."""
    journal = open_journal()
    for name in ["valid", "expired", "revoked", "forged", "idcard"] * 2:
        journal.record_scan(scan(name))
    journal.close()
    return journal.path


@contextmanager
def raw(path: Path) -> Iterator[sqlite3.Connection]:
    """What someone with the file and the sqlite3 shell can do: triggers dropped first."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("DROP TRIGGER events_append_only")
        conn.execute("DROP TRIGGER events_no_delete")
        yield conn


def findings(path: Path) -> list[tuple[int, Problem]]:
    with closing(sqlite3.connect(path)) as conn:
        return [(f.seq, f.problem) for f in verify(conn).findings]


def cli_verify(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["journal", "verify", "--data-dir", str(data_dir)])
    return status, capsys.readouterr().out


def test_canonical_encoding_is_fixed() -> None:
    assert canonical({"b": b"\x01\xff", "a": "Đà Nẵng", "n": None, "i": -3}) == (
        '{"a":"Đà Nẵng","b":"01ff","i":-3,"n":null}'.encode()
    )
    with pytest.raises(TypeError):
        canonical({"x": 1.5})
    with pytest.raises(TypeError):
        canonical({"x": True})
    assert personal_hash({"rev_hash": None, "pseudonym": None, "sealed": None}) is None


def test_intact_journal_verifies(
    filled: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert findings(filled) == []
    status, out = cli_verify(data_dir, capsys)
    assert status == 0 and out.startswith("OK: 12 rows, head 12 ")


def test_triggers_refuse_updates_and_deletes(filled: Path) -> None:
    with closing(sqlite3.connect(filled, isolation_level=None)) as conn:
        for sql in (
            "UPDATE events SET verdict = 'accept' WHERE seq = 4",
            "UPDATE events SET seq = 99 WHERE seq = 4",
            "UPDATE events SET sealed = x'00' WHERE seq = 3",
            "DELETE FROM events WHERE seq = 4",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(sql)
        conn.execute("UPDATE events SET acked_at = 1 WHERE seq = 4")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE events SET acked_at = 2 WHERE seq = 4")
    assert findings(filled) == []


def test_edited_row_is_named(
    filled: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with raw(filled) as conn:
        conn.execute("UPDATE events SET verdict = 'accept', reason = NULL WHERE seq = 5")
    assert findings(filled) == [(5, Problem.EDITED)]
    status, out = cli_verify(data_dir, capsys)
    assert status == 1
    assert "row 5 does not match its hash (edited)" in out and "first at row 5" in out


def test_deleted_rows_are_named(filled: Path) -> None:
    with raw(filled) as conn:
        conn.execute("DELETE FROM events WHERE seq IN (6, 7)")
    assert findings(filled) == [(6, Problem.MISSING)]


def test_deleted_first_row_is_named(filled: Path) -> None:
    with raw(filled) as conn:
        conn.execute("DELETE FROM events WHERE seq = 1")
    assert findings(filled)[:2] == [(1, Problem.MISSING), (2, Problem.NO_GENESIS)]


def test_reordered_rows_are_named(filled: Path) -> None:
    with raw(filled) as conn:
        conn.execute("UPDATE events SET seq = -1 WHERE seq = 8")
        conn.execute("UPDATE events SET seq = 8 WHERE seq = 9")
        conn.execute("UPDATE events SET seq = 9 WHERE seq = -1")
    # Each swapped row, and the row after them, no longer follows its predecessor.
    assert findings(filled) == [
        (8, Problem.NOT_LINKED),
        (9, Problem.NOT_LINKED),
        (10, Problem.NOT_LINKED),
    ]


def test_inserted_row_is_named(filled: Path) -> None:
    """Even a row hashed correctly over its own claimed prev_hash does not link in."""
    with raw(filled) as conn:
        columns = ", ".join(("seq", *CHAINED, *PERSONAL, "prev_hash", "row_hash"))
        row = list(conn.execute(f"SELECT {columns} FROM events WHERE seq = 4").fetchone())
        # Make room at 4: shift the rest up by one (via a far range, as seq is unique).
        conn.execute("UPDATE events SET seq = seq + 1000 WHERE seq >= 4")
        conn.execute("UPDATE events SET seq = seq - 999 WHERE seq >= 1000")
        fields = dict(zip(("seq", *CHAINED), row[: 1 + len(CHAINED)], strict=True))
        fields.pop("seq")
        fields["event_id"] = "01FAKEFAKEFAKEFAKEFAKEFAKE"
        prev = GENESIS
        digest = row_hash(prev, fields)
        values = [4, *fields.values(), *row[1 + len(CHAINED) : -2], prev, digest]
        conn.execute(
            f"INSERT INTO events ({columns}) VALUES ({', '.join('?' * len(values))})", values
        )
    assert findings(filled) == [(4, Problem.NOT_LINKED), (5, Problem.NOT_LINKED)]


def test_personal_data_edit_is_named(filled: Path) -> None:
    with raw(filled) as conn:
        sealed = conn.execute("SELECT sealed FROM events WHERE seq = 7").fetchone()[0]
        conn.execute("UPDATE events SET sealed = ? WHERE seq = 3", (sealed,))
    assert findings(filled) == [(3, Problem.PERSONAL_EDITED)]


def test_blanking_without_a_purge_marker_is_named(filled: Path) -> None:
    """The triggers allow blanking (retention does it), so verify must demand the marker."""
    with closing(sqlite3.connect(filled, isolation_level=None)) as conn:
        conn.execute(
            "UPDATE events SET sealed = NULL, pseudonym = NULL, rev_hash = NULL WHERE seq = 3"
        )
    assert findings(filled) == [(3, Problem.BLANK_UNEXPLAINED)]


def test_several_tamperings_are_each_named(filled: Path) -> None:
    with raw(filled) as conn:
        conn.execute("UPDATE events SET source = 'x' WHERE seq = 4")
        conn.execute("DELETE FROM events WHERE seq = 10")
    assert findings(filled) == [(4, Problem.EDITED), (10, Problem.MISSING)]


def test_journal_keeps_appending_to_a_verified_chain(
    filled: Path, open_journal: JournalFactory, scan: ScanFactory, clock: FakeClock
) -> None:
    journal: Journal = open_journal()
    clock.advance(60)
    journal.record_scan(scan("valid", clock=clock))
    report = journal.verify()
    assert report.ok and report.rows == 14
    assert journal_path(filled.parent.parent) == filled


def test_purge_dry_run_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(tmp_path), "selftest", "--camera-wait", "0"]) in (0, 1)
    db = tmp_path / "journal" / "journal.db"
    before = db.read_bytes()
    wal = db.with_name(db.name + "-wal")
    wal_before = wal.read_bytes() if wal.exists() else b""
    assert main(["--data-dir", str(tmp_path), "journal", "purge", "--dry-run"]) == 0
    assert db.read_bytes() == before
    assert (wal.read_bytes() if wal.exists() else b"") == wal_before
