"""`make run` without a display (scripts/run_gui_demo.sh): it enrols, syncs and says so, without
telling the user to run a sync it has already done."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parents[2] / "scripts" / "run_gui_demo.sh"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_make_run_enrols_and_syncs_without_advice_to_sync(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(DEMO_DIR=str(tmp_path / "demo"), PORTAL_PORT=str(_free_port()),
               PY=sys.executable)  # fmt: skip
    done = subprocess.run(["bash", str(SCRIPT)], cwd=SCRIPT.parents[1], env=env,
                          capture_output=True, text=True, timeout=180)  # fmt: skip
    out = done.stdout + done.stderr
    assert done.returncode == 0, out[-3000:]
    assert "Enrolled as device" in out and "trust list and revocation list fetched" in out
    assert "kiosk sync" not in out.replace("the kiosk's own sync loop", "")
