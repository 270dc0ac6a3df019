"""One test at least per reason code and per limit, and the order in which they apply."""

from __future__ import annotations

import sys
import zlib

import cbor2
import pytest

from devportal import issuer
from devportal.issuer import Citizen, ListedKey
from tests.verifier.conftest import CITIZEN, DAY, ISS, NOW, World
from verifier import (
    PREFIX,
    CodeKind,
    Outcome,
    Policy,
    Reason,
    StaleAction,
    TrustState,
    base45,
    check,
    parse_trust_list,
    revocation_hash,
)
from verifier.cose import kid_for


def text_of(cose: bytes, *, compress: bool = True) -> str:
    return issuer.credential_text(cose, compress=compress)


def assert_reject(verdict_text: str, trust: TrustState, reason: Reason, now: int = NOW) -> None:
    verdict = check(verdict_text, trust, now)
    assert verdict.outcome is Outcome.REJECT, verdict
    assert verdict.reason is reason, verdict.detail


def test_valid_credential_is_accepted_with_its_subject(world: World) -> None:
    verdict = check(world.mint(), world.trust(), NOW)
    assert verdict.outcome is Outcome.ACCEPT and verdict.reason is None
    assert verdict.kind is CodeKind.CDS1
    assert verdict.subject is not None
    assert verdict.subject.name == "Nguyễn Văn An"
    assert verdict.subject.id_masked == "********1234"
    assert verdict.subject.birth_year == "1990"
    assert verdict.credential is not None
    assert verdict.credential.kid == kid_for(issuer.public_bytes(world.signer))
    assert verdict.credential.revocation_hash == revocation_hash(bytes(range(16)))


def test_untagged_and_uncompressed_envelopes_are_accepted(world: World) -> None:
    payload = world.payload()
    assert check(
        text_of(issuer.sign1(payload, world.signer, tagged=False)), world.trust(), NOW
    ).accepted
    assert check(
        text_of(issuer.sign1(payload, world.signer), compress=False), world.trust(), NOW
    ).accepted


def test_kid_only_in_unprotected_header_is_accepted(world: World) -> None:
    kid = kid_for(issuer.public_bytes(world.signer))
    cose = issuer.sign1(world.payload(), world.signer, protected={1: -8}, unprotected={4: kid})
    assert check(text_of(cose), world.trust(), NOW).accepted


def test_protected_kid_wins_over_unprotected(world: World) -> None:
    cose = issuer.sign1(world.payload(), world.signer, unprotected={4: b"\x00" * 8})
    assert check(text_of(cose), world.trust(), NOW).accepted
    wrong = issuer.sign1(
        world.payload(),
        world.signer,
        protected={1: -8, 4: b"\x00" * 8},
        unprotected={4: kid_for(issuer.public_bytes(world.signer))},
    )
    assert_reject(text_of(wrong), world.trust(), Reason.UNKNOWN_KEY)


# not_a_credential


@pytest.mark.parametrize(
    "text",
    [
        "https://danang.gov.vn/",
        "",
        "00020101021138570010A000000727",
        "CDS2:ABC",
        "cds1:ABC",
        "048090001234|x|y",
        "a|b|c|d|e|f|g",
    ],
)
def test_other_codes_are_not_credentials(world: World, text: str) -> None:
    verdict = check(text, world.trust(), NOW)
    assert (verdict.outcome, verdict.reason, verdict.kind) == (
        Outcome.REJECT,
        Reason.NOT_A_CREDENTIAL,
        CodeKind.OTHER,
    )


def test_non_text_input_is_rejected_not_raised(world: World) -> None:
    assert check(b"CDS1:", world.trust(), NOW).reason is Reason.NOT_A_CREDENTIAL  # type: ignore[arg-type]
    assert check(None, world.trust(), NOW).reason is Reason.NOT_A_CREDENTIAL  # type: ignore[arg-type]


# format: outer layers


