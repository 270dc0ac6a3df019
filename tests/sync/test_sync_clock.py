"""Clock drift: the kiosk notices from the portal's Date header and still gets its requests
accepted (signatures are dated by the portal's clock)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from devportal.server import PortalServer
from devportal.store import now_s
from portal_sync import clock
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


def test_drift_is_reported_once_and_uploads_still_pass(
    kiosk_behind: tuple[PortalServer, Kiosk],
) -> None:
    portal, kiosk = kiosk_behind
    kiosk.record(20)
    kiosk.client.clock_offset_s = None  # as on a first start

    first = kiosk.runner.run_round()
    # The list fetch learnt the offset, so the signed upload after it was dated right.
    assert first.ok, first.summary()
    assert portal.store.event_count() == 20 + JOURNAL_OWN_ROWS
    assert first.clock_offset_s is not None and 595 <= first.clock_offset_s <= 605
    assert [n.kind for n in first.notices] == ["clock_drift"]
    later = kiosk.runner.run_round()
    assert later.notices == []


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
    kiosk.client.clock_offset_s = 0.0  # a wrong belief: the upload goes out ten minutes stale

    stale = upload_pending(kiosk.client, kiosk.journal, kiosk.identity)

    assert isinstance(stale.error, Transient) and stale.error.code == "stale_created"
    assert kiosk.journal.backlog() == 20 + JOURNAL_OWN_ROWS
    assert portal.store.event_count() == 0 and kiosk.acknowledged_ids() == set()
    assert kiosk.client.clock_offset_s is not None and kiosk.client.clock_offset_s > 590
    assert upload_pending(kiosk.client, kiosk.journal, kiosk.identity).error is None
    assert portal.store.event_count() == 20 + JOURNAL_OWN_ROWS
    assert kiosk.acknowledged_ids() == set(kiosk.journal_ids())
