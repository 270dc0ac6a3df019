"""Fixtures for the sync tests: a reference portal on a free loopback port, a fault proxy in
front of it, and enrolled kiosks (a data dir, a client, a trust store, and the kiosk's real
journal as the outbox)."""

from __future__ import annotations

import hashlib
import itertools
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from devportal.faultproxy import FaultProxy
from devportal.server import PortalServer
from devportal.store import now_s
from kiosk.core.config import load_config
from kiosk.core.demo_data import load_demo
from kiosk.core.events import ScanEvent
from kiosk.core.journal import Journal
from kiosk.core.journal.records import Action
from portal_sync.client import PortalClient, Timeouts
from portal_sync.enrolment import DeviceIdentity, request_enrolment
from portal_sync.sync_round import SyncRunner
from verifier import Verdict, check
from verifier.trust_store import TrustStore

# Short timeouts keep the fault tests quick; the read timeout is what a "slow server" beats.
TEST_TIMEOUTS = Timeouts(connect_s=2.0, read_s=1.5)
# A new journal's own first row (journal.created), which goes to the portal like any other.
JOURNAL_OWN_ROWS = 1


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[PortalServer]:
    with PortalServer(tmp_path / "portal", seed="demo") as server:
        yield server


@pytest.fixture
def proxy(portal: PortalServer) -> Iterator[FaultProxy]:
    with FaultProxy("127.0.0.1", portal.port) as p:
        yield p


@cache
def demo_verdicts() -> tuple[Verdict, ...]:
    """The demo codes' real verdicts (accepted, expired, revoked, forged, ID card, URL)."""
    bundle = load_demo()
    trust = bundle.trust_state()
    return tuple(check(code.text, trust, bundle.checked_at) for code in bundle.codes)


@dataclass
class Kiosk:
    data_dir: Path
    client: PortalClient
    identity: DeviceIdentity
    store: TrustStore
    journal: Journal
    runner: SyncRunner
    _made: Iterator[int] = field(default_factory=itertools.count)

    def record(self, count: int) -> list[str]:
        """Journal `count` events as a gate would: scans of the demo codes (personal data sealed
        to the portal's key), every fifth a technician's settings change. Returns their ids."""
        verdicts = demo_verdicts()
        ids = []
        for _ in range(count):
            n = next(self._made)
            if n % 5 == 4:
                done = self.journal.record_system(
                    Action.SETTINGS_CHANGED, {"key": "sync.interval_s", "old": n, "new": n + 1}
                )
            else:
                digest = hashlib.blake2b(f"{self.data_dir}:{n}".encode()).digest()
                scan = ScanEvent(
                    verdicts[n % len(verdicts)],
                    "test",
                    "file",
                    time.time(),
                    time.monotonic(),
                    2.5,
                    digest,  # a new presentation each time, never a repeat
                )
                recorded = self.journal.record_scan(scan)
                assert recorded is not None
                done = recorded
            ids.append(done.event_id)
        return ids

    def _rows(self) -> list[tuple[str, int, int]]:
        """(event id, acknowledged, still in the outbox) for every row, read from the file."""
        uri = f"{self.journal.path.as_uri()}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True)) as db:
            return db.execute(
                "SELECT e.event_id, e.acked_at IS NOT NULL, o.seq IS NOT NULL"
                " FROM events e LEFT JOIN outbox o ON o.seq = e.seq ORDER BY e.seq"
            ).fetchall()

    def journal_ids(self) -> list[str]:
        """Every event id the journal holds, oldest first."""
        return [event_id for event_id, _, _ in self._rows()]

    def acknowledged_ids(self) -> set[str]:
        """The rows the journal marked acknowledged; checks none is half-marked (stamped but
        still in the outbox, or out of the outbox without its stamp)."""
        rows = self._rows()
        half = [event_id for event_id, acked, waiting in rows if acked == waiting]
        assert half == [], f"half-marked rows: {half[:5]}"
        return {event_id for event_id, acked, _ in rows if acked}

    def drain(self, rounds: int = 20) -> list[object]:
        """Run rounds (ignoring the backoff's wait: tests do not sleep) until the outbox is
        empty and a round succeeds; bounded."""
        reports: list[object] = []
        for _ in range(rounds):
            report = self.runner.run_round()
            reports.append(report)
            if report.ok and self.journal.backlog() == 0:
                return reports
        raise AssertionError(f"not drained after {rounds} rounds: {reports[-1]}")


def enrol_kiosk(
    portal: PortalServer,
    base_url: str,
    data_dir: Path,
    journal: Journal | None = None,
    site: str | None = None,
) -> Kiosk:
    """Enrol a kiosk in data_dir (a lane of `site` when one is given, which keeps the site's
    roster too), then open its journal there (after enrolment, so it seals to the portal's
    key), unless an open `journal` is given (enrolling again)."""
    code = portal.store.create_enrolment_code(now_s(), site=site)
    client = PortalClient(base_url, timeouts=TEST_TIMEOUTS)
    offer = request_enrolment(client, code, name="test kiosk", site="T1")
    identity = offer.commit(data_dir, data_dir / "trust")
    store = TrustStore.open(data_dir / "trust")
    if journal is None:
        journal = Journal.open(data_dir, load_config(None), announce=False)
    runner = SyncRunner(client, identity, store, journal, data_dir, batch_size=100)
    return Kiosk(data_dir, client, identity, store, journal, runner)


@pytest.fixture
def kiosk(portal: PortalServer, proxy: FaultProxy, tmp_path: Path) -> Iterator[Kiosk]:
    """An enrolled kiosk talking to the portal through the fault proxy."""
    k = enrol_kiosk(portal, proxy.base_url, tmp_path / "kiosk")
    yield k
    k.client.close()
    k.journal.close()


def portal_event_ids(portal: PortalServer, device_id: str) -> list[str]:
    return [e for _, e in portal.store.event_ids(device_id)]