@pytest.mark.parametrize(
    "body",
    [
        "",  # nothing after the prefix
        "abc",  # lower case is outside the alphabet
        "ÀBC",  # non-ASCII
        "A",  # dangling character
        "GGW",  # group over 65535
        "::",  # final pair over 255
        "CDS1:",
    ],
)
def test_bad_base45_is_format(world: World, body: str) -> None:
    assert_reject(PREFIX + body, world.trust(), Reason.FORMAT)


def test_corrupt_zlib_is_format(world: World) -> None:
    packed = bytearray(zlib.compress(issuer.sign1(world.payload(), world.signer)))
    packed[5] ^= 0xFF
    assert_reject(PREFIX + base45.encode(bytes(packed)), world.trust(), Reason.FORMAT)


def test_truncated_zlib_is_format(world: World) -> None:
    packed = zlib.compress(issuer.sign1(world.payload(), world.signer))
    assert_reject(PREFIX + base45.encode(packed[:-6]), world.trust(), Reason.FORMAT)


def test_bytes_after_zlib_stream_are_format(world: World) -> None:
    packed = zlib.compress(issuer.sign1(world.payload(), world.signer)) + b"\x00"
    assert_reject(PREFIX + base45.encode(packed), world.trust(), Reason.FORMAT)


def test_bytes_after_cose_structure_are_format(world: World) -> None:
    cose = issuer.sign1(world.payload(), world.signer) + b"\xf6"
    assert_reject(text_of(cose), world.trust(), Reason.FORMAT)


def test_zlib_bomb_stops_at_the_cap(world: World) -> None:
    bomb = zlib.compress(b"\x00" * 800_000, 9)  # 200x the cap
    text = PREFIX + base45.encode(bomb)
    assert len(text) <= 1500  # the bomb fits in a QR; only the inflate cap stops it
    assert_reject(text, world.trust(), Reason.FORMAT)


def test_uncompressed_body_over_the_cap_is_format(world: World) -> None:
    cose = issuer.sign1(world.payload(extra={99: "x" * 5000}), world.signer)
    assert_reject(text_of(cose, compress=False), world.trust(), Reason.FORMAT)


def test_text_over_1500_characters_is_format(world: World) -> None:
    # A genuinely signed credential, padded with an unknown claim until its text is 3,000 chars.
    filler = bytes(range(256)) * 8
    cose = issuer.sign1(world.payload(extra={99: filler[:1850]}), world.signer)
    text = text_of(cose, compress=False)
    assert 2900 < len(text) <= 3100
    assert_reject(text, world.trust(), Reason.FORMAT)


def test_decompressed_payload_just_under_the_cap_is_fine(world: World) -> None:
    cose = issuer.sign1(world.payload(extra={99: "x" * 3500}), world.signer)
    assert len(cose) < 4096
    assert check(text_of(cose), world.trust(), NOW).accepted


@pytest.mark.parametrize(
    "envelope",
    [
        cbor2.dumps([b"", {}, b""]),  # three items
        cbor2.dumps({"a": 1}),  # a map
        cbor2.dumps(cbor2.CBORTag(98, [b"", {}, b"", b"\x00" * 64])),  # COSE_Sign, not Sign1
        cbor2.dumps([b"", [], b"", b"\x00" * 64]),  # unprotected not a map
        cbor2.dumps([cbor2.dumps({1: -8, 4: b"\x00" * 8}), {}, "text", b"\x00" * 64]),
        cbor2.dumps([cbor2.dumps({1: -8, 4: b"\x00" * 8}), {}, b"", b"\x00" * 63]),
        cbor2.dumps([cbor2.dumps({1: -8}), {}, b"", b"\x00" * 64]),  # no kid
        cbor2.dumps([cbor2.dumps({1: -8, 4: b"\x00" * 7}), {}, b"", b"\x00" * 64]),  # short kid
        cbor2.dumps([cbor2.dumps([1, -8]), {}, b"", b"\x00" * 64]),  # protected not a map
    ],
)
def test_bad_cose_shapes_are_format(world: World, envelope: bytes) -> None:
    assert_reject(text_of(envelope), world.trust(), Reason.FORMAT)


def test_non_shortest_envelope_encoding_is_format(world: World) -> None:
    cose = issuer.sign1(world.payload(), world.signer, tagged=False)
    assert cose[0] == 0x84
    longer = b"\x98\x04" + cose[1:]  # the same array, its length in a needless extra byte
    assert_reject(text_of(longer), world.trust(), Reason.FORMAT)


