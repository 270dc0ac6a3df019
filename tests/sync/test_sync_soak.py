"""A long run of mixed network weather: events keep arriving while faults hit every path.
Behind `slow` (`make test-long`)."""

from __future__ import annotations

import random

import pytest

from devportal.faultproxy import Fault, FaultProxy
from devportal.server import PortalServer
from tests.sync.conftest import Kiosk, portal_event_ids

PATHS = ("/api/v1/events", "/api/v1/heartbeat", "/api/v1/documents/")


def random_fault(rng: random.Random) -> Fault:
    path = rng.choice(PATHS)
    kind = rng.choice(["503", "429", "reset", "drop", "delay", "slow"])
    if kind == "503":
        return Fault("status", path=path, status=503)
    if kind == "429":
        return Fault("status", path=path, status=429, headers=(("Retry-After", "1"),))
    if kind == "delay":
        return Fault("delay", path=path, delay_s=1.7)  # past the 1.5 s read timeout
    if kind == "slow":
        return Fault("delay", path=path, delay_s=0.3)
    return Fault(kind, path=path)


@pytest.mark.slow
def test_mixed_faults_over_many_rounds(
    portal: PortalServer, proxy: FaultProxy, kiosk: Kiosk
) -> None:
    rng = random.Random(20261126)
    for _ in range(60):
        kiosk.record(rng.randint(0, 150))
        for _ in range(rng.randint(0, 3)):
            proxy.add(random_fault(rng))
        kiosk.runner.run_round()
        on_portal = set(portal_event_ids(portal, kiosk.identity.device_id))
        assert kiosk.acknowledged_ids() <= on_portal  # never marked ahead of the portal
    proxy.clear()
    kiosk.drain()
    journal_ids = kiosk.journal_ids()
    on_portal = portal_event_ids(portal, kiosk.identity.device_id)
    assert len(on_portal) == len(set(on_portal)) == len(journal_ids)
    assert set(on_portal) == set(journal_ids) == kiosk.acknowledged_ids()
    assert kiosk.journal.backlog() == 0
    assert kiosk.journal.verify().ok
