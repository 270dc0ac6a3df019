"""The trust data a running kiosk checks codes against: its trust store (the pinned anchor and
the synced lists), the built-in demo lists, or a fixed state a test or benchmark gives.

The demo codes are checked against the built-in demo lists only while the kiosk is not enrolled;
an enrolled kiosk (the reference portal in `make run`) checks them against its own synced lists.
The public demo anchor outside a demo run is a problem said on every status (NOT FOR SERVICE).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from kiosk.core.config import Config
from kiosk.core.demo_data import load_demo
from kiosk.core.paths import trust_dir
from kiosk.core.runtime_messages import TrustSummary
from kiosk.core.trust.anchor import demo_anchor_warning, resolve_anchor
from kiosk.core.trust.freshness import Freshness, Report, StaleNotes, freshness
from kiosk.core.trust.summary import trust_summary
from verifier import Policy, StaleList, TrustState, TrustStore, TrustStoreError
from verifier.trust_store import ANCHOR_FILE

log = logging.getLogger(__name__)


class TrustInForce:
    def __init__(
        self,
        data_dir: Path,
        policy: Policy,
        *,
        demo: bool,
        fixed: TrustState | None = None,
        anchor: bytes | None = None,
    ) -> None:
        self._data_dir = data_dir
        self._policy = policy
        self._demo = demo
        self._fixed = fixed  # tests and benchmarks: a trust state of their own
        self._anchor = anchor  # with a fixed state: the anchor badges are checked under
        self.store: TrustStore | None = None
        self.problem: str | None = None  # no trust store: every credential is rejected
        self.anchor_problem: str | None = None  # the demo anchor outside demo mode
        self._opened = False
        self._stale_notes = StaleNotes(policy)

    @property
    def fixed(self) -> bool:
        """A fixed state (the demo bundle, a test's): nothing to sync."""
        return self._fixed is not None

    def open(self, config: Config) -> None:
        """Open the store (once), so a caller can refuse to run on `problem` before any scan."""
        if self._opened:
            return
        self._opened = True
        if self._fixed is not None:
            return
        enrolled = (trust_dir(self._data_dir) / ANCHOR_FILE).is_file() or config.trust.anchor
        if self._demo and not enrolled:
            demo = load_demo()
            self._fixed, self._anchor = demo.trust_state(), demo.anchor
            return
        try:
            anchor = resolve_anchor(config, self._data_dir)
            if not self._demo:
                self.anchor_problem = demo_anchor_warning(anchor)
                if self.anchor_problem:
                    log.error("NOT FOR SERVICE: %s", self.anchor_problem)
            self.store = TrustStore(trust_dir(self._data_dir), anchor)
            for problem in self.store.load_problems:
                log.warning("trust store: %s", problem)
        except (ValueError, TrustStoreError) as e:
            self.problem = str(e)
            log.error("no trust store: %s (every credential is rejected: no_trust_list)", e)

    def state(self) -> TrustState:
        """Read once per check: a sync round swaps the store's lists live."""
        if self._fixed is not None:
            return self._fixed
        store = self.store
        return store.state if store is not None else TrustState(None, None)

    def anchor(self) -> bytes | None:
        store = self.store
        return store.anchor if store is not None else self._anchor

    def _unreadable(self) -> dict[StaleList, str] | None:
        store = self.store
        return dict(store.unreadable) if store is not None else None

    def freshness(self, now: float | None = None) -> Freshness:
        now = time.time() if now is None else now
        return freshness(self.state(), now, self._policy, self._unreadable())

    def summary(self, now: float) -> TrustSummary:
        demo_lists = self._fixed is not None and self._demo
        return trust_summary(self.state(), self._policy, now, demo_lists, self._unreadable())

    def note_freshness(self, journal: Report) -> None:
        """Stale trust data journaled once when it starts and once when it ends, never per scan."""
        self._stale_notes.note(self.freshness(), journal)
