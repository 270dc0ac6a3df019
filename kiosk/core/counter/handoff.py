"""Counter hand-off: the verified identity passed to the counter's own software.

Three ways, chosen by `counter.handoff`: the clipboard only (off, the default; the screen copies
text or JSON), a file drop (one JSON file per hand-off in `counter.handoff_dir`, written
atomically so a watcher never reads half a file), or a loopback-only HTTP endpoint
(`GET http://127.0.0.1:PORT/identity` returns the latest hand-off once, then 204 until the next).
Nothing is sent off the machine, and a hand-off expires after `MAX_AGE_S`.

Loopback is not a wall: any local process, and any web page a browser on the machine opens, can
reach 127.0.0.1. So the endpoint answers only a request that carries the per-install token
(`<data dir>/handoff/token`, 0600, readable by the kiosk's user alone) as `Authorization: Bearer`,
names the kiosk itself in `Host` (a DNS-rebinding page sends its own name), and has no `Origin`
or `Sec-Fetch-Site` header (a browser's request, never the counter's software). A refused
request says nothing and leaves the hand-off for the counter's software.
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from verifier import Outcome, Verdict
from verifier.durable_write import write_atomically

log = logging.getLogger(__name__)

MAX_AGE_S = 120.0
TOKEN_FILE = Path("handoff") / "token"
TOKEN_BYTES = 32
# Headers only a browser sends: a page's script, or a page after DNS rebinding.
BROWSER_HEADERS = ("Origin", "Sec-Fetch-Site")


@dataclass(frozen=True, slots=True)
class Handoff:
    payload: dict[str, Any]
    made_at: float

    def as_json(self) -> str:
        return json.dumps(self.payload, ensure_ascii=False, indent=1)

    def as_text(self) -> str:
        p = self.payload
        lines = [p["name"], p["id_number"], p["dob"]]
        if p.get("service"):
            lines.append(p["service"])
        if p.get("reference"):
            lines.append(p["reference"])
        return "\n".join(lines)


def make_handoff(
    verdict: Verdict, *, service: str | None, reference: str | None, now: float
) -> Handoff | None:
    """The identity to hand off, or None when there is no person (a reject)."""
    s = verdict.subject
    if s is None or verdict.outcome is Outcome.REJECT:
        return None
    return Handoff(
        {
            "verified": verdict.outcome is Outcome.ACCEPT,
            "kind": str(verdict.kind),
            "name": s.name,
            "id_number": s.id_number,
            "dob": s.dob,
            "sex": s.sex,
            "service": service,
            "reference": reference or None,
            "time": int(now),
        },
        now,
    )


DROP_PATTERN = "identity-*.json"


def sweep_drops(directory: Path, now: float | None = None) -> int:
    """Delete hand-off files older than MAX_AGE_S: they hold a name and an ID number in clear,
    so they live no longer than the loopback hand-off does. Returns how many went."""
    now = time.time() if now is None else now
    gone = 0
    for path in Path(directory).glob(DROP_PATTERN):
        try:
            if now - path.stat().st_mtime > MAX_AGE_S:
                path.unlink()
                gone += 1
        except FileNotFoundError:
            continue  # the counter's software took it first
    return gone


def drop_file(directory: Path, handoff: Handoff) -> Path:
    """Write one hand-off for the counter's software, and sweep away stale ones."""
    sweep_drops(directory)
    path = Path(directory) / f"identity-{int(handoff.made_at * 1000)}.json"
    write_atomically(path, handoff.as_json().encode("utf-8"))
    return path


def token_path(data_dir: Path) -> Path:
    return Path(data_dir) / TOKEN_FILE


def handoff_token(data_dir: Path) -> str:
    """The per-install token the counter's software presents: made once (0600), then kept, so
    the counter's software is configured with it once."""
    path = token_path(data_dir)
    try:
        token = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        token = secrets.token_hex(TOKEN_BYTES) + "\n"
        write_atomically(path, token.encode("ascii"), mode=0o600)
        token = path.read_text(encoding="ascii").strip()
    if len(token) != 2 * TOKEN_BYTES or not all(c in "0123456789abcdef" for c in token):
        raise ValueError(f"{path}: not a hand-off token; delete it to make a new one")
    return token


class Refusal(StrEnum):
    """Why a request got nothing (logged; the client only sees the status)."""

    BROWSER = "browser"  # an Origin or Sec-Fetch-Site header
    HOST = "host"  # Host is not this endpoint's own address
    TOKEN = "token"  # no token or a wrong one


REFUSAL_STATUS = {Refusal.BROWSER: 403, Refusal.HOST: 421, Refusal.TOKEN: 401}


def refusal(headers: Iterable[tuple[str, str]], *, port: int, token: str) -> Refusal | None:
    """Whether a request with these headers may have the hand-off (None), or why not."""
    seen: dict[str, list[str]] = {}
    for name, value in headers:
        seen.setdefault(name.lower(), []).append(value.strip())
    if any(h.lower() in seen for h in BROWSER_HEADERS):
        return Refusal.BROWSER
    if seen.get("host") not in ([f"127.0.0.1:{port}"], [f"localhost:{port}"]):
        return Refusal.HOST
    auth = seen.get("authorization", [])
    scheme, _, presented = (auth[0] if len(auth) == 1 else "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        presented.strip().encode(), token.encode()
    ):
        return Refusal.TOKEN
    return None


class LoopbackServer:
    """`GET /identity` on 127.0.0.1 only: the latest hand-off, once, to the holder of the token."""

    def __init__(self, port: int, token: str) -> None:
        self._latest: Handoff | None = None
        self._lock = threading.Lock()
        self.refused: deque[Refusal] = deque(maxlen=64)  # the latest turned away, newest last
        outer = self

        class Handler(BaseHTTPRequestHandler):
            timeout = 5  # a local client that connects and sends nothing holds no thread

            def do_GET(self) -> None:
                why = refusal(self.headers.items(), port=outer.port, token=token)
                if why is not None:
                    outer.refused.append(why)
                    log.warning("counter hand-off: request refused (%s)", why)
                    self._empty(REFUSAL_STATUS[why])
                    return
                if self.path != "/identity":
                    self._empty(404)
                    return
                taken = outer.take()
                if taken is None:
                    self._empty(204)
                    return
                body = taken.as_json().encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def _empty(self, status: int) -> None:
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                log.debug("handoff http: " + format, *args)

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._thread = threading.Thread(
            target=self.server.serve_forever,
            kwargs={"poll_interval": 0.1},  # how long close() may wait for the loop to notice
            name="handoff http",
            daemon=True,
        )

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def start(self) -> None:
        self._thread.start()

    def offer(self, handoff: Handoff) -> None:
        with self._lock:
            self._latest = handoff

    def take(self) -> Handoff | None:
        with self._lock:
            h, self._latest = self._latest, None
        if h is None or time.time() - h.made_at > MAX_AGE_S:
            return None
        return h

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
