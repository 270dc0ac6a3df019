"""The screen as a program (`python -m kiosk.ui`): it runs, and SIGTERM stops it cleanly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def test_the_screen_runs_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    data = tmp_path / "data"
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk.ui", "--data-dir", str(data), "--source", "demo"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        journal = data / "journal" / "journal.db"
        deadline = time.monotonic() + 30
        while not journal.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(3)  # the demo shows its first codes
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    export = subprocess.run(
        [sys.executable, "-m", "kiosk.cli.main", "--data-dir", str(data), "journal",
         "export", "--from", "2000-01-01", "--to", "2100-01-01", "--format", "jsonl"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    rows = [json.loads(line) for line in export.stdout.splitlines() if line.startswith("{")]
    actions = [r["action"] for r in rows if r["kind"] == "system"]
    assert "app.start" in actions and actions[-1] == "app.stop"
    assert any(r["kind"] == "scan" and r["verdict"] == "accept" for r in rows)
