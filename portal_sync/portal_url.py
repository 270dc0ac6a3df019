"""Which portal URLs a kiosk talks to: https:// anywhere, plain http:// only to this machine.

Everything a kiosk relies on is signed (lists, the enrolment, receipts), so TLS is not what
makes the portal's answers trustworthy; but without it an on-path observer reads which kiosk
syncs when, the request signatures' metadata and the sealed (still unreadable) rows. Plain
HTTP stays for the demo and the tests, which run the reference portal on loopback.
"""

from __future__ import annotations

import ipaddress
import urllib.parse

from portal_sync.errors import Rejected

LOOPBACK_NAMES = frozenset({"localhost"})


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_portal_url(url: str) -> str:
    """The URL without a trailing slash. Raises Rejected(bad_url) for anything but https://,
    or http:// to a loopback address."""
    base = url.strip().rstrip("/")
    try:
        parts = urllib.parse.urlsplit(base)
        host = parts.hostname or ""
    except ValueError:
        raise Rejected(f"portal URL {url!r} is not a URL", code="bad_url") from None
    if parts.scheme == "https" and host:
        return base
    if parts.scheme == "http" and host and is_loopback(host):
        return base
    if parts.scheme == "http" and host:
        raise Rejected(
            f"portal URL {url!r}: plain http:// is allowed only to this machine (the demo);"
            " use https://",
            code="bad_url",
        )
    raise Rejected(f"portal URL {url!r} must start with https://", code="bad_url")
