"""HTTP answers and the HTTP library's exceptions, mapped into the sync client's errors.

The one place that knows requests' and urllib3's exceptions (portal_sync/errors.py names the
classes they become); used by the client alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import requests
import urllib3.exceptions

from portal_sync.answers import parse_json
from portal_sync.errors import (
    RESIGN_CODES,
    EnrolmentRefused,
    Rejected,
    SyncError,
    Transient,
    Unauthorised,
    parse_retry_after,
)


def _portal_error(response: requests.Response) -> tuple[str, str]:
    """The error code and message of an error answer; texts only, and short."""
    try:
        body = parse_json(response.content)
    except ValueError:  # MalformedAnswer is one
        body = None
    if not isinstance(body, dict):
        return "http_error", (response.reason or "")[:100]
    code, message = body.get("error"), body.get("message")
    return (
        code[:100] if isinstance(code, str) and code else "http_error",
        message[:500] if isinstance(message, str) else "",
    )


def check_response(response: requests.Response) -> None:
    """Raise the SyncError an HTTP error status stands for; 2xx and 304 pass."""
    status = response.status_code
    if status < 400:
        return
    code, message = _portal_error(response)
    text = f"portal answered {status} {code}" + (f": {message}" if message else "")
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    # A stale `created` or a reused nonce is cured by signing again (the Date header of this
    # very answer corrects the kiosk's idea of the portal's clock): not the device's fault.
    if status in (408, 425, 429) or status >= 500 or code in RESIGN_CODES:
        raise Transient(text, code=code, status=status, retry_after=retry_after)
    if code.startswith("enrolment_code"):
        raise EnrolmentRefused(text, code=code, status=status)
    if status in (401, 403):
        raise Unauthorised(text, code=code, status=status)
    raise Rejected(text, code=code, status=status)


@contextmanager
def mapped(what: str) -> Iterator[None]:
    """Turn requests/urllib3 exceptions raised inside into SyncErrors naming `what` was tried."""
    try:
        yield
    except SyncError:
        raise
    except requests.exceptions.SSLError as e:
        raise Transient(f"{what}: TLS failed: {_root(e)}", code="tls") from e
    except requests.exceptions.Timeout as e:
        raise Transient(f"{what}: timed out", code="timeout") from e
    except requests.exceptions.ProxyError as e:
        raise Transient(f"{what}: proxy failed: {_root(e)}", code="proxy") from e
    except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema) as e:
        raise Rejected(f"{what}: bad portal URL: {e}", code="bad_url") from e
    except requests.exceptions.ConnectionError as e:
        # urllib3's retries exhausted by read timeouts come back as a ConnectionError: it is a
        # timeout all the same, and must not be tried again as a cut connection would be.
        if _timed_out(e):
            raise Transient(f"{what}: timed out", code="timeout") from e
        raise Transient(f"{what}: connection failed: {_root(e)}", code="network") from e
    except (
        requests.exceptions.ChunkedEncodingError,
        requests.exceptions.ContentDecodingError,
        requests.exceptions.RetryError,
        urllib3.exceptions.HTTPError,
        ConnectionError,
    ) as e:
        raise Transient(f"{what}: connection failed: {_root(e)}", code="network") from e
    except json.JSONDecodeError as e:
        raise Transient(f"{what}: the answer is not the JSON expected", code="bad_response") from e


def _timed_out(e: requests.exceptions.ConnectionError) -> bool:
    reason = e.args[0] if e.args else None
    return isinstance(reason, urllib3.exceptions.MaxRetryError) and isinstance(
        reason.reason, urllib3.exceptions.TimeoutError
    )


def _root(e: BaseException) -> str:
    """The innermost cause's message: requests wraps urllib3 wraps the socket error."""
    while True:
        nxt = e.__cause__ or e.__context__
        if nxt is None and e.args and isinstance(e.args[0], BaseException):
            nxt = e.args[0]
        if nxt is None:
            return str(e) or type(e).__name__
        e = nxt
