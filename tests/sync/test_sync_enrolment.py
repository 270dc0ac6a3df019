"""Enrolment against the reference portal: keys and files, refused codes, the anchor."""

from __future__ import annotations

import base64
import hashlib
import json
import stat
from collections.abc import Callable
from pathlib import Path

import cbor2
import nacl.public
import pytest
from nacl.signing import SigningKey

from devportal import issuer
from devportal.faultproxy import Fault, FaultProxy
from devportal.server import PortalServer
from devportal.store import now_s
from kiosk.core.journal.sealing import read_portal_key
from portal_sync.client import PortalClient
from portal_sync.enrolment import (
    DeviceIdentity,
    request_enrolment,
    seal_key_path,
)
from portal_sync.errors import EnrolmentRefused, NotEnrolled, Rejected
from tests.sync.conftest import TEST_TIMEOUTS
from verifier.documents import parse_enrolment
from verifier.trust_store import read_anchor


def journal_seal_key(data: Path) -> nacl.public.PublicKey:
    """The portal's sealing key as the journal reads it from the enrolled data dir."""
    key, problem = read_portal_key(seal_key_path(data))
    assert key is not None, problem
    return nacl.public.PublicKey(key)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "kiosk"  # tmp_path/portal is the portal's


@pytest.fixture
def client(portal: PortalServer) -> PortalClient:
    with PortalClient(portal.base_url, timeouts=TEST_TIMEOUTS) as c:
        yield c  # type: ignore[misc]


def test_enrolment_writes_key_anchor_and_sealing_key(
    portal: PortalServer, client: PortalClient, data: Path
) -> None:
    code = portal.store.create_enrolment_code(now_s())
    offer = request_enrolment(client, code, name="Cổng A", site="BV-C")
    assert not (data / "portal").exists()  # nothing before the technician confirms
    assert offer.anchor_fingerprint == portal.store.anchor_fingerprint()

    identity = offer.commit(data, data / "trust")

    assert DeviceIdentity.load(data).device_id == identity.device_id
    key_file = data / "portal" / "device.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert read_anchor(data / "trust") == portal.store.anchor()
    assert bytes(journal_seal_key(data)) == bytes(portal.store.seal_private_key().public_key)
    # What the journal will do with it: only the portal can open the box.
    sealed = nacl.public.SealedBox(journal_seal_key(data)).encrypt(b"048090001234")
    assert nacl.public.SealedBox(portal.store.seal_private_key()).decrypt(sealed) == b"048090001234"
    assert seal_key_path(data) == data / "portal" / "seal.pub"
    device = portal.store.device(identity.device_id)
    assert device is not None and device.name == "Cổng A"


@pytest.mark.parametrize(
    "make_code",
    [
        lambda s: s.create_enrolment_code(now_s() - 7200, ttl_s=3600),
        lambda s: "AAAA-BBBB-CCCC",
    ],
    ids=["expired", "unknown"],
)
def test_a_refused_code_writes_nothing_and_a_fresh_one_works(
    make_code: object, portal: PortalServer, client: PortalClient, data: Path
) -> None:
    with pytest.raises(EnrolmentRefused) as refused:
        request_enrolment(client, make_code(portal.store))  # type: ignore[operator]
    assert refused.value.code == "enrolment_code_refused"
    with pytest.raises(NotEnrolled):
        DeviceIdentity.load(data)
    fresh = portal.store.create_enrolment_code(now_s())
    request_enrolment(client, fresh).commit(data, data / "trust")
    DeviceIdentity.load(data)


def test_a_code_is_used_up(portal: PortalServer, client: PortalClient) -> None:
    code = portal.store.create_enrolment_code(now_s(), uses=1)
    request_enrolment(client, code)
    with pytest.raises(EnrolmentRefused) as refused:
        request_enrolment(client, code)
    assert refused.value.code == "enrolment_code_refused"


def test_a_different_anchor_is_not_replaced_silently(
    portal: PortalServer, client: PortalClient, data: Path
) -> None:
    trust = data / "trust"
    trust.mkdir(parents=True)
    (trust / "anchor.hex").write_text("11" * 32 + "\n")
    offer = request_enrolment(client, portal.store.create_enrolment_code(now_s()))
    with pytest.raises(Rejected) as refused:
        offer.commit(data, trust)
    assert refused.value.code == "anchor_differs"
    with pytest.raises(NotEnrolled):
        DeviceIdentity.load(data)
    offer.commit(data, trust, replace_anchor=True)
    assert read_anchor(trust) == portal.store.anchor()


def test_damaged_enrolment_files_say_so(data: Path) -> None:
    (data / "portal").mkdir(parents=True)
    (data / "portal" / "device.json").write_text("{not json")
    with pytest.raises(NotEnrolled) as damaged:
        DeviceIdentity.load(data)
    assert damaged.value.code == "enrolment_damaged"


# --- issue 11 point 2: the keys the kiosk relies on come signed by the anchor ----------------


def _swap(field: str, value: str) -> Callable[[bytes], bytes]:
    def rewrite(body: bytes) -> bytes:
        answer = json.loads(body)
        answer[field] = value
        return json.dumps(answer).encode()

    return rewrite


def _attacker_document(portal: PortalServer, device_key: bytes, *, anchor: SigningKey) -> str:
    """A well-formed enrolment document naming the attacker's seal key, signed by `anchor`."""
    document = issuer.sign_enrolment(
        anchor,
        device_id="kd-attacker",
        device_key=device_key,
        portal_key=bytes(ATTACKER.verify_key),
        seal_key=bytes(ATTACKER_SEAL.public_key),
        site=None,
        issued_at=now_s(),
    )
    return base64.b64encode(document).decode()


