"""The technician's "restart now": the same command line runs again once everything closed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CHILD = Path(__file__).with_name("restart_child.py")


def test_a_restart_runs_the_same_command_line_again() -> None:
    done = subprocess.run([sys.executable, str(CHILD), "--windowed"],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.stdout.splitlines() == ["first run", "second run, argv=['--windowed']"]
    assert done.returncode == 0, done.stderr  # the second run's status, not the first's 3
