"""The site bus's frame: the signer named in the clear, the signature checked before any CBOR
of the message is parsed, the payload's lane bound to its signer."""

from __future__ import annotations

import os

import cbor2
import nacl.signing
import pytest

from kiosk.core.site import passage as wire
from kiosk.core.site.passage import Passage, PassageRefused

SITE = "bv-c"
LANE_A = nacl.signing.SigningKey(b"\x01" * 32)
LANE_B = nacl.signing.SigningKey(b"\x02" * 32)
ROSTER = {"kd-a": bytes(LANE_A.verify_key), "kd-b": bytes(LANE_B.verify_key)}


def _passage(lane: str = "kd-a") -> Passage:
    return Passage("ev-1", SITE, lane, os.urandom(16), 0, "entry", 1_796_000_000_000, "00" * 32)


def _refusal(message: bytes) -> str:
    with pytest.raises(PassageRefused) as refused:
        wire.read(message, ROSTER.get)
    return refused.value.code


def test_a_signed_passage_reads_back() -> None:
    sent = _passage()
    assert wire.read(wire.sign(sent, LANE_A), ROSTER.get) == sent
    hello = wire.sign_hello(SITE, "kd-b", 123, LANE_B)
    assert wire.read_hello(hello, ROSTER.get) == (SITE, "kd-b", 123)


def test_a_lane_cannot_sign_for_another() -> None:
    """Lane B's key, lane B's frame, a payload saying lane A admitted: refused."""
    payload = _passage("kd-a").payload()
    signature = LANE_B.sign(wire.SIGNING_CONTEXT + payload).signature
    framed = wire.FRAME_MAGIC + bytes([4]) + b"kd-b" + signature + payload
    assert _refusal(framed) == "malformed"
    assert _refusal(wire.sign(_passage("kd-a"), LANE_B)) == "bad_signature"


def test_nothing_of_a_strangers_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[bytes] = []
    real_loads = cbor2.loads
    monkeypatch.setattr(wire.cbor2, "loads", lambda data: parsed.append(data) or real_loads(data))
    stranger = nacl.signing.SigningKey.generate()
    assert _refusal(wire.sign(_passage("kd-x"), stranger)) == "not_on_roster"
    assert _refusal(wire.sign(_passage("kd-a"), stranger)) == "bad_signature"
    assert not parsed  # refused on the frame and the signature alone
    wire.read(wire.sign(_passage(), LANE_A), ROSTER.get)
    assert len(parsed) == 1


@pytest.mark.parametrize(
    "message",
    [
        b"",
        wire.FRAME_MAGIC,
        wire.FRAME_MAGIC + b"\x00",  # no lane id
        wire.FRAME_MAGIC + b"\x04kd-a" + b"\x00" * 10,  # a cut signature
        wire.FRAME_MAGIC + b"\x02\xff\xfe" + b"\x00" * 64,  # a lane id that is not UTF-8
        wire.FRAME_MAGIC + b"\x04kd\na" + b"\x00" * 64,  # not printable
        cbor2.dumps([_passage().payload(), b"\x00" * 64]),  # the version 1 framing
        wire.FRAME_MAGIC + b"\x04kd-a" + os.urandom(2000),  # past the size limit
    ],
)
def test_a_malformed_frame_is_refused_as_such(message: bytes) -> None:
    assert _refusal(message) == "malformed"


def test_a_signed_payload_that_is_not_a_map_is_malformed() -> None:
    payload = cbor2.dumps([1, 2, 3])
    signature = LANE_A.sign(wire.SIGNING_CONTEXT + payload).signature
    assert _refusal(wire.FRAME_MAGIC + b"\x04kd-a" + signature + payload) == "malformed"
