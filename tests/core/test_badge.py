"""Technician badges: signed under the anchor, bound to a device id or site, short-lived,
revocable."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nacl.signing
import pytest

from devportal import badge as portal_badge
from kiosk.core.technician import badge as kiosk_badge
from kiosk.core.technician.badge import PREFIX, BadgeRefusal, check_badge
from verifier.documents import revocation_hash

ANCHOR_KEY = nacl.signing.SigningKey(bytes(range(32)))
ANCHOR = bytes(ANCHOR_KEY.verify_key)
NOW = 1_800_000_000
DEVICE = "kd-0123456789abcdef"  # what the portal calls this kiosk (its enrolment document)
BID = bytes(range(16))


def make_badge(key: nacl.signing.SigningKey = ANCHOR_KEY, **fields: Any) -> str:
    """The portal's badge tool's own encoder (devportal/badge.py) over a body a test may bend."""
    body = {"type": "cds-technician-badge", "v": 2, "bid": BID, "tech": "kt-07",
            "device": DEVICE, "site": None, "nbf": NOW - 60, "exp": NOW + 3600,
            **fields}  # fmt: skip
    return portal_badge.badge_text(key, body)


def write_identity(data_dir: Path, device_id: str = DEVICE, site: str | None = None) -> None:
    """This kiosk enrolled as `device_id` (at `site`): the files a verified enrolment writes."""
    folder = data_dir / "portal"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "device.key").write_text(bytes(32).hex())
    info = {"device_id": device_id, "portal_url": "http://127.0.0.1:9", "site": site,
            "anchor_fingerprint": "", "portal_key": bytes(ANCHOR_KEY.verify_key).hex()}  # fmt: skip
    (folder / "device.json").write_text(json.dumps(info))


def test_the_portal_and_the_kiosk_agree_on_the_names() -> None:
    assert (portal_badge.PREFIX, portal_badge.TYPE, portal_badge.VERSION) == (
        kiosk_badge.PREFIX,
        kiosk_badge.TYPE,
        kiosk_badge.VERSION,
    )
    assert portal_badge.MAX_HOURS * 3600 == kiosk_badge.MAX_LIFETIME_S
    assert (portal_badge.BID_LENGTH, portal_badge.CLOCK_SKEW_S) == (
        kiosk_badge.BID_LENGTH,
        kiosk_badge.CLOCK_SKEW_S,
    )


def test_what_the_tool_issues_opens_the_kiosk_it_names() -> None:
    body = portal_badge.badge_body(
        "kt-07", bid=BID, device=DEVICE, site=None, not_before=NOW, hours=2
    )
    assert _check(portal_badge.badge_text(ANCHOR_KEY, body)).ok
    for wrong in ({"device": None, "site": None}, {"device": "A", "site": "B"}, {"hours": 169},
                  {"hours": 0}, {"technician": ""}, {"bid": b"short"}):  # fmt: skip
        values: dict[str, Any] = {"technician": "kt-07", "bid": BID, "device": DEVICE,
                                  "site": None, "not_before": NOW, "hours": 2, **wrong}  # fmt: skip
        with pytest.raises(ValueError):
            portal_badge.badge_body(values.pop("technician"), **values)


def _check(
    text: str,
    device_id: str | None = DEVICE,
    site: str | None = None,
    now: int = NOW,
    revoked: frozenset[bytes] | None = frozenset(),
) -> Any:
    return check_badge(text, ANCHOR, device_id=device_id, site=site, revoked=revoked, now=now)


def test_a_badge_for_this_device_opens_it() -> None:
    result = _check(make_badge())
    assert result.ok and result.badge is not None and result.badge.technician == "kt-07"
    assert result.badge.bid == BID


def test_a_badge_is_bound_to_the_device_id_not_a_kiosk_name() -> None:
    """Issue 11 point 9: a badge for the default name "Kiosk" opened every kiosk that kept it.
    A v1 badge (bound to kiosk.name) is refused; a v2 one names the portal's device id."""
    v1 = make_badge(v=1, kiosk="Kiosk", device=None)
    assert _check(v1).refusal is BadgeRefusal.FORMAT
    assert _check(make_badge(device="Kiosk"), device_id=DEVICE).refusal is BadgeRefusal.WRONG_PLACE
    assert _check(make_badge(), device_id=None).refusal is BadgeRefusal.WRONG_PLACE  # not enrolled
    assert _check(make_badge(), device_id="kd-ffffffffffffffff").refusal is (
        BadgeRefusal.WRONG_PLACE
    )


def test_a_badge_for_this_site_opens_every_kiosk_bound_to_it() -> None:
    text = make_badge(device=None, site="HC-01")
    assert _check(text, device_id="kd-other", site="HC-01").ok
    assert _check(text, device_id="kd-other", site=None).refusal is BadgeRefusal.WRONG_PLACE
    assert _check(text, device_id="kd-other", site="HC-02").refusal is BadgeRefusal.WRONG_PLACE


def test_a_revoked_badge_is_refused() -> None:
    text = make_badge()
    assert _check(text, revoked=frozenset({revocation_hash(BID)})).refusal is BadgeRefusal.REVOKED
    assert _check(text, revoked=frozenset({revocation_hash(bytes(16))})).ok
    assert _check(text, revoked=None).ok  # no list held yet: nothing names it


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        (make_badge(nacl.signing.SigningKey(bytes(32))), BadgeRefusal.FORGED),
        (make_badge(device="kd-fedcba9876543210"), BadgeRefusal.WRONG_PLACE),
        (make_badge(device=None, site=None), BadgeRefusal.WRONG_PLACE),
        (make_badge(nbf=NOW + 3600, exp=NOW + 7200), BadgeRefusal.NOT_YET_VALID),
        (make_badge(nbf=NOW - 7200, exp=NOW - 1), BadgeRefusal.EXPIRED),
        (make_badge(exp=NOW + 30 * 86400), BadgeRefusal.TOO_LONG),
        (make_badge(type="cds-trust-list"), BadgeRefusal.FORMAT),
        (make_badge(tech=""), BadgeRefusal.FORMAT),
        (make_badge(bid=b"x" * 15), BadgeRefusal.FORMAT),
        (make_badge(v=True), BadgeRefusal.FORMAT),
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
