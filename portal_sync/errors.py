"""The sync client's exceptions: every library error is mapped into these at one place.

    SyncError                 the exchange with the portal did not complete
    ├── Transient             try again later: no network, timeout, reset, TLS, 5xx, 429
    ├── Rejected              the portal refused this request; the same request will not pass
    │   └── EnrolmentRefused  the enrolment code is unknown, expired or used up
    └── Unauthorised          the portal does not accept this device (revoked, unknown,
        └── NotEnrolled       bad signature, clock far off), or the kiosk is not enrolled

Whatever the class, the outbox is untouched by a failed exchange: only acknowledged events
are marked. `code` is the portal's error code (docs/sync.md) or a local one. The HTTP library's
errors are mapped into these in portal_sync/http_errors.py, so this module loads no HTTP
library (the journal names these errors; requests loads only when a kiosk syncs).
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable

MAX_RETRY_AFTER_S = 86_400.0  # a portal (or a proxy) cannot silence a kiosk for longer
RESIGN_CODES = frozenset({"stale_created", "replayed_nonce"})


class SyncError(Exception):
    """The exchange with the portal did not complete."""

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str = "error",
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message or (self.__doc__ or "").strip())
        self.code, self.status, self.retry_after = code, status, retry_after


class Transient(SyncError):
    """The portal could not be reached or was busy; the kiosk will try again later."""


class Rejected(SyncError):
    """The portal refused the request."""


class EnrolmentRefused(Rejected):
    """The portal refused the enrolment code."""


class Unauthorised(SyncError):
    """The portal does not accept this device's requests."""


class NotEnrolled(Unauthorised):
    """This kiosk is not enrolled with a portal: run `kiosk enroll`."""


def parse_retry_after(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), capped."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        seconds = float(value)
    else:
        try:
            seconds = email.utils.parsedate_to_datetime(value).timestamp() - now()
        except (TypeError, ValueError, OverflowError, IndexError):
            return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_S)