def test_indefinite_length_envelope_is_format(world: World) -> None:
    cose = issuer.sign1(world.payload(), world.signer, tagged=False)
    indefinite = b"\x9f" + cose[1:] + b"\xff"
    assert_reject(text_of(indefinite), world.trust(), Reason.FORMAT)


def test_duplicate_keys_in_the_unprotected_map_are_format(world: World) -> None:
    cose = issuer.sign1(world.payload(), world.signer, tagged=False)
    # [protected, {}, payload, sig] -> the empty map a0 replaced by {4: h'', 4: h''}.
    protected_len = len(cbor2.dumps(cbor2.loads(cose)[0]))
    at = 1 + protected_len
    assert cose[at] == 0xA0
    duplicated = cose[:at] + bytes.fromhex("a2044004 40") + cose[at + 1 :]
    assert_reject(text_of(duplicated.replace(b" ", b"")), world.trust(), Reason.FORMAT)


# unsupported_alg


@pytest.mark.parametrize("protected", [{1: -7}, {1: "EdDSA"}, {4: b"\x00" * 8}, {}])
def test_other_algorithms_are_unsupported(world: World, protected: dict[int, object]) -> None:
    header = dict(protected)
    header.setdefault(4, kid_for(issuer.public_bytes(world.signer)))
    if protected == {}:
        header = {}
    cose = issuer.sign1(
        world.payload(),
        world.signer,
        protected=header,
        unprotected={4: kid_for(issuer.public_bytes(world.signer))},
    )
    assert_reject(text_of(cose), world.trust(), Reason.UNSUPPORTED_ALG)


# no_trust_list, unknown_key, bad_signature


def test_no_trust_list(world: World) -> None:
    assert_reject(world.mint(), TrustState(), Reason.NO_TRUST_LIST)


def test_unknown_key(world: World) -> None:
    stranger = issuer.signing_key("test:stranger")
    text = issuer.credential_text(issuer.sign1(world.payload(), stranger))
    assert_reject(text, world.trust(), Reason.UNKNOWN_KEY)


def test_forged_signature_under_a_listed_kid(world: World) -> None:
    stranger = issuer.signing_key("test:stranger")
    kid = kid_for(issuer.public_bytes(world.signer))
    text = text_of(issuer.sign1(world.payload(), stranger, protected={1: -8, 4: kid}))
    assert_reject(text, world.trust(), Reason.BAD_SIGNATURE)


def test_altered_payload_breaks_the_signature(world: World) -> None:
    cose = cbor2.loads(issuer.sign1(world.payload(), world.signer, tagged=False))
    other = world.payload(citizen=Citizen("048090009999", CITIZEN.name, CITIZEN.dob, "M"))
    altered = cbor2.dumps([cose[0], {}, other, cose[3]])
    assert_reject(text_of(altered), world.trust(), Reason.BAD_SIGNATURE)


# format: claims (after the signature)


@pytest.mark.parametrize(
    "claims",
    [
        {"iat": "1790000000"},
        {"exp": True},
        {"exp": 2**64},
        {"iat": -5},
        {"nbf": 1.5},
        {"cti": b"\x01" * 15},
        {"cti": "0123456789abcdef"},
        {"iss": 5},
        {"citizen": Citizen("04809000123", "Nguyễn Văn An", "1990-05-17", "M")},
        {"citizen": Citizen("048090001234", "Nguye\u0302\u0303n Va\u0306n An", "1990-05-17", "M")},
        {"citizen": Citizen("048090001234", "", "1990-05-17", "M")},
        {"citizen": Citizen("048090001234", "An", "1990-13-01", "M")},
        {"citizen": Citizen("048090001234", "An", "17/05/1990", "M")},
        {"citizen": Citizen("048090001234", "An", "1990-05-17", "X")},
    ],
)
def test_claims_that_do_not_type_check_are_format(world: World, claims: dict[str, object]) -> None:
    assert_reject(
        issuer.credential_text(issuer.sign1(world.payload(**claims), world.signer)),
        world.trust(),
        Reason.FORMAT,
    )


