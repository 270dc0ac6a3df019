"""Technician badges: a QR signed under the kiosk's trust anchor that opens the technician pages.

Format (docs/technician-badge.md): `CDSTECH1:` + Base45 of a COSE_Sign1 (alg EdDSA, kid of the
trust anchor) whose payload is a CBOR map
`{"type": "cds-technician-badge", "v": 2, "bid": bstr 16, "tech": tstr, "device": tstr|null,
"site": tstr|null, "nbf": int, "exp": int}`. A badge opens a kiosk when its signature verifies
under the pinned anchor, it names this kiosk's device id or its site (both from the anchor-signed
enrolment document, never from the editable config), now lies within nbf − skew .. exp, it
lives at most `MAX_LIFETIME_S`, and the revocation list held does not name it. Only
verification produces a Badge; nothing is read from the payload before the signature verifies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from verifier.base45 import Base45Error
from verifier.base45 import decode as b45decode
from verifier.documents import open_signed, revocation_hash
from verifier.errors import ForgedDocument, MalformedDocument

PREFIX = "CDSTECH1:"
TYPE = "cds-technician-badge"
VERSION = 2  # v1 named the kiosk by its editable kiosk.name: refused
BID_LENGTH = 16
MAX_TEXT = 1000
MAX_LIFETIME_S = 7 * 86400  # a badge is a short-lived pass, not an identity card
CLOCK_SKEW_S = 300


class BadgeRefusal(StrEnum):
    FORMAT = "format"
    FORGED = "forged"  # not signed by this kiosk's trust anchor
    WRONG_PLACE = "wrong_place"  # names another device or site, or neither
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    TOO_LONG = "too_long"  # a lifetime over MAX_LIFETIME_S
    REVOKED = "revoked"  # its id is on the revocation list


@dataclass(frozen=True, slots=True)
class Badge:
    bid: bytes
    technician: str
    device: str | None
    site: str | None
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


def check_badge(
    text: str,
    anchor: bytes,
    *,
    device_id: str | None,
    site: str | None,
    revoked: frozenset[bytes] | None,
    now: int,
) -> BadgeCheck:
    """Never raises: a badge that fails any rule is refused with a reason.

    `device_id` and `site` are this kiosk's, from its enrolment (None: not enrolled, or no
    site bound), `revoked` the held revocation list's entries (None: none held yet)."""
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
        if not isinstance(body, Mapping) or body.get("type") != TYPE:
            raise ValueError("type")
        if type(body.get("v")) is not int or body["v"] != VERSION:
            raise ValueError("v")
        bid, tech = body.get("bid"), body.get("tech")
        nbf, exp = body.get("nbf"), body.get("exp")
        if not isinstance(bid, bytes) or len(bid) != BID_LENGTH:
            raise ValueError("bid")
        if not isinstance(tech, str) or not 0 < len(tech) <= 64:
            raise ValueError("tech")
        if type(nbf) is not int or type(exp) is not int or exp <= nbf:
            raise ValueError("times")
        badge = Badge(bid, tech, _opt_str(body, "device"), _opt_str(body, "site"), nbf, exp)
    except ValueError:
        return BadgeCheck(None, BadgeRefusal.FORMAT)
    refusal: BadgeRefusal | None = None
    if badge.expires - badge.not_before > MAX_LIFETIME_S:
        refusal = BadgeRefusal.TOO_LONG
    elif not ((badge.device is not None and badge.device == device_id)
              or (badge.site is not None and badge.site == site)):  # fmt: skip
        refusal = BadgeRefusal.WRONG_PLACE
    elif now + CLOCK_SKEW_S < badge.not_before:
        refusal = BadgeRefusal.NOT_YET_VALID
    elif now > badge.expires:
        refusal = BadgeRefusal.EXPIRED
    elif revoked is not None and revocation_hash(badge.bid) in revoked:
        refusal = BadgeRefusal.REVOKED
    if refusal is not None:
        return BadgeCheck(None, refusal, badge.technician)
    return BadgeCheck(badge, None, badge.technician)
