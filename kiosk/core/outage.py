"""In service or not, how long the kiosk has been out of service, and how many scans it refused
meanwhile.

An outage is said once when it starts (or its reason changes), summed up now and then while it
lasts, and said once when it ends: a camera keeps presenting the code it was refused, several
times a second.
"""

from __future__ import annotations

import logging
import threading

from kiosk.core.runtime_messages import OutOfService

log = logging.getLogger(__name__)

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


class ServiceState:
    """Whether the kiosk can do its job. Thread-safe: the pipeline's worker and the status
    thread both see a fault begin and end, and each is decided once, under one lock."""

    def __init__(self) -> None:
        # Read without the lock (one reference): each scan asks, and is nearly always in service.
        self.fault: OutOfService | None = None
        self._outage = Outage()
        self._lock = threading.Lock()

    def fail(self, fault: OutOfService, now: float) -> bool:
        """A scan refused for `fault`; True when it is news to tell (a new outage or reason)."""
        with self._lock:
            self._outage.refused += 1
            previous, self.fault = self.fault, fault
            if previous is not None and previous.reason == fault.reason:
                if (summary := self._outage.summary(now)) is not None:
                    log.warning("still out of service: %s: %s", fault.reason, summary)
                return False
            self._outage.begin(now)
        log.error("out of service: %s: %s", fault.reason, fault.detail)
        return True

    def restore(self, now: float) -> None:
        with self._lock:
            ended, self.fault = self.fault, None
            words = self._outage.end(now) if ended is not None else None
        if words is not None:
            log.warning("back in service after %s", words)
