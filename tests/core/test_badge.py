"""Technician badges: signed under the anchor, bound to a kiosk or site, short-lived."""

from __future__ import annotations

from typing import Any

import nacl.signing
import pytest

from devportal import badge as portal_badge
from kiosk.core import badge as kiosk_badge
from kiosk.core.badge import PREFIX, BadgeRefusal, check_badge

ANCHOR_KEY = nacl.signing.SigningKey(bytes(range(32)))
ANCHOR = bytes(ANCHOR_KEY.verify_key)
NOW = 1_800_000_000


def make_badge(key: nacl.signing.SigningKey = ANCHOR_KEY, **fields: Any) -> str:
    """The portal's badge tool's own encoder (devportal/badge.py) over a body a test may bend."""
    body = {"type": "cds-technician-badge", "v": 1, "tech": "kt-07", "site": None,
            "kiosk": "Cổng A", "nbf": NOW - 60, "exp": NOW + 3600, **fields}  # fmt: skip
    return portal_badge.badge_text(key, body)


def test_the_portal_and_the_kiosk_agree_on_the_names() -> None:
    assert (portal_badge.PREFIX, portal_badge.TYPE) == (kiosk_badge.PREFIX, kiosk_badge.TYPE)
    assert portal_badge.MAX_HOURS * 3600 == kiosk_badge.MAX_LIFETIME_S


def test_what_the_tool_issues_opens_the_kiosk_it_names() -> None:
    body = portal_badge.badge_body("kt-07", kiosk="Cổng A", site=None, not_before=NOW, hours=2)
    assert _check(portal_badge.badge_text(ANCHOR_KEY, body)).ok
    for wrong in ({"kiosk": None, "site": None}, {"kiosk": "A", "site": "B"}, {"hours": 169},
                  {"hours": 0}, {"technician": ""}):  # fmt: skip
        values: dict[str, Any] = {"technician": "kt-07", "kiosk": "Cổng A", "site": None,
                                  "not_before": NOW, "hours": 2, **wrong}  # fmt: skip
        with pytest.raises(ValueError):
            portal_badge.badge_body(values.pop("technician"), **values)


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
