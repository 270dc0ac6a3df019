"""Journal benchmark: durable events per second, `stats` for a busy day, and the size of a year.

    python -m bench.journal_bench [--sample 150000] [--events 3000]

1. Durable single events: Journal.record_scan one at a time (each its own WAL + synchronous=FULL
   commit, sealed and pseudonymised as in service), against a bare one-row insert baseline.
2. `stats` for one day of a busy gate (5,000 scans) inside a month of such days: median of 20.
3. Size: SAMPLE rows written as the journal writes them (real sealed data, pseudonyms, hashes,
   indexes; 5,000 a day), the file measured after a checkpoint, bytes per row extrapolated
   linearly to 1.8 M rows (a year at 5,000 a day). Rows are appended in 1,000-row transactions
   here only to save time: a row's size does not depend on how it was committed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sqlite3
import statistics
import tempfile
import time
from contextlib import closing
from pathlib import Path

import nacl.public

from devportal import issuer
from devportal.demo import ISS, ISSUED, VALID_UNTIL
from kiosk.core.demo_data import load_demo
from kiosk.core.events import ScanEvent
from kiosk.core.journal import Journal, JournalSettings, load_keys
from kiosk.core.journal.journal import journal_path
from kiosk.core.journal.records import Context, EventIds, Outcome, scan_row
from kiosk.core.journal.stats import day_stats
from kiosk.core.journal.writer import append
from portal_sync.enrolment import seal_key_path
from verifier import Verdict, check

PER_DAY = 5000
YEAR_ROWS = 1_800_000
OFFSET_MIN = 420


class BenchClock:
    def __init__(self, wall: float) -> None:
        self.now = wall

    def wall(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return time.monotonic()

    def utc_offset_min(self, wall: float) -> int:
        return OFFSET_MIN


def _verdicts(count: int) -> list[Verdict]:
    """A busy gate's mix: mostly distinct valid credentials, some rejects and ID cards."""
    demo = load_demo()
    trust = demo.trust_state()
    signer = issuer.signing_key("demo:issuer")
    out = []
    for i in range(count):
        citizen = issuer.Citizen(f"0480{i:08d}", "Nguyễn Thị Minh Khai", "1990-01-01", "F")
        cti = hashlib.sha256(f"bench:{i}".encode()).digest()[:16]
        text = issuer.mint_credential(
            signer, citizen, iss=ISS, iat=ISSUED, exp=VALID_UNTIL, cti=cti
        )
        out.append(check(text, trust, demo.checked_at))
    out += [check(c.text, trust, demo.checked_at) for c in demo.codes]
    return out


def _data_dir(root: Path) -> Path:
    data = root / "data"
    key = seal_key_path(data)
    key.parent.mkdir(parents=True)
    key.write_text(bytes(nacl.public.PrivateKey.generate().public_key).hex())
    return data


def durable_rate(root: Path, verdicts: list[Verdict], events: int) -> tuple[float, float]:
    """Median of three rounds: fsync times on a shared disk vary by tens of percent."""
    rates = [_journal_rate(root / f"rate{i}", verdicts, events) for i in range(3)]
    raws = [_raw_rate(root / f"raw{i}.db", events) for i in range(3)]
    return statistics.median(rates), statistics.median(raws)


def _journal_rate(root: Path, verdicts: list[Verdict], events: int) -> float:
    data = _data_dir(root)
    settings = JournalSettings()
    with Journal(journal_path(data), load_keys(data), settings, kiosk_id="bench", mode="gate") as j:
        start = time.perf_counter()
        for n in range(events):
            v = verdicts[n % len(verdicts)]
            scan = ScanEvent(
                v, "bench", "camera", time.time(), time.monotonic(), 2.0, n.to_bytes(8, "big")
            )
            j.record_scan(scan)
        return events / (time.perf_counter() - start)


