"""Fixtures for the sync tests: a reference portal on a free loopback port, a fault proxy in
front of it, and enrolled kiosks (a data dir, a client, a trust store, an SQLite outbox)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from devportal.faultproxy import FaultProxy
from devportal.server import PortalServer
from devportal.store import now_s
from portal_sync.client import PortalClient, Timeouts
from portal_sync.enrolment import DeviceIdentity, request_enrolment
from portal_sync.sync_round import SyncRunner
from tests.sync.sqlite_outbox import SqliteOutbox
from verifier.trust_store import TrustStore

# Short timeouts keep the fault tests quick; the read timeout is what a "slow server" beats.
TEST_TIMEOUTS = Timeouts(connect_s=2.0, read_s=1.5)


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[PortalServer]:
    with PortalServer(tmp_path / "portal", seed="demo") as server:
        yield server


@pytest.fixture
def proxy(portal: PortalServer) -> Iterator[FaultProxy]:
    with FaultProxy("127.0.0.1", portal.port) as p:
        yield p


@dataclass
class Kiosk:
    data_dir: Path
    client: PortalClient
    identity: DeviceIdentity
    store: TrustStore
    outbox: SqliteOutbox
    runner: SyncRunner

    def drain(self, rounds: int = 20) -> list[object]:
        """Run rounds (ignoring the backoff's wait: tests do not sleep) until the outbox is
        empty and a round succeeds; bounded."""
        reports: list[object] = []
        for _ in range(rounds):
            report = self.runner.run_round()
            reports.append(report)
            if report.ok and self.outbox.backlog() == 0:
                return reports
        raise AssertionError(f"not drained after {rounds} rounds: {reports[-1]}")


def enrol_kiosk(portal: PortalServer, base_url: str, data_dir: Path) -> Kiosk:
    code = portal.store.create_enrolment_code(now_s())
    client = PortalClient(base_url, timeouts=TEST_TIMEOUTS)
    offer = request_enrolment(client, code, name="test kiosk", site="T1")
    identity = offer.commit(data_dir, data_dir / "trust")
    store = TrustStore.open(data_dir / "trust")
    outbox = SqliteOutbox(data_dir / "outbox.db")
    runner = SyncRunner(client, identity, store, outbox, data_dir, batch_size=100)
    return Kiosk(data_dir, client, identity, store, outbox, runner)


@pytest.fixture
def kiosk(portal: PortalServer, proxy: FaultProxy, tmp_path: Path) -> Iterator[Kiosk]:
    """An enrolled kiosk talking to the portal through the fault proxy."""
    k = enrol_kiosk(portal, proxy.base_url, tmp_path / "kiosk")
    yield k
    k.client.close()
    k.outbox.close()


def portal_event_ids(portal: PortalServer, device_id: str) -> list[str]:
    return [e for _, e in portal.store.event_ids(device_id)]