@pytest.mark.parametrize(
    "cds", [None, [], {"v": 2, "id": "048090001234", "name": "An", "dob": "1990", "sex": "M"}]
)
def test_bad_cds_map_is_format(world: World, cds: object) -> None:
    claims = cbor2.loads(world.payload())
    claims[-65537] = cds
    text = issuer.credential_text(issuer.sign1(cbor2.dumps(claims), world.signer))
    assert_reject(text, world.trust(), Reason.FORMAT)


def test_claims_nested_40_deep_are_format(world: World) -> None:
    deep: object = 1
    for _ in range(40):
        deep = [deep]
    text = issuer.credential_text(issuer.sign1(world.payload(extra={99: deep}), world.signer))
    assert_reject(text, world.trust(), Reason.FORMAT)


def test_claims_nested_within_the_depth_limit_are_fine(world: World) -> None:
    deep: object = 1
    for _ in range(6):  # claims map + 6 arrays + ... = depth 7
        deep = [deep]
    assert check(
        issuer.credential_text(issuer.sign1(world.payload(extra={99: deep}), world.signer)),
        world.trust(),
        NOW,
    ).accepted


def test_unknown_claims_and_cds_fields_are_ignored(world: World) -> None:
    claims = cbor2.loads(world.payload(extra={-70000: {"note": "x"}}))
    claims[-65537]["phone"] = "0905000000"
    text = issuer.credential_text(issuer.sign1(cbor2.dumps(claims), world.signer))
    assert check(text, world.trust(), NOW).accepted


def test_partial_dates_of_birth_are_valid(world: World) -> None:
    for dob in ("1972-03", "1972"):
        citizen = Citizen("048090001234", "Lê Hoàng Phúc", dob, "M")
        verdict = check(world.mint(citizen=citizen), world.trust(), NOW)
        assert verdict.accepted and verdict.subject and verdict.subject.dob == dob


# key_not_valid


def test_credential_issued_outside_the_key_window(world: World) -> None:
    assert_reject(world.mint(iat=world.key_nbf - 1), world.trust(), Reason.KEY_NOT_VALID)
    late = world.mint(iat=world.key_exp + 1, exp=world.key_exp + 100 * DAY)
    assert_reject(late, world.trust(), Reason.KEY_NOT_VALID, now=world.key_exp + 2)


def test_issuer_differs_from_the_key_issuer(world: World) -> None:
    assert_reject(world.mint(iss="VN-HN"), world.trust(), Reason.KEY_NOT_VALID)


# not_yet_valid and expired, with the clock skew


def test_not_yet_valid_by_nbf_and_by_iat(world: World) -> None:
    skew = Policy().clock_skew_s
    assert_reject(world.mint(nbf=NOW + skew + 1), world.trust(), Reason.NOT_YET_VALID)
    assert check(world.mint(nbf=NOW + skew), world.trust(), NOW).accepted
    assert_reject(world.mint(iat=NOW + skew + 1), world.trust(), Reason.NOT_YET_VALID)
    assert check(world.mint(iat=NOW + skew), world.trust(), NOW).accepted


def test_expired_allows_the_clock_skew(world: World) -> None:
    skew = Policy().clock_skew_s
    assert check(world.mint(exp=NOW - skew), world.trust(), NOW).accepted
    verdict = check(world.mint(exp=NOW - skew - 1), world.trust(), NOW)
    assert verdict.reason is Reason.EXPIRED
    assert verdict.subject is not None and verdict.subject.name == CITIZEN.name  # signed: shown


def test_skew_is_an_argument(world: World) -> None:
    text = world.mint(exp=NOW - 10)
    assert check(text, world.trust(), NOW, Policy(clock_skew_s=0)).reason is Reason.EXPIRED
    assert check(text, world.trust(), NOW, Policy(clock_skew_s=10)).accepted


# revoked


def test_revoked(world: World) -> None:
    world.revoked.append(bytes(range(16)))
    assert_reject(world.mint(), world.trust(), Reason.REVOKED)
    assert check(world.mint(cti=b"\xaa" * 16), world.trust(), NOW).accepted


