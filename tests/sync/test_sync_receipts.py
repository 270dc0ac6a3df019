"""Acknowledgements the kiosk can verify (issue 11 point 3): only a receipt signed by the portal
key the anchor-signed enrolment named, for this device, this batch, its events and its chain
position, marks anything. A fake portal on loopback that acknowledges everything marks nothing."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import nacl.signing
import pytest

from devportal import issuer
from devportal.server import PortalServer
from portal_sync import receipts
from portal_sync.client import PortalClient
from portal_sync.sync_round import SyncRunner
from tests.sync.conftest import JOURNAL_OWN_ROWS, TEST_TIMEOUTS, Kiosk, enrol_kiosk

ATTACKER = nacl.signing.SigningKey(bytes(range(32)))

# (the request's device id, batch key, event ids, checkpoint) -> the receipt field to answer
Forger = Callable[[dict[str, Any], str], object]


class FakePortal:
    """An HTTP server on 127.0.0.1 that answers every batch with all its ids acknowledged and
    whatever receipt `forge` makes; lists are not modified (304), heartbeats are welcome."""

    def __init__(self, forge: Forger) -> None:
        self.forge = forge
        self.batches = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _answer(self, status: int, body: bytes = b"") -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                self._answer(304)

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.path.endswith("/events"):
                    outer.batches += 1
                    batch = json.loads(body)
                    ids = [e["event_id"] for e in batch["events"]]
                    answer = {
                        "batch": self.headers["Idempotency-Key"],
                        "acknowledged": ids,
                        "stored": len(ids),
                        "duplicates": 0,
                        "replayed": False,
                        "receipt": outer.forge(batch, self.headers["Idempotency-Key"]),
                    }
                    self._answer(200, json.dumps(answer).encode())
                else:
                    self._answer(200, b"{}")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> FakePortal:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def enrolled(portal: PortalServer, tmp_path: Path) -> Iterator[Kiosk]:
    k = enrol_kiosk(portal, portal.base_url, tmp_path / "kiosk")
    yield k
    k.client.close()
    k.journal.close()


def _sign(
    key: nacl.signing.SigningKey,
    sent: dict[str, Any],
    idem: str,
    **bend: Any,
) -> str:
    """A receipt for the batch `sent` under `idem`, signed with `key`; `bend` changes a field."""
    fields: dict[str, Any] = {
        "device_id": sent["device_id"],
        "batch": idem,
        "events": [e["event_id"] for e in sent["events"]],
        "checkpoint_seq": sent["checkpoint"]["seq"],
        "checkpoint_hash": sent["checkpoint"]["row_hash"],
        "received_at": 1_800_000_000,
        **bend,
    }
    return base64.b64encode(issuer.sign_receipt(key, **fields)).decode()


def _portal_key(portal: PortalServer) -> nacl.signing.SigningKey:
    return nacl.signing.SigningKey(portal.store._key("portal")[0])


FORGERIES: dict[str, Callable[[PortalServer], Forger]] = {
    "no receipt": lambda p: lambda batch, idem: None,
    "not base64": lambda p: lambda batch, idem: "%%%",
    "not COSE": lambda p: lambda batch, idem: base64.b64encode(b"ok").decode(),
    "signed by another key": lambda p: lambda batch, idem: _sign(ATTACKER, batch, idem),
    "another device": lambda p: (
        lambda batch, idem: _sign(_portal_key(p), batch, idem, device_id="kd-ffffffffffffffff")
    ),
    "another batch": lambda p: (
        lambda batch, idem: _sign(_portal_key(p), batch, idem, batch="b-" + "0" * 40)
    ),
    "another chain position": lambda p: (
        lambda batch, idem: _sign(
            _portal_key(p), batch, idem, checkpoint_seq=batch["checkpoint"]["seq"] + 1
        )
    ),
    "events not sent": lambda p: (
        lambda batch, idem: _sign(
            _portal_key(p), batch, idem, events=[*[e["event_id"] for e in batch["events"]], "x"]
        )
    ),
}


def test_a_fake_portal_acknowledging_everything_leaves_every_event_pending(
    portal: PortalServer, enrolled: Kiosk
) -> None:
    """Issue 11 point 3: a fake portal answered every upload with all ids acknowledged and 6
    of 6 scans were marked sent. Now each answer without a receipt this kiosk can verify
    marks nothing, and the round says why (one kiosk meets each forgery in turn)."""
    enrolled.record(6)
    for forgery, forger in FORGERIES.items():
        with (
            FakePortal(forger(portal)) as fake,
            PortalClient(fake.url, timeouts=TEST_TIMEOUTS) as client,
        ):
            runner = SyncRunner(client, enrolled.identity, enrolled.store, enrolled.journal,
                                enrolled.data_dir)  # fmt: skip
            report = runner.run_round()
            assert fake.batches == 1, forgery
        assert enrolled.acknowledged_ids() == set(), forgery
        assert enrolled.journal.backlog() == 6 + JOURNAL_OWN_ROWS, forgery
        assert report.upload is not None and report.upload.marked == 0, forgery
        assert [e.code for e in report.errors] == ["unverified_receipt"], forgery


def test_the_fake_marks_when_its_receipt_is_the_portal_keys_own(
    portal: PortalServer, enrolled: Kiosk
) -> None:
    """The control for the test above: the same fake, signing with the enrolled portal key for
    exactly the batch sent, is believed (so the refusals above are the receipts', not the
    fake's)."""
    enrolled.record(6)
    key = _portal_key(portal)
    with (
        FakePortal(lambda batch, idem: _sign(key, batch, idem)) as fake,
        PortalClient(fake.url, timeouts=TEST_TIMEOUTS) as client,
    ):
        runner = SyncRunner(client, enrolled.identity, enrolled.store, enrolled.journal,
                            enrolled.data_dir)  # fmt: skip
        report = runner.run_round()
    assert report.ok, report.summary()
    assert len(enrolled.acknowledged_ids()) == 6 + JOURNAL_OWN_ROWS


def test_a_receipt_naming_part_of_the_batch_marks_that_part_only(
    portal: PortalServer, enrolled: Kiosk
) -> None:
    ids = enrolled.record(4)
    key = _portal_key(portal)

    def half(batch: dict[str, Any], idem: str) -> str:
        return _sign(key, batch, idem, events=[e["event_id"] for e in batch["events"]][:2])

    with FakePortal(half) as fake, PortalClient(fake.url, timeouts=TEST_TIMEOUTS) as client:
        runner = SyncRunner(client, enrolled.identity, enrolled.store, enrolled.journal,
                            enrolled.data_dir)  # fmt: skip
        report = runner.run_round()
    assert report.upload is not None and report.upload.partial
    assert len(enrolled.acknowledged_ids()) == 2
    assert not enrolled.acknowledged_ids() & set(ids[1:])


def test_the_reference_portal_signs_receipts_the_kiosk_verifies(enrolled: Kiosk) -> None:
    enrolled.record(7)
    report = enrolled.runner.run_round()
    assert report.ok, report.summary()
    assert len(enrolled.acknowledged_ids()) == 7 + JOURNAL_OWN_ROWS


def test_the_portal_and_the_kiosk_agree_on_the_receipt_format() -> None:
    assert (issuer.RECEIPT_TYPE, issuer.RECEIPT_VERSION) == (
        receipts.RECEIPT_TYPE,
        receipts.RECEIPT_VERSION,
    )
