"""`kiosk journal stats` and `export`: counts for a day, and exports without personal data."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import threading
import time
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.cli.main import main
from kiosk.core.journal import Action
from kiosk.core.journal.records import Context, EventIds, system_row
from kiosk.core.journal.stats import DayStats
from kiosk.core.journal.writer import append

from .conftest import FakeClock, JournalFactory, Person, ScanFactory


@pytest.fixture
def busy_day(
    open_journal: JournalFactory,
    scan: ScanFactory,
    clock: FakeClock,
    people: list[Person],
    portal_key: object,
) -> Path:
    journal = open_journal()
    for name in ["valid", "expired", "revoked", "idcard", "url"]:
        journal.record_scan(scan(name, clock=clock))
    clock.advance(3600)  # 16:00 local
    for p in people:
        journal.record_scan(scan(text=p.text, clock=clock))
    journal.set_direction("exit")
    journal.record_scan(scan(text=people[0].text, clock=clock))
    clock.advance(86_400)  # tomorrow
    journal.record_scan(scan("valid", clock=clock))
    journal.close()
    return journal.path


def test_stats_for_a_day(
    busy_day: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["journal", "stats", "--day", "2026-11-26", "--json", "--data-dir", str(data_dir)])
        == 0
    )
    stats = json.loads(capsys.readouterr().out)
    assert stats["date"] == "2026-11-26"
    assert stats["verdict"] == {"accept": 6, "reject": 3, "unverified": 1}
    assert stats["reason"] == {"expired": 1, "not_a_credential": 1, "revoked": 1}
    assert stats["direction"] == {"entry": 5, "exit": 1}
    assert stats["hour"][15] == 5 and stats["hour"][16] == 5
    assert stats["action"]["gate.direction"] == 1
    assert main(["journal", "stats", "--day", "2026-11-27", "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert "2026-11-27:" in out and "verdict: accept 1" in out


def test_stats_in_process_matches(busy_day: Path, open_journal: JournalFactory) -> None:
    stats: DayStats = open_journal().stats()
    assert stats.date == "2026-11-27"  # the clock is on the next day now


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_export_has_no_personal_data(
    busy_day: Path,
    data_dir: Path,
    people: list[Person],
    fmt: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["journal", "export", "--from", "2026-11-26", "--to", "2026-11-26", "--format", fmt]
    assert main([*args, "--data-dir", str(data_dir)]) == 0
    captured = capsys.readouterr()
    if fmt == "csv":
        records = list(csv.DictReader(io.StringIO(captured.out)))
    else:
        records = [json.loads(line) for line in captured.out.splitlines()]
    assert len(records) == 13 and "exported 13 rows" in captured.err
    assert {r["kind"] for r in records} == {"system", "scan"}
    for banned in ("sealed", "pseudonym", "rev_hash", "personal_hash"):
        assert banned not in records[0]
    for p in people:
        assert p.id_number not in captured.out and p.name not in captured.out


def test_large_export_shows_progress(
    tmp_path: Path,
    open_journal: JournalFactory,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    journal = open_journal()
    journal.close()
    ids, ctx = EventIds(), Context("test-gate", "gate")
    base = 1_795_680_000_000
    rows = [
        system_row(
            ctx=ctx,
            event_id=ids.new(base + i),
            ts_ms=base + i,
            offset=420,
            mono_us=i,
            action=Action.CAMERA_LOST,
            detail={"n": i},
            operator=None,
        )
        for i in range(6000)
    ]
    with closing(sqlite3.connect(journal.path, isolation_level=None)) as conn:
        append(conn, rows)
    out = tmp_path / "export.jsonl"
    args = ["journal", "export", "--from", "2026-11-26", "--to", "2026-11-27", "--format", "jsonl"]
    assert main([*args, "--output", str(out), "--data-dir", str(data_dir)]) == 0
    err = capsys.readouterr().err
    assert "6,002/6,002 events" in err and "exported 6,002 rows" in err
    assert len(out.read_text().splitlines()) == 6002


def test_commands_without_a_journal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["journal", "verify", "--data-dir", str(tmp_path)]) == 2
    assert "no journal at" in capsys.readouterr().err
    assert not (tmp_path / "journal").exists()


def test_journal_export_in_process_matches_the_command(
    busy_day: Path, open_journal: JournalFactory, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the kiosk's screen exports (Journal.export) is what `kiosk journal export` writes."""
    start, end = "2026-11-26T00:00:00+07:00", "2026-11-27T00:00:00+07:00"
    args = ["journal", "export", "--from", start, "--to", end, "--format", "jsonl"]
    assert main([*args, "--data-dir", str(data_dir)]) == 0
    from_cli = capsys.readouterr().out
    out = io.StringIO()
    journal = open_journal()
    start_ms, end_ms = (int(datetime.fromisoformat(t).timestamp() * 1000) for t in (start, end))
    written = journal.export(start_ms, end_ms, out, "jsonl")
    assert written == len(from_cli.splitlines()) > 0
    assert out.getvalue() == from_cli
    with pytest.raises(ValueError, match="format"):
        journal.export(start_ms, end_ms, io.StringIO(), "xml")


