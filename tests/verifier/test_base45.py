"""Base45 against RFC 9285's examples, and its strictness."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verifier import base45


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"AB", "BB8"),
        (b"Hello!!", "%69 VD92EX0"),
        (b"base-45", "UJCLQE7W581"),
        (b"ietf!", "QED8WEX0"),
    ],
)
def test_rfc9285_examples(raw: bytes, text: str) -> None:
    assert base45.encode(raw) == text
    assert base45.decode(text) == raw


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("GGW", "over 65535"),
        ("::", "over 255"),
        ("A", "dangling"),
        ("ABCD", "dangling"),
        ("bb8", "alphabet"),
        ("BB\n", "alphabet"),
        ("BBĐ", "non-ASCII"),
    ],
)
def test_invalid_texts_are_refused(text: str, why: str) -> None:
    with pytest.raises(base45.Base45Error, match=why):
        base45.decode(text)


def test_largest_valid_groups() -> None:
    assert base45.decode("FGW") == b"\xff\xff"
    assert base45.decode("U5") == b"\xff"


@given(st.binary(max_size=300))
def test_round_trip(data: bytes) -> None:
    assert base45.decode(base45.encode(data)) == data


@given(st.text(alphabet=base45.ALPHABET, max_size=60))
def test_one_byte_string_has_one_text(text: str) -> None:
    try:
        data = base45.decode(text)
    except base45.Base45Error:
        return
    assert base45.encode(data) == text
