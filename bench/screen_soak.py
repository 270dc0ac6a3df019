"""The real window for a shift: the demo codes under Xvfb for N minutes, memory sampled.

Starts its own Xvfb (a free display), runs `python -m kiosk.ui --demo --windowed` in a fresh
data directory with `--duration`, samples the window process's resident memory every
`--sample-s` seconds, and prints the first and last ten minutes (or fifths, for short runs).
Exit status 1 when the window died before its time or did not close cleanly.

    python -m bench.screen_soak --minutes 60
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class SoakResult:
    minutes: float
    exit_status: int | None
    alive_to_the_end: bool
    samples: int
    rss_first_mb: float  # median over the first window
    rss_last_mb: float  # median over the last window
    rss_peak_mb: float
    window_minutes: float
    rss_by_5_min_mb: tuple[float, ...]  # the median of each 5 minutes: growth, or a plateau
    scans_journaled: int
    stderr_tail: str

    @property
    def ok(self) -> bool:
        return self.alive_to_the_end and self.exit_status == 0


def _rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    if shutil.which("Xvfb") is None:
        raise SystemExit("screen soak: Xvfb is not installed (make system installs it)")
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(write)
    with os.fdopen(read) as f:
        number = f.readline().strip()
    if not number:
        xvfb.kill()
        raise SystemExit("screen soak: Xvfb did not start")
    return xvfb, f":{number}"


def _scans(data_dir: Path) -> int:
    out = subprocess.run(
        [sys.executable, "-m", "kiosk", "--data-dir", str(data_dir), "journal", "export",
         "--from", "2000-01-01", "--to", "2100-01-01", "--format", "jsonl"],
        capture_output=True, text=True,
    )  # fmt: skip
    if out.returncode != 0:
        return -1
    return sum(1 for line in out.stdout.splitlines() if json.loads(line).get("kind") == "scan")


def _medians_by(samples: list[tuple[float, float]], span_s: float) -> tuple[float, ...]:
    buckets: dict[int, list[float]] = {}
    for t, rss in samples:
        buckets.setdefault(int(t // span_s), []).append(rss)
    return tuple(round(statistics.median(buckets[k]), 1) for k in sorted(buckets))


def soak(minutes: float, sample_s: float) -> SoakResult:
    xvfb, display = _start_xvfb()
    data_dir = Path(tempfile.mkdtemp(prefix="kiosk-soak-"))
    env = {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "KIOSK_DATA_DIR": str(data_dir),
        "XDG_CONFIG_HOME": str(data_dir / "config"),
    }
    seconds = minutes * 60
    try:
        window = subprocess.Popen(
            [sys.executable, "-m", "kiosk.ui", "--demo", "--windowed", "--data-dir",
             str(data_dir), "--duration", str(seconds)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        began = time.monotonic()
        samples: list[tuple[float, float]] = []
        while window.poll() is None and time.monotonic() - began < seconds + 60:
            rss = _rss_mb(window.pid)
            if rss is not None:
                samples.append((time.monotonic() - began, rss))
            time.sleep(sample_s)
        lived = time.monotonic() - began
        if window.poll() is None:
            window.send_signal(signal.SIGTERM)
        try:
            window.wait(30)
        except subprocess.TimeoutExpired:
            window.kill()
            window.wait()
        stderr = window.stderr.read() if window.stderr else ""
    finally:
        xvfb.kill()
        xvfb.wait()
    span = min(600.0, seconds / 5)
    first = [r for t, r in samples if t <= span] or [0.0]
    last = [r for t, r in samples if t >= lived - span] or [0.0]
    result = SoakResult(
        minutes=minutes,
        exit_status=window.returncode,
        alive_to_the_end=lived >= seconds - 1,
        samples=len(samples),
        rss_first_mb=round(statistics.median(first), 1),
        rss_last_mb=round(statistics.median(last), 1),
        rss_peak_mb=round(max(r for _, r in samples) if samples else 0.0, 1),
        window_minutes=round(span / 60, 1),
        rss_by_5_min_mb=_medians_by(samples, 300.0),
        scans_journaled=_scans(data_dir),
        stderr_tail="\n".join(stderr.splitlines()[-5:]),
    )
    shutil.rmtree(data_dir, ignore_errors=True)
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.screen_soak", description=__doc__)
    p.add_argument("--minutes", type=float, default=60.0)
    p.add_argument("--sample-s", type=float, default=10.0)
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    r = soak(args.minutes, args.sample_s)
    if args.json:
        print(json.dumps({**asdict(r), "ok": r.ok}))
    else:
        print(f"window on the demo codes for {r.minutes:g} min under Xvfb")
        print(f"  alive to the end: {r.alive_to_the_end}, exit status {r.exit_status}")
        print(f"  scans journaled: {r.scans_journaled}")
        print(f"  RSS median, first {r.window_minutes:g} min: {r.rss_first_mb} MB; "
              f"last {r.window_minutes:g} min: {r.rss_last_mb} MB; peak {r.rss_peak_mb} MB "
              f"({r.samples} samples)")  # fmt: skip
        print(f"  RSS median of each 5 min, MB: {', '.join(map(str, r.rss_by_5_min_mb))}")
        if not r.ok:
            print(f"  stderr: {r.stderr_tail}")
    return 0 if r.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