class FullStick(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError(28, "No space left on device")


def test_a_full_export_target_is_not_a_journal_fault(
    busy_day: Path, open_journal: JournalFactory
) -> None:
    journal = open_journal()
    with pytest.raises(OSError, match="No space"):
        journal.export(0, 2**62, FullStick(), "csv")
    assert journal.storage.ok  # the kiosk stays in service; only the export failed


def test_an_export_in_progress_does_not_hold_up_scans(
    open_journal: JournalFactory, scan: ScanFactory, clock: FakeClock
) -> None:
    """A slow export target (a USB stick) must not stall the writer: while the export waits
    on its output, a scan still commits; the export shows the snapshot it started from."""
    journal = open_journal()
    for _ in range(5):
        journal.record_scan(scan("valid", clock=clock))
        clock.advance(60)
    started, release = threading.Event(), threading.Event()

    class SlowStick(io.StringIO):
        def write(self, text: str) -> int:
            started.set()
            release.wait(10)
            return super().write(text)

    out = SlowStick()
    result: list[int] = []
    exporter = threading.Thread(
        target=lambda: result.append(journal.export(0, 2**62, out, "jsonl"))
    )
    exporter.start()
    assert started.wait(10)
    t0 = time.monotonic()
    assert journal.record_system(Action.APP_STOP, {}) is not None
    assert time.monotonic() - t0 < 1.0
    release.set()
    exporter.join(10)
    assert result and "app.stop" not in out.getvalue()


@pytest.mark.parametrize("limit", [1, 3, 10_000])
def test_the_newest_rows_are_the_tail_of_the_export(
    busy_day: Path, open_journal: JournalFactory, limit: int
) -> None:
    """What the recent lists read (Journal.newest) is the end of the day's export, oldest first,
    with or without a kind, though only those rows are read."""
    start, end = "2026-11-26T00:00:00+07:00", "2026-11-27T00:00:00+07:00"
    start_ms, end_ms = (int(datetime.fromisoformat(t).timestamp() * 1000) for t in (start, end))
    journal = open_journal()
    out = io.StringIO()
    journal.export(start_ms, end_ms, out, "jsonl")
    day = [json.loads(line) for line in out.getvalue().splitlines()]
    scans = [r for r in day if r["kind"] == "scan"]
    assert len(scans) > 3 and len(day) > len(scans)  # the day has other rows between scans
    assert journal.newest(start_ms, end_ms, limit) == day[-limit:]
    assert journal.newest(start_ms, end_ms, limit, kind="scan") == scans[-limit:]
    assert journal.newest(end_ms, end_ms + 1, limit) == []
