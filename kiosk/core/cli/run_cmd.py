"""`kiosk run`: scan from a source and act on each event. `--headless` prints them as JSON lines.

The screen (GUI) comes later; a gate without a screen, and the tests, use --headless. It stops by
itself after --max-events or --duration, when a file source has shown everything, or on Ctrl-C or
SIGTERM. A source that cannot be opened, or fails while running, is a clear error (status 2).
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kiosk.core.cli.common import EXIT_OK, EXIT_USAGE, UsageError, global_options
from kiosk.core.cli.verify_cmd import load_trust
from kiosk.core.config import Config, ConfigError, load_config
from kiosk.core.decoder import Decoder
from kiosk.core.demo_data import load_demo
from kiosk.core.events import ScanEvent
from kiosk.core.paths import trust_dir
from kiosk.core.pipeline import Pipeline, ScanSettings, policy_from_config
from kiosk.core.sources import Source, SourceError, SourceSpec, make_source, parse_spec
from verifier import TrustState, TrustStore, TrustStoreError, anchor_from_hex

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


def choose_trust(
    args: argparse.Namespace, spec: SourceSpec, config: Config, data_dir: Path
) -> Callable[[], TrustState]:
    """Where verdicts get their trust state: the options given, the demo's, or the kiosk's
    trust store (read at every check, so lists installed while running take effect at once)."""
    if args.anchor or args.trust_list or args.revocations:
        fixed = load_trust(args, data_dir)
        return lambda: fixed
    if spec.kind == "demo":
        demo = load_demo().trust_state()
        return lambda: demo
    try:
        anchor = anchor_from_hex(config["trust.anchor"]) if config["trust.anchor"] else None
        store = TrustStore.open(trust_dir(data_dir), anchor)
    except ValueError as e:
        raise UsageError(f"trust.anchor: {e}") from None
    except TrustStoreError as e:
        raise UsageError(str(e)) from None
    for problem in store.load_problems:
        log.warning("trust store: %s", problem)
    return lambda: store.state


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
    """The sink: one JSON line per event, at most `limit` of them."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.count = 0
        self.enough = threading.Event()
        self._lock = threading.Lock()

    def __call__(self, event: ScanEvent) -> None:
        with self._lock:
            if self.enough.is_set():
                return
            print(json.dumps(event.public_json(), ensure_ascii=False), flush=True)
            self.count += 1
            if self.limit is not None and self.count >= self.limit:
                self.enough.set()


def _wait(
    source: Source,
    pipeline: Pipeline,
    printer: _Printer,
    stop: threading.Event,
    duration: float | None,
) -> None:
    deadline = None if duration is None else time.monotonic() + duration
    while not (printer.enough.is_set() or stop.is_set()):
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


def run(args: argparse.Namespace) -> int:
    if not args.headless:
        print(
            "kiosk run: the screen (GUI) arrives in a later version; use --headless for now",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.max_events is not None and args.max_events < 1:
        raise UsageError("--max-events must be 1 or more")
    if args.duration is not None and not args.duration > 0:
        raise UsageError("--duration must be more than 0 seconds")
    opts = global_options(args)
    try:
        config = load_config(opts.config)
    except ConfigError as e:
        raise UsageError(str(e)) from None
    try:
        spec = parse_spec(args.source or config["scan.source"])
    except SourceError as e:
        raise UsageError(str(e)) from None
    trust = choose_trust(args, spec, config, opts.data_dir)
    if spec.kind == "demo":
        print(
            "kiosk run: DEMO: built-in demo codes and demo trust list; no real check",
            file=sys.stderr,
        )
    printer = _Printer(args.max_events)
    pipeline = Pipeline(
        decoder=Decoder(),
        trust=trust,
        on_event=printer,
        settings=ScanSettings.from_config(config),
        policy=policy_from_config(config),
    )
    stop = threading.Event()
    try:
        source = make_source(spec, config)
    except SourceError as e:
        raise UsageError(str(e)) from None
    pipeline.start()
    try:
        with _stop_on_sigterm(stop):
            try:
                source.start(pipeline.submit)
            except SourceError as e:
                raise UsageError(str(e)) from None
            _wait(source, pipeline, printer, stop, args.duration)
    finally:
        source.close()
        pipeline.close()
    return EXIT_OK
