"""Network weather on the upload path, through the fault proxy against the real portal.

Each fault ends the same way: every event of the kiosk's journal stored exactly once on the
portal, nothing marked acknowledged in the journal that the portal does not hold, nothing
half-marked, and the client still working afterwards.
"""

from __future__ import annotations

import time

import pytest

from devportal.faultproxy import Fault, FaultProxy
from devportal.server import PortalServer
from kiosk.core.config import load_config
from kiosk.core.journal.journal import Journal
from portal_sync.client import Timeouts
from portal_sync.errors import Transient
from portal_sync.state import SyncState
from portal_sync.sync_round import SyncRunner
from tests.sync.conftest import JOURNAL_OWN_ROWS, Kiosk, portal_event_ids

UPLOAD = "/api/v1/events"
EVENTS = 350  # with the journal's own first row, four batches of 100

FAULTS = {
    "503": [Fault("status", path=UPLOAD, status=503, times=2)],
    "500-mid-backlog": [Fault("status", path=UPLOAD, status=500)],
    "429-retry-after": [Fault("status", path=UPLOAD, status=429, headers=(("Retry-After", "7"),))],
    "reset-mid-response": [Fault("reset", path=UPLOAD, times=2)],
    "read-timeout": [Fault("delay", path=UPLOAD, delay_s=2.5)],
    "ack-lost-after-store": [Fault("drop", path=UPLOAD, times=2)],
}


def assert_exactly_once(portal: PortalServer, kiosk: Kiosk) -> None:
    journal_ids = kiosk.journal_ids()
    assert len(journal_ids) == EVENTS + JOURNAL_OWN_ROWS
    on_portal = portal_event_ids(portal, kiosk.identity.device_id)
    assert len(on_portal) == len(set(on_portal)) == len(journal_ids)
    assert set(on_portal) == set(journal_ids)
    assert kiosk.journal.backlog() == 0
    assert kiosk.acknowledged_ids() == set(journal_ids)
    assert kiosk.journal.verify().ok


def assert_marked_only_what_portal_holds(portal: PortalServer, kiosk: Kiosk) -> None:
    on_portal = set(portal_event_ids(portal, kiosk.identity.device_id))
    acknowledged = kiosk.acknowledged_ids()
    assert acknowledged <= on_portal
    assert kiosk.journal.backlog() == len(kiosk.journal_ids()) - len(acknowledged)


@pytest.mark.parametrize("name", FAULTS)
def test_upload_fault_ends_with_every_event_once(
    name: str, portal: PortalServer, proxy: FaultProxy, kiosk: Kiosk
) -> None:
    kiosk.record(EVENTS)
    if name == "500-mid-backlog":
        kiosk.runner.run_round(max_batches=1)  # the fault hits the second batch, not the first
    proxy.add(*FAULTS[name])

    first = kiosk.runner.run_round()

    assert not first.ok
    assert first.upload is not None and isinstance(first.upload.error, Transient)
    assert first.next_round_in_s is not None and first.next_round_in_s > 0
    assert_marked_only_what_portal_holds(portal, kiosk)
    time.sleep(0.1) if name != "read-timeout" else time.sleep(1.2)  # the late request lands
    kiosk.drain()
    assert_exactly_once(portal, kiosk)
    assert proxy.pending_faults() == 0
    again = kiosk.runner.run_round()  # still usable: lists, heartbeat, nothing left to send
    assert again.ok and again.heartbeat_sent and again.upload is not None
    assert again.upload.sent == 0


def test_lost_acknowledgement_is_answered_from_the_idempotency_key(
    portal: PortalServer, proxy: FaultProxy, kiosk: Kiosk
) -> None:
    kiosk.record(EVENTS)
    proxy.add(Fault("drop", path=UPLOAD))
    kiosk.runner.run_round()
    # The portal stored the first batch although the kiosk never heard so.
    assert len(portal_event_ids(portal, kiosk.identity.device_id)) == 100
    assert kiosk.journal.backlog() == EVENTS + JOURNAL_OWN_ROWS
    assert kiosk.acknowledged_ids() == set()

    reports = kiosk.drain()

    first_retry = reports[0].upload  # type: ignore[attr-defined]
    assert first_retry.replayed == 1
    assert portal.store.counter("duplicates_suppressed") == 0
    assert_exactly_once(portal, kiosk)


