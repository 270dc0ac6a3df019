"""Trust and revocation lists: signature under the anchor, type, shape, and the store's rules."""

from __future__ import annotations

import os
from pathlib import Path

import cbor2
import pytest

from devportal import issuer
from devportal.issuer import ListedKey
from tests.verifier.conftest import ISS, NOW, World
from verifier import (
    ForgedDocument,
    Installed,
    MalformedDocument,
    Reason,
    RollbackRefused,
    TrustStore,
    TrustStoreError,
    WrongDocumentType,
    anchor_fingerprint,
    anchor_from_hex,
    check,
    parse_revocations,
    parse_trust_list,
)
from verifier.trust_store import REVOCATIONS_FILE, TRUST_LIST_FILE, read_anchor, write_anchor


def test_trust_list_round_trip(world: World) -> None:
    tl = parse_trust_list(world.trust_list_bytes(version=7), world.anchor_public)
    assert tl.version == 7
    [key] = tl.keys.values()
    assert key.iss == ISS and key.public_key == issuer.public_bytes(world.signer)


def test_list_signed_by_another_key_is_forged(world: World) -> None:
    impostor = issuer.signing_key("test:impostor")
    with pytest.raises(ForgedDocument, match="not signed by the pinned trust anchor"):
        parse_trust_list(world.trust_list_bytes(anchor=impostor), world.anchor_public)


def test_list_with_the_anchor_kid_but_a_bad_signature_is_forged(world: World) -> None:
    impostor = issuer.signing_key("test:impostor")
    payload = issuer.trust_list_payload(9, NOW, NOW + 1, [])
    raw = issuer.sign1(payload, impostor, protected={1: -8, 4: issuer.kid_for(world.anchor_public)})
    with pytest.raises(ForgedDocument, match="does not verify"):
        parse_trust_list(raw, world.anchor_public)


def test_tampered_list_bytes_are_forged(world: World) -> None:
    raw = bytearray(world.trust_list_bytes())
    raw[-70] ^= 0x01  # inside the payload
    with pytest.raises((ForgedDocument, MalformedDocument)):
        parse_trust_list(bytes(raw), world.anchor_public)


def test_wrong_type_both_ways(world: World) -> None:
    with pytest.raises(WrongDocumentType, match="cds-revocations"):
        parse_trust_list(world.revocations_bytes(), world.anchor_public)
    with pytest.raises(WrongDocumentType, match="cds-trust-list"):
        parse_revocations(world.trust_list_bytes(), world.anchor_public)


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (
            {
                "type": "cds-trust-list",
                "version": "1",
                "issued_at": 0,
                "next_update": 0,
                "keys": [],
            },
            "version",
        ),
        (
            {"type": "cds-trust-list", "version": 1, "issued_at": 0, "next_update": 0, "keys": {}},
            "keys must be an array",
        ),
        (
            {
                "type": "cds-trust-list",
                "version": 1,
                "issued_at": 0,
                "next_update": 0,
                "keys": [{"kid": b"\x00" * 8, "pub": b"\x01" * 32, "iss": "X", "nbf": 0, "exp": 1}],
            },
            "does not match its public key",
        ),
    ],
)
def test_malformed_trust_lists(world: World, body: dict[str, object], match: str) -> None:
    raw = issuer.sign1(cbor2.dumps(body), world.anchor)
    with pytest.raises(MalformedDocument, match=match):
        parse_trust_list(raw, world.anchor_public)


def test_duplicate_kid_is_malformed(world: World) -> None:
    key = ListedKey(issuer.public_bytes(world.signer), ISS, 0, NOW)
    with pytest.raises(MalformedDocument, match="listed twice"):
        parse_trust_list(world.trust_list_bytes(keys=[key, key]), world.anchor_public)


def test_revocation_entries_must_be_16_bytes(world: World) -> None:
    body = {
        "type": "cds-revocations",
        "version": 1,
        "issued_at": 0,
        "next_update": 0,
        "entries": [b"\x00" * 15],
    }
    with pytest.raises(MalformedDocument, match="16 bytes"):
        parse_revocations(issuer.sign1(cbor2.dumps(body), world.anchor), world.anchor_public)


def test_not_cose_at_all_is_malformed(world: World) -> None:
    with pytest.raises(MalformedDocument):
        parse_trust_list(b"<html>proxy login</html>", world.anchor_public)


# The store


@pytest.fixture
def store(tmp_path: Path, world: World) -> TrustStore:
    return TrustStore(tmp_path / "trust", world.anchor_public)


