"""The reference portal's HTTP API as a WSGI application (the contract: docs/api/openapi.yaml).

Plain WSGI, no framework: five routes, each short enough to read against the contract.
The clock is injectable so tests can move the portal's time without touching the kiosk's.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import math
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import nacl.exceptions
import nacl.signing

from devportal import signatures
from devportal.chain import ChainRefused, Head, link_of
from devportal.store import DOCUMENT_KINDS, PortalError, PortalStore, now_s
from verifier.documents import anchor_fingerprint

log = logging.getLogger(__name__)

API = "/api/v1"
MAX_BODY_BYTES = 8 * 1024 * 1024
MAX_BATCH_EVENTS = 5000
MAX_EVENT_ID = 64
CREATED_WINDOW_S = 300  # a signature's `created` may be this far from the portal's clock
ENROL_PROOF_CONTEXT = b"cds-enrol-v1:"
# Refused enrolments per client address: a burst, then one a few seconds. A valid code is never
# held back while the bucket has room, so a fleet enrolling with one code is not slowed.
ENROL_FAILURE_BURST = 10
ENROL_FAILURE_REFILL_S = 6.0

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
_REASONS = {
    200: "OK",
    201: "Created",
    304: "Not Modified",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Content Too Large",
    429: "Too Many Requests",
    500: "Internal Server Error",
}


class PortalApp:
    def __init__(self, store: PortalStore, clock: Callable[[], int] = now_s) -> None:
        self.store = store
        self.clock = clock
        self.enrol_limiter = FailureLimiter(ENROL_FAILURE_BURST, ENROL_FAILURE_REFILL_S)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")
        try:
            status, headers, body = self.route(method, path, environ)
        except PortalError as e:
            status, headers, body = _json(e.status, {"error": e.code, "message": str(e)})
            if e.retry_after is not None:
                headers.append(("Retry-After", str(e.retry_after)))
        except Exception:
            log.exception("portal error on %s %s", method, path)
            status, headers, body = _json(500, {"error": "internal", "message": "portal error"})
        start_response(
            f"{status} {_REASONS.get(status, 'Error')}",
            [*headers, ("Content-Length", str(len(body)))],
        )
        return [body]

    def route(
        self, method: str, path: str, environ: dict[str, Any]
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        routes: dict[str, tuple[str, Callable[..., tuple[int, list[tuple[str, str]], bytes]]]] = {
            f"{API}/health": ("GET", self.health),
            f"{API}/enrol": ("POST", self.enrol),
            f"{API}/documents/trust-list": ("GET", self.document),
            f"{API}/documents/revocations": ("GET", self.document),
            f"{API}/events": ("POST", self.events),
            f"{API}/heartbeat": ("POST", self.heartbeat),
        }
        if path not in routes:
            raise PortalError(404, "not_found", f"no route {path}")
        allowed, handler = routes[path]
        if method != allowed:
            raise PortalError(405, "method_not_allowed", f"{path} takes {allowed}")
        return handler(path, environ)

    # --- routes -------------------------------------------------------------------------------

    def health(
        self, path: str, environ: dict[str, Any]
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        return _json(200, {"status": "ok", "time": self.clock()})

    def document(
        self, path: str, environ: dict[str, Any]
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        kind = path.rsplit("/", 1)[1]
        assert kind in DOCUMENT_KINDS
        doc = self.store.current_document(kind)
        if doc is None:
            raise PortalError(404, "no_document", f"no {kind} is published yet")
        headers = [("ETag", doc.etag), ("Cache-Control", "public, max-age=60")]
        if_none_match = environ.get("HTTP_IF_NONE_MATCH", "")
        if doc.etag in [t.strip() for t in if_none_match.split(",")]:
            return 304, headers, b""
        return 200, [*headers, ("Content-Type", "application/cose")], doc.raw

    def enrol(self, path: str, environ: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
        client = str(environ.get("REMOTE_ADDR", ""))
        wait = self.enrol_limiter.wait_s(client)
        if wait > 0:
            raise PortalError(
                429, "enrolment_rate_limited", "too many refused enrolments", retry_after=wait
            )
        try:
            return self._enrol(environ)
        except PortalError as e:
            if e.status in (400, 403):
                self.enrol_limiter.failed(client)
            raise

    def _enrol(self, environ: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
        request = _json_body(_read_body(environ))
        code = _text(request, "code", 64)
        try:
            public_key = bytes.fromhex(_text(request, "device_public_key", 64))
            proof = bytes.fromhex(_text(request, "proof", 128))
            nacl.signing.VerifyKey(public_key).verify(ENROL_PROOF_CONTEXT + code.encode(), proof)
        except (ValueError, nacl.exceptions.CryptoError):
            raise PortalError(
                400, "bad_proof", "the device key or its proof of possession is invalid"
            ) from None
        enrolled = self.store.enrol(
            code,
            public_key,
            _text(request, "name", 200, ""),
            _text(request, "site", 200, ""),
            self.clock(),
        )
        return _json(
            201,
            {
                "device_id": enrolled.device_id,
                "enrolment": base64.b64encode(enrolled.document).decode(),
                "trust_anchor": enrolled.anchor.hex(),
                "anchor_fingerprint": anchor_fingerprint(enrolled.anchor),
            },
        )

    def events(
        self, path: str, environ: dict[str, Any]
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        body = _read_body(environ)
        device_id, _ = self._authenticate(path, environ, body, batch=True)
        idem_key = environ["HTTP_IDEMPOTENCY_KEY"].strip()
        batch = _json_body(body)
        raw_events = batch.get("events")
        if not isinstance(raw_events, list) or not 0 < len(raw_events) <= MAX_BATCH_EVENTS:
            raise PortalError(400, "bad_batch", f"events must be a list of 1..{MAX_BATCH_EVENTS}")
        events: list[tuple[str, str]] = []
        bodies: list[tuple[str, dict[str, Any]]] = []
        for item in raw_events:
            if not isinstance(item, dict):
                raise PortalError(400, "bad_batch", "each event must be an object")
            event_id = item.get("event_id")
            if not isinstance(event_id, str) or not 0 < len(event_id) <= MAX_EVENT_ID:
                raise PortalError(400, "bad_batch", "event_id must be text of 1..64 characters")
            if not isinstance(item.get("body"), dict):
                raise PortalError(400, "bad_batch", f"event {event_id}: body must be an object")
            events.append((event_id, json.dumps(item["body"], separators=(",", ":"))))
            bodies.append((event_id, item["body"]))
        checkpoint = batch.get("checkpoint")
        if not (
            isinstance(checkpoint, dict)
            and type(checkpoint.get("seq")) is int
            and isinstance(checkpoint.get("row_hash"), str)
        ):
            raise PortalError(400, "bad_batch", "checkpoint must be {seq: int, row_hash: hex}")
        now = self.clock()
        try:
            links = [link_of(event_id, item) for event_id, item in bodies]
        except ChainRefused as e:
            self.store.flag(device_id, e.code, str(e), now)
            raise PortalError(409, e.code, str(e)) from None
        head = Head(checkpoint["seq"], checkpoint["row_hash"])
        digest = hashlib.sha256(body).hexdigest()
        answer = self.store.ingest(device_id, idem_key, digest, events, links, head, now)
        return _json(200, answer)

    def heartbeat(
        self, path: str, environ: dict[str, Any]
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        body = _read_body(environ)
        device_id, _ = self._authenticate(path, environ, body, batch=False)
        health = _json_body(body)
        now = self.clock()
        self.store.heartbeat(device_id, health, now)
        return _json(200, {"device_id": device_id, "server_time": now})

    # --- request signatures -------------------------------------------------------------------

    def _authenticate(
        self, path: str, environ: dict[str, Any], body: bytes, *, batch: bool
    ) -> tuple[str, signatures.SignatureParams]:
        headers = {
            "content-digest": environ.get("HTTP_CONTENT_DIGEST", ""),
            "idempotency-key": environ.get("HTTP_IDEMPOTENCY_KEY", ""),
        }
        try:
            params = signatures.parse_signature_input(environ.get("HTTP_SIGNATURE_INPUT", ""))
            wanted = signatures.BATCH_COMPONENTS if batch else signatures.BASE_COMPONENTS
            if params.components != wanted:
                raise signatures.SignatureRefused("bad_signature", f"{path} must cover {wanted}")
            if batch and not 0 < len(headers["idempotency-key"]) <= 128:
                raise PortalError(400, "bad_batch", "an event batch needs an Idempotency-Key")
            signatures.check_content_digest(headers["content-digest"], body)
            device = self.store.device(params.keyid)
            if device is None:
                raise signatures.SignatureRefused("unknown_device", "no such device")
            signatures.verify(
                params,
                environ.get("HTTP_SIGNATURE"),
                device.public_key,
                environ["REQUEST_METHOD"],
                path,
                headers,
            )
        except signatures.SignatureRefused as e:
            raise PortalError(401, e.code, str(e)) from None
        # Checked only after the signature, so nobody but the device learns these answers.
        if device.revoked is not None:
            raise PortalError(403, "device_revoked", "this device has been revoked")
        now = self.clock()
        if abs(now - params.created) > CREATED_WINDOW_S:
            raise PortalError(
                401,
                "stale_created",
                f"signature created {params.created - now:+d} s from the portal's clock",
            )
        if not self.store.use_nonce(device.device_id, params.nonce, params.created, now):
            raise PortalError(401, "replayed_nonce", "this nonce was already used")
        return device.device_id, params


def _read_body(environ: dict[str, Any]) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise PortalError(400, "bad_request", "Content-Length is not a number") from None
    if length > MAX_BODY_BYTES:
        raise PortalError(413, "too_large", f"bodies are limited to {MAX_BODY_BYTES} bytes")
    body: bytes = environ["wsgi.input"].read(length) if length else b""
    if len(body) != length:
        raise PortalError(400, "bad_request", "the body is shorter than Content-Length")
    return body


def _json_body(body: bytes) -> dict[str, Any]:
    """The body as a JSON object. Anything else, however hostile (nesting past the recursion
    limit, a 5,000-digit number, a lone surrogate), is a 400, never a traceback."""
    try:
        value = json.loads(body)
        body.decode("utf-8")  # json.loads also takes UTF-16 and UTF-32
        if b"\\ud" in body.lower():  # an escaped surrogate: stored text must be valid UTF-8
            json.dumps(value, ensure_ascii=False).encode("utf-8")
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeError are ValueErrors
        raise PortalError(400, "bad_json", "the body is not JSON") from None
    if not isinstance(value, dict):
        raise PortalError(400, "bad_json", "the body must be a JSON object")
    return value


def _text(request: Mapping[str, Any], name: str, limit: int, default: str | None = None) -> str:
    value = request.get(name, default)
    if not isinstance(value, str) or len(value) > limit or (default is None and not value):
        raise PortalError(400, "bad_request", f"{name} must be text of at most {limit} characters")
    return value


class FailureLimiter:
    """A token bucket of failures per client: `burst` at once, then one per `refill_s`."""

    def __init__(
        self, burst: int, refill_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.burst, self.refill_s = burst, refill_s
        self.clock = clock
        self._lock = threading.Lock()
        self._spent: dict[str, tuple[float, float]] = {}  # client: (failures owed, at)

    def _owed(self, client: str, now: float) -> float:
        owed, at = self._spent.get(client, (0.0, now))
        return max(0.0, owed - (now - at) / self.refill_s)

    def wait_s(self, client: str) -> int:
        """Whole seconds before this client may try again (0: now)."""
        with self._lock:
            now = self.clock()
            over = self._owed(client, now) - (self.burst - 1)
            return 0 if over <= 0 else max(1, math.ceil(over * self.refill_s))

    def failed(self, client: str) -> None:
        with self._lock:
            now = self.clock()
            self._spent[client] = (self._owed(client, now) + 1, now)
            if len(self._spent) > 10_000:  # forget the clients that owe nothing
                self._spent = {c: v for c, v in self._spent.items() if self._owed(c, now) > 0}


def _json(status: int, value: Mapping[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
    return status, [("Content-Type", "application/json")], json.dumps(value).encode()