def _raw_rate(raw: Path, events: int) -> float:
    with closing(sqlite3.connect(raw, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)")
        start = time.perf_counter()
        for _ in range(events):
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO t (body) VALUES (randomblob(300))")
            conn.execute("COMMIT")
        return events / (time.perf_counter() - start)


def sample(root: Path, verdicts: list[Verdict], rows: int) -> tuple[Path, int, float]:
    """A journal of `rows` scans, 5,000 a day; returns (file, its bytes, local day of the last)."""
    data = _data_dir(root / "size")
    start = 1_795_680_000.0 - rows // PER_DAY * 86_400
    clock = BenchClock(start)
    journal = Journal(
        journal_path(data),
        load_keys(data),
        JournalSettings(),
        kiosk_id="bench",
        mode="gate",
        clock=clock,
    )
    journal.close()
    keys, ids, ctx = load_keys(data), EventIds(), Context("bench-gate-01", "gate")
    path = journal_path(data)
    step = 86_400 / PER_DAY
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA synchronous=OFF")  # sample building only; sizes are the same
        for first in range(0, rows, 1000):
            batch = []
            for n in range(first, min(rows, first + 1000)):
                v = verdicts[n % len(verdicts)]
                wall = start + n * step
                scan = ScanEvent(v, "camera:0", "camera", wall, n * step, 2.0, b"")
                batch.append(
                    scan_row(
                        scan,
                        ctx=ctx,
                        event_id=ids.new(round(wall * 1000)),
                        offset=OFFSET_MIN,
                        direction="entry",
                        outcome=Outcome.ADMITTED if v.accepted else Outcome.REFUSED,
                        flags=(),
                        operator=None,
                        pseudonym=keys.pseudonyms.of(v.subject.id_number) if v.subject else None,
                        rev_hash=keys.pseudonyms.of_credential(v.credential.revocation_hash)
                        if v.credential
                        else None,
                        sealer=keys.sealer,
                    )
                )
            append(conn, batch)
        # Steady state: the portal acknowledged them; the outbox's pages go to the free list,
        # where the next rows reuse them, so they are not counted.
        conn.execute("BEGIN")
        conn.execute("UPDATE events SET acked_at = ts_ms + 60000")
        conn.execute("DELETE FROM outbox")
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages, free, page_size = (
            conn.execute(f"PRAGMA {p}").fetchone()[0]
            for p in ("page_count", "freelist_count", "page_size")
        )
        if os.environ.get("BENCH_TABLES"):
            for name, used in conn.execute(
                "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"
            ):
                print(f"  {name}: {used / rows:.0f} bytes/row")
    return path, (pages - free) * page_size, (start + (rows - 1) * step)


def stats_ms(path: Path, last_wall: float) -> float:
    day = int((last_wall + OFFSET_MIN * 60) // 86_400) - 1  # a full day, not the last partial one
    with closing(sqlite3.connect(path)) as conn:
        times = []
        for _ in range(20):
            t = time.perf_counter()
            stats = day_stats(conn, day, 0, OFFSET_MIN)
            times.append((time.perf_counter() - t) * 1000)
        assert stats.rows == PER_DAY, stats.rows
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=150_000, help="rows for the size sample")
    parser.add_argument("--events", type=int, default=3000, help="durable single events timed")
    args = parser.parse_args()
    verdicts = _verdicts(200)
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        root = Path(tmp)
        rate, raw_rate = durable_rate(root, verdicts, args.events)
        print(
            f"durable single events: {rate:,.0f}/s through Journal.record_scan "
            f"(median of 3 x {args.events:,}; target >= 2,000); "
            f"bare WAL+FULL insert: {raw_rate:,.0f}/s"
        )
        path, size, last = sample(root, verdicts, args.sample)
        print(
            f"stats for one day of {PER_DAY:,} scans in {args.sample:,} rows: "
            f"{stats_ms(path, last):.1f} ms median of 20 (target <= 50 ms)"
        )
        per_row = size / args.sample
        print(
            f"size: {size / 1e6:.1f} MB in use for {args.sample:,} rows = {per_row:.0f} bytes/row; "
            f"a year ({YEAR_ROWS / 1e6:.1f} M rows) ~ {per_row * YEAR_ROWS / 1e9:.2f} GB "
            "(target <= 1 GB; linear, personal data never purged)"
        )


if __name__ == "__main__":
    main()
