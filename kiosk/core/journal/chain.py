"""The hash chain: each row's hash covers the previous row's hash and the row's own fields.

row_hash = BLAKE2b-256(DOMAIN ‖ prev_hash ‖ canonical(fields)), with canonical() a compact JSON
object (keys sorted, UTF-8, bytes as lower-case hex, only ints, strings and nulls), so the portal
can recompute it in any language. The personal columns enter through `personal_hash`, which lets
retention blank them without breaking the chain; a signed purge marker then says why they are
blank. The row's seq is deliberately not hashed: order is proven by the links, which is what
lets `verify` tell a moved row ("not linked") from an edited one ("does not match its hash").
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

GENESIS = bytes(32)
_ROW_DOMAIN = b"cds-journal/row/v1\x00"
_PERSONAL_DOMAIN = b"cds-journal/personal/v1\x00"


def _plain(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.hex()
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise TypeError(f"the chain encodes ints, strings, bytes and None, not {type(value).__name__}")


def canonical(fields: Mapping[str, Any]) -> bytes:
    plain = {key: _plain(value) for key, value in fields.items()}
    return json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def row_hash(prev_hash: bytes, fields: Mapping[str, Any]) -> bytes:
    return hashlib.blake2b(_ROW_DOMAIN + prev_hash + canonical(fields), digest_size=32).digest()


def personal_hash(personal: Mapping[str, bytes | None]) -> bytes | None:
    """None when the row carries no personal data at all."""
    if all(v is None for v in personal.values()):
        return None
    return hashlib.blake2b(_PERSONAL_DOMAIN + canonical(personal), digest_size=32).digest()