ATTACKER = SigningKey(hashlib.sha256(b"attacker").digest())
ATTACKER_SEAL = nacl.public.PrivateKey(hashlib.sha256(b"attacker seal").digest())


def test_an_on_path_proxy_cannot_swap_the_sealing_key(
    portal: PortalServer, proxy: FaultProxy, data: Path
) -> None:
    """Issue 11 point 2: the proxy rewrote `seal_public_key` in the JSON and the attacker's key
    opened the sealed column. Now the keys come in the anchor-signed document: a document
    the proxy signs itself is refused after the (real) fingerprint is confirmed, and nothing
    is written."""
    captured: list[bytes] = []

    def rewrite(body: bytes) -> bytes:
        answer = json.loads(body)
        real = base64.b64decode(answer["enrolment"])
        device_key = bytes(cbor2.loads(cbor2.loads(real).value[2])["device_key"])
        captured.append(device_key)
        answer["enrolment"] = _attacker_document(portal, device_key, anchor=ATTACKER)
        answer["seal_public_key"] = bytes(ATTACKER_SEAL.public_key).hex()  # the old field too
        return json.dumps(answer).encode()

    proxy.add(Fault("rewrite", path="/api/v1/enrol", rewrite=rewrite))
    with PortalClient(proxy.base_url, timeouts=TEST_TIMEOUTS) as client:
        offer = request_enrolment(client, portal.store.create_enrolment_code(now_s()))
    assert captured, "the proxy saw the enrolment"
    assert offer.anchor_fingerprint == portal.store.anchor_fingerprint()  # what the tech sees
    with pytest.raises(Rejected) as refused:
        offer.commit(data, data / "trust")
    assert refused.value.code == "enrolment_forged"
    assert not (data / "portal").exists() and not (data / "trust").exists()


def test_a_document_for_another_device_key_is_refused(
    portal: PortalServer, proxy: FaultProxy, data: Path
) -> None:
    """A genuine anchor-signed document, but issued to another device key (replayed from
    another enrolment): not this kiosk's."""
    with PortalClient(portal.base_url, timeouts=TEST_TIMEOUTS) as client:
        other = request_enrolment(client, portal.store.create_enrolment_code(now_s()))
    genuine = base64.b64encode(other.unverified_document).decode()
    proxy.add(Fault("rewrite", path="/api/v1/enrol", rewrite=_swap("enrolment", genuine)))
    with PortalClient(proxy.base_url, timeouts=TEST_TIMEOUTS) as client:
        offer = request_enrolment(client, portal.store.create_enrolment_code(now_s()))
    with pytest.raises(Rejected) as refused:
        offer.commit(data, data / "trust")
    assert refused.value.code == "enrolment_not_ours"
    assert not (data / "portal").exists()


def test_the_enrolment_document_names_the_keys_the_kiosk_uses(
    portal: PortalServer, client: PortalClient, data: Path
) -> None:
    offer = request_enrolment(client, portal.store.create_enrolment_code(now_s(), site="HC-01"))
    identity = offer.commit(data, data / "trust")
    document = parse_enrolment(
        (data / "portal" / "enrolment.cose").read_bytes(), portal.store.anchor()
    )
    assert document.device_id == identity.device_id
    assert document.device_key == bytes(identity.signing_key.verify_key)
    assert identity.portal_key == document.portal_key == portal.store.portal_public_key()
    assert bytes(journal_seal_key(data)) == document.seal_key
    assert identity.site == document.site == "HC-01"  # the operator's code, not the kiosk's claim
    assert DeviceIdentity.load(data) == identity


def test_an_enrolment_without_a_signed_document_uploads_nothing_until_made_again(
    portal: PortalServer, tmp_path: Path
) -> None:
    """A kiosk enrolled by a version before the document keeps its device id (its journal
    rows name it) but has no key to verify receipts under: it uploads nothing, says why, and
    the portal refusing it is a journaled notice."""
    from tests.sync.conftest import enrol_kiosk

    kiosk = enrol_kiosk(portal, portal.base_url, tmp_path / "kiosk")
    try:
        info_file = kiosk.data_dir / "portal" / "device.json"
        info = json.loads(info_file.read_text())
        del info["portal_key"]  # what an older kiosk wrote
        info_file.write_text(json.dumps(info))
        outdated = DeviceIdentity.load(kiosk.data_dir)
        assert outdated.device_id == kiosk.identity.device_id and outdated.portal_key is None
        kiosk.record(3)
        kiosk.runner.identity = outdated
        report = kiosk.runner.run_round()
        assert [e.code for e in report.errors] == ["enrolment_outdated"]
        assert [n.kind for n in report.notices] == ["device_refused"]
        assert portal.store.event_ids(kiosk.identity.device_id) == []
        assert kiosk.acknowledged_ids() == set()
    finally:
        kiosk.client.close()
        kiosk.journal.close()


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://portal.example.vn", True),
        ("https://10.0.0.5:8443/base", True),
        ("http://127.0.0.1:8470", True),
        ("http://[::1]:8470", True),
        ("http://localhost:8470", True),
        ("http://portal.example.vn", False),
        ("http://10.0.0.5:8470", False),
        ("http://127.0.0.1.attacker.example", False),
        ("ftp://127.0.0.1", False),
        ("portal.example.vn", False),
    ],
)
def test_plain_http_only_to_loopback(url: str, ok: bool) -> None:
    if ok:
        PortalClient(url).close()
        return
    with pytest.raises(Rejected) as refused:
        PortalClient(url)
    assert refused.value.code == "bad_url"
