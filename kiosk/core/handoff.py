"""Counter hand-off: the verified identity passed to the counter's own software.

Three ways, chosen by `counter.handoff`: the clipboard only (off, the default; the screen copies
text or JSON), a file drop (one JSON file per hand-off in `counter.handoff_dir`, written
atomically so a watcher never reads half a file), or a loopback-only HTTP endpoint
(`GET http://127.0.0.1:PORT/identity` returns the latest hand-off once, then 204 until the next).
Nothing is sent off the machine, and a hand-off expires after `MAX_AGE_S`.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from verifier import Outcome, Verdict
from verifier.trust_store import write_atomically

log = logging.getLogger(__name__)

MAX_AGE_S = 120.0


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


class LoopbackServer:
    """`GET /identity` on 127.0.0.1 only: the latest hand-off, once."""

    def __init__(self, port: int) -> None:
        self._latest: Handoff | None = None
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path != "/identity":
                    self.send_error(404)
                    return
                taken = outer.take()
                if taken is None:
                    self.send_response(204)
                    self.end_headers()
                    return
                body = taken.as_json().encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                log.debug("handoff http: " + format, *args)

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._thread = threading.Thread(
            target=self.server.serve_forever, name="handoff http", daemon=True
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
