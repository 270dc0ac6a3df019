"""Sync benchmarks against the reference portal on loopback.

    python -m bench.sync_bench            # 100,000-event backlog drain + 200-kiosk fleet
    python -m bench.sync_bench --quick    # 10,000 events + 50 kiosks, for a smoke run

The portal runs as its own process (`python -m devportal serve`), as it would in the demo;
this process plays the kiosk(s). Drain: one kiosk with a week's backlog in an SQLite outbox,
sent with the production code path (SyncRunner.run_round); its peak RSS is this process's.
Fleet: N kiosks (threads), each enrolled, running rounds of: fetch both lists (ETag → 304),
upload a batch, heartbeat. Reports events/s ingested, upload latency percentiles, and checks
the portal holds every event exactly once.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import requests

from devportal.store import PortalStore
from portal_sync.client import PortalClient, Timeouts
from portal_sync.enrolment import request_enrolment
from portal_sync.outbox import Checkpoint, OutboxItem
from portal_sync.sync_round import SyncRunner
from tests.sync.sqlite_outbox import SqliteOutbox
from verifier.trust_store import TrustStore

TIMEOUTS = Timeouts(connect_s=10.0, read_s=60.0)


class Portal:
    """The reference portal in a child process, on a free loopback port."""

    def __init__(self, data: Path, threads: int) -> None:
        self.data = data
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "devportal",
                "serve",
                "--port",
                "0",
                "--data",
                str(data),
                "--seed",
                "bench",
                "--threads",
                str(threads),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        lines = [self.proc.stdout.readline() for _ in range(3)]
        self.url = lines[0].split()[3]
        self.code = lines[1].split()[2]

    def cpu_s(self) -> float:
        """CPU seconds the portal process has used (Linux /proc; 0 elsewhere)."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)
        if self.proc.stdout:
            self.proc.stdout.close()

    def counts(self) -> tuple[int, int]:
        store = PortalStore(self.data)
        try:
            return store.event_count(), store.counter("duplicates_suppressed")
        finally:
            store.close()


