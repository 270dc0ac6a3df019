"""Clock drift: the portal's `Date` header against the kiosk's own clock.

The kiosk judges credential validity by its own clock, so a clock far off is a fault to
report (journal, heartbeat), not to correct silently. A drift is reported when it first
passes the threshold and again when it moves by half the threshold, not on every round.
"""

from __future__ import annotations

DEFAULT_THRESHOLD_S = 120.0


def drift_to_report(
    offset_s: float | None, threshold_s: float, last_reported_s: float | None
) -> float | None:
    """The drift worth a journal row now, or None."""
    if offset_s is None or abs(offset_s) < threshold_s:
        return None
    if last_reported_s is not None and abs(offset_s - last_reported_s) < threshold_s / 2:
        return None
    return offset_s


def back_in_range(
    offset_s: float | None, threshold_s: float, last_reported_s: float | None
) -> bool:
    """True when a drift was reported and the clock is now within the threshold again."""
    return last_reported_s is not None and offset_s is not None and abs(offset_s) < threshold_s
