"""`kiosk site status`: the site's roster, each lane's last passage and lag, the broker."""

from __future__ import annotations

import argparse
import threading
import time
import uuid
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from kiosk.cli.common import EXIT_NOT_ACCEPTED, EXIT_OK, global_options, load_kiosk_config
from kiosk.core.journal.gate import local_day
from kiosk.core.journal.records import SystemClock
from kiosk.core.site.bus import BusSettings, BusSettingsError, configure_client
from kiosk.core.site.roster import RosterView
from kiosk.core.site.secret import read_site_secret
from kiosk.core.site.state import STATE_FILE, SiteState
from kiosk.core.trust.anchor import resolve_anchor
from portal_sync.enrolment import DeviceIdentity
from portal_sync.errors import NotEnrolled
from verifier.errors import TrustStoreError

NAME = "site"
HELP = "the site bus: roster, each lane's last passage and lag, the broker (docs/site.md)"
_DAY_MS = 86_400_000


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("what", choices=["status"], help="status: print the site as this lane sees it")
    p.add_argument("--no-probe", action="store_true", help="do not try to reach the broker")


def probe(settings: BusSettings, timeout: float = 3.0) -> str:
    """Connect once with a throwaway client id (never the lane's: that would take over the
    running lane's persistent session) and say what happened."""
    answer: dict[str, str] = {}
    done = threading.Event()

    def connected(_c: Any, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        answer["result"] = "refused: " + str(reason) if reason.is_failure else "reachable"
        done.set()

    c = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"probe-{uuid.uuid4().hex[:12]}")
    c.on_connect = connected
    try:
        configure_client(c, settings)
        c.connect(settings.host, settings.port, 5)
    except (OSError, BusSettingsError) as e:
        return f"unreachable: {e}"
    c.loop_start()
    done.wait(timeout)
    c.disconnect()
    c.loop_stop()
    return answer.get("result", "unreachable: no answer")


def run(args: argparse.Namespace) -> int:
    opts = global_options(args)
    config = load_kiosk_config(opts.config, opts.data_dir)
    ok = True
    try:
        bus = BusSettings.from_config(config)
    except BusSettingsError as e:
        print(f"broker: {e}")
        bus, ok = None, False
    if bus is None and ok:
        print("broker: none configured (site.broker_url): this lane decides alone")
    elif bus is not None:
        state = "not probed" if args.no_probe else probe(bus)
        ok = ok and not state.startswith("unreachable")
        print(f"broker: {bus.url} ({state})")
    try:
        identity = DeviceIdentity.load(opts.data_dir)
    except NotEnrolled as e:
        print(f"lane: not enrolled ({e.code})")
        return EXIT_NOT_ACCEPTED
    secret = read_site_secret(opts.data_dir)
    missing = "" if secret else ", no site secret: enrol with a code bound to the site"
    print(f"lane: {identity.device_id}, site {identity.site or '(none)'}{missing}")
    try:
        roster = RosterView(opts.data_dir, resolve_anchor(config, opts.data_dir)).current()
    except (ValueError, TrustStoreError) as e:
        print(f"roster: no anchor ({e})")
        return EXIT_NOT_ACCEPTED
    try:
        site = SiteState(opts.data_dir / STATE_FILE, config.journal.antipassback_window_s,
                         readonly=True)  # fmt: skip
    except FileNotFoundError:
        site = None
    summaries = {s.lane: s for s in site.lanes()} if site else {}
    now = time.time()
    if roster is None:
        print("roster: none yet (the sync round fetches it from the portal)")
        ok = False
    else:
        print(f"roster: version {roster.version}, {len(roster.lanes)} lanes")
        for lane, key in sorted(roster.lanes.items()):
            s = summaries.get(lane)
            me = " (this lane)" if lane == identity.device_id else ""
            if s is None or s.last_ts_ms is None:
                last = "no passage yet"
            else:
                ago = now - s.last_ts_ms / 1000
                last = f"last passage {ago:.0f} s ago, lag {s.lag_ms} ms, {s.passages} held"
            print(f"  {lane}{me}  key {key.hex()[:16]}  {last}")
        for lane in sorted(set(summaries) - set(roster.lanes)):
            print(f"  {lane}  (no longer on the roster)  {summaries[lane].passages} held")
    if site is not None:
        clock = SystemClock()
        offset = clock.utc_offset_min(now)
        start = local_day(round(now * 1000), offset) * _DAY_MS - offset * 60_000
        unpublished = len(site.unpublished(identity.device_id))
        print(f"people inside (site, today): {site.occupancy(start, start + _DAY_MS)}")
        print(f"conflicts found: {site.conflict_count()}; this lane's passages not yet on the"
              f" broker: {unpublished}")  # fmt: skip
        site.close()
    return EXIT_OK if ok else EXIT_NOT_ACCEPTED
