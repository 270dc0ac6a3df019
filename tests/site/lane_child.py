"""A lane in a process of its own, for the kill -9 tests: `python -m tests.site.lane_child
ROOT NAME URL MODE [TEXT]`. MODE journal-only: journal one admitted scan with no site lane
running, then SIGKILL itself (journaled, never merged); unacked: run the lane with the broker
down, journal one, wait until it is merged as unpublished, then SIGKILL itself; run: run the
lane until killed."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from devportal.site_rig import Site, scan_of


class _NoBroker:
    def __init__(self, url: str) -> None:
        self.url = url


def main() -> None:
    root, name, url, mode = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    site = Site.__new__(Site)
    site.root, site.broker, site.lanes = root, _NoBroker(url), []  # type: ignore[assignment]
    from devportal.store import PortalStore

    site.portal = PortalStore(root / "portal")
    if mode == "journal-only":
        lane = site.open(name, start=False)
        lane.journal.record_scan(scan_of(sys.argv[5]))
        os.kill(os.getpid(), signal.SIGKILL)
    lane = site.open(name)
    if mode == "unacked":
        recorded = lane.admit(sys.argv[5])
        while lane.site.state.get(recorded.event_id) is None:
            time.sleep(0.01)
        os.kill(os.getpid(), signal.SIGKILL)
    print("running", flush=True)
    while True:
        time.sleep(1)


if __name__ == "__main__":
    main()
