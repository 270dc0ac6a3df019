"""A passage as it crosses the site bus: nothing personal, signed by the lane's device key.

Wire form: CBOR `[payload, signature]`, the payload itself CBOR bytes (a map with text keys),
the signature Ed25519 over `cds-site-passage-v1:` + payload. The pseudonym is the site's
(every lane keys it with the same secret), so lanes match people without knowing who they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cbor2
import nacl.exceptions
import nacl.signing

SIGNING_CONTEXT = b"cds-site-passage-v1:"
HELLO_CONTEXT = b"cds-site-hello-v1:"  # a lane with a fresh session asks the others to resend
VERSION = 1
DIRECTIONS = ("entry", "exit")
MAX_MESSAGE = 1024
MAX_ID = 64


class PassageRefused(Exception):
    """A message that is not a passage this lane accepts; `code` names why (journaled)."""

    def __init__(self, code: str, detail: str, lane: str | None = None) -> None:
        super().__init__(detail)
        self.code = code
        self.lane = lane


@dataclass(frozen=True, slots=True)
class Passage:
    event_id: str  # the journal row's event id at the lane that admitted
    site: str
    lane: str  # the admitting lane's device id
    pseudonym: bytes  # 16 bytes, keyed with the site secret of `epoch`
    epoch: int  # the pseudonym key's rotation epoch (secret.py)
    direction: str  # entry | exit
    ts_ms: int
    row_hash: str  # hex: the journal row, for an audit to find it in the lane's chain

    def payload(self) -> bytes:
        return cbor2.dumps(
            {
                "v": VERSION,
                "event_id": self.event_id,
                "site": self.site,
                "lane": self.lane,
                "pseudonym": self.pseudonym,
                "epoch": self.epoch,
                "direction": self.direction,
                "ts_ms": self.ts_ms,
                "row_hash": self.row_hash,
            },
            canonical=True,
        )


def sign(passage: Passage, key: nacl.signing.SigningKey) -> bytes:
    payload = passage.payload()
    signature = key.sign(SIGNING_CONTEXT + payload).signature
    return cbor2.dumps([payload, signature])


def _text(body: dict[str, Any], name: str, limit: int = MAX_ID) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not 0 < len(value) <= limit or not value.isprintable():
        raise PassageRefused("malformed", f"{name} must be text of 1..{limit} characters")
    return value


def _int(body: dict[str, Any], name: str) -> int:
    value = body.get(name)
    if type(value) is not int or not 0 <= value < 2**63:  # what SQLite's INTEGER holds
        raise PassageRefused("malformed", f"{name} must be a non-negative 64-bit integer")
    return value


def unwrap(message: bytes) -> tuple[bytes, bytes, dict[str, Any]]:
    """(payload, signature, the payload's map), unverified. Raises PassageRefused (malformed)."""
    if len(message) > MAX_MESSAGE:
        raise PassageRefused("malformed", f"message of {len(message)} bytes")
    try:
        outer = cbor2.loads(message)
        if not (isinstance(outer, list) and len(outer) == 2):
            raise ValueError("not [payload, signature]")
        payload, signature = outer
        if not isinstance(payload, bytes) or not isinstance(signature, bytes):
            raise ValueError("payload and signature must be bytes")
        body = cbor2.loads(payload)
        if not isinstance(body, dict):
            raise ValueError("the payload is not a map")
    except (ValueError, cbor2.CBORDecodeError, TypeError) as e:
        raise PassageRefused("malformed", f"not a signed passage: {e}") from None
    return payload, signature, body


def read(message: bytes, lane_key: Any) -> Passage:
    """Verify and read a passage. `lane_key(device_id)` gives the roster's Ed25519 key for a
    lane, or None when the lane is not on the roster. Raises PassageRefused:
    malformed | not_on_roster | bad_signature | wrong_version."""
    payload, signature, body = unwrap(message)
    lane = _text(body, "lane")
    key: bytes | None = lane_key(lane)
    if key is None:
        raise PassageRefused("not_on_roster", f"lane {lane!r} is not on the site's roster", lane)
    try:
        nacl.signing.VerifyKey(key).verify(SIGNING_CONTEXT + payload, signature)
    except (nacl.exceptions.BadSignatureError, ValueError, TypeError):
        raise PassageRefused("bad_signature", f"lane {lane!r}: bad signature", lane) from None
    if body.get("v") != VERSION:
        raise PassageRefused("wrong_version", f"passage v {body.get('v')!r}", lane)
    direction = body.get("direction")
    if direction not in DIRECTIONS:
        raise PassageRefused("malformed", f"direction {direction!r}", lane)
    pseudonym = body.get("pseudonym")
    if not isinstance(pseudonym, bytes) or len(pseudonym) != 16:
        raise PassageRefused("malformed", "pseudonym must be 16 bytes", lane)
    row_hash = _text(body, "row_hash", 128)
    return Passage(
        _text(body, "event_id"),
        _text(body, "site"),
        lane,
        pseudonym,
        _int(body, "epoch"),
        str(direction),
        _int(body, "ts_ms"),
        row_hash,
    )


def sign_hello(site: str, lane: str, ts_ms: int, key: nacl.signing.SigningKey) -> bytes:
    """A lane whose broker session is new (first start, a broker that lost its store) asks the
    others for their recent passages: it could not have been queued what it missed."""
    payload = cbor2.dumps({"v": VERSION, "site": site, "lane": lane, "ts_ms": ts_ms})
    return cbor2.dumps([payload, key.sign(HELLO_CONTEXT + payload).signature])


def read_hello(message: bytes, lane_key: Any) -> tuple[str, str, int]:
    """(site, lane, ts_ms) of a hello signed by a lane on the roster. Raises PassageRefused."""
    payload, signature, body = unwrap(message)
    lane = _text(body, "lane")
    key: bytes | None = lane_key(lane)
    if key is None:
        raise PassageRefused("not_on_roster", f"lane {lane!r} is not on the site's roster", lane)
    try:
        nacl.signing.VerifyKey(key).verify(HELLO_CONTEXT + payload, signature)
    except (nacl.exceptions.BadSignatureError, ValueError, TypeError):
        raise PassageRefused("bad_signature", f"lane {lane!r}: bad hello signature", lane) from None
    return _text(body, "site"), lane, _int(body, "ts_ms")
