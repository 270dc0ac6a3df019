"""The portal's refusals of a device's requests, and what the kiosk does with them."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import nacl.signing
import pytest
import requests

from devportal.app import CREATED_WINDOW_S
from devportal.server import PortalServer
from devportal.store import now_s
from portal_sync import signing
from portal_sync.client import PortalClient
from portal_sync.errors import Rejected, Unauthorised
from portal_sync.upload import batch_body, idempotency_key
from tests.sync.conftest import (
    JOURNAL_OWN_ROWS,
    TEST_TIMEOUTS,
    Kiosk,
    enrol_kiosk,
    portal_event_ids,
)

EVENTS_PATH = "/api/v1/events"


def _post(
    portal: PortalServer,
    kiosk: Kiosk,
    *,
    created: int | None = None,
    nonce: str | None = None,
    key: nacl.signing.SigningKey | None = None,
    body: bytes | None = None,
    idem: str | None = None,
) -> requests.Response:
    items = kiosk.journal.pending(5)
    checkpoint = kiosk.journal.checkpoint()
    body = body if body is not None else batch_body(kiosk.identity.device_id, items, checkpoint)
    idem = idem or idempotency_key(kiosk.identity.device_id, items)
    headers = signing.sign_request(
        key or kiosk.identity.signing_key,
        kiosk.identity.device_id,
        "POST",
        EVENTS_PATH,
        body,
        created=created if created is not None else now_s(),
        idempotency_key=idem,
        nonce=nonce,
    )
    with requests.Session() as s:
        return s.post(portal.base_url + EVENTS_PATH, data=body, headers=headers, timeout=5)


def _error(response: requests.Response) -> tuple[int, str]:
    return response.status_code, json.loads(response.content)["error"]


def test_a_signed_batch_is_stored(portal: PortalServer, kiosk: Kiosk) -> None:
    kiosk.record(5)
    response = _post(portal, kiosk)
    assert response.status_code == 200
    assert len(response.json()["acknowledged"]) == 5


@pytest.mark.parametrize("offset", [-CREATED_WINDOW_S - 30, CREATED_WINDOW_S + 30])
def test_a_stale_or_future_created_is_refused(
    offset: int, portal: PortalServer, kiosk: Kiosk
) -> None:
    kiosk.record(5)
    assert _error(_post(portal, kiosk, created=now_s() + offset)) == (401, "stale_created")
    assert portal.store.event_count() == 0


def test_a_replayed_nonce_is_refused(portal: PortalServer, kiosk: Kiosk) -> None:
    kiosk.record(5)
    assert _post(portal, kiosk, nonce="n" * 22).status_code == 200
    assert _error(_post(portal, kiosk, nonce="n" * 22)) == (401, "replayed_nonce")


def test_a_signature_by_another_key_is_refused(portal: PortalServer, kiosk: Kiosk) -> None:
    kiosk.record(5)
    other = nacl.signing.SigningKey.generate()
    assert _error(_post(portal, kiosk, key=other)) == (401, "bad_signature")
    assert portal.store.event_count() == 0


def test_a_body_that_does_not_match_its_digest_is_refused(
    portal: PortalServer, kiosk: Kiosk
) -> None:
    kiosk.record(5)
    items, cp = kiosk.journal.pending(5), kiosk.journal.checkpoint()
    body = batch_body(kiosk.identity.device_id, items, cp)
    headers = signing.sign_request(
        kiosk.identity.signing_key,
        kiosk.identity.device_id,
        "POST",
        EVENTS_PATH,
        body,
        created=now_s(),
        idempotency_key="k1",
    )
    with requests.Session() as s:
        r = s.post(portal.base_url + EVENTS_PATH, data=body + b" ", headers=headers, timeout=5)
    assert _error(r) == (401, "bad_digest")


def test_an_idempotency_key_reused_for_another_body_is_refused(
    portal: PortalServer, kiosk: Kiosk
) -> None:
    kiosk.record(10)
    assert _post(portal, kiosk, idem="same-key").status_code == 200
    kiosk.journal.acknowledge([i.event_id for i in kiosk.journal.pending(5)])
    assert _error(_post(portal, kiosk, idem="same-key")) == (409, "idempotency_key_reused")


def test_a_revoked_device_keeps_its_events_until_enrolled_again(
    portal: PortalServer, kiosk: Kiosk, tmp_path: Path
) -> None:
    kiosk.record(250)
    kiosk.runner.run_round(max_batches=1)
    portal.store.revoke_device(kiosk.identity.device_id, now_s())

    report = kiosk.runner.run_round()

    assert isinstance(report.errors[0], Unauthorised)
    assert report.errors[0].code == "device_revoked"
    assert [n.kind for n in report.notices] == ["device_refused"]
    assert not report.heartbeat_sent
    # Nothing lost, nothing marked beyond the first batch.
    assert kiosk.journal.backlog() == 250 + JOURNAL_OWN_ROWS - 100
    assert kiosk.acknowledged_ids() == set(portal_event_ids(portal, kiosk.identity.device_id))
    # The technician enrols the kiosk again; the same journal drains under the new identity.
    again = enrol_kiosk(portal, kiosk.client.base_url, kiosk.data_dir, kiosk.journal)
    try:
        again.drain()
    finally:
        again.client.close()
    stored = portal_event_ids(portal, kiosk.identity.device_id) + portal_event_ids(
        portal, again.identity.device_id
    )
    assert sorted(stored) == sorted(kiosk.journal_ids())
    assert kiosk.acknowledged_ids() == set(stored)


def test_an_unknown_device_is_unauthorised(portal: PortalServer, kiosk: Kiosk) -> None:
    kiosk.record(5)
    stranger = dataclasses.replace(kiosk.identity, device_id="kd-0000000000000000")
    kiosk.runner.identity = stranger
    report = kiosk.runner.run_round()
    assert report.errors[0].code == "unknown_device"
    assert kiosk.journal.backlog() == 5 + JOURNAL_OWN_ROWS
    assert kiosk.acknowledged_ids() == set()


def test_a_bad_portal_url_is_rejected_before_any_request() -> None:
    with pytest.raises(Rejected):
        PortalClient("ftp://portal.example", timeouts=TEST_TIMEOUTS)
