"""A hostile portal on loopback: an HTTP server that answers the way an attacker would.

Works at the socket level, one request per connection (it answers `Connection: close`), so
what the client meets is what it would meet on a network: a gzip bomb, a body that never ends,
a `Content-Length` of a terabyte, a body or headers dripped a byte at a time, a server that
accepts and never answers, JSON built to break parsers, and a relay in front of the real portal
that shifts its `Date` header. Used by the tests and by bench/hostile_portal_bench.py.
"""

from __future__ import annotations

import contextlib
import email.utils
import functools
import socket
import threading
import time
import zlib
from dataclasses import dataclass

MAX_HEAD = 64 * 1024
MAX_BODY = 16 * 1024 * 1024
PIECE = 64 * 1024

KINDS = (
    "answer",  # status, headers and body as given
    "gzip_bomb",  # Content-Encoding: gzip; inflates to bomb_mib MiB of zeros
    "endless",  # 200, no length, bytes until the client hangs up
    "huge_length",  # Content-Length of a terabyte, then bytes until the client hangs up
    "drip",  # 200, Content-Length given, one byte every interval_s
    "drip_headers",  # the status line, then header bytes one every interval_s, forever
    "black_hole",  # reads the request, never writes a byte
    "relay",  # forwards to the upstream portal, shifting Date by date_shift_s, after delay_s
)


@dataclass(frozen=True)
class Behaviour:
    kind: str
    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "application/json"),)
    interval_s: float = 1.0
    bomb_mib: int = 1024
    date_shift_s: float = 0.0
    delay_s: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown behaviour {self.kind!r}")


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    sent_bytes: int = 0


@functools.cache
def gzip_bomb(mib: int) -> bytes:
    """gzip of `mib` MiB of zeros (1,024 MiB is about 1 MB)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1024 * 1024)
    parts = [packer.compress(zeros) for _ in range(mib)]
    parts.append(packer.flush())
    return b"".join(parts)


def deep_json(depth: int = 100_000) -> bytes:
    return b"[" * depth + b"]" * depth


class HostileServer:
    """`routes` maps a path prefix to a behaviour; other paths get `default`."""

    def __init__(
        self,
        default: Behaviour,
        routes: dict[str, Behaviour] | None = None,
        *,
        upstream: tuple[str, int] | None = None,
    ) -> None:
        self.default = default
        self.routes = dict(routes or {})
        self.upstream = upstream
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._conns: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self.seen: list[Seen] = []
        self.connections = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def paths(self) -> list[str]:
        with self._lock:
            return [s.path for s in self.seen]

    def start(self) -> HostileServer:
        for b in (self.default, *self.routes.values()):
            if b.kind == "gzip_bomb":
                gzip_bomb(b.bomb_mib)  # made before the first request, not while it waits
        t = threading.Thread(target=self._accept_loop, name="hostile-accept", daemon=True)
        self._threads.append(t)
        t.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            for conn in self._conns:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
        for t in self._threads:
            t.join(5)
        self._listener.close()

    def __enter__(self) -> HostileServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def behaviour_for(self, path: str) -> Behaviour:
        for prefix, behaviour in self.routes.items():
            if path.startswith(prefix):
                return behaviour
        return self.default

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
                self._conns.add(conn)
                self._threads = [t for t in self._threads if t.is_alive()]
            t = threading.Thread(target=self._handle, args=(conn,), daemon=True)
            self._threads.append(t)
            t.start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            with conn:
                conn.settimeout(30)
                request = _read_request(conn)
                if request is None:
                    return
                seen, raw = request
                with self._lock:
                    self.seen.append(seen)
                self._act(conn, self.behaviour_for(seen.path), seen, raw)
        except (OSError, ValueError):
            pass  # the client hung up (it gave up on us), as it should
        finally:
            with self._lock:
                self._conns.discard(conn)

    def _send(self, conn: socket.socket, seen: Seen, data: bytes) -> None:
        conn.sendall(data)
        seen.sent_bytes += len(data)

    def _act(self, conn: socket.socket, b: Behaviour, seen: Seen, raw: bytes) -> None:
        date = email.utils.formatdate(usegmt=True)
        if b.kind == "black_hole":
            while not self._stop.wait(0.2):
                pass
            return
        if b.kind == "relay":
            if b.delay_s and self._stop.wait(b.delay_s):
                return
            self._send(conn, seen, self._relay(raw, b.date_shift_s))
            return
        if b.kind == "drip_headers":
            self._send(conn, seen, b"HTTP/1.1 200 OK\r\n")
            while not self._stop.wait(b.interval_s):
                self._send(conn, seen, b"X")  # one endless header name
            return
        head = [f"HTTP/1.1 {b.status} Hostile", f"Date: {date}", "Connection: close"]
        head += [f"{k}: {v}" for k, v in b.headers]
        if b.kind == "answer":
            head.append(f"Content-Length: {len(b.body)}")
            self._send(conn, seen, _head(head) + b.body)
        elif b.kind == "gzip_bomb":
            bomb = gzip_bomb(b.bomb_mib)
            head += ["Content-Encoding: gzip", f"Content-Length: {len(bomb)}"]
            self._send(conn, seen, _head(head) + bomb)
        elif b.kind in ("endless", "huge_length"):
            if b.kind == "huge_length":
                head.append(f"Content-Length: {1 << 40}")
            self._send(conn, seen, _head(head))
            piece = b"0" * PIECE
            while not self._stop.is_set():
                self._send(conn, seen, piece)
        elif b.kind == "drip":
            head.append("Content-Length: 100000")
            self._send(conn, seen, _head(head))
            while not self._stop.wait(b.interval_s):
                self._send(conn, seen, b"[")

    def _relay(self, raw: bytes, shift_s: float) -> bytes:
        assert self.upstream is not None, "a relay needs an upstream"
        with socket.create_connection(self.upstream, timeout=30) as up:
            up.sendall(raw)
            chunks = []
            while chunk := up.recv(PIECE):
                chunks.append(chunk)
        head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
        lines = []
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"date:"):
                shifted = time.time() + shift_s
                line = b"Date: " + email.utils.formatdate(shifted, usegmt=True).encode()
            lines.append(line)
        return b"\r\n".join(lines) + b"\r\n\r\n" + body


def _head(lines: list[str]) -> bytes:
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _read_request(conn: socket.socket) -> tuple[Seen, bytes] | None:
    """What was asked, and the request rewritten to close its connection (for a relay)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(PIECE)
        if not chunk:
            return None
        data += chunk
        if len(data) > MAX_HEAD:
            raise ValueError("request head too large")
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    method, target, _version = lines[0].decode("latin-1").split(" ", 2)
    headers: dict[str, str] = {}
    kept = [lines[0]]
    for line in lines[1:]:
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
        if name.strip().lower() not in ("connection", "keep-alive"):
            kept.append(line)
    length = int(headers.get("content-length", "0"))
    if length > MAX_BODY:
        raise ValueError("request body too large")
    while len(body) < length:
        chunk = conn.recv(min(PIECE, length - len(body)))
        if not chunk:
            return None
        body += chunk
    kept.append(b"Connection: close")
    seen = Seen(method, target.split("?", 1)[0], headers)
    return seen, b"\r\n".join(kept) + b"\r\n\r\n" + body
