"""Clock drift: the kiosk notices from the portal's Date header. An offset within the drift
threshold dates its signatures (they pass the portal's window); one beyond it is reported and
never applied: the kiosk's clock must be set, and a proxy shifting Date gains nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from devportal.server import PortalServer
from devportal.store import now_s
from portal_sync import clock
from portal_sync.client import PortalClient
from portal_sync.errors import Transient
from portal_sync.upload import upload_pending
from tests.sync.conftest import JOURNAL_OWN_ROWS, Kiosk, enrol_kiosk


@pytest.fixture
def kiosk_behind(tmp_path: Path) -> Iterator[tuple[PortalServer, Kiosk]]:
    with PortalServer(tmp_path / "portal", seed="demo") as portal:
        k = enrol_kiosk(portal, portal.base_url, tmp_path / "kiosk")
        # The kiosk's clock is ten minutes behind the portal's.
        k.client.clock = lambda: now_s() - 600.0
        k.runner.wall_clock = k.client.clock
        try:
            yield portal, k
        finally:
            k.client.close()
            k.journal.close()


def test_drift_beyond_the_threshold_is_reported_once_and_not_applied(
    kiosk_behind: tuple[PortalServer, Kiosk],
) -> None:
    portal, kiosk = kiosk_behind
    kiosk.record(20)
    kiosk.client.clock_offset_s = None  # as on a first start

    first = kiosk.runner.run_round()
    assert first.clock_offset_s is not None and 595 <= first.clock_offset_s <= 605
    assert [n.kind for n in first.notices] == ["clock_drift"]
    assert first.notices[0].detail["applied_to_signatures"] is False
    # Signed with the kiosk's own clock, ten minutes stale: refused, and nothing lost.
    assert not first.ok and {e.code for e in first.errors} == {"stale_created"}
    assert portal.store.event_count() == 0
    assert kiosk.journal.backlog() == 20 + JOURNAL_OWN_ROWS
    assert kiosk.acknowledged_ids() == set()
    later = kiosk.runner.run_round()
    assert later.notices == []


def test_an_offset_is_applied_only_within_the_threshold() -> None:
    client = PortalClient("http://127.0.0.1:9", clock=lambda: 1_000_000.0, offset_limit_s=120.0)
    try:
        client.clock_offset_s = 90.0
        assert client.offset_applied and client.portal_now() == 1_000_090.0
        client.clock_offset_s = -90.0
        assert client.portal_now() == 999_910.0
        client.clock_offset_s = 121.0
        assert not client.offset_applied and client.portal_now() == 1_000_000.0
        client.clock_offset_s = -86_400.0
        assert client.portal_now() == 1_000_000.0
    finally:
        client.close()


def test_drift_reporting_thresholds() -> None:
    assert clock.drift_to_report(30.0, 120.0, None) is None
    assert clock.drift_to_report(-200.0, 120.0, None) == -200.0
    assert clock.drift_to_report(-210.0, 120.0, -200.0) is None
    assert clock.drift_to_report(-300.0, 120.0, -200.0) == -300.0
    assert clock.back_in_range(5.0, 120.0, -300.0)
    assert not clock.back_in_range(5.0, 120.0, None)


def test_a_stale_signature_is_transient_and_the_refusal_corrects_the_clock(
    kiosk_behind: tuple[PortalServer, Kiosk],
) -> None:
    portal, kiosk = kiosk_behind
    kiosk.record(20)
    # A site that allows a large drift (ten minutes is within it), and a wrong belief: the
    # upload goes out ten minutes stale.
    kiosk.client.offset_limit_s = 900.0
    kiosk.client.clock_offset_s = 0.0

    stale = upload_pending(kiosk.client, kiosk.journal, kiosk.identity)

    assert isinstance(stale.error, Transient) and stale.error.code == "stale_created"
    assert kiosk.journal.backlog() == 20 + JOURNAL_OWN_ROWS
    assert portal.store.event_count() == 0 and kiosk.acknowledged_ids() == set()
    assert kiosk.client.clock_offset_s is not None and kiosk.client.clock_offset_s > 590
    assert upload_pending(kiosk.client, kiosk.journal, kiosk.identity).error is None
    assert portal.store.event_count() == 20 + JOURNAL_OWN_ROWS
    assert kiosk.acknowledged_ids() == set(kiosk.journal_ids())
