"""A journal writer to be SIGKILLed: records scans as fast as it can, and writes each event id
to stdout only after record_scan returned (the row is committed). Every 50 rows it also takes
the outbox's pending rows, acknowledges them, and reports those ids once acknowledge returned.

    python -m tests.journal.crash_child DATA_DIR
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from pathlib import Path

from kiosk.core.demo_data import load_demo
from kiosk.core.events import ScanEvent
from kiosk.core.journal import Journal, JournalSettings, load_keys
from kiosk.core.journal.journal import journal_path
from verifier import check


def main(data_dir: Path) -> None:
    demo = load_demo()
    trust = demo.trust_state()
    verdicts = [check(c.text, trust, demo.checked_at) for c in demo.codes[:3]]
    settings = JournalSettings()
    journal = Journal(
        journal_path(data_dir), load_keys(data_dir), settings, kiosk_id="crash", mode="gate"
    )
    os.write(1, b"ready\n")
    n = 0
    while True:
        digest = hashlib.blake2b(f"{os.getpid()}:{n}".encode()).digest()
        scan = ScanEvent(
            verdicts[n % 3], "crash", "file", time.time(), time.monotonic(), 1.0, digest
        )
        recorded = journal.record_scan(scan)
        assert recorded is not None
        os.write(1, f"C {recorded.event_id}\n".encode())  # one write: atomic on a pipe
        n += 1
        if n % 50 == 0:
            ids = [item.event_id for item in journal.pending(40)]
            journal.acknowledge(ids)
            os.write(1, ("A " + " ".join(ids) + "\n").encode())


if __name__ == "__main__":
    main(Path(sys.argv[1]))
