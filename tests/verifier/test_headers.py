"""What the COSE headers may hold (credential-format.md): one signed credential, one text.

Each case is a re-encoding of one genuine credential that an earlier verifier accepted: the
unprotected map is not signed, so anything it may carry gives anyone new texts for the same
credential; a boolean label equals 1 in Python and was read as alg; `crit` was ignored.
"""

from __future__ import annotations

from typing import Any

import cbor2
import nacl.signing
import pytest

from devportal import issuer
from tests.verifier.conftest import NOW, World
from verifier import MalformedDocument, Outcome, Reason, check, parse_trust_list
from verifier.cose import kid_for


def _text(cose: bytes) -> str:
    return issuer.credential_text(cose)


def _envelope(protected: bytes, unprotected: Any, payload: bytes, signature: bytes) -> bytes:
    return cbor2.dumps(cbor2.CBORTag(18, [protected, unprotected, payload, signature]))


def _signed(key: nacl.signing.SigningKey, payload: bytes, protected: dict[Any, Any]) -> bytes:
    """A COSE_Sign1 whose protected header (any labels, booleans included) is genuinely signed."""
    protected_bytes = cbor2.dumps(protected)
    signature = key.sign(issuer.sig_structure(protected_bytes, payload)).signature
    return _envelope(protected_bytes, {}, payload, signature)


def _reencoded(world: World, unprotected: Any) -> str:
    """The world's genuine credential with its unsigned bucket replaced."""
    protected, _, payload, signature = cbor2.loads(
        issuer.sign1(world.payload(), world.signer)
    ).value
    return _text(_envelope(protected, unprotected, payload, signature))


@pytest.mark.parametrize(
    "unprotected",
    [
        {-1: b"\x00" * 3700},  # 3,700 nulls of padding
        {99: None},
        {1: -8},  # alg is read from the protected bucket only, and may not sit here
        {3: "application/cwt"},
        {5: b"\x00" * 12},  # an IV
        {4: b"\x00" * 8, 33: b""},  # the kid and something else
        {4: b"\x00" * 7},  # a kid of the wrong length, though the protected one wins
        {4: "kid-as-text!"},
        {2: [99]},  # crit
        {True: -8},  # a boolean label
        {"4": b"\x00" * 8},  # a text label
    ],
    ids=lambda v: repr(v)[:40],
)
def test_unprotected_header_holding_anything_but_a_kid_is_format(
    world: World, unprotected: Any
) -> None:
    verdict = check(_reencoded(world, unprotected), world.trust(), NOW)
    assert (verdict.outcome, verdict.reason) == (Outcome.REJECT, Reason.FORMAT), verdict.detail


def test_an_unprotected_kid_is_still_accepted(world: World) -> None:
    kid = kid_for(issuer.public_bytes(world.signer))
    assert check(_reencoded(world, {4: kid}), world.trust(), NOW).accepted
    assert check(_reencoded(world, {}), world.trust(), NOW).accepted


@pytest.mark.parametrize(
    "extra",
    [
        {True: -8},  # read as alg by dict.get(1) before
        {False: 0},
        {"alg": -8},
        {b"\x01": -8},
        {2: [99], 99: 0},  # crit naming a label the kiosk does not know
        {2: []},
        {2: [1]},  # crit naming alg: still not supported
    ],
    ids=lambda v: repr(v)[:40],
)
def test_signed_headers_with_non_integer_labels_or_crit_are_format(
    world: World, extra: dict[Any, Any]
) -> None:
    kid = kid_for(issuer.public_bytes(world.signer))
    protected: dict[Any, Any] = {4: kid, **extra}
    if True not in extra:  # {True: -8, 1: -8} is a duplicate key, refused by the decoder anyway
        protected[1] = -8
    verdict = check(_text(_signed(world.signer, world.payload(), protected)), world.trust(), NOW)
    assert (verdict.outcome, verdict.reason) == (Outcome.REJECT, Reason.FORMAT), verdict.detail


def test_boolean_alg_label_alone_is_format_not_eddsa(world: World) -> None:
    kid = kid_for(issuer.public_bytes(world.signer))
    cose = _signed(world.signer, world.payload(), {True: -8, 4: kid})
    verdict = check(_text(cose), world.trust(), NOW)
    assert verdict.reason is Reason.FORMAT and "integers" in verdict.detail


def test_one_credential_has_one_text_up_to_tag_and_compression(world: World) -> None:
    """Every re-encoding above, plus the allowed ones: only tag 18 and compression vary."""
    payload = world.payload()
    kid = kid_for(issuer.public_bytes(world.signer))
    genuine = issuer.sign1(payload, world.signer)
    protected, _, _, signature = cbor2.loads(genuine).value
    variants: list[bytes] = [
        genuine,
        issuer.sign1(payload, world.signer, tagged=False),
        _envelope(protected, {4: kid}, payload, signature),  # the same kid, unsigned too
        _envelope(protected, {4: b"\x00" * 8}, payload, signature),
        *(_envelope(protected, {n: None}, payload, signature) for n in range(5, 25)),
        _envelope(protected, {-1: b"\x00" * 3700}, payload, signature),
        _envelope(protected, {2: [99]}, payload, signature),
        _envelope(protected, {True: -8}, payload, signature),
    ]
    accepted = {
        text
        for cose in variants
        for text in (issuer.credential_text(cose), issuer.credential_text(cose, compress=False))
        if check(text, world.trust(), NOW).accepted
    }
    allowed = {
        issuer.credential_text(c, compress=z)
        for c in (genuine, issuer.sign1(payload, world.signer, tagged=False))
        for z in (True, False)
    }
    # The protected kid wins over an unprotected one; the spec keeps that (HC1), so a copy of
    # the kid, or any 8 bytes, in the unprotected bucket is the one variation left.
    unprotected_kid = {
        issuer.credential_text(_envelope(protected, {4: k}, payload, signature), compress=z)
        for k in (kid, b"\x00" * 8)
        for z in (True, False)
    }
    assert accepted == allowed | unprotected_kid


def test_documents_obey_the_same_header_rules(world: World) -> None:
    raw = world.trust_list_bytes()
    protected, _, payload, signature = cbor2.loads(raw).value
    assert parse_trust_list(raw, world.anchor_public).version == 1
    padded = _envelope(protected, {-1: b"\x00" * 100}, payload, signature)
    with pytest.raises(MalformedDocument, match="unprotected"):
        parse_trust_list(padded, world.anchor_public)
    anchor_kid = kid_for(world.anchor_public)
    crit = _signed(world.anchor, payload, {1: -8, 4: anchor_kid, 2: [99], 99: 1})
    with pytest.raises(MalformedDocument, match="crit"):
        parse_trust_list(crit, world.anchor_public)
