"""Technician badges, the portal's side: a QR signed with the trust anchor's key that opens the
technician pages of one enrolled device, or of every device bound to one site, for a few hours.
Each badge has an id (`bid`); revoking it puts revocation_hash(bid) on the revocation list.

The wire format is docs/technician-badge.md; the kiosk checks it in
kiosk/core/technician/badge.py. The portal never imports the kiosk, so the two names below
are written out again here and a test holds them equal to the kiosk's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import cbor2
import nacl.signing

from devportal.issuer import sign1
from verifier import base45

PREFIX = "CDSTECH1:"
TYPE = "cds-technician-badge"
VERSION = 2
BID_LENGTH = 16
CLOCK_SKEW_S = 300  # the kiosk's: a badge opens until exp, and from nbf minus this
MAX_HOURS = 7 * 24  # the kiosk refuses a badge that lives longer (too_long)
MAX_NAME = 64


def badge_body(
    technician: str,
    *,
    bid: bytes,
    device: str | None,
    site: str | None,
    not_before: int,
    hours: float,
) -> dict[str, Any]:
    """The payload for a badge bound to a device (its portal device id) or a site (the site
    its enrolment document names). Raises ValueError for what the kiosk would refuse anyway."""
    if not 0 < len(technician) <= MAX_NAME:
        raise ValueError(f"the technician's id is 1 to {MAX_NAME} characters")
    if (device is None) == (site is None):
        raise ValueError("a badge names one device or one site")
    for place in (device, site):
        if place is not None and not 0 < len(place) <= MAX_NAME:
            raise ValueError(f"a device id or site is 1 to {MAX_NAME} characters")
    if not 0 < hours <= MAX_HOURS:
        raise ValueError(f"a badge lives more than 0 and at most {MAX_HOURS} hours")
    if len(bid) != BID_LENGTH:
        raise ValueError(f"a badge id is {BID_LENGTH} bytes")
    return {
        "type": TYPE,
        "v": VERSION,
        "bid": bid,
        "tech": technician,
        "device": device,
        "site": site,
        "nbf": not_before,
        "exp": not_before + round(hours * 3600),
    }


def badge_text(anchor: nacl.signing.SigningKey, body: Mapping[str, Any]) -> str:
    """`CDSTECH1:` + Base45 of a tagged COSE_Sign1 (EdDSA, kid of the anchor) over `body`.
    No zlib: a badge is small. Tests pass bodies the kiosk must refuse, so nothing is checked."""
    return PREFIX + base45.encode(sign1(cbor2.dumps(dict(body)), anchor))
