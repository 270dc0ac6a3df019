"""`kiosk sync`: one sync round now, printing what moved (a progress bar for a long backlog)."""

from __future__ import annotations

import argparse
import sys
import time
from typing import TextIO

from kiosk.cli.common import (
    EXIT_NOT_ACCEPTED,
    EXIT_OK,
    UsageError,
    global_options,
    load_kiosk_config,
)
from kiosk.core.journal.errors import StorageUnavailable
from kiosk.core.sync.journal_rows import record_round
from kiosk.core.sync.setup import build_runner, open_outbox
from portal_sync.errors import NotEnrolled, SyncError
from verifier import TrustStoreError

NAME = "sync"
HELP = "run one sync round with the portal: lists in, events out, heartbeat"
PROGRESS_FROM = 2000  # show a bar when at least this many events wait


class ProgressBar:
    """A one-line bar on stderr, redrawn at most ten times a second."""

    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self._last = 0.0
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self._last < 0.1 and done < total:
            return
        self._last = now
        total = max(total, done, 1)
        filled = self.width * done // total
        bar = "#" * filled + "-" * (self.width - filled)
        print(f"\r[{bar}] {done:,}/{total:,} events", end="", file=self.stream, flush=True)
        self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            print(file=self.stream)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--max-batches", type=int, metavar="N", help="send at most N batches")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    opts = global_options(args)
    config = load_kiosk_config(opts.config, opts.data_dir)
    try:
        journal = open_outbox(config, opts.data_dir)
    except StorageUnavailable as e:
        raise UsageError(f"cannot open the journal: {e}") from None
    with journal:
        try:
            runner = build_runner(config, opts.data_dir, journal)
        except NotEnrolled as e:
            raise UsageError(str(e)) from None
        except (TrustStoreError, SyncError) as e:
            raise UsageError(f"cannot start syncing: {e}") from None
        backlog = journal.backlog()
        bar = ProgressBar() if backlog >= PROGRESS_FROM and not args.quiet else None
        with runner.client:
            # A technician asked for this round: it does not wait for the loop's backoff.
            report = runner.run_round(max_batches=args.max_batches, progress=bar)
        if bar is not None:
            bar.finish()
        record_round(report, journal.record_system)
    report.next_round_in_s = None  # one round on demand: nothing here waits to retry
    print(report.summary())
    for notice in report.notices:
        print(f"notice: {notice.kind}: {dict(notice.detail)}")
    return EXIT_OK if report.ok else EXIT_NOT_ACCEPTED