class MemoryOutbox:
    """A fleet kiosk's outbox: in memory, so 200 of them cost little; same protocol."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.items: dict[str, OutboxItem] = {}
        self.seq = 0
        self.lock = threading.Lock()

    def add(self, count: int) -> None:
        with self.lock:
            for _ in range(count):
                self.seq += 1
                eid = f"{self.prefix}-{self.seq:08d}"
                self.items[eid] = OutboxItem(
                    eid, {"kind": "scan", "outcome": "accept", "n": self.seq}
                )

    def pending(self, limit: int) -> Sequence[OutboxItem]:
        with self.lock:
            return list(self.items.values())[:limit]

    def acknowledge(self, event_ids: Sequence[str]) -> int:
        with self.lock:
            return sum(self.items.pop(e, None) is not None for e in event_ids)

    def backlog(self) -> int:
        return len(self.items)

    def checkpoint(self) -> Checkpoint:
        return Checkpoint(self.seq, f"{self.seq:064x}")


class TimedClient(PortalClient):
    """Records the latency of each event upload."""

    latencies: list[float]

    def post_signed(self, path: str, body: bytes, **kw: Any) -> requests.Response:
        started = time.perf_counter()
        try:
            return super().post_signed(path, body, **kw)
        finally:
            if path == "/events":
                self.latencies.append(time.perf_counter() - started)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def enrol(
    portal: Portal,
    folder: Path,
    outbox: Any,
    batch_size: int,
    client_cls: type[PortalClient] = PortalClient,
) -> SyncRunner:
    client = client_cls(portal.url, timeouts=TIMEOUTS)
    identity = request_enrolment(client, portal.code).commit(folder, folder / "trust")
    return SyncRunner(
        client, identity, TrustStore.open(folder / "trust"), outbox, folder, batch_size=batch_size
    )


def drain(work: Path, events: int, batch_size: int) -> dict[str, Any]:
    portal = Portal(work / "drain-portal", threads=4)
    try:
        outbox = SqliteOutbox(work / "drain-outbox.db")
        for start in range(0, events, 10_000):
            outbox.add(min(10_000, events - start))
        runner = enrol(portal, work / "drain-kiosk", outbox, batch_size)
        rss_before = rss_mb()
        cpu_before = portal.cpu_s()
        started = time.perf_counter()
        report = runner.run_round()
        elapsed = time.perf_counter() - started
        portal_cpu = portal.cpu_s() - cpu_before
        runner.client.close()
        stored, dups = portal.counts()
        result = {
            "events": events,
            "batch_size": batch_size,
            "seconds": round(elapsed, 2),
            "events_per_s": round(events / elapsed),
            "batches": report.upload.batches if report.upload else 0,
            "portal_stored": stored,
            "duplicates": dups,
            "outbox_left": outbox.backlog(),
            "kiosk_peak_rss_mb": round(rss_mb(), 1),
            "portal_cpu_s": round(portal_cpu, 2),
            "rss_before_mb": round(rss_before, 1),
            "ok": report.ok and stored == events and outbox.backlog() == 0,
        }
        outbox.close()
        return result
    finally:
        portal.close()


def fleet(work: Path, kiosks: int, rounds: int, per_round: int) -> dict[str, Any]:
    portal = Portal(work / "fleet-portal", threads=8)
    try:
        runners, outboxes = [], []
        for n in range(kiosks):
            outbox = MemoryOutbox(f"k{n:04d}")
            runner = enrol(portal, work / f"fleet-{n:04d}", outbox, 500, TimedClient)
            runner.client.latencies = []  # type: ignore[attr-defined]
            runners.append(runner)
            outboxes.append(outbox)
        failures: list[str] = []
        barrier = threading.Barrier(kiosks)

        def kiosk(runner: SyncRunner, outbox: MemoryOutbox) -> None:
            barrier.wait()
            for _ in range(rounds):
                outbox.add(per_round)
                report = runner.run_round()
                if not report.ok:
                    failures.append(str(report.errors[0]))

        threads = [
            threading.Thread(target=kiosk, args=(r, o))
            for r, o in zip(runners, outboxes, strict=True)
        ]
        cpu_before = portal.cpu_s()
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=600)
        elapsed = time.perf_counter() - started
        portal_cpu = portal.cpu_s() - cpu_before
        for r in runners:
            r.client.close()
        # Rounds that failed (a timeout under load) leave events pending: one more pass each.
        leftover = sum(o.backlog() for o in outboxes)
        latencies = sorted(x for r in runners for x in r.client.latencies)  # type: ignore[attr-defined]
        stored, dups = portal.counts()
        expected = kiosks * rounds * per_round
        return {
            "kiosks": kiosks,
            "rounds": rounds,
            "events_per_round": per_round,
            "seconds": round(elapsed, 2),
            "events_expected": expected,
            "portal_stored": stored,
            "events_per_s": round(stored / elapsed),
            "requests_per_s": round(kiosks * rounds * 4 / elapsed),
            "upload_p50_ms": round(statistics.median(latencies) * 1000, 1),
            "upload_p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1),
            "upload_max_ms": round(latencies[-1] * 1000, 1),
            "portal_cpu_s": round(portal_cpu, 2),
            "portal_cpu_ms_per_request": round(portal_cpu * 1000 / (kiosks * rounds * 4), 2),
            "failed_rounds": len(failures),
            "first_failure": failures[0] if failures else None,
            "outbox_left": leftover,
            "duplicates_refused": dups,
            "ok": stored == expected and leftover == 0,
        }
    finally:
        portal.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.sync_bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--events", type=int, help="backlog size (default 100,000)")
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--kiosks", type=int, help="fleet size (default 200)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--per-round", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    events = args.events or (10_000 if args.quick else 100_000)
    kiosks = args.kiosks or (50 if args.quick else 200)
    rounds = 2 if args.quick else args.rounds
    with tempfile.TemporaryDirectory(prefix="sync-bench-") as tmp:
        work = Path(tmp)
        d = drain(work, events, args.batch_size)
        print(
            f"drain: {d['events']:,} events in {d['seconds']} s ({d['events_per_s']:,}/s, "
            f"{d['batches']} batches of {d['batch_size']}), kiosk peak RSS "
            f"{d['kiosk_peak_rss_mb']} MB, portal CPU {d['portal_cpu_s']} s,"
            f" portal holds {d['portal_stored']:,}, "
            f"outbox left {d['outbox_left']}: {'OK' if d['ok'] else 'FAILED'}",
            flush=True,
        )
        f = fleet(work, kiosks, rounds, args.per_round)
        print(
            f"fleet: {f['kiosks']} kiosks x {f['rounds']} rounds: {f['portal_stored']:,}/"
            f"{f['events_expected']:,} events in {f['seconds']} s ({f['events_per_s']:,} events/s,"
            f" ~{f['requests_per_s']} requests/s), upload p50 {f['upload_p50_ms']} ms, p95 "
            f"{f['upload_p95_ms']} ms, max {f['upload_max_ms']} ms, failed rounds "
            f"{f['failed_rounds']}, outbox left {f['outbox_left']}, portal CPU "
            f"{f['portal_cpu_s']} s ({f['portal_cpu_ms_per_request']} ms/request): "
            f"{'OK' if f['ok'] else 'FAILED'}",
            flush=True,
        )
        if args.json:
            print(json.dumps({"drain": d, "fleet": f}, indent=1))
    return 0 if d["ok"] and f["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
