"""A technician badge shown to this kiosk: one presentation per badge held in view, checked
against this kiosk's enrolment (device id, site) and the revocation list in force.

The runtime journals each attempt and tells the screen; what a sighting is and what the badge
says are decided here.
"""

from __future__ import annotations

import threading
from pathlib import Path

from kiosk.core.runtime_messages import BadgeSeen
from kiosk.core.technician.badge import check_badge
from portal_sync.enrolment import DeviceIdentity
from portal_sync.errors import SyncError
from verifier import RevocationList

BADGE_QUIET_S = 5.0  # a badge held in view is one presentation


class BadgeSightings:
    """Tells a new presentation of a badge from the same badge still in view. Thread-safe (the
    pipeline's worker and any test caller)."""

    def __init__(self, quiet_s: float = BADGE_QUIET_S) -> None:
        self.quiet_s = quiet_s
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def is_new(self, text: str, now: float) -> bool:
        """`now` is monotonic seconds. Every sighting extends the badge's quiet window."""
        with self._lock:
            last = self._seen.get(text)
            kept = {t: at for t, at in self._seen.items() if now - at < self.quiet_s}
            kept[text] = now
            self._seen = kept
        return last is None or now - last >= self.quiet_s


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
