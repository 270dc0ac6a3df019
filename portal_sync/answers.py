"""The portal's answers, read as untrusted input: no compression, a cap per kind, strict JSON.

A compressed body can inflate a thousandfold, so the kiosk asks for `identity` and refuses any
other `Content-Encoding`. A body is read in pieces as it arrives and given up as soon as it
passes the cap for what was asked (a declared `Content-Length` over the cap is refused before a
byte is read). JSON is parsed with bounds Python's parser lacks: integers of at most 19 digits,
no NaN or Infinity, nesting at most 32 deep (deeper still, the parser's RecursionError is just
another malformed answer), so no later `str()` of a value can recurse too deep either.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any, Protocol

KIB = 1024
MIB = 1024 * KIB

# A trust list holds issuer keys: tens of them, a few kilobytes; room for thousands.
TRUST_LIST_LIMIT = 1 * MIB
# A revocation list entry is 17 bytes of CBOR (a 16-byte string): 1,000,000 entries are
# 17 MB, and this leaves room for about 1.4 million.
REVOCATIONS_LIMIT = 24 * MIB
# JSON answers (enrolment, acknowledgements of up to 5,000 event ids, heartbeat).
JSON_LIMIT = 1 * MIB
# An error answer is read only for its code and message.
ERROR_LIMIT = 64 * KIB

READ_PIECE = 64 * KIB
MAX_INT_DIGITS = 19  # a signed 64-bit integer; nothing the portal sends is larger
MAX_DEPTH = 32  # the portal's answers are two or three levels deep


class MalformedAnswer(ValueError):
    """The answer is not one the kiosk will read; the message says why."""


class Readable(Protocol):
    def read1(self, amt: int | None = ..., decode_content: bool | None = ...) -> bytes: ...


def check_encoding(content_encoding: str | None) -> None:
    encoding = (content_encoding or "identity").strip().lower()
    if encoding not in ("", "identity"):
        raise MalformedAnswer(f"the answer is {encoding}-encoded; only identity was asked for")


def check_length(content_length: str | None, limit: int) -> None:
    if content_length is None:
        return
    text = content_length.strip()
    if not text.isdigit() or len(text) > 19:
        raise MalformedAnswer(f"the answer's Content-Length {text[:40]!r} is not a length")
    if int(text) > limit:
        raise MalformedAnswer(f"the answer is {int(text):,} bytes, over the {limit:,} allowed")


def read_capped(
    raw: Readable, limit: int, *, truncate: bool = False, check: Callable[[], None] | None = None
) -> bytes:
    """Read a body in pieces up to `limit` bytes. Past it: MalformedAnswer, or with
    `truncate` the first `limit` bytes. `check` runs between pieces (a deadline)."""
    body = bytearray()
    while True:
        if check is not None:
            check()
        piece = raw.read1(min(READ_PIECE, limit + 1 - len(body)), decode_content=False)
        if not piece:
            return bytes(body)
        body += piece
        if len(body) > limit:
            if truncate:
                return bytes(body[:limit])
            raise MalformedAnswer(f"the answer is over the {limit:,} bytes allowed")


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise MalformedAnswer(f"an integer of {len(text):,} digits")
    return int(text)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise MalformedAnswer(f"a number out of range: {text[:40]}")
    return value


def _no_constant(name: str) -> float:
    raise MalformedAnswer(f"{name} is not JSON")


def _check_depth(value: Any) -> None:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise MalformedAnswer(f"the JSON is nested over {MAX_DEPTH} deep")
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)


def parse_json(body: bytes) -> Any:
    """The JSON value in `body`. Raises MalformedAnswer for anything else."""
    value = _parse(body)
    _check_depth(value)
    return value


def _parse(body: bytes) -> Any:
    try:
        return json.loads(
            body,
            parse_int=_bounded_int,
            parse_float=_finite_float,
            parse_constant=_no_constant,
        )
    except MalformedAnswer:
        raise
    except RecursionError:
        raise MalformedAnswer("the JSON is nested too deeply") from None
    except (ValueError, TypeError) as e:  # JSONDecodeError and UnicodeDecodeError among them
        raise MalformedAnswer(f"not JSON: {e}") from None
