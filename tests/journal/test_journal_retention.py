"""Retention: personal data goes N days after the portal acknowledged it (or after the unsent
limit); a signed marker keeps the chain checkable; the bytes leave the file."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from kiosk.cli.main import main
from kiosk.core.journal.chain import row_hash
from kiosk.core.journal.schema import CHAINED
from kiosk.core.journal.verify import Problem, verify

from .conftest import FakeClock, JournalFactory, Person, ScanFactory

DAY = 86_400


def _personal_rows(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(
            conn.execute("SELECT count(*) FROM events WHERE pseudonym IS NOT NULL").fetchone()[0]
        )


def test_purge_after_acknowledgement(
    open_journal: JournalFactory, scan: ScanFactory, clock: FakeClock, people: list[Person],
    portal_key: object, data_dir: Path,
) -> None:  # fmt: skip
    journal = open_journal(retention_days=30, unsent_retention_days=0)
    for p in people:
        journal.record_scan(scan(text=p.text, clock=clock))
    sent = journal.pending(4)  # system rows and the first two scans
    journal.acknowledge([i.event_id for i in sent])
    pseudonym = bytes.fromhex(sent[2].body["pseudonym"])
    clock.advance(29 * DAY)
    assert journal.purge(dry_run=True).rows == 0
    clock.advance(2 * DAY)
    plan = journal.purge(dry_run=True)
    assert plan.rows == 2 and _personal_rows(journal.path) == 4  # dry run changes nothing
    report = journal.purge()
    assert (report.rows, report.markers) == (2, 1)
    assert _personal_rows(journal.path) == 2  # the unacknowledged keep theirs
    assert journal.verify().ok
    marker = journal.pending(100)[-1].body
    assert marker["action"] == "retention.purge"
    assert json.loads(marker["detail"])["ranges"] == "3-4"
    for f in data_dir.rglob("journal.db*"):  # the pseudonym's bytes are gone from the files
        assert pseudonym not in f.read_bytes(), f
    assert journal.purge().rows == 0


def test_unacknowledged_data_goes_after_the_unsent_limit(
    open_journal: JournalFactory, scan: ScanFactory, clock: FakeClock, people: list[Person]
) -> None:
    journal = open_journal(retention_days=30, unsent_retention_days=90)
    journal.record_scan(scan(text=people[0].text, clock=clock))
    clock.advance(89 * DAY)
    assert journal.tick() is not None and _personal_rows(journal.path) == 1
    clock.advance(2 * DAY)
    report = journal.tick()
    assert report is not None and report.rows == 1
    assert _personal_rows(journal.path) == 0 and journal.verify().ok
    clock.advance(60)
    assert journal.tick() is None  # the next run waits for purge_interval_s


def _rechain(conn: sqlite3.Connection, from_seq: int) -> None:
    """What an attacker with the file can do: recompute every hash from a row on."""
    prev = conn.execute("SELECT row_hash FROM events WHERE seq = ?", (from_seq - 1,)).fetchone()[0]
    for row in conn.execute(
        f"SELECT seq, {', '.join(CHAINED)} FROM events WHERE seq >= ? ORDER BY seq", (from_seq,)
    ).fetchall():
        fields = dict(zip(CHAINED, row[1:], strict=True))
        digest = row_hash(prev, fields)
        conn.execute(
            "UPDATE events SET prev_hash = ?, row_hash = ? WHERE seq = ?", (prev, digest, row[0])
        )
        prev = digest


def test_a_forged_marker_is_named_even_in_a_rewritten_chain(
    open_journal: JournalFactory, scan: ScanFactory, clock: FakeClock, people: list[Person]
) -> None:
    journal = open_journal(unsent_retention_days=1)
    journal.record_scan(scan(text=people[0].text, clock=clock))
    journal.record_scan(scan(text=people[1].text, clock=clock))
    clock.advance(2 * DAY)
    journal.purge()
    journal.close()
    with closing(sqlite3.connect(journal.path, isolation_level=None)) as conn:
        conn.execute("DROP TRIGGER events_append_only")
        seq, detail = conn.execute(
            "SELECT seq, detail FROM events WHERE action = 'retention.purge'"
        ).fetchone()
        forged = json.loads(detail)
        forged["ranges"] = "1-4"  # claim more than was signed for
        forged["rows"] = 4
        conn.execute("UPDATE events SET detail = ? WHERE seq = ?", (json.dumps(forged), seq))
        _rechain(conn, seq)
        report = verify(conn)
    # The marker does not verify, so the rows it blanked are unexplained too.
    assert [(f.seq, f.problem) for f in report.findings] == [
        (3, Problem.BLANK_UNEXPLAINED),
        (seq, Problem.BAD_MARKER),
    ]


def test_purge_command(
    open_journal: JournalFactory, scan: ScanFactory, people: list[Person], data_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    journal = open_journal()
    journal.record_scan(scan(text=people[0].text))
    journal.acknowledge([i.event_id for i in journal.pending(100)])
    journal.close()
    config = data_dir / "kiosk.toml"
    config.write_text("[journal]\nretention_days = 0\n")
    where = ["--data-dir", str(data_dir), "--config", str(config)]
    assert main(["journal", "purge", "--dry-run", *where]) == 0
    assert "would blank the personal data of 1 rows" in capsys.readouterr().out
    assert _personal_rows(journal.path) == 1
    assert main(["journal", "purge", *where]) == 0
    out = capsys.readouterr().out
    assert "blanked the personal data of 1 rows" in out and "1 signed purge marker" in out
    assert _personal_rows(journal.path) == 0
    assert main(["journal", "verify", "--data-dir", str(data_dir)]) == 0


def test_scans_commit_between_the_batches_of_a_long_purge(
    open_journal: JournalFactory, scan: ScanFactory, clock: FakeClock, people: list[Person],
    portal_key: object,
) -> None:  # fmt: skip
    """The lock is held per batch: a scan during a first purge of a backlog is not held up."""
    import threading
    import time

    journal = open_journal(retention_days=30, unsent_retention_days=1)
    for i in range(400):
        journal.record_scan(scan(text=people[i % len(people)].text, clock=clock))
        clock.advance(1)
    clock.advance(2 * DAY)
    purged: list[object] = []
    purging = threading.Thread(target=lambda: purged.append(journal.purge(batch=5)))
    purging.start()
    with closing(sqlite3.connect(journal.path)) as reader:  # WAL: reads beside the writer
        deadline = time.monotonic() + 30
        while not reader.execute(
            "SELECT 1 FROM events WHERE action = 'retention.purge'"
        ).fetchone():
            assert time.monotonic() < deadline, "the purge never wrote a marker"
            time.sleep(0.001)
    during = journal.record_scan(scan(text=people[0].text, clock=clock))
    purging.join(60)
    assert during is not None and purged and purged[0].rows >= 400  # type: ignore[attr-defined]
    with closing(sqlite3.connect(journal.path)) as reader:
        (scan_seq,) = reader.execute(
            "SELECT seq FROM events WHERE event_id = ?", (during.event_id,)
        ).fetchone()
        (last_marker,) = reader.execute(
            "SELECT max(seq) FROM events WHERE action = 'retention.purge'"
        ).fetchone()
    assert scan_seq < last_marker  # it went in between batches, not after the whole purge
    assert journal.verify().ok  # and the chain, markers included, still holds
