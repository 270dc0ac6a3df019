"""`kiosk selftest`: the technician page's checks, for scripts and watchdogs.

It starts the kiosk's runtime without syncing and without scanning (the camera runs, the journal
and trust store open; nothing seen becomes a scan), waits briefly for the camera, runs every
check and stops. Run it while the kiosk service is stopped:
a camera held by the running kiosk reports as busy.
"""

from __future__ import annotations

import argparse
import json
import time

from kiosk.cli.common import (
    EXIT_NOT_ACCEPTED,
    EXIT_OK,
    UsageError,
    global_options,
    load_kiosk_config,
)
from kiosk.core.journal.errors import StorageFault
from kiosk.core.recorder import StorageDown
from kiosk.core.runtime import Runtime
from kiosk.core.sources import SourceError, SourceState
from kiosk.core.technician.selftest import CheckResult, Level, run_checks

NAME = "selftest"
HELP = "check the camera, decoder, lists, clock, portal, disk and journal; exit 1 on a failure"

# What to do, for a shell; the screen words the same advice ids in Vietnamese and English.
ADVICE = {
    "camera_demo": "demo mode: connect a camera and set scan.source",
    "camera_check_cable": "check the camera cable and scan.source, then restart",
    "reinstall": "reinstall the kiosk software",
    "trust_sync": "connect to the portal to fetch the latest lists (kiosk sync)",
    "portal_enrol": "enrol the kiosk with the portal (kiosk enroll)",
    "portal_network": "check the network and the portal address",
    "clock_set": "set the clock (enable NTP)",
    "disk_free": "free disk space or replace the storage",
    "journal_tampered": "journal altered: report to the portal operator (kiosk journal verify)",
    "journal_lost": "the journal is gone, replaced or damaged: see kiosk journal restart-chain",
}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="one JSON object")
    p.add_argument(
        "--camera-wait", type=float, default=3.0, metavar="SECONDS",
        help="how long to wait for the camera's first frame (default 3)",
    )  # fmt: skip


def _wait_for_camera(runtime: Runtime, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        source = runtime.status().source
        if (
            source.state not in (SourceState.STARTING, SourceState.REOPENING)
            and runtime.latest_frame() is not None
        ):
            return
        if source.state in ("failed", "ended"):
            return
        time.sleep(0.05)


def _without_journal(runtime: Runtime, error: StorageDown) -> list[CheckResult]:
    """The kiosk stopped starting at its journal: that check fails saying why; the camera was
    never opened, so it is not judged; the rest are checked as usual."""
    lost = error.fault in (StorageFault.LOST, StorageFault.CORRUPT)
    journal = CheckResult("journal", Level.FAIL, f"cannot open the journal: {error}"[:300],
                          "journal_lost" if lost else "disk_free")  # fmt: skip
    camera = CheckResult("camera", Level.WARN, "not opened: the journal cannot be opened", "")
    by_check = {"camera": camera, "journal": journal}
    return [by_check.get(r.check, r) for r in run_checks(runtime)]


def run(args: argparse.Namespace) -> int:
    opts = global_options(args)
    config = load_kiosk_config(opts.config, opts.data_dir)
    try:
        # No sync, and no scans: a self-test must leave no admission or gate action behind.
        runtime = Runtime(config, opts.data_dir, sync=False, scan=False)
    except SourceError as e:
        raise UsageError(str(e)) from None
    try:
        try:
            runtime.start()
        except StorageDown as e:
            results = _without_journal(runtime, e)
        else:
            _wait_for_camera(runtime, args.camera_wait)
            results = run_checks(runtime)
    finally:
        runtime.close()
    failed = any(r.level is Level.FAIL for r in results)
    if args.json:
        print(json.dumps({"ok": not failed, "checks": [r.as_json() for r in results]},
                         ensure_ascii=False))  # fmt: skip
    else:
        for r in results:
            advice = f"  → {ADVICE.get(r.advice, r.advice)}" if r.advice else ""
            print(f"{r.level.upper():4}  {r.check:12} {r.detail}{advice}")
    return EXIT_NOT_ACCEPTED if failed else EXIT_OK
