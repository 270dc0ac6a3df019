"""`kiosk run`: the kiosk. With a screen by default; `--headless` for a gate without one.

Headless, the same runtime as the screen runs (journal first, then the gate action and sync) and
each recorded scan is printed as one JSON line. It stops by itself after --max-events or
--duration, when a file source has shown everything, or on Ctrl-C or SIGTERM, and talks to
systemd (READY, WATCHDOG from its loop, STOPPING). A source that cannot be opened, or fails
while running, is a clear error (status 2).
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kiosk.cli.common import EXIT_OK, UsageError, global_options, load_kiosk_config
from kiosk.cli.verify_cmd import load_trust
from kiosk.core.recorder import StorageDown
from kiosk.core.runtime import Runtime
from kiosk.core.runtime_messages import RuntimeMessage, ShownScan
from kiosk.core.sd_notify import Notifier
from kiosk.core.sources import SourceError, SourceState
from verifier import TrustState, anchor_from_hex

NAME = "run"
HELP = "run the kiosk: scan from a camera, a scanner, files or the demo"
_POLL_S = 0.05
log = logging.getLogger(__name__)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--headless", action="store_true", help="no screen: one JSON line per event")
    p.add_argument(
        "--source",
        metavar="SPEC",
        help="camera:INDEX|PATH, image:FILE, images:DIR, video:FILE, serial:PORT or demo "
        "(default: the scan.source setting)",
    )
    p.add_argument("--max-events", type=int, metavar="N", help="stop after N events")
    p.add_argument("--duration", type=float, metavar="SECONDS", help="stop after this long")
    p.add_argument("--anchor", metavar="HEX", help="trust anchor public key (64 hex characters)")
    p.add_argument("--trust-list", type=Path, metavar="FILE", help="signed trust list (.cose)")
    p.add_argument(
        "--revocations", type=Path, metavar="FILE", help="signed revocation list (.cose)"
    )


@contextmanager
def _stop_on_sigterm(stop: threading.Event) -> Iterator[None]:
    """SIGTERM (systemd stopping the gate) ends the run cleanly, like Ctrl-C."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class _Printer:
    """The listener: one JSON line per recorded scan (at most `limit`)."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.count = 0
        self.enough = threading.Event()
        self._lock = threading.Lock()

    def __call__(self, message: RuntimeMessage) -> None:
        # Out of service and back: the runtime's log says so once, with a summary meanwhile.
        if not isinstance(message, ShownScan):
            return
        line = {
            **message.event.public_json(),
            "event_id": message.recording.event_id,
            "outcome": message.recording.outcome,
            "direction": message.direction,
        }
        with self._lock:
            if self.enough.is_set():
                return
            print(json.dumps(line, ensure_ascii=False), flush=True)
            self.count += 1
            if self.limit is not None and self.count >= self.limit:
                self.enough.set()


def _wait(
    runtime: Runtime,
    printer: _Printer,
    stop: threading.Event,
    duration: float | None,
    notifier: Notifier,
) -> None:
    deadline = None if duration is None else time.monotonic() + duration
    source, pipeline = runtime.source, runtime.pipeline
    assert source is not None and pipeline is not None  # start() made both or raised
    while not (printer.enough.is_set() or stop.is_set()):
        notifier.watchdog()
        if deadline is not None and time.monotonic() >= deadline:
            return
        if source.finished:
            # Whatever it delivered last is still checked before the run ends.
            while not pipeline.wait_idle(_POLL_S):
                if printer.enough.is_set() or stop.is_set():
                    return
            if source.error is not None:
                raise UsageError(str(source.error))
            return
        stop.wait(_POLL_S)


def _fixed_trust(
    args: argparse.Namespace, data_dir: Path
) -> tuple[TrustState | None, bytes | None]:
    """--anchor/--trust-list/--revocations: a trust state of their own, never synced."""
    if not (args.anchor or args.trust_list or args.revocations):
        return None, None
    trust = load_trust(args, data_dir)
    return trust, anchor_from_hex(args.anchor) if args.anchor else None


def _run_headless(args: argparse.Namespace) -> int:
    if args.max_events is not None and args.max_events < 1:
        raise UsageError("--max-events must be 1 or more")
    if args.duration is not None and not args.duration > 0:
        raise UsageError("--duration must be more than 0 seconds")
    opts = global_options(args)
    config = load_kiosk_config(opts.config, opts.data_dir)
    trust, anchor = _fixed_trust(args, opts.data_dir)
    try:
        runtime = Runtime(config, opts.data_dir, source=args.source, trust=trust, anchor=anchor)
    except SourceError as e:
        raise UsageError(str(e)) from None
    if runtime.choice.demo_reason == "no_camera":
        # A gate never falls back to demo codes by itself: that would admit demo credentials.
        raise UsageError(f"no camera at {config.scan.source}; use --source demo for the demo")
    if runtime.choice.demo:
        print("kiosk run: DEMO: the built-in demo codes, not a camera", file=sys.stderr)
    printer = _Printer(args.max_events)
    runtime.add_listener(printer)
    notifier = Notifier()
    stop = threading.Event()
    # Before anything starts: without a trust store no scan may be taken, printed or journaled.
    runtime.open_trust()
    if runtime.trust_problem:
        raise UsageError(runtime.trust_problem)
    # SIGTERM is caught from before the start: a gate stopped while starting stops cleanly.
    with _stop_on_sigterm(stop):
        try:
            try:
                runtime.start()
            except StorageDown as e:  # out of service before the first scan: say why, once
                raise UsageError(f"out of service: cannot open the journal: {e}") from None
            source = runtime.status().source
            if source.state is SourceState.FAILED:
                raise UsageError(source.error or f"{source.source}: cannot be opened")
            notifier.ready(f"scanning {runtime.choice.spec}")
            _wait(runtime, printer, stop, args.duration, notifier)
        finally:
            notifier.stopping()
            runtime.close()
    return EXIT_OK


def _run_screen(args: argparse.Namespace) -> int:
    for flag in ("anchor", "trust_list", "revocations", "max_events"):
        if getattr(args, flag):
            raise UsageError(f"--{flag.replace('_', '-')} needs --headless")
    from kiosk.ui.app import run as run_screen  # Qt only when there is a screen

    if args.duration is not None and not args.duration > 0:
        raise UsageError("--duration must be more than 0 seconds")
    opts = global_options(args)
    return run_screen(opts.config, opts.data_dir, args.source, demo=False, duration=args.duration)


def run(args: argparse.Namespace) -> int:
    return _run_headless(args) if args.headless else _run_screen(args)
