"""Random and mutated input: check() always returns a verdict, never raises, and accepts only
the exact text of a valid credential."""

from __future__ import annotations

import zlib

from hypothesis import given, settings
from hypothesis import strategies as st

from devportal import issuer
from tests.verifier.conftest import NOW, World
from verifier import PREFIX, Outcome, Verdict, base45, check

WORLD = World(issuer.signing_key("test:anchor"), issuer.signing_key("test:issuer"))
TRUST = WORLD.trust()
COSE = issuer.sign1(WORLD.payload(), WORLD.signer)
VALID = issuer.credential_text(COSE)
# The format allows an untagged envelope, so that is the one other form the same signature takes.
UNTAGGED = COSE[1:]
assert COSE[0] == 0xD2 and check(VALID, TRUST, NOW).accepted

ALPHABET = base45.ALPHABET


def judged(text: str) -> Verdict:
    verdict = check(text, TRUST, NOW)
    assert isinstance(verdict, Verdict)
    assert verdict.outcome in set(Outcome)
    if verdict.outcome is Outcome.REJECT:
        assert verdict.reason is not None
    return verdict


@settings(max_examples=300)
@given(st.text(max_size=400))
def test_any_text(text: str) -> None:
    assert not judged(text).accepted


@settings(max_examples=300)
@given(st.text(alphabet=ALPHABET, max_size=600))
def test_any_base45_text_after_the_prefix(body: str) -> None:
    assert not judged(PREFIX + body).accepted


@settings(max_examples=300)
@given(st.binary(max_size=900), st.booleans())
def test_any_bytes_compressed_or_not(data: bytes, compress: bool) -> None:
    body = zlib.compress(data) if compress else data
    assert not judged(PREFIX + base45.encode(body)).accepted


text_edits = st.lists(
    st.tuples(
        st.sampled_from(["replace", "insert", "delete"]),
        st.integers(min_value=0, max_value=len(VALID) - 1),
        st.sampled_from(ALPHABET + "abc\n|"),
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=500)
@given(text_edits)
def test_edited_texts_are_never_accepted(edits: list[tuple[str, int, str]]) -> None:
    text = VALID
    for op, at, char in edits:
        at = min(at, len(text) - 1)
        if op == "replace":
            text = text[:at] + char + text[at + 1 :]
        elif op == "insert":
            text = text[:at] + char + text[at:]
        else:
            text = text[:at] + text[at + 1 :]
    verdict = judged(text)
    assert not verdict.accepted or text == VALID


byte_edits = st.lists(
    st.tuples(
        st.sampled_from(["flip", "set", "insert", "delete"]),
        st.integers(min_value=0, max_value=len(COSE) - 1),
        st.integers(min_value=0, max_value=255),
    ),
    min_size=1,
    max_size=3,
)


@settings(max_examples=500)
@given(byte_edits, st.booleans())
def test_edited_envelopes_are_accepted_only_as_the_same_signed_bytes(
    edits: list[tuple[str, int, int]], compress: bool
) -> None:
    data = bytearray(COSE)
    for op, at, value in edits:
        at = min(at, len(data) - 1)
        if op == "flip":
            data[at] ^= 1 << (value % 8)
        elif op == "set":
            data[at] = value
        elif op == "insert":
            data.insert(at, value)
        else:
            del data[at]
    verdict = judged(issuer.credential_text(bytes(data), compress=compress))
    assert not verdict.accepted or bytes(data) in (COSE, UNTAGGED)
