"""The portal sync as a running kiosk holds it: the loop beside the scans, and its state for the
status line (never a scan's business: a kiosk that cannot reach the portal still checks codes
offline).

The HTTP client (and requests) loads only when a kiosk syncs.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.core.config import Config
from kiosk.core.runtime_messages import SyncState
from kiosk.core.sync.loop import SyncLoop
from portal_sync.errors import NotEnrolled, SyncError
from portal_sync.outbox import Outbox
from verifier import TrustStore, TrustStoreError

if TYPE_CHECKING:
    from portal_sync.sync_round import RoundReport, SyncRunner

log = logging.getLogger(__name__)

_ERROR_CHARS = 300  # the status line's room for why the last round failed


class SyncBesideScans:
    def __init__(self) -> None:
        self.state = SyncState.OFF
        self.error: str | None = None
        self.last_sync: float | None = None  # wall time of the last successful round
        self._loop: SyncLoop | None = None
        self._runner: SyncRunner | None = None

    def start(
        self,
        config: Config,
        data_dir: Path,
        outbox: Outbox,
        *,
        store: TrustStore | None,
        health_extra: Callable[[], Mapping[str, str]],
        on_round: Callable[[RoundReport], None],
    ) -> None:
        """Start the loop; a kiosk that cannot sync says why in its state, and scans on."""
        from kiosk.core.sync.setup import build_runner

        try:
            runner = build_runner(config, data_dir, outbox, store=store, health_extra=health_extra)
        except NotEnrolled:
            self.state = SyncState.NOT_ENROLLED
            return
        except (SyncError, TrustStoreError, OSError, ValueError) as e:
            self.state, self.error = SyncState.ERROR, str(e)
            log.error("portal sync cannot start: %s", e)
            return

        def after_round(report: RoundReport) -> None:
            self._note(report)
            on_round(report)

        self._runner = runner
        self._loop = SyncLoop(runner, config.sync.interval_s, on_report=after_round)
        self.state = SyncState.STARTING
        self._loop.start()

    def _note(self, report: RoundReport) -> None:
        if report.ok:
            self.state, self.error, self.last_sync = SyncState.OK, None, time.time()
        else:
            self.state = SyncState.FAILING
            self.error = "; ".join(str(e) for e in report.errors)[:_ERROR_CHARS]

    def poke(self) -> None:
        """Something new to upload: the next round starts soon."""
        if self._loop is not None:
            self._loop.poke()

    def stop(self, timeout: float) -> bool:
        """Stop the loop (False while a round still runs), then close the HTTP session."""
        if self._loop is not None:
            if not self._loop.stop(timeout):
                return False
            self._loop = None
        if self._runner is not None:
            self._runner.client.close()  # its HTTP session and pooled connections
            self._runner = None
        return True
