"""How long the kiosk has been out of service, and how many scans it refused meanwhile.

The runtime says an outage once when it starts, sums it up now and then while it lasts, and
once when it ends: a camera keeps presenting the code it was refused, several times a second.
"""

from __future__ import annotations

OUTAGE_SUMMARY_S = 60.0


class Outage:
    """How long the kiosk has been out of service and how many scans it refused meanwhile."""

    def __init__(self) -> None:
        self.since = self.last_summary = 0.0
        self.refused = 0

    def begin(self, now: float) -> None:
        self.since = self.last_summary = now
        self.refused = 1

    def summary(self, now: float) -> str | None:
        """Every OUTAGE_SUMMARY_S at most; None in between."""
        if now - self.last_summary < OUTAGE_SUMMARY_S:
            return None
        self.last_summary = now
        return self._words(now)

    def end(self, now: float) -> str:
        words = self._words(now)
        self.refused = 0
        return words

    def _words(self, now: float) -> str:
        return f"{now - self.since:.0f} s, {self.refused} scan(s) not taken"
