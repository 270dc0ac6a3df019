"""Enrolment against the reference portal: keys and files, refused codes, the anchor."""

from __future__ import annotations

import stat
from pathlib import Path

import nacl.public
import pytest

from devportal.server import PortalServer
from devportal.store import now_s
from portal_sync.client import PortalClient
from portal_sync.enrolment import (
    DeviceIdentity,
    read_seal_key,
    request_enrolment,
    seal_key_path,
)
from portal_sync.errors import EnrolmentRefused, NotEnrolled, Rejected
from tests.sync.conftest import TEST_TIMEOUTS
from verifier.trust_store import read_anchor


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
    assert bytes(read_seal_key(data)) == bytes(portal.store.seal_private_key().public_key)
    # What the journal will do with it: only the portal can open the box.
    sealed = nacl.public.SealedBox(read_seal_key(data)).encrypt(b"048090001234")
    assert nacl.public.SealedBox(portal.store.seal_private_key()).decrypt(sealed) == b"048090001234"
    assert seal_key_path(data) == data / "portal" / "seal.pub"
    device = portal.store.device(identity.device_id)
    assert device is not None and device.name == "Cổng A"


@pytest.mark.parametrize(
    ("make_code", "code"),
    [
        (lambda s: s.create_enrolment_code(now_s() - 7200, ttl_s=3600), "enrolment_code_expired"),
        (lambda s: "AAAA-BBBB-CCCC", "enrolment_code_unknown"),
    ],
    ids=["expired", "unknown"],
)
def test_a_refused_code_writes_nothing_and_a_fresh_one_works(
    make_code: object, code: str, portal: PortalServer, client: PortalClient, data: Path
) -> None:
    with pytest.raises(EnrolmentRefused) as refused:
        request_enrolment(client, make_code(portal.store))  # type: ignore[operator]
    assert refused.value.code == code
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
    assert refused.value.code == "enrolment_code_used"


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
