"""The HTTP edge: one requests Session per portal, TLS as the site needs it, timeouts always.

- Every call has a (connect, read) timeout; requests has none by default. A read timeout
  bounds one read, not the exchange, so each request also has a deadline for the whole of it
  (connecting, retries, headers and body; deadline.py), cut shorter by the round's own.
- Answers are untrusted input (answers.py): `identity` encoding only, bodies streamed under a
  cap for what was asked, JSON parsed with bounds. Whatever is wrong with one is `bad_response`.
- GETs are retried by urllib3's Retry on connection errors and gateway errors (502, 504), a few
  times, quickly. 429 and 503 are not retried here: their Retry-After may ask for minutes, which
  the sync loop honours between rounds instead of blocking inside a call. Nor is a read timeout:
  a portal that did not answer within it will not answer the next try either (a connection cut
  while reading is tried again, by `PortalClient.get`).
- POSTs are never retried here (urllib3 retries no POST by default, and only a request that
  never left is safe to resend blindly); upload.py resends a batch under its idempotency key.
- Proxies come from the environment (HTTPS_PROXY, NO_PROXY: requests' trust_env).
- TLS: `system` (the operating system's CAs, for sites whose proxy CA is installed there),
  `bundle` (a CA file the site gives), or `pinned` (the SHA-256 of the exact certificate,
  for a TLS-inspecting proxy with a private CA; urllib3 checks it on every connection).
- The portal's `Date` header on every answer gives the offset between its clock and ours. It
  dates our signatures only while it is within the drift threshold: a `Date` further off is a
  clock fault to report, or a proxy's attempt to make signatures that are valid later.
"""

from __future__ import annotations

import contextlib
import email.utils
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nacl.signing
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from portal_sync import signing
from portal_sync.answers import (
    ERROR_LIMIT,
    JSON_LIMIT,
    MalformedAnswer,
    check_encoding,
    check_length,
    parse_json,
    read_capped,
)
from portal_sync.clock import DEFAULT_THRESHOLD_S
from portal_sync.deadline import Watch, WatchFired, track_pools, watching
from portal_sync.errors import Rejected, Transient
from portal_sync.http_errors import check_response, mapped
from portal_sync.portal_url import check_portal_url

API_PREFIX = "/api/v1"
USER_AGENT = "cds-kiosk-sync/1"
TLS_MODES = ("system", "bundle", "pinned")
GET_BODY_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class TlsConfig:
    mode: str = "system"
    ca_bundle: Path | None = None
    pin_sha256: str | None = None  # hex, colons allowed

    def __post_init__(self) -> None:
        if self.mode not in TLS_MODES:
            raise Rejected(
                f"TLS mode {self.mode!r} is not one of {', '.join(TLS_MODES)}",
                code="bad_tls_config",
            )
        if self.mode == "bundle" and not self.ca_bundle:
            raise Rejected("TLS mode bundle needs a CA bundle file", code="bad_tls_config")
        if self.mode == "pinned":
            pin = (self.pin_sha256 or "").replace(":", "").strip().lower()
            if len(pin) != 64 or any(c not in "0123456789abcdef" for c in pin):
                raise Rejected(
                    "a pinned fingerprint is the 64 hex digits of a SHA-256", code="bad_tls_config"
                )


@dataclass(frozen=True, slots=True)
class Timeouts:
    connect_s: float = 5.0
    read_s: float = 30.0
    deadline_s: float = 60.0  # the whole request, retries included

    def pair(self) -> tuple[float, float]:
        return (self.connect_s, self.read_s)


def get_retry() -> Retry:
    return Retry(
        total=3,
        connect=3,
        read=0,  # see above; reads cut short are retried by PortalClient.get
        status=2,
        other=0,
        backoff_factor=0.25,
        backoff_max=4.0,
        backoff_jitter=0.25,
        status_forcelist=(502, 504),
        allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=False,
        raise_on_status=False,
    )


class TlsAdapter(HTTPAdapter):
    """An adapter whose connections trust the OS store or check a pinned certificate."""

    def __init__(self, tls: TlsConfig, retry: Retry) -> None:
        self._tls = tls
        super().__init__(max_retries=retry, pool_connections=2, pool_maxsize=4)

    def _tls_kwargs(self) -> dict[str, Any]:
        if self._tls.mode == "pinned":
            return {"assert_fingerprint": (self._tls.pin_sha256 or "").replace(":", "").lower()}
        if self._tls.mode == "system":
            return {"ssl_context": ssl.create_default_context()}
        return {}

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **{**kwargs, **self._tls_kwargs()})
        track_pools(self.poolmanager)

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **{**kwargs, **self._tls_kwargs()})
        track_pools(manager)
        return manager