# stale_trust_list


def test_stale_trust_list_rejects_or_warns_as_the_policy_says(world: World) -> None:
    world.next_update = NOW - 3 * DAY
    text = world.mint()
    reject_policy = Policy(stale_grace_s=2 * DAY, on_stale_trust_list=StaleAction.REJECT)
    assert check(text, world.trust(), NOW, reject_policy).reason is Reason.STALE_TRUST_LIST
    warned = check(text, world.trust(), NOW, Policy(stale_grace_s=2 * DAY))
    assert warned.accepted and warned.warnings == (Reason.STALE_TRUST_LIST,)
    fresh_enough = check(text, world.trust(), NOW, Policy(stale_grace_s=4 * DAY))
    assert fresh_enough.accepted and fresh_enough.warnings == ()


# the order of the checks


def test_order_expired_before_revoked_before_stale(world: World) -> None:
    world.revoked.append(bytes(range(16)))
    world.next_update = NOW - 30 * DAY
    strict = Policy(on_stale_trust_list=StaleAction.REJECT)
    assert check(world.mint(exp=NOW - DAY), world.trust(), NOW, strict).reason is Reason.EXPIRED
    assert check(world.mint(), world.trust(), NOW, strict).reason is Reason.REVOKED


def test_order_signature_before_claims(world: World) -> None:
    stranger = issuer.signing_key("test:stranger")
    kid = kid_for(issuer.public_bytes(world.signer))
    bad_claims = world.payload(cti=b"short")
    text = text_of(issuer.sign1(bad_claims, stranger, protected={1: -8, 4: kid}))
    assert_reject(text, world.trust(), Reason.BAD_SIGNATURE)


def test_order_no_trust_list_before_unknown_key_but_after_alg(world: World) -> None:
    bad_alg = text_of(
        issuer.sign1(world.payload(), world.signer, protected={1: -7, 4: b"\x01" * 8})
    )
    assert_reject(bad_alg, TrustState(), Reason.UNSUPPORTED_ALG)
    stranger = text_of(issuer.sign1(world.payload(), issuer.signing_key("x")))
    assert_reject(stranger, TrustState(), Reason.NO_TRUST_LIST)


def test_key_window_checked_before_validity_times(world: World) -> None:
    text = world.mint(iss="VN-HN", exp=NOW - DAY)
    assert_reject(text, world.trust(), Reason.KEY_NOT_VALID)


def test_two_issuer_keys_each_verify_their_own(world: World) -> None:
    second = issuer.signing_key("test:issuer-2")
    keys = [
        ListedKey(issuer.public_bytes(world.signer), ISS, world.key_nbf, world.key_exp),
        ListedKey(issuer.public_bytes(second), "VN-HUE", world.key_nbf, world.key_exp),
    ]
    trust = TrustState(parse_trust_list(world.trust_list_bytes(keys=keys), world.anchor_public))
    hue = issuer.credential_text(issuer.sign1(world.payload(iss="VN-HUE"), second))
    assert check(hue, trust, NOW).accepted
    assert check(world.mint(), trust, NOW).accepted


def test_text_limit_is_exactly_1500_characters(world: World) -> None:
    texts = {}
    for pad in range(700, 900):
        cose = issuer.sign1(world.payload(extra={99: b"\x07" * pad}), world.signer)
        texts[len(text_of(cose, compress=False))] = text_of(cose, compress=False)
    assert check(texts[1499], world.trust(), NOW).accepted
    assert_reject(texts[1501], world.trust(), Reason.FORMAT)


def test_a_bug_inside_a_check_is_a_reject_not_a_crash(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(payload: bytes) -> None:
        raise KeyError("a bug")

    # The package exports the function `check`, which hides the module of the same name.
    monkeypatch.setattr(sys.modules["verifier.check"], "parse_claims", broken)
    verdict = check(world.mint(), world.trust(), NOW)
    assert (verdict.outcome, verdict.reason) == (Outcome.REJECT, Reason.FORMAT)
    assert "check failed unexpectedly" in caplog.text
