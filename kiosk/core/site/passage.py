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

SIGNING_CONTEXT = b"cds-site-passage-v2:"
HELLO_CONTEXT = b"cds-site-hello-v2:"  # a lane with a fresh session asks the others to resend
VERSION = 2
# A frame: this magic, the signer's lane id (a length byte, UTF-8), the Ed25519 signature (64
# bytes), then the CBOR payload the signature covers.
FRAME_MAGIC = b"CDSS2"
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


def _frame(lane: str, payload: bytes, signature: bytes) -> bytes:
    """The bytes on the bus: the signing lane's id in the clear, so its key is found and the
    signature checked before any CBOR of a stranger's is parsed."""
    name = lane.encode("utf-8")
    return FRAME_MAGIC + bytes([len(name)]) + name + signature + payload


def sign(passage: Passage, key: nacl.signing.SigningKey) -> bytes:
    payload = passage.payload()
    return _frame(passage.lane, payload, key.sign(SIGNING_CONTEXT + payload).signature)


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


def _verified(
    message: bytes, lane_key: Any, context: bytes, what: str
) -> tuple[str, dict[str, Any]]:
    """(lane, the payload's map) of a message a lane on the roster signed. The frame is read
    by slicing; the payload is parsed only once its signature holds. Raises PassageRefused."""
    if len(message) > MAX_MESSAGE:
        raise PassageRefused("malformed", f"message of {len(message)} bytes")
    if not message.startswith(FRAME_MAGIC):
        raise PassageRefused("malformed", "not a signed site message")
    at = len(FRAME_MAGIC)
    size = message[at] if len(message) > at else 0
    start, end = at + 1, at + 1 + size
    try:
        lane = message[start:end].decode("utf-8") if size else ""
    except UnicodeDecodeError:
        lane = ""
    if not 0 < len(lane) <= MAX_ID or not lane.isprintable() or len(message) < end + 64:
        raise PassageRefused("malformed", "no lane id or signature in the frame")
    signature, payload = message[end : end + 64], message[end + 64 :]
    key: bytes | None = lane_key(lane)
    if key is None:
        raise PassageRefused("not_on_roster", f"lane {lane!r} is not on the site's roster", lane)
    try:
        nacl.signing.VerifyKey(key).verify(context + payload, signature)
    except (nacl.exceptions.BadSignatureError, ValueError, TypeError):
        raise PassageRefused(
            "bad_signature", f"lane {lane!r}: bad {what} signature", lane
        ) from None
    try:
        body = cbor2.loads(payload)
    except (ValueError, cbor2.CBORDecodeError, TypeError, RecursionError) as e:
        raise PassageRefused("malformed", f"a signed {what} that is not CBOR: {e}", lane) from None
    if not isinstance(body, dict):
        raise PassageRefused("malformed", f"the {what} is not a map", lane)
    if body.get("lane") != lane:
        raise PassageRefused("malformed", f"the {what} names another lane than its signer", lane)
    return lane, body


def read(message: bytes, lane_key: Any) -> Passage:
    """Verify and read a passage. `lane_key(device_id)` gives the roster's Ed25519 key for a
    lane, or None when the lane is not on the roster. Raises PassageRefused:
    malformed | not_on_roster | bad_signature | wrong_version."""
    lane, body = _verified(message, lane_key, SIGNING_CONTEXT, "passage")
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
    return _frame(lane, payload, key.sign(HELLO_CONTEXT + payload).signature)


def read_hello(message: bytes, lane_key: Any) -> tuple[str, str, int]:
    """(site, lane, ts_ms) of a hello signed by a lane on the roster. Raises PassageRefused."""
    lane, body = _verified(message, lane_key, HELLO_CONTEXT, "hello")
    return _text(body, "site"), lane, _int(body, "ts_ms")