def build_session(tls: TlsConfig, retry: Retry | None = None) -> requests.Session:
    session = requests.Session()  # trust_env: proxies and NO_PROXY from the environment
    session.headers["User-Agent"] = USER_AGENT
    session.headers["Accept-Encoding"] = "identity"  # a compressed answer can be a bomb
    adapter = TlsAdapter(tls, retry or get_retry())
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    if tls.mode == "bundle":
        session.verify = str(tls.ca_bundle)
    elif tls.mode == "pinned":
        # The pin replaces chain validation (the proxy's CA is private); urllib3 still
        # compares the certificate's SHA-256 before a byte of the request is sent.
        session.verify = False
    return session


class PortalClient:
    """Talks to one portal. Not thread-safe: one per sync thread (`abort` excepted)."""

    def __init__(
        self,
        base_url: str,
        *,
        tls: TlsConfig | None = None,
        timeouts: Timeouts | None = None,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.time,
        offset_limit_s: float = DEFAULT_THRESHOLD_S,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base_url = check_portal_url(base_url)  # https://, or http:// to loopback only
        self.timeouts = timeouts or Timeouts()
        self.session = session or build_session(tls or TlsConfig())
        self.clock = clock
        self.clock_offset_s: float | None = None  # portal minus kiosk, from the last Date
        self.offset_limit_s = offset_limit_s  # a larger offset is reported, never applied
        self._monotonic = monotonic
        self._round_end: float | None = None  # monotonic; set by `round_deadline`
        self._watch: Watch | None = None  # the request in flight
        self._stopping = threading.Event()

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> PortalClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def url(self, path: str) -> str:
        return self.base_url + API_PREFIX + path

    def path(self, path: str) -> str:
        """The request target the signature covers (any prefix in the base URL included)."""
        return urllib.parse.urlsplit(self.url(path)).path

    @property
    def offset_applied(self) -> bool:
        """Whether the measured offset dates our signatures (it is within the threshold)."""
        offset = self.clock_offset_s
        return offset is not None and abs(offset) < self.offset_limit_s

    def portal_now(self) -> float:
        """Our clock, corrected by the portal's for signature `created` times when the two are
        close. An offset past the threshold is not applied: our clock is wrong (reported as
        drift; the portal refuses the signatures until it is set), or a proxy is shifting
        `Date` to collect requests that the real portal would accept later."""
        offset = self.clock_offset_s if self.offset_applied else None
        return self.clock() + (offset or 0.0)

    def _note_date(self, response: requests.Response) -> None:
        date = response.headers.get("Date")
        if not date:
            return
        try:
            portal = email.utils.parsedate_to_datetime(date).timestamp()
        except (TypeError, ValueError, OverflowError, IndexError):
            return
        # Date has one-second resolution and is stamped while the request is handled: the
        # error is under a second plus the round trip, far below any threshold that matters.
        self.clock_offset_s = portal - self.clock() + 0.5

    # --- deadlines ---

    @contextlib.contextmanager
    def round_deadline(self, seconds: float) -> Iterator[None]:
        """Requests made inside end by `seconds` from now, whatever their own deadline."""
        self._round_end = self._monotonic() + seconds
        try:
            yield
        finally:
            self._round_end = None

    def round_time_left(self) -> float | None:
        return None if self._round_end is None else self._round_end - self._monotonic()

    def abort(self) -> None:
        """From another thread: cut the request in flight short and refuse further ones (the
        sync loop is stopping). The client is closed afterwards, never reused."""
        self._stopping.set()
        watch = self._watch
        if watch is not None:
            watch.fire("stopped")

    def _request_end(self) -> tuple[float, str]:
        """When the next request must be over (monotonic), and what sets that."""
        own = self._monotonic() + self.timeouts.deadline_s
        if self._round_end is not None and self._round_end < own:
            return self._round_end, "the round's deadline"
        return own, f"the {self.timeouts.deadline_s:g} s request deadline"

    def _cut_short(self, reason: str, what: str, bound: str) -> Transient:
        if reason == "stopped":
            return Transient(f"{what}: stopped", code="stopped")
        code = "round_deadline" if bound.startswith("the round") else "deadline"
        return Transient(f"{what}: no complete answer by {bound}", code=code)

    # --- requests ---

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        what: str,
        limit: int = JSON_LIMIT,
        end: tuple[float, str] | None = None,
    ) -> requests.Response:
        """One exchange; the answer's body (at most `limit` bytes) is in `.content`.
        `end` is a deadline shared with other attempts (see `get`)."""
        end_at, bound = end or self._request_end()
        left = end_at - self._monotonic()
        if self._stopping.is_set():
            raise self._cut_short("stopped", what, bound)
        if left <= 0:
            raise self._cut_short("deadline", what, bound)
        with watching(left) as watch:
            self._watch = watch
            try:
                if self._stopping.is_set():  # abort() ran before _watch was set
                    raise WatchFired("stopped")
                response = self._exchange(method, path, body, headers, what, limit, watch)
            except Exception as e:
                # Once the watch has fired, whatever broke is its doing (a shut socket).
                if watch.reason is not None:
                    raise self._cut_short(watch.reason, what, bound) from e
                if isinstance(e, WatchFired):
                    raise self._cut_short(e.reason, what, bound) from e
                if isinstance(e, MalformedAnswer):
                    raise Transient(f"{what}: {e}", code="bad_response") from e
                raise
            finally:
                self._watch = None
            if watch.reason is not None:  # a body that "ended" because its socket was shut
                raise self._cut_short(watch.reason, what, bound)
        self._note_date(response)
        check_response(response)
        return response

    def _exchange(
        self,
        method: str,
        path: str,
        body: bytes | None,
        headers: Mapping[str, str] | None,
        what: str,
        limit: int,
        watch: Watch,
    ) -> requests.Response:
        def check_watch() -> None:
            if watch.reason is not None:
                raise WatchFired(watch.reason)

        with mapped(what):
            response = self.session.request(
                method,
                self.url(path),
                data=body,
                headers=dict(headers or {}),
                timeout=self.timeouts.pair(),
                allow_redirects=False,
                stream=True,  # read below, under a cap, never whole
                # Given per call: with trust_env, requests lets REQUESTS_CA_BUNDLE override a
                # session's verify=False or bundle path (psf/requests#3829), undoing a pin.
                verify=self.session.verify,
            )
            try:
                # Read inside the mapping: a reset mid-body surfaces here.
                response._content = self._read_body(response, limit, check_watch)
                response._content_consumed = True
            finally:
                response.close()
        return response

    @staticmethod
    def _read_body(response: requests.Response, limit: int, check: Callable[[], None]) -> bytes:
        failed = response.status_code >= 400
        try:
            check_encoding(response.headers.get("Content-Encoding"))
            if not failed:
                check_length(response.headers.get("Content-Length"), limit)
        except MalformedAnswer:
            if failed:
                return b""  # the status says enough; the body would only name the error
            raise
        if failed:
            return read_capped(response.raw, ERROR_LIMIT, truncate=True, check=check)
        return read_capped(response.raw, limit, check=check)

    def get(
        self,
        path: str,
        *,
        headers: Mapping[str, str] | None = None,
        what: str,
        limit: int = JSON_LIMIT,
    ) -> requests.Response:
        # urllib3's Retry covers failures up to the response headers; a connection cut while
        # the body streams escapes it, so a GET (safe to repeat) is tried again here, under
        # the same deadline.
        end = self._request_end()
        for attempt in range(GET_BODY_ATTEMPTS):
            try:
                return self.request("GET", path, headers=headers, what=what, limit=limit, end=end)
            except Transient as e:
                if e.code != "network" or attempt == GET_BODY_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    def post_json(self, path: str, body: bytes, *, what: str) -> requests.Response:
        return self.request(
            "POST", path, body=body, headers={"Content-Type": "application/json"}, what=what
        )

    def post_signed(
        self,
        path: str,
        body: bytes,
        *,
        key: nacl.signing.SigningKey,
        keyid: str,
        what: str,
        idempotency_key: str | None = None,
    ) -> requests.Response:
        headers = signing.sign_request(
            key,
            keyid,
            "POST",
            self.path(path),
            body,
            created=int(self.portal_now()),
            idempotency_key=idempotency_key,
        )
        headers["Content-Type"] = "application/json"
        return self.request("POST", path, body=body, headers=headers, what=what)

    def json(self, response: requests.Response, what: str) -> dict[str, Any]:
        try:
            value = parse_json(response.content)
        except MalformedAnswer as e:
            raise Transient(f"{what}: {e}", code="bad_response") from None
        if not isinstance(value, dict):
            raise Transient(
                f"{what}: the portal's answer is not a JSON object", code="bad_response"
            )
        return value
