"""Base45 (RFC 9285), strict: one byte string has exactly one text.

Out-of-alphabet characters, a dangling single character, and groups whose value does not fit
(over 65535 for three characters, over 255 for a final pair) are errors, never guesses.
"""

from __future__ import annotations

import struct

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_INVALID = 0xFF
# bytes.translate table: an ASCII character to its Base45 value, anything else to 0xFF.
_TO_VALUE = bytes(ALPHABET.index(chr(b)) if chr(b) in ALPHABET else _INVALID for b in range(256))


class Base45Error(ValueError):
    """The text is not strict Base45."""


def encode(data: bytes) -> str:
    out: list[str] = []
    for i in range(0, len(data) - 1, 2):
        n = (data[i] << 8) | data[i + 1]
        n, c = divmod(n, 45)
        e, d = divmod(n, 45)
        out += (ALPHABET[c], ALPHABET[d], ALPHABET[e])
    if len(data) % 2:
        d, c = divmod(data[-1], 45)
        out += (ALPHABET[c], ALPHABET[d])
    return "".join(out)


def decode(text: str) -> bytes:
    try:
        raw = text.encode("ascii")
    except UnicodeEncodeError:
        raise Base45Error("non-ASCII character") from None
    values = raw.translate(_TO_VALUE)
    if _INVALID in values:
        raise Base45Error("character outside the Base45 alphabet")
    full, rest = divmod(len(values), 3)
    if rest == 1:
        raise Base45Error("dangling single character")
    end = full * 3
    # Whole groups at once: struct refuses any value over 65535, which is exactly the range rule.
    groups = [
        a + b * 45 + c * 2025
        for a, b, c in zip(values[0:end:3], values[1:end:3], values[2:end:3], strict=True)
    ]
    try:
        out = struct.pack(f">{full}H", *groups)
    except struct.error:
        raise Base45Error("three-character group over 65535") from None
    if rest == 2:
        n = values[-2] + values[-1] * 45
        if n > 0xFF:
            raise Base45Error("final pair over 255")
        out += bytes((n,))
    return out
