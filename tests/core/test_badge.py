"""Technician badges: signed under the anchor, bound to a kiosk or site, short-lived."""

from __future__ import annotations

from typing import Any

import cbor2
import nacl.signing
import pytest

from kiosk.core.badge import PREFIX, BadgeRefusal, check_badge
from verifier.base45 import encode as b45encode
from verifier.cose import kid_for, sig_structure

ANCHOR_KEY = nacl.signing.SigningKey(bytes(range(32)))
ANCHOR = bytes(ANCHOR_KEY.verify_key)
NOW = 1_800_000_000


def make_badge(key: nacl.signing.SigningKey = ANCHOR_KEY, **fields: Any) -> str:
    """What the portal's badge tool writes (docs/technician-badge.md)."""
    body = {"type": "cds-technician-badge", "v": 1, "tech": "kt-07", "site": None,
            "kiosk": "Cổng A", "nbf": NOW - 60, "exp": NOW + 3600, **fields}  # fmt: skip
    protected = cbor2.dumps({1: -8, 4: kid_for(bytes(key.verify_key))})
    payload = cbor2.dumps(body)
    signature = key.sign(sig_structure(protected, payload)).signature
    return PREFIX + b45encode(cbor2.dumps(cbor2.CBORTag(18, [protected, {}, payload, signature])))


def _check(text: str, kiosk: str = "Cổng A", site: str = "", now: int = NOW) -> Any:
    return check_badge(text, ANCHOR, kiosk=kiosk, site=site, now=now)


def test_a_badge_for_this_kiosk_opens_it() -> None:
    result = _check(make_badge())
    assert result.ok and result.badge is not None and result.badge.technician == "kt-07"


def test_a_badge_for_this_site_opens_every_kiosk_there() -> None:
    text = make_badge(kiosk=None, site="HC-01")
    assert _check(text, kiosk="Cổng B", site="HC-01").ok
    assert _check(text, kiosk="Cổng B", site="").refusal is BadgeRefusal.WRONG_PLACE


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        (make_badge(nacl.signing.SigningKey(bytes(32))), BadgeRefusal.FORGED),
        (make_badge(kiosk="Cổng B"), BadgeRefusal.WRONG_PLACE),
        (make_badge(kiosk=None, site=None), BadgeRefusal.WRONG_PLACE),
        (make_badge(nbf=NOW + 3600, exp=NOW + 7200), BadgeRefusal.NOT_YET_VALID),
        (make_badge(nbf=NOW - 7200, exp=NOW - 1), BadgeRefusal.EXPIRED),
        (make_badge(exp=NOW + 30 * 86400), BadgeRefusal.TOO_LONG),
        (make_badge(type="cds-trust-list"), BadgeRefusal.FORMAT),
        (make_badge(tech=""), BadgeRefusal.FORMAT),
        (PREFIX + "!!!", BadgeRefusal.FORMAT),
        ("CDS1:ABC", BadgeRefusal.FORMAT),
    ],
)
def test_refusals(text: str, refusal: BadgeRefusal) -> None:
    result = _check(text)
    assert not result.ok and result.refusal is refusal


def test_a_tampered_payload_is_forged() -> None:
    text = make_badge()
    flipped = text[:-3] + ("A" if text[-3] != "A" else "B") + text[-2:]
    assert _check(flipped).refusal in (BadgeRefusal.FORGED, BadgeRefusal.FORMAT)