def test_a_batch_resent_after_a_restart_is_the_same_batch_to_the_portal(
    portal: PortalServer, proxy: FaultProxy, kiosk: Kiosk
) -> None:
    """The journal's head moves at every start (a journal.opened row); the batch whose answer
    was lost goes again under the same key with the same body, and is answered as a replay."""
    kiosk.record(EVENTS)
    proxy.add(Fault("drop", path=UPLOAD))
    kiosk.runner.run_round()
    assert len(portal_event_ids(portal, kiosk.identity.device_id)) == 100
    head_before = kiosk.journal.checkpoint()
    kiosk.journal.close()  # the kiosk restarts: a new journal, runner and sync state read back
    kiosk.journal = Journal.open(kiosk.data_dir, load_config(None))
    assert kiosk.journal.checkpoint().seq == head_before.seq + 1
    kiosk.runner = SyncRunner(
        kiosk.client, kiosk.identity, kiosk.store, kiosk.journal, kiosk.data_dir, batch_size=100
    )

    reports = kiosk.drain()

    first_retry = reports[0].upload  # type: ignore[attr-defined]
    assert first_retry.replayed == 1 and first_retry.error is None
    assert portal.store.counter("duplicates_suppressed") == 0
    on_portal = portal_event_ids(portal, kiosk.identity.device_id)
    assert len(on_portal) == len(set(on_portal)) == len(kiosk.journal_ids())
    assert kiosk.journal.backlog() == 0 and kiosk.journal.verify().ok


def test_a_slow_server_within_the_read_timeout_is_only_slow(
    portal: PortalServer, proxy: FaultProxy, kiosk: Kiosk
) -> None:
    kiosk.record(EVENTS)
    # Four answers 0.6 s late, within a read timeout that a loaded CI machine cannot
    # reach by itself: this is about slowness, not the timeout (tested below).
    kiosk.client.timeouts = Timeouts(connect_s=2.0, read_s=3.0)
    proxy.add(Fault("delay", path=UPLOAD, delay_s=0.6, times=4))
    started = time.monotonic()
    report = kiosk.runner.run_round()
    assert report.ok, report.summary()
    assert time.monotonic() - started >= 4 * 0.6
    assert_exactly_once(portal, kiosk)


def test_retry_after_is_persisted_across_a_restart(
    portal: PortalServer, proxy: FaultProxy, kiosk: Kiosk
) -> None:
    kiosk.record(10)
    proxy.add(Fault("status", path=UPLOAD, status=429, headers=(("Retry-After", "120"),)))
    report = kiosk.runner.run_round()
    assert report.next_round_in_s is not None and 120 <= report.next_round_in_s <= 132

    saved = SyncState.load(kiosk.runner.state_file)
    assert saved.failures == 1 and saved.not_before >= time.time() + 100
    restarted = SyncRunner(kiosk.client, kiosk.identity, kiosk.store, kiosk.journal, kiosk.data_dir)
    assert restarted.wait_s() > 100
    assert kiosk.journal.backlog() == 10 + JOURNAL_OWN_ROWS
    assert kiosk.acknowledged_ids() == set()


@pytest.mark.parametrize(
    "fault",
    [
        Fault("reset", path="/api/v1/documents/trust-list"),
        Fault("status", path="/api/v1/documents/revocations", status=502, times=2),
    ],
    ids=["reset", "502"],
)
def test_document_gets_are_retried_inside_the_call(
    fault: Fault, proxy: FaultProxy, kiosk: Kiosk
) -> None:
    proxy.add(fault)
    report = kiosk.runner.run_round()
    assert report.ok, report.summary()
    assert [d.status for d in report.documents] == ["installed", "installed"]
    assert proxy.pending_faults() == 0


def test_a_503_on_a_document_does_not_stop_the_upload(
    portal: PortalServer, proxy: FaultProxy, kiosk: Kiosk
) -> None:
    kiosk.record(EVENTS)
    proxy.add(Fault("status", path="/api/v1/documents/trust-list", status=503))
    report = kiosk.runner.run_round()
    assert not report.ok and report.errors[0].status == 503
    assert_exactly_once(portal, kiosk)


def test_progress_resets_the_backoff(portal: PortalServer, proxy: FaultProxy, kiosk: Kiosk) -> None:
    kiosk.record(EVENTS)
    kiosk.runner.state.failures = 8  # a long outage behind it: the next wait would be minutes
    proxy.add(Fault("status", path="/api/v1/heartbeat", status=503))

    moved = kiosk.runner.run_round()

    assert not moved.ok and moved.upload is not None
    assert moved.upload.marked == EVENTS + JOURNAL_OWN_ROWS
    # The portal works: the backoff starts again from its first step.
    assert kiosk.runner.state.failures == 1
    assert moved.next_round_in_s is not None and moved.next_round_in_s <= 2.0
    # A failed round that moved nothing still backs off further.
    proxy.add(Fault("status", path="/api/v1/heartbeat", status=503))
    idle = kiosk.runner.run_round()
    assert not idle.ok and not idle.progressed
    assert kiosk.runner.state.failures == 2
    assert idle.next_round_in_s is not None and 2.0 <= idle.next_round_in_s <= 4.0
