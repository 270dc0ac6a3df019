"""The sync loop: a thread that runs a sync round on a timer, and sooner when poked.

Scanning never waits for it: `poke()` only sets an event. A round that fails sets a backoff
(persisted by the runner); while backing off, pokes wait for it too, so a busy gate does not
hammer a portal that asked for quiet. `stop()` ends the loop at once: the round in progress is
aborted, the request in flight too (its socket is shut), so a kiosk stops promptly even while
the portal is unreachable.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # the sync client (and requests) load when the runner is built
    from portal_sync.sync_round import RoundReport

log = logging.getLogger(__name__)

AFTER_CRASH_S = 60.0  # a round that raised (a bug, a broken journal) is retried after this


class Runner(Protocol):
    def wait_s(self) -> float: ...

    def run_round(self, *, stop: threading.Event | None = None) -> RoundReport: ...

    def abort(self) -> None:
        """Called from another thread: end the round in progress now."""


class SyncLoop:
    def __init__(
        self,
        runner: Runner,
        interval_s: float,
        *,
        on_report: Callable[[RoundReport], None] | None = None,
        close: Callable[[], None] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.runner = runner
        self.interval_s = interval_s
        self.on_report = on_report
        self._close = close  # run in the loop's thread after the last round (the HTTP session)
        self._monotonic = monotonic
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.rounds = 0
        self.last_report: RoundReport | None = None

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the sync loop is already running")
        self._thread = threading.Thread(target=self._run, name="sync-loop", daemon=True)
        self._thread.start()

    def poke(self) -> None:
        """New events are waiting: run a round soon. Never blocks."""
        self._wake.set()

    def stop(self, timeout: float = 60.0) -> bool:
        """Ask the loop to end and wait for it; False if it is still in a request."""
        self._stop.set()
        self._wake.set()
        if self._thread is None:
            return True
        try:
            self.runner.abort()
        except Exception:
            log.exception("aborting the sync round failed")
        self._thread.join(timeout)
        stopped = not self._thread.is_alive()
        if stopped:
            self._thread = None
        return stopped

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        try:
            next_round = self._monotonic()  # a first round at start
            while not self._stop.is_set():
                backoff = self._backoff()
                wait = backoff if backoff > 0 else next_round - self._monotonic()
                if wait > 0:
                    self._wake.wait(wait)
                    poked = self._wake.is_set()
                    self._wake.clear()
                    if self._stop.is_set():
                        break
                    if backoff > 0:  # pokes do not cut a backoff short: look again
                        continue
                    if not poked and self._monotonic() < next_round:
                        continue
                next_round = self._monotonic() + self.interval_s
                self._round()
        finally:
            if self._close is not None:
                try:
                    self._close()
                except Exception:
                    log.exception("closing the sync client failed")

    def _backoff(self) -> float:
        try:
            return max(0.0, self.runner.wait_s())
        except Exception:
            log.exception("the sync runner cannot tell its backoff")
            return AFTER_CRASH_S

    def _round(self) -> None:
        try:
            report = self.runner.run_round(stop=self._stop)
        except Exception:
            # A bug or a broken journal must not end syncing for good, nor the kiosk.
            log.exception("sync round failed")
            self._stop.wait(AFTER_CRASH_S)  # not cut short by pokes: a crash loop must not spin
            return
        self.rounds += 1
        self.last_report = report
        if self.on_report is not None:
            try:
                self.on_report(report)
            except Exception:
                log.exception("the sync report handler failed")
