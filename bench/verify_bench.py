"""Credentials verified per second from QR text, on one core.

    python -m bench.verify_bench [--seconds 5]

Checks the demo's valid credential (the full chain: prefix, Base45, zlib, COSE, Ed25519, claims,
windows, revocation) again and again, and also a mix of the demo codes; prints the rates.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

from kiosk.core.demo_data import load_demo
from verifier import check


def rate(texts: list[str], seconds: float) -> tuple[float, int]:
    bundle = load_demo()
    trust, now = bundle.trust_state(), bundle.checked_at
    done = 0
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        for text in texts:
            check(text, trust, now)
        done += len(texts)
    return done / (time.perf_counter() - start), done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0, help="time per measurement")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    codes = {c.name: c.text for c in load_demo().codes}
    print(
        f"python {platform.python_version()} on {platform.machine()}, one core, "
        f"{args.seconds:.0f} s per row; load average {os.getloadavg()[0]:.2f}"
    )
    for label, texts in [
        ("valid credential (full chain)", [codes["valid"]]),
        ("demo mix (6 codes)", list(codes.values())),
    ]:
        per_second, n = rate(texts, args.seconds)
        print(f"  {label:32} {per_second:9,.0f} checks/s  ({n:,} checks)")
    print("target: >= 8,000 valid credentials/s")


if __name__ == "__main__":
    main()
