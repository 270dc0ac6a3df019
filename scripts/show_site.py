"""Print the site's occupancy as each lane holds it, whenever it changes (for `make demo-site`)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from kiosk.core.journal.gate import local_day
from kiosk.core.journal.records import SystemClock
from kiosk.core.site.state import STATE_FILE, SiteState

DAY_MS = 86_400_000


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("lanes", nargs="+", type=Path, help="the lanes' data dirs")
    p.add_argument("--duration", type=float, default=40)
    args = p.parse_args()
    clock = SystemClock()
    last = None
    deadline = time.monotonic() + args.duration
    while time.monotonic() < deadline:
        now = time.time()
        offset = clock.utc_offset_min(now)
        start = local_day(round(now * 1000), offset) * DAY_MS - offset * 60_000
        seen = []
        for lane in args.lanes:
            try:
                state = SiteState(lane / STATE_FILE, 14_400, readonly=True)
            except FileNotFoundError:
                seen.append(None)
                continue
            try:
                seen.append((state.occupancy(start, start + DAY_MS), state.digest(0)[0]))
            finally:
                state.close()
        if seen != last:
            last = seen
            parts = [
                f"{lane.name}: {s[0]} inside ({s[1]} passages)" if s else f"{lane.name}: starting"
                for lane, s in zip(args.lanes, seen, strict=True)
            ]
            print(time.strftime("%H:%M:%S"), " · ".join(parts), flush=True)
        time.sleep(0.2)


if __name__ == "__main__":
    main()