def test_install_persists_and_reloads(store: TrustStore, world: World) -> None:
    assert store.state.trust_list is None
    result = store.install_trust_list(world.trust_list_bytes(version=3))
    assert (result.outcome, result.version, result.previous_version) == (
        Installed.INSTALLED,
        3,
        None,
    )
    store.install_revocations(world.revocations_bytes(version=2))
    reopened = TrustStore(store.directory, world.anchor_public)
    assert reopened.state.trust_list is not None and reopened.state.trust_list.version == 3
    assert reopened.state.revocations is not None and reopened.state.revocations.version == 2
    assert check(world.mint(), reopened.state, NOW).accepted


def test_rollback_and_equal_version_are_refused(store: TrustStore, world: World) -> None:
    store.install_trust_list(world.trust_list_bytes(version=5))
    with pytest.raises(
        RollbackRefused, match="version 4 is not higher than the installed version 5"
    ):
        store.install_trust_list(world.trust_list_bytes(version=4))
    with pytest.raises(RollbackRefused, match="version 5"):
        store.install_trust_list(world.trust_list_bytes(version=5, next_update=NOW + 99))
    assert store.state.trust_list is not None and store.state.trust_list.version == 5
    assert TrustStore(store.directory, world.anchor_public).state.trust_list.version == 5  # type: ignore[union-attr]


def test_same_document_again_is_unchanged(store: TrustStore, world: World) -> None:
    raw = world.trust_list_bytes(version=2)
    store.install_trust_list(raw)
    result = store.install_trust_list(raw)
    assert (result.outcome, result.version, result.previous_version) == (Installed.UNCHANGED, 2, 2)


def test_forged_and_wrong_type_documents_leave_the_store_as_it_was(
    store: TrustStore, world: World
) -> None:
    store.install_trust_list(world.trust_list_bytes(version=1))
    before = (store.directory / TRUST_LIST_FILE).read_bytes()
    with pytest.raises(ForgedDocument):
        store.install_trust_list(world.trust_list_bytes(version=9, anchor=issuer.signing_key("x")))
    with pytest.raises(WrongDocumentType):
        store.install_trust_list(world.revocations_bytes(version=9))
    assert (store.directory / TRUST_LIST_FILE).read_bytes() == before
    assert not (store.directory / REVOCATIONS_FILE).exists()
    assert store.state.trust_list is not None and store.state.trust_list.version == 1


def test_file_edited_on_disk_is_refused_at_load(store: TrustStore, world: World) -> None:
    store.install_trust_list(world.trust_list_bytes())
    path = store.directory / TRUST_LIST_FILE
    raw = bytearray(path.read_bytes())
    raw[-1] ^= 0x01  # the signature's last byte
    path.write_bytes(bytes(raw))
    reopened = TrustStore(store.directory, world.anchor_public)
    assert reopened.state.trust_list is None
    assert any("refused" in p for p in reopened.load_problems)
    assert check(world.mint(), reopened.state, NOW).reason is Reason.NO_TRUST_LIST


def test_install_leaves_no_temporary_files(store: TrustStore, world: World) -> None:
    store.install_trust_list(world.trust_list_bytes(version=1))
    store.install_trust_list(world.trust_list_bytes(version=2))
    assert sorted(os.listdir(store.directory)) == [TRUST_LIST_FILE]


def test_unwritable_store_raises_store_error(tmp_path: Path, world: World) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    store = TrustStore(blocker / "trust", world.anchor_public)  # parent is a file
    with pytest.raises(TrustStoreError, match="cannot write"):
        store.install_trust_list(world.trust_list_bytes())
    assert store.state.trust_list is None


def test_anchor_file(tmp_path: Path, world: World) -> None:
    with pytest.raises(TrustStoreError, match="no trust anchor"):
        read_anchor(tmp_path)
    write_anchor(tmp_path, world.anchor_public)
    assert read_anchor(tmp_path) == world.anchor_public
    store = TrustStore.open(tmp_path)
    assert store.anchor == world.anchor_public
    (tmp_path / "anchor.hex").write_text("zz" * 32)
    with pytest.raises(TrustStoreError, match="not hex"):
        read_anchor(tmp_path)


@pytest.mark.parametrize("text", ["", "abcd", "g" * 64, "00" * 33])
def test_bad_anchor_hex(text: str) -> None:
    with pytest.raises(ValueError, match="trust anchor"):
        anchor_from_hex(text)


def test_anchor_fingerprint_is_grouped_hex(world: World) -> None:
    fp = anchor_fingerprint(world.anchor_public)
    assert fp == " ".join(
        issuer.kid_for(world.anchor_public).hex().upper()[i : i + 4] for i in range(0, 16, 4)
    )
