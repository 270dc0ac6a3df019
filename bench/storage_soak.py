"""Storage soak: a headless kiosk on a 4 MB filesystem, filled and freed while it scans.

`kiosk run --headless` (a real process) reads distinct credentials from a serial scanner (a
pty) at a steady rate, its data dir on a tmpfs of its own. Each cycle fills the filesystem to
the last byte, waits until the kiosk says it is out of service, keeps scanning a while, frees
the space and times how long until the next scan is journaled and printed. Afterwards: every
printed event must be in the journal, the journal's footprint (file + log + index) is compared
with its data, and the out-of-service lines are counted.

    sudo .venv/bin/python -m bench.storage_soak [--cycles 10] [--rate 40] [--size 4m]

Needs root (mount -t tmpfs -o size=...). Figures are noisy on a shared machine.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pty
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from devportal import issuer
from devportal.demo import ISS, ISSUED, VALID_UNTIL
from kiosk.core.demo_data import DEMO_DIR, load_demo

JOURNAL = Path("journal") / "journal.db"


@dataclass
class Cycle:
    out_after_s: float | None  # from filling to the kiosk saying it is out of service
    back_after_s: float | None  # from freeing to the next journaled scan
    footprint_bytes: int
    data_bytes: int


@dataclass
class SoakReport:
    cycles: list[Cycle] = field(default_factory=list)
    printed: int = 0
    missing: list[str] = field(default_factory=list)  # printed but not in the journal
    journal_rows: int = 0
    footprint_bytes: int = 0
    data_bytes: int = 0
    out_of_service_lines: int = 0
    stderr_lines: int = 0
    exit_status: int | None = None
    stderr: list[str] = field(default_factory=list)

    @property
    def worst_back_s(self) -> float | None:
        backs = [c.back_after_s for c in self.cycles]
        return None if None in backs else max(b for b in backs if b is not None)

    @property
    def footprint_ratio(self) -> float:
        return self.footprint_bytes / max(self.data_bytes, 1)


def credentials(count: int, seed: str = "storage-soak") -> list[str]:
    """Distinct valid credentials signed by the demo issuer (the demo trust list knows it)."""
    signer = issuer.signing_key("demo:issuer")
    out = []
    for i in range(count):
        citizen = issuer.Citizen(f"0480{i:08d}", f"Soak {i}", "1990-01-01", "F")
        cti = hashlib.sha256(f"{seed}:{i}".encode()).digest()[:16]
        out.append(issuer.mint_credential(signer, citizen, iss=ISS, iat=ISSUED,
                                          exp=VALID_UNTIL, cti=cti))  # fmt: skip
    return out


@contextmanager
def tmpfs(size: str) -> Iterator[Path]:
    where = Path(tempfile.mkdtemp(prefix="storage-soak-"))
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True, text=True)  # fmt: skip
    if done.returncode != 0:
        where.rmdir()
        raise PermissionError(f"cannot mount a tmpfs (root needed): {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=True)
        where.rmdir()


def fill(where: Path) -> Path:
    filler = where / "filler"
    block = bytes(64 * 1024)
    with filler.open("wb", buffering=0) as f:
        for size in (64 * 1024, 4096, 512):  # to the last block
            try:
                while True:
                    f.write(block[:size])
            except OSError:
                continue
    return filler


def sizes(data_dir: Path) -> tuple[int, int]:
    """(the journal file's bytes, its footprint with log and index)."""
    path = data_dir / JOURNAL
    parts = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
    data = path.stat().st_size if path.exists() else 0
    return data, sum(p.stat().st_size for p in parts if p.exists())


class Lines:
    """A process's output, line by line, each with the monotonic time it arrived."""

    def __init__(self, stream: object) -> None:
        self.lines: list[tuple[float, str]] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            with self._lock:
                self.lines.append((time.monotonic(), line.rstrip("\n")))

    def since(self, t: float) -> list[str]:
        with self._lock:
            return [line for at, line in self.lines if at >= t]

    def wait(self, t: float, want: str, timeout: float) -> float | None:
        """Monotonic time of the first line after `t` containing `want` (within `timeout`)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                for at, line in self.lines:
                    if at >= t and want in line:
                        return at
            time.sleep(0.005)
        return None

    def join(self) -> None:
        self._thread.join(10)


def soak(cycles: int = 10, rate: float = 40.0, size: str = "4m", hold_s: float = 1.0) -> SoakReport:
    demo = load_demo()
    texts = credentials(int((cycles * (hold_s + 4) + 10) * rate))
    report = SoakReport()
    with tmpfs(size) as card:
        data_dir = card / "data"
        master, slave = pty.openpty()
        kiosk = subprocess.Popen(
            [sys.executable, "-m", "kiosk.cli.main", "--data-dir", str(data_dir), "run",
             "--headless", "--source", f"serial:{os.ttyname(slave)}",
             "--anchor", demo.anchor.hex(), "--trust-list", str(DEMO_DIR / "trust-list.cose"),
             "--revocations", str(DEMO_DIR / "revocations.cose")],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        out, err = Lines(kiosk.stdout), Lines(kiosk.stderr)
        stop = threading.Event()

        def scanner() -> None:
            for text in texts:
                if stop.wait(1 / rate):
                    return
                os.write(master, text.encode() + b"\r")

        typist = threading.Thread(target=scanner, daemon=True)
        try:
            if out.wait(0, "", 0) is None:
                time.sleep(1.5)  # the kiosk opens its journal and the port
            typist.start()
            if out.wait(0, '"event_id"', 20) is None:
                raise RuntimeError("the kiosk printed no event: " + " | ".join(err.since(0)))
            for _ in range(cycles):
                time.sleep(0.5)
                filled = time.monotonic()
                filler = fill(card)
                out_at = err.wait(filled, "out of service", 15)
                time.sleep(hold_s)
                freed = time.monotonic()
                filler.unlink()
                back_at = out.wait(freed, '"event_id"', 10)
                time.sleep(0.3)
                data, footprint = sizes(data_dir)
                report.cycles.append(Cycle(
                    None if out_at is None else out_at - filled,
                    None if back_at is None else back_at - freed,
                    footprint, data,
                ))  # fmt: skip
            time.sleep(0.5)
        finally:
            stop.set()
            if typist.is_alive():
                typist.join(5)
            kiosk.send_signal(signal.SIGTERM)
            try:
                report.exit_status = kiosk.wait(30)
            except subprocess.TimeoutExpired:
                kiosk.kill()
                report.exit_status = kiosk.wait()
            out.join()
            err.join()
            for stream in (kiosk.stdout, kiosk.stderr):
                if stream is not None:
                    stream.close()
            os.close(master)
            os.close(slave)
        printed = [json.loads(line)["event_id"] for line in out.since(0) if line.startswith("{")]
        with closing(sqlite3.connect(f"file:{data_dir / JOURNAL}?mode=ro", uri=True)) as conn:
            kept = {r[0] for r in conn.execute("SELECT event_id FROM events")}
        report.printed = len(printed)
        report.journal_rows = len(kept)
        report.missing = [e for e in printed if e not in kept]
        report.data_bytes, report.footprint_bytes = sizes(data_dir)
        stderr = err.since(0)
        report.stderr = stderr
        report.stderr_lines = len(stderr)
        report.out_of_service_lines = sum("out of service" in line for line in stderr)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=10)
    parser.add_argument("--rate", type=float, default=40.0, help="scans per second")
    parser.add_argument("--size", default="4m", help="the filesystem's size (tmpfs size=)")
    args = parser.parse_args(argv)
    try:
        report = soak(args.cycles, args.rate, args.size)
    except PermissionError as e:
        print(f"storage soak: {e}", file=sys.stderr)
        return 2
    for i, c in enumerate(report.cycles, 1):
        out = f"{c.out_after_s:.2f} s" if c.out_after_s is not None else "never"
        back = f"{c.back_after_s * 1000:.0f} ms" if c.back_after_s is not None else "never"
        kb = f"{c.footprint_bytes / 1024:.0f} KB for {c.data_bytes / 1024:.0f} KB"
        print(f"cycle {i:2}: out of service {out} after filling, back {back} after freeing; "
              f"footprint {kb}")  # fmt: skip
    print(
        f"printed {report.printed} events; journal {report.journal_rows} rows; "
        f"{len(report.missing)} printed events missing from the journal"
    )
    print(f"footprint {report.footprint_bytes / 1024:.0f} KB for {report.data_bytes / 1024:.0f} KB "
          f"of data ({report.footprint_ratio:.2f}x)")  # fmt: skip
    worst = report.worst_back_s
    print(f"worst return to service: {worst * 1000:.0f} ms" if worst is not None
          else "worst return to service: never (a cycle did not recover)")  # fmt: skip
    print(
        f"stderr: {report.stderr_lines} lines, {report.out_of_service_lines} "
        f"'out of service' lines for {len(report.cycles)} outages; exit {report.exit_status}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
