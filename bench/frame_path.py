"""The path of one frame: the project's files it passes through, per thread, in first-call order.

    python -m bench.frame_path [--root DIR]

A headless demo kiosk (no portal, no screen) is started; once it has settled, the next frame is
followed from the source's thread to the verdict delivered to a listener, by a profiler that
notes each project file entered (tests and the venv left out; the status ticker is not on the
path). `--root` measures another checkout of the repository (e.g. an older commit extracted
with `git archive`), run with this venv. The screen's own files (a Qt signal to the window)
come after the listener and are not counted here.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import FrameType
from typing import Any


def follow_one_frame(root: str) -> dict[str, list[str]]:
    from kiosk.core.config import load_config
    from kiosk.core.runtime import Runtime
    from kiosk.core.runtime_messages import ShownScan

    try:
        from kiosk.core.technician.pin import MIN_COST
    except ImportError:  # a checkout from before the core was grouped by job
        from kiosk.core.technician import MIN_COST

    seen: dict[str, dict[str, None]] = {}
    armed, done = threading.Event(), threading.Event()

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        if event != "call" or not armed.is_set() or done.is_set():
            return
        name = frame.f_code.co_filename
        if not name.startswith(root):
            return
        rel = name[len(root) :]
        if rel.startswith((".venv", "tests/", "bench/")):
            return
        seen.setdefault(threading.current_thread().name, {}).setdefault(rel.removesuffix(".py"))

    def listener(message: object) -> None:
        if isinstance(message, ShownScan):
            done.set()

    with tempfile.TemporaryDirectory() as data:
        rt = Runtime(
            load_config(overrides={}), Path(data), demo=True, pin_cost=MIN_COST, sync=False
        )
        rt.add_listener(listener)
        threading.setprofile(profile)
        sys.setprofile(profile)
        try:
            rt.start()
            time.sleep(1.0)  # start-up done; the next frame is the one followed
            done.clear()
            armed.set()
            if not done.wait(30):
                raise SystemExit("no verdict within 30 s")
        finally:
            sys.setprofile(None)
            threading.setprofile(None)
            rt.close()
    seen.pop("kiosk status", None)
    return {thread: list(files) for thread, files in seen.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=os.getcwd(), help="the checkout to measure")
    args = parser.parse_args()
    root = os.path.abspath(args.root) + os.sep
    sys.path.insert(0, root)
    os.chdir(root)
    path = follow_one_frame(root)
    files: set[str] = set()
    for thread, names in path.items():
        files |= set(names)
        print(f"[{thread}] {len(names)} files: " + " → ".join(names))
    print(f"one frame: {len(files)} distinct files, {len(path)} threads (before the screen)")


if __name__ == "__main__":
    main()
