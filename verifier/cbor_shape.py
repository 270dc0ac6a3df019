"""A walk over raw CBOR bytes before any decoder sees them: the envelope's shape, strictly.

The unsigned parts of a COSE_Sign1 (the envelope and its protected header bucket) come from
anyone who can print a QR code. A general decoder honours tags such as 28/29 (shared values),
which decode in microseconds and re-encode exponentially, and others that build arbitrary
objects. So before decoding, these bytes must be: definite lengths only, every head in its
shortest form, no tag but a top-level 18 (COSE_Sign1), no simple value but false/true/null
(no floats: nothing in an envelope is one, and their widths would give one item many texts),
containers nested at most MAX_CBOR_DEPTH deep, and nothing after the item.
Signed payloads are decoded only after their signature verifies, so they are not walked.
"""

from __future__ import annotations

from verifier.limits import MAX_CBOR_DEPTH

TAG_COSE_SIGN1 = 18
_MIN_FOR_WIDTH = {24: 24, 25: 0x100, 26: 0x1_0000, 27: 0x1_0000_0000}
_WIDTH = {24: 1, 25: 2, 26: 4, 27: 8}
_SIMPLE_OK = {20, 21, 22}  # false, true, null


class ShapeError(ValueError):
    """The bytes are not strict CBOR of the allowed shape."""


def _item(data: bytes, pos: int, depth: int, top: bool) -> int:
    if pos >= len(data):
        raise ShapeError("truncated CBOR")
    initial = data[pos]
    major, info = initial >> 5, initial & 0x1F
    pos += 1
    if major == 7:
        if info in _SIMPLE_OK:
            return pos
        raise ShapeError(f"simple value or float ({info}) is not allowed here")
    if info < 24:
        value = info
    elif info in _WIDTH:
        end = pos + _WIDTH[info]
        if end > len(data):
            raise ShapeError("truncated CBOR head")
        value = int.from_bytes(data[pos:end], "big")
        if value < _MIN_FOR_WIDTH[info]:
            raise ShapeError("CBOR head not in shortest form")
        pos = end
    else:
        raise ShapeError("indefinite length or reserved CBOR head")
    if major in (0, 1):
        return pos
    if major in (2, 3):
        if pos + value > len(data):
            raise ShapeError("string runs past the end")
        return pos + value
    if major == 6:
        if not (top and value == TAG_COSE_SIGN1):
            raise ShapeError(f"CBOR tag {value} is not allowed here")
        return _item(data, pos, depth, top=False)
    if depth >= MAX_CBOR_DEPTH:
        raise ShapeError(f"CBOR nested deeper than {MAX_CBOR_DEPTH}")
    count = value if major == 4 else 2 * value
    for _ in range(count):
        pos = _item(data, pos, depth + 1, top=False)
    return pos


def check_shape(data: bytes, *, allow_sign1_tag: bool = False) -> None:
    """Raises ShapeError unless `data` is exactly one strict, tag-free CBOR item (a top-level
    tag 18 allowed when asked)."""
    end = _item(data, 0, 0, top=allow_sign1_tag)
    if end != len(data):
        raise ShapeError("bytes after the end of the CBOR item")
