"""F1/F2 work from the start under a bare X server (no window manager, nobody clicks first)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHILD = Path(__file__).with_name("focus_child.py")


@pytest.fixture
def bare_x() -> Iterator[str]:
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.skip("Xvfb is not installed")
    for number in range(140, 160):
        if not Path(f"/tmp/.X11-unix/X{number}").exists():
            break
    display = f":{number}"
    server = subprocess.Popen([xvfb, display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{number}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield display
    finally:
        server.terminate()
        server.wait(10)


def test_f2_works_without_a_first_click(bare_x: str, tmp_path: Path) -> None:
    env = {**os.environ, "DISPLAY": bare_x, "QT_QPA_PLATFORM": "xcb"}
    env.pop("WAYLAND_DISPLAY", None)
    done = subprocess.run([sys.executable, str(CHILD), str(tmp_path)], env=env,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "direction=exit" in done.stdout, done.stderr[-2000:]
