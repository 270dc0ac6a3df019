"""Technician badges: a QR signed under the kiosk's trust anchor that opens the technician pages.

Format (docs/technician-badge.md): `CDSTECH1:` + Base45 of a COSE_Sign1 (alg EdDSA, kid of the
trust anchor) whose payload is a CBOR map
`{"type": "cds-technician-badge", "v": 1, "tech": tstr, "site": tstr|null, "kiosk": tstr|null,
"nbf": int, "exp": int}`. A badge opens a kiosk when its signature verifies under the pinned
anchor, it names this kiosk (`kiosk.name`) or this site (`kiosk.site`), now lies within
nbf − skew .. exp, and it lives at most `MAX_LIFETIME_S`. Only verification produces a Badge;
nothing is read from the payload before the signature verifies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from verifier.base45 import Base45Error
from verifier.base45 import decode as b45decode
from verifier.documents import open_signed
from verifier.errors import ForgedDocument, MalformedDocument

PREFIX = "CDSTECH1:"
TYPE = "cds-technician-badge"
MAX_TEXT = 1000
MAX_LIFETIME_S = 7 * 86400  # a badge is a short-lived pass, not an identity card
CLOCK_SKEW_S = 300


class BadgeRefusal(StrEnum):
    FORMAT = "format"
    FORGED = "forged"  # not signed by this kiosk's trust anchor
    WRONG_PLACE = "wrong_place"  # names another kiosk or site, or neither
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    TOO_LONG = "too_long"  # a lifetime over MAX_LIFETIME_S


@dataclass(frozen=True, slots=True)
class Badge:
    technician: str
    site: str | None
    kiosk: str | None
    not_before: int
    expires: int


@dataclass(frozen=True, slots=True)
class BadgeCheck:
    badge: Badge | None  # set only when the badge opens this kiosk
    refusal: BadgeRefusal | None = None
    technician: str | None = None  # named even when refused (after the signature verified)

    @property
    def ok(self) -> bool:
        return self.badge is not None


def is_badge(text: str) -> bool:
    return text.startswith(PREFIX)


def _opt_str(body: Mapping[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is None or (isinstance(value, str) and 0 < len(value) <= 64):
        return value
    raise ValueError(name)


def check_badge(text: str, anchor: bytes, *, kiosk: str, site: str, now: int) -> BadgeCheck:
    """Never raises: a badge that fails any rule is refused with a reason."""
    if not is_badge(text) or len(text) > MAX_TEXT:
        return BadgeCheck(None, BadgeRefusal.FORMAT)
    try:
        body = open_signed(b45decode(text[len(PREFIX) :]), anchor, max_bytes=MAX_TEXT)
    except Base45Error:
        return BadgeCheck(None, BadgeRefusal.FORMAT)
    except ForgedDocument:
        return BadgeCheck(None, BadgeRefusal.FORGED)
    except MalformedDocument:
        return BadgeCheck(None, BadgeRefusal.FORMAT)
    try:
        if not isinstance(body, Mapping) or body.get("type") != TYPE or body.get("v") != 1:
            raise ValueError("type")
        tech = body.get("tech")
        nbf, exp = body.get("nbf"), body.get("exp")
        if not isinstance(tech, str) or not 0 < len(tech) <= 64:
            raise ValueError("tech")
        if type(nbf) is not int or type(exp) is not int or exp <= nbf:
            raise ValueError("times")
        badge = Badge(tech, _opt_str(body, "site"), _opt_str(body, "kiosk"), nbf, exp)
    except ValueError:
        return BadgeCheck(None, BadgeRefusal.FORMAT)
    refusal: BadgeRefusal | None = None
    if badge.expires - badge.not_before > MAX_LIFETIME_S:
        refusal = BadgeRefusal.TOO_LONG
    elif not ((badge.kiosk is not None and badge.kiosk == kiosk)
              or (badge.site is not None and site != "" and badge.site == site)):  # fmt: skip
        refusal = BadgeRefusal.WRONG_PLACE
    elif now + CLOCK_SKEW_S < badge.not_before:
        refusal = BadgeRefusal.NOT_YET_VALID
    elif now > badge.expires:
        refusal = BadgeRefusal.EXPIRED
    if refusal is not None:
        return BadgeCheck(None, refusal, badge.technician)
    return BadgeCheck(badge, None, badge.technician)
