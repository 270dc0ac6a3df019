"""A technician badge shown to this kiosk, checked against this kiosk's enrolment (device id,
site) and the revocation list in force.

The scan pipeline tells a new presentation from the same badge still in view (kiosk.core.repeats);
the runtime journals each attempt and tells the screen; what the badge says is decided here.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.core.runtime_messages import BadgeSeen
from kiosk.core.technician.badge import check_badge
from portal_sync.enrolment import DeviceIdentity
from portal_sync.errors import SyncError
from verifier import RevocationList


def badge_place(data_dir: Path) -> tuple[str | None, str | None]:
    """This kiosk's device id and site, as its anchor-signed enrolment named them (the
    editable kiosk.name and kiosk.site open nothing). (None, None) when not enrolled."""
    try:
        identity = DeviceIdentity.load(data_dir)
    except SyncError:
        return None, None
    return identity.device_id, identity.site


def read_badge(
    text: str,
    anchor: bytes | None,
    data_dir: Path,
    revocations: RevocationList | None,
    now: int,
) -> tuple[BadgeSeen, str | None]:
    """What the badge says at this kiosk, and its id (hex) when it could be read."""
    if anchor is None:
        return BadgeSeen(False, None, "no_anchor"), None
    device_id, site = badge_place(data_dir)
    result = check_badge(
        text,
        anchor,
        device_id=device_id,
        site=site,
        revoked=revocations.entries if revocations is not None else None,
        now=now,
    )
    refusal = str(result.refusal) if result.refusal else None
    bid = result.badge.bid.hex() if result.badge is not None else None
    return BadgeSeen(result.ok, result.technician, refusal), bid
