"""Hostile bytes in the unsigned parts: refused fast, as a reason code, never an exception."""

from __future__ import annotations

import time
import zlib
from pathlib import Path

import cbor2
import pytest

from devportal import issuer
from tests.verifier.conftest import NOW, World
from verifier import PREFIX, MalformedDocument, Reason, TrustStore, base45, check, parse_trust_list
from verifier.cbor_shape import ShapeError, check_shape
from verifier.trust_store import TRUST_LIST_FILE


def head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    if n < 256:
        return bytes([major << 5 | 24, n])
    return bytes([major << 5 | 25]) + n.to_bytes(2, "big")


def shared_reference_bomb(levels: int = 7, width: int = 8) -> bytes:
    """Nested shared values (tags 28/29): tiny to decode, exponential to re-encode or walk."""

    def build(k: int) -> bytes:
        if k == levels - 1:
            return head(6, 28) + head(4, 1) + b"\x01"
        refs = [head(6, 29) + head(0, k + 1)] * (width - 1)
        return head(6, 28) + head(4, width) + build(k + 1) + b"".join(refs)

    return head(4, 4) + build(0) + b"\xa0\x40" + head(2, 64) + bytes(64)


def as_text(envelope: bytes) -> str:
    return PREFIX + base45.encode(zlib.compress(envelope, 9))


def test_a_shared_reference_bomb_is_refused_at_once(world: World) -> None:
    text = as_text(shared_reference_bomb())
    assert len(text) < 120
    start = time.perf_counter()
    verdict = check(text, world.trust(), NOW)
    assert time.perf_counter() - start < 0.1
    assert verdict.reason is Reason.FORMAT and "tag 28" in verdict.detail


@pytest.mark.parametrize("tag", [0, 1, 28, 30, 36, 37, 256, 260, 55799])
def test_tags_other_than_a_top_level_18_are_format(world: World, tag: int) -> None:
    cose = cbor2.loads(issuer.sign1(world.payload(), world.signer, tagged=False))
    wrapped = head(4, 4) + head(6, tag) + cbor2.dumps(cose[0]) + b"\xa0"
    wrapped += cbor2.dumps(cose[2]) + cbor2.dumps(cose[3])
    verdict = check(as_text(wrapped), world.trust(), NOW)
    assert verdict.reason is Reason.FORMAT and f"tag {tag}" in verdict.detail


def test_tag_18_below_the_top_is_format(world: World) -> None:
    inner = issuer.sign1(world.payload(), world.signer)
    assert check(as_text(head(6, 18) + inner), world.trust(), NOW).reason is Reason.FORMAT


def test_a_float_in_the_envelope_is_format(world: World) -> None:
    cose = issuer.sign1(world.payload(), world.signer, unprotected={99: 1.5}, tagged=False)
    assert check(as_text(cose), world.trust(), NOW).reason is Reason.FORMAT


def test_alg_as_a_float_is_unsupported(world: World) -> None:
    kid = issuer.kid_for(issuer.public_bytes(world.signer))
    protected = cbor2.dumps({1: -8.0, 4: kid})
    cose = cbor2.dumps([protected, {}, world.payload(), bytes(64)])
    # A float in the protected bucket fails its shape walk: a format error, before the alg.
    assert check(as_text(cose), world.trust(), NOW).reason is Reason.FORMAT


def test_a_missing_kid_is_format_even_with_a_bad_alg(world: World) -> None:
    cose = issuer.sign1(world.payload(), world.signer, protected={1: -7})
    assert check(as_text(cose), world.trust(), NOW).reason is Reason.FORMAT


def test_hostile_documents_are_malformed_not_exceptions(world: World, tmp_path: Path) -> None:
    bomb = shared_reference_bomb()
    with pytest.raises(MalformedDocument):
        parse_trust_list(bomb, world.anchor_public)
    store_dir = tmp_path / "trust"
    store_dir.mkdir()
    (store_dir / TRUST_LIST_FILE).write_bytes(bomb)
    store = TrustStore(store_dir, world.anchor_public)  # starts, and says why it refused
    assert store.state.trust_list is None and "refused" in store.load_problems[0]


@pytest.mark.parametrize(
    "data",
    [
        b"\x9f\x01\xff",
        b"\x18\x01",
        b"\x19\x00\x01",
        b"\x01\x02",
        b"\xf7",
        b"\x5f\x41a\xff",
        b"\x82\x01",
    ],
)
def test_shape_walk_refuses_loose_encodings(data: bytes) -> None:
    with pytest.raises(ShapeError):
        check_shape(data)


def test_shape_walk_depth_limit() -> None:
    nested = head(4, 1) * 8 + b"\x01"
    check_shape(nested)
    with pytest.raises(ShapeError, match="deeper"):
        check_shape(head(4, 1) * 9 + b"\x01")


def test_non_ascii_digits_are_not_an_id_number(world: World) -> None:
    arabic_indic = "٠٤٨٠٩٥٠٠٦٧٨٩"
    text = f"{arabic_indic}||Võ Thị Thanh Hằng|21091995|Nữ|Đà Nẵng|10042021"
    assert check(text, world.trust(), NOW).reason is Reason.NOT_A_CREDENTIAL
