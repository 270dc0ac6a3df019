"""Crash safety, really killed: a child process journals as fast as it can and is SIGKILLed at
random moments; after each kill the chain verifies, every event the child saw committed is
there, and nothing it saw acknowledged is pending again."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from kiosk.core.journal.journal import journal_path
from kiosk.core.journal.verify import verify

ROOT = Path(__file__).resolve().parents[2]


def _kill_once(data_dir: Path, rng: random.Random) -> tuple[list[str], list[str]]:
    """Start the child, kill it after a random delay; the ids it reported committed, acked."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.journal.crash_child", str(data_dir)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
    )
    assert child.stdout is not None
    with child.stdout:
        assert child.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0.0, 0.12))
        child.send_signal(signal.SIGKILL)
        child.wait()
        output = child.stdout.read()
    assert child.returncode == -signal.SIGKILL
    committed: list[str] = []
    acked: list[str] = []
    for line in output.split(b"\n"):
        tag, _, rest = line.decode().partition(" ")
        if tag == "C":
            committed.append(rest)
        elif tag == "A":
            acked.extend(rest.split())
    return committed, acked


def _crash_loop(data_dir: Path, kills: int, seed: int) -> None:
    rng = random.Random(seed)
    committed: set[str] = set()
    acked: set[str] = set()
    for round_no in range(kills):
        new_committed, new_acked = _kill_once(data_dir, rng)
        committed.update(new_committed)
        acked.update(new_acked)
        with closing(sqlite3.connect(journal_path(data_dir))) as conn:
            report = verify(conn)
            assert report.ok, f"seed {seed}, kill {round_no}: {report.findings[:3]}"
            present = {r[0] for r in conn.execute("SELECT event_id FROM events")}
            pending = {r[0] for r in conn.execute("SELECT event_id FROM outbox")}
        lost = committed - present
        assert not lost, f"seed {seed}, kill {round_no}: {len(lost)} committed events lost"
        resent = acked & pending
        assert not resent, f"seed {seed}, kill {round_no}: {len(resent)} acknowledged pending"
    assert len(committed) > kills  # the child really wrote between kills


def test_killed_writer_loses_nothing(tmp_path: Path) -> None:
    seed = int(os.environ.get("JOURNAL_CRASH_SEED", "20261126"))
    _crash_loop(tmp_path / "data", kills=20, seed=seed)


@pytest.mark.slow
def test_killed_writer_loses_nothing_long(tmp_path: Path) -> None:
    _crash_loop(tmp_path / "data", kills=200, seed=random.randrange(1 << 30))
