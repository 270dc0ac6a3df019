"""Sync benchmarks against the reference portal on loopback.

    python -m bench.sync_bench            # 100,000-event backlog drain + 200-kiosk fleet
    python -m bench.sync_bench --quick    # 10,000 events + 50 kiosks, for a smoke run

The portal runs as its own process (`python -m devportal serve`), as it would in the demo;
this process plays the kiosk(s), each with its real journal as the outbox. Drain: one kiosk
with a week's backlog of scans in its journal, sent with the production code path
(SyncRunner.run_round); its peak RSS is this process's. Fleet: N kiosks (threads), each
enrolled, running rounds of: journal a few scans, fetch both lists (ETag → 304), upload a
batch, heartbeat. Reports events/s ingested, upload latency percentiles, and checks the portal
holds every journal's events exactly once.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import requests

from devportal.store import PortalStore
from kiosk.core.config import load_config
from kiosk.core.demo_data import load_demo
from kiosk.core.events import ScanEvent
from kiosk.core.journal import Journal
from portal_sync.client import PortalClient, Timeouts
from portal_sync.enrolment import DeviceIdentity, request_enrolment
from portal_sync.sync_round import SyncRunner
from verifier import Verdict, check
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
        lines = [self.proc.stdout.readline() for _ in range(4)]
        self.url = lines[0].split()[3]
        self.code = next(line for line in lines if line.startswith("Enrolment code:")).split()[2]

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


def demo_verdicts() -> list[Verdict]:
    """Real verdicts of the demo codes: accepted, expired, revoked, forged, ID card, URL."""
    bundle = load_demo()
    trust = bundle.trust_state()
    return [check(code.text, trust, bundle.checked_at) for code in bundle.codes]


class Scans:
    """Journals scans of the demo codes, each a new presentation, at a given pace."""

    def __init__(self, journal: Journal, name: str, verdicts: list[Verdict]) -> None:
        self.journal = journal
        self.name = name
        self.verdicts = verdicts
        self.made = 0

    def record(self, count: int, *, start: float | None = None, every_s: float = 0.0) -> None:
        for _ in range(count):
            n = self.made
            self.made += 1
            wall = time.time() if start is None else start + n * every_s
            scan = ScanEvent(
                self.verdicts[n % len(self.verdicts)],
                "bench",
                "file",
                wall,
                time.monotonic(),
                2.5,
                hashlib.blake2b(f"{self.name}:{n}".encode()).digest(),
            )
            if self.journal.record_scan(scan) is None:
                raise AssertionError("a new presentation was taken for a repeat")


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
    batch_size: int,
    client_cls: type[PortalClient] = PortalClient,
) -> tuple[SyncRunner, Journal]:
    """Enrol a kiosk in `folder`, then open its journal there (sealing to the portal's key)."""
    client = client_cls(portal.url, timeouts=TIMEOUTS)
    identity = request_enrolment(client, portal.code).commit(folder, folder / "trust")
    journal = Journal.open(folder, load_config(None), announce=False)
    runner = SyncRunner(
        client, identity, TrustStore.open(folder / "trust"), journal, folder, batch_size=batch_size
    )
    return runner, journal


def journal_ids(journal: Journal) -> set[str]:
    """Every event id in the journal, read from its file (the bench only reads it)."""
    uri = f"{journal.path.as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as db:
        return {r[0] for r in db.execute("SELECT event_id FROM events")}


def portal_ids(portal: Portal, identity: DeviceIdentity) -> list[str]:
    store = PortalStore(portal.data)
    try:
        return [e for _, e in store.event_ids(identity.device_id)]
    finally:
        store.close()


def exactly_once(portal: Portal, runner: SyncRunner, journal: Journal) -> bool:
    """The portal holds each of this journal's events once, and nothing else from the kiosk."""
    on_portal = portal_ids(portal, runner.identity)
    return len(on_portal) == len(set(on_portal)) and set(on_portal) == journal_ids(journal)


def drain(work: Path, events: int, batch_size: int) -> dict[str, Any]:
    portal = Portal(work / "drain-portal", threads=4)
    try:
        runner, journal = enrol(portal, work / "drain-kiosk", batch_size)
        # A week's backlog: one scan every few seconds, each committed as the kiosk would.
        filling = time.perf_counter()
        week_s = 7 * 86_400
        Scans(journal, "drain", demo_verdicts()).record(
            events, start=time.time() - week_s, every_s=week_s / events
        )
        fill_s = time.perf_counter() - filling
        backlog = journal.backlog()  # the scans and the journal's own first row
        rss_before = rss_mb()
        cpu_before = portal.cpu_s()
        started = time.perf_counter()
        report = runner.run_round()
        elapsed = time.perf_counter() - started
        portal_cpu = portal.cpu_s() - cpu_before
        runner.client.close()
        stored, dups = portal.counts()
        left = journal.backlog()
        once = exactly_once(portal, runner, journal)
        result = {
            "events": backlog,
            "batch_size": batch_size,
            "fill_s": round(fill_s, 1),
            "seconds": round(elapsed, 2),
            "events_per_s": round(backlog / elapsed),
            "batches": report.upload.batches if report.upload else 0,
            "portal_stored": stored,
            "duplicates": dups,
            "outbox_left": left,
            "kiosk_peak_rss_mb": round(rss_mb(), 1),
            "portal_cpu_s": round(portal_cpu, 2),
            "rss_before_mb": round(rss_before, 1),
            "ok": report.ok and stored == backlog and left == 0 and once,
        }
        journal.close()
        return result
    finally:
        portal.close()


def fleet(work: Path, kiosks: int, rounds: int, per_round: int) -> dict[str, Any]:
    portal = Portal(work / "fleet-portal", threads=8)
    try:
        verdicts = demo_verdicts()
        runners, journals = [], []
        for n in range(kiosks):
            runner, journal = enrol(portal, work / f"fleet-{n:04d}", 500, TimedClient)
            runner.client.latencies = []  # type: ignore[attr-defined]
            runners.append(runner)
            journals.append(journal)
        own_rows = sum(j.backlog() for j in journals)  # each journal's first row
        failures: list[str] = []
        # Each round: every kiosk journals its scans, then all sync together. Only the sync
        # phases are timed, so the rates are the portal's, not the kiosks' disk writes.
        phases: list[float] = []
        recorded = threading.Barrier(kiosks, action=lambda: phases.append(-time.perf_counter()))
        synced = threading.Barrier(kiosks, action=lambda: phases.append(time.perf_counter()))

        def kiosk(runner: SyncRunner, scans: Scans) -> None:
            try:
                for _ in range(rounds):
                    scans.record(per_round)
                    recorded.wait()
                    report = runner.run_round()
                    if not report.ok:
                        failures.append(str(report.errors[0]))
                    synced.wait()
            except BaseException:
                recorded.abort()
                synced.abort()
                raise

        threads = [
            threading.Thread(target=kiosk, args=(r, Scans(j, f"k{n:04d}", verdicts)))
            for n, (r, j) in enumerate(zip(runners, journals, strict=True))
        ]
        cpu_before = portal.cpu_s()
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=600)
        total = time.perf_counter() - started
        elapsed = sum(phases)
        portal_cpu = portal.cpu_s() - cpu_before
        for r in runners:
            r.client.close()
        leftover = sum(j.backlog() for j in journals)
        latencies = sorted(x for r in runners for x in r.client.latencies)  # type: ignore[attr-defined]
        stored, dups = portal.counts()
        expected = kiosks * rounds * per_round + own_rows
        once = all(exactly_once(portal, r, j) for r, j in zip(runners, journals, strict=True))
        for j in journals:
            j.close()
        return {
            "kiosks": kiosks,
            "rounds": rounds,
            "events_per_round": per_round,
            "seconds": round(elapsed, 2),
            "total_seconds": round(total, 2),
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
            "exactly_once": once,
            "ok": stored == expected and leftover == 0 and once and len(phases) == 2 * rounds,
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
            f"drain: {d['events']:,} events (journalled in {d['fill_s']} s) in {d['seconds']} s"
            f" ({d['events_per_s']:,}/s, "
            f"{d['batches']} batches of {d['batch_size']}), kiosk peak RSS "
            f"{d['kiosk_peak_rss_mb']} MB, portal CPU {d['portal_cpu_s']} s,"
            f" portal holds {d['portal_stored']:,}, "
            f"outbox left {d['outbox_left']}: {'OK' if d['ok'] else 'FAILED'}",
            flush=True,
        )
        f = fleet(work, kiosks, rounds, args.per_round)
        print(
            f"fleet: {f['kiosks']} kiosks x {f['rounds']} rounds: {f['portal_stored']:,}/"
            f"{f['events_expected']:,} events in {f['seconds']} s of syncing ({f['total_seconds']}"
            f" s with journalling; {f['events_per_s']:,} events/s,"
            f" ~{f['requests_per_s']} requests/s), upload p50 {f['upload_p50_ms']} ms, p95 "
            f"{f['upload_p95_ms']} ms, max {f['upload_max_ms']} ms, failed rounds "
            f"{f['failed_rounds']}, outbox left {f['outbox_left']}, portal CPU "
            f"{f['portal_cpu_s']} s ({f['portal_cpu_ms_per_request']} ms/request), each event "
            f"once: {f['exactly_once']}: "
            f"{'OK' if f['ok'] else 'FAILED'}",
            flush=True,
        )
        if args.json:
            print(json.dumps({"drain": d, "fleet": f}, indent=1))
    return 0 if d["ok"] and f["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
