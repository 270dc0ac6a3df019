"""Start-to-ready time of the kiosk window: from launching the program to its systemd READY.

    python -m bench.startup_bench [--app dist/kiosk/kiosk] [--runs 5] [--headless]

The program is started as systemd would (`kiosk run`, offscreen here, on the demo source), with
NOTIFY_SOCKET pointing at a socket of ours; the window sends READY=1 once it is shown and its
runtime (journal, source) has started, so this measures at least "start to window". The first
run after a build is the cold one (files not yet in the page cache). The folder size is printed
for a built app.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def one_start(command: list[str], headless: bool, timeout_s: float) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        address = str(Path(tmp) / "notify")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        listener.bind(address)
        listener.settimeout(timeout_s)
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NOTIFY_SOCKET": address}
        args = [*command, "--data-dir", str(Path(tmp) / "data"), "run", "--source", "demo"]
        args += ["--headless"] if headless else []
        start = time.perf_counter()
        proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            while True:
                message = listener.recv(4096).decode()
                if message.startswith("READY=1"):
                    return time.perf_counter() - start
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            listener.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--app", type=Path, help="a built kiosk program (default: from source)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--headless", action="store_true", help="time `run --headless` instead")
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args()
    command = [str(args.app)] if args.app else [sys.executable, "-m", "kiosk"]
    times = [one_start(command, args.headless, args.timeout) for _ in range(args.runs)]
    label = str(args.app) if args.app else "from source"
    mode = "headless" if args.headless else "window"
    print(
        f"{label} ({mode}): first {times[0]:.2f} s, median {statistics.median(times):.2f} s, "
        f"max {max(times):.2f} s over {len(times)} starts; load {os.getloadavg()[0]:.2f}"
    )
    if args.app:
        print(f"folder {args.app.parent}: {folder_size(args.app.parent) / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
