"""Site bus benchmarks on a real Mosquitto on loopback (docs/site.md).

    python -m bench.site_bench            # latency; 50 lanes x 2 passages/s x 60 s; a 10-minute
                                          # partition with 2,000 passages on each side
    python -m bench.site_bench --quick    # 10 lanes x 10 s; a 30 s partition, 200 a side

Every lane is the production code: its own data dir, journal (the outbox), site state and paho
client, enrolled through the reference portal's store. The lanes share this process (threads),
so "lane CPU" is this process's CPU time, divided by the passages; the broker's is read from
/proc. The credentials' verification is not what is measured: each passage is a journaled scan
of an accepted verdict whose subject is a new person (anti-passback never refuses one).

1. Latency: lane A journals a passage, lane B merges it; received minus journaled, both on
   this machine's clock. 2. Fleet: N lanes admit at a rate, then every lane must hold the same
   set (same digest), the same occupancy, each passage once (none lost, none duplicated).
3. Partition: lane B behind a relay that is cut; both sides admit; the relay heals; the time
   until both hold the same set is the convergence time.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

from devportal.broker import Broker, Partition
from devportal.site_rig import Lane, Site, wait_for
from kiosk.core.demo_data import load_demo
from verifier import Verdict, check

TICKS = os.sysconf("SC_CLK_TCK")


def _person_verdicts() -> tuple[Verdict, int]:
    demo = load_demo()
    valid = next(c for c in demo.codes if c.name == "valid")
    return check(valid.text, demo.trust_state(), demo.checked_at), 0


class People:
    """A new person per passage (a replaced subject on one accepted verdict)."""

    def __init__(self) -> None:
        self.base, _ = _person_verdicts()
        self._n = 0
        self._lock = threading.Lock()

    def next(self) -> Verdict:
        with self._lock:
            self._n += 1
            n = self._n
        assert self.base.subject is not None
        return replace(self.base, subject=replace(self.base.subject, id_number=f"{n:012d}"))


def _broker_cpu_s(broker: Broker) -> float:
    pid = broker._process.pid if broker._process else None
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def _own_cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _open_lanes(site: Site, n: int, url: str | None = None, **settings: object) -> list[Lane]:
    names = [f"lane-{i:02d}" for i in range(n)]
    for name in names:
        site.enrol(name)
    for name in names:
        site.sync_roster(site.root / name)
    lanes = [site.open(name, "entry", url=url, **settings) for name in names]
    wait_for(lambda: all(lane.site.bus.online for lane in lanes), timeout=60)
    return lanes


def latency(root: Path, broker: Broker, people: People, count: int) -> None:
    site = Site(root / "latency", broker)
    try:
        a, b = _open_lanes(site, 2)
        for _ in range(count):
            a.admit(people.next())
            time.sleep(0.05)
        wait_for(lambda: b.site.state.digest(0)[0] == count, timeout=60)
        rows = b.site.state._conn.execute(
            "SELECT received_ms - ts_ms FROM passages WHERE lane = ?", (a.identity.device_id,)
        ).fetchall()
        lags = sorted(r[0] for r in rows)
        p50 = statistics.median(lags)
        p95 = lags[int(0.95 * (len(lags) - 1))]
        print(f"cross-lane latency ({count} passages, journaled at A to merged at B):"
              f" p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {lags[-1]:.0f} ms")  # fmt: skip
    finally:
        site.close_all()


def fleet(
    root: Path, broker: Broker, people: People, lanes_n: int, rate: float, secs: float
) -> None:
    site = Site(root / "fleet", broker)
    try:
        lanes = _open_lanes(site, lanes_n)
        duplicates = [0]
        for lane in lanes:  # count the deliveries the merge absorbed (already held)
            original = lane.site.state.merge

            def counting(p, now_ms, *, published=False, _m=original):  # type: ignore[no-untyped-def]
                merged = _m(p, now_ms, published=published)
                if not merged.new:
                    duplicates[0] += 1
                return merged

            lane.site.state.merge = counting  # type: ignore[method-assign]
        cpu0, broker0 = _own_cpu_s(), _broker_cpu_s(broker)
        stop = time.monotonic() + secs
        admitted = [0] * lanes_n

        def run(i: int) -> None:
            due = time.monotonic() + i / (lanes_n * rate)  # spread the lanes over the interval
            while due < stop:
                time.sleep(max(0.0, due - time.monotonic()))
                lanes[i].admit(people.next())
                admitted[i] += 1
                due += 1 / rate

        threads = [threading.Thread(target=run, args=(i,)) for i in range(lanes_n)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        total = sum(admitted)
        admitting_s = time.monotonic() - started
        wait_for(lambda: all(lane.site.state.digest(0)[0] >= total for lane in lanes), timeout=300)
        settle_s = time.monotonic() - started - admitting_s
        cpu, broker_cpu = _own_cpu_s() - cpu0, _broker_cpu_s(broker) - broker0
        digests = {lane.site.state.digest(0) for lane in lanes}
        occupancy = {lane.site.occupancy() for lane in lanes}
        held = {lane.site.state.digest(0)[0] for lane in lanes}
        print(
            f"fleet: {lanes_n} lanes x {rate:g} passages/s x {secs:g} s = {total} passages"
            f" admitted in {admitting_s:.1f} s; every lane held all {settle_s:.1f} s later"
        )
        print(
            f"  lanes agreeing: {'all' if len(digests) == 1 else len(digests)} digests;"
            f" occupancy everywhere {sorted(occupancy)}; passages held {sorted(held)}"
        )
        counts = [lane.site.state.digest(0)[0] for lane in lanes]
        lost = sum(max(0, total - c) for c in counts)
        print(
            f"  lost: {lost}; duplicated in a state: {sum(max(0, c - total) for c in counts)};"
            f" duplicate deliveries absorbed by the merge: {duplicates[0]}"
        )
        print(f"  CPU: lanes {1000 * cpu / total:.2f} ms per passage admitted"
              f" ({1e6 * cpu / (total * lanes_n):.0f} µs per passage merged at a lane);"
              f" broker {1000 * broker_cpu / total:.3f} ms per passage"
              f" ({lanes_n} deliveries each)")  # fmt: skip
    finally:
        site.close_all()


def partition(root: Path, broker: Broker, people: People, per_side: int, secs: float) -> None:
    site = Site(root / "partition", broker)
    relay = Partition(broker.port)
    try:
        site.enrol("lane-a")
        site.enrol("lane-b")
        for name in ("lane-a", "lane-b"):
            site.sync_roster(site.root / name)
        a = site.open("lane-a", "entry")
        b = site.open("lane-b", "entry", url=relay.url)
        wait_for(lambda: a.site.bus.online and b.site.bus.online)
        relay.cut()
        wait_for(lambda: not b.site.bus.online)
        interval = secs / per_side
        start = time.monotonic()
        for i in range(per_side):
            time.sleep(max(0.0, start + i * interval - time.monotonic()))
            a.admit(people.next())
            b.admit(people.next())
        parted_s = time.monotonic() - start
        wait_for(lambda: a.site.state.digest(0)[0] == b.site.state.digest(0)[0] == per_side)
        relay.heal()
        healed = time.monotonic()
        wait_for(lambda: a.site.state.digest(0) == b.site.state.digest(0)
                 and a.site.state.digest(0)[0] == 2 * per_side, timeout=600)  # fmt: skip
        converged = time.monotonic() - healed
        print(f"partition: {parted_s:.0f} s apart, {per_side} passages on each side; after the"
              f" heal both held all {2 * per_side} in {converged:.2f} s"
              f" (reconnect backoff included: at most 5 s)")  # fmt: skip
    finally:
        relay.close()
        site.close_all()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true")
    p.add_argument("--lanes", type=int)
    p.add_argument("--seconds", type=float)
    p.add_argument("--rate", type=float, default=2.0)
    p.add_argument("--partition-s", type=float)
    p.add_argument("--per-side", type=int)
    args = p.parse_args()
    lanes_n = args.lanes or (10 if args.quick else 50)
    secs = args.seconds or (10 if args.quick else 60)
    part_s = args.partition_s or (30 if args.quick else 600)
    per_side = args.per_side or (200 if args.quick else 2000)
    people = People()
    print(f"site bench on {os.cpu_count()} cores (numbers are noisy when others share them)")
    with tempfile.TemporaryDirectory(prefix="site-bench-") as tmp:
        root = Path(tmp)
        with Broker(root / "broker") as broker:
            latency(root, broker, people, 100 if args.quick else 300)
            fleet(root, broker, people, lanes_n, args.rate, secs)
            partition(root, broker, people, per_side, part_s)


if __name__ == "__main__":
    main()
