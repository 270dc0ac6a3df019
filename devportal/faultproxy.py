"""A fault-injecting HTTP proxy on loopback, in front of the reference portal.

Tests point the kiosk's client at the proxy and queue faults; each fault applies to the next
matching request(s). It works at the socket level so the faults are real ones: a TCP reset in
the middle of a response, an acknowledgement lost after the portal committed the batch, a
server slower than the client's read timeout, a document altered on the way.

One request per client connection (the proxy answers `Connection: close`): simple, and the
client's connection pool must cope with that anyway.
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

MAX_HEAD = 64 * 1024
MAX_BODY = 16 * 1024 * 1024


@dataclass
class Fault:
    """What to do to the next `times` requests whose path starts with `path` (and `method`)."""

    action: str  # status | reset | drop | delay | rewrite
    path: str = "/"
    method: str | None = None
    times: int = 1
    status: int = 503
    headers: tuple[tuple[str, str], ...] = ()
    delay_s: float = 0.0
    rewrite: Callable[[bytes], bytes] | None = None

    def matches(self, method: str, path: str) -> bool:
        return path.startswith(self.path) and self.method in (None, method)


@dataclass
class ProxyLog:
    entries: list[tuple[str, str, str]] = field(default_factory=list)  # (method, path, action)


class FaultProxy:
    def __init__(self, upstream_host: str, upstream_port: int, host: str = "127.0.0.1") -> None:
        self.upstream = (upstream_host, upstream_port)
        self._listener = socket.create_server((host, 0))
        self._listener.settimeout(0.2)
        self.host, self.port = host, self._listener.getsockname()[1]
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._accepter: threading.Thread | None = None
        self.log = ProxyLog()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def add(self, *faults: Fault) -> None:
        with self._lock:
            self._faults.extend(faults)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def pending_faults(self) -> int:
        with self._lock:
            return sum(f.times for f in self._faults)

    def _take(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def start(self) -> FaultProxy:
        self._accepter = threading.Thread(target=self._accept_loop, name="faultproxy", daemon=True)
        self._accepter.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._accepter is not None:
            self._accepter.join(timeout=5)
        for t in list(self._threads):
            t.join(timeout=5)
        self._listener.close()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            t = threading.Thread(target=self._handle, args=(conn,), daemon=True)
            self._threads = [x for x in self._threads if x.is_alive()]
            self._threads.append(t)
            t.start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(10)
            try:
                request = _read_request(conn)
            except (OSError, ValueError):
                return
            if request is None:
                return
            method, path, raw = request
            fault = self._take(method, path)
            action = fault.action if fault else "pass"
            self.log.entries.append((method, path, action))
            # OSError: the client went away (it timed out), as on a real network.
            with contextlib.suppress(OSError):
                self._act(conn, fault, raw)

    def _act(self, conn: socket.socket, fault: Fault | None, raw: bytes) -> None:
        if fault is not None and fault.action == "status":
            body = json.dumps({"error": "injected", "message": f"injected {fault.status}"}).encode()
            head = [
                f"HTTP/1.1 {fault.status} Injected",
                "Content-Type: application/json",
                f"Content-Length: {len(body)}",
                "Connection: close",
            ]
            head += [f"{k}: {v}" for k, v in fault.headers]
            conn.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + body)
            return
        if fault is not None and fault.action == "delay" and self._stop.wait(fault.delay_s):
            return
        response = self._forward(raw)
        if fault is None or fault.action == "delay":
            conn.sendall(response)
        elif fault.action == "reset":
            conn.sendall(response[: max(1, len(response) // 2)])
            _reset(conn)
        elif fault.action == "drop":
            _reset(conn)  # the portal has done the work; its answer never arrives
        elif fault.action == "rewrite":
            assert fault.rewrite is not None
            head, _, body = response.partition(b"\r\n\r\n")
            body = fault.rewrite(body)
            lines = [
                line
                for line in head.split(b"\r\n")
                if not line.lower().startswith(b"content-length:")
            ]
            lines.append(b"Content-Length: %d" % len(body))
            conn.sendall(b"\r\n".join(lines) + b"\r\n\r\n" + body)
        else:
            raise ValueError(f"unknown fault action {fault.action!r}")

    def _forward(self, raw: bytes) -> bytes:
        with socket.create_connection(self.upstream, timeout=30) as up:
            up.sendall(raw)
            chunks = []
            while chunk := up.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks)


def _reset(conn: socket.socket) -> None:
    """Close with a TCP RST rather than a FIN (SO_LINGER with a zero timeout)."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def _read_request(conn: socket.socket) -> tuple[str, str, bytes] | None:
    """(method, path, the request rewritten to close its connection), or None on EOF."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
        if len(data) > MAX_HEAD:
            raise ValueError("request head too large")
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    method, target, _version = lines[0].decode("latin-1").split(" ", 2)
    length = 0
    kept = [lines[0]]
    for line in lines[1:]:
        name = line.split(b":", 1)[0].strip().lower()
        if name == b"content-length":
            length = int(line.split(b":", 1)[1])
        if name in (b"connection", b"keep-alive"):
            continue
        kept.append(line)
    if length > MAX_BODY:
        raise ValueError("request body too large")
    while len(body) < length:
        chunk = conn.recv(min(65536, length - len(body)))
        if not chunk:
            return None
        body += chunk
    kept.append(b"Connection: close")
    path = target.split("?", 1)[0]
    return method, path, b"\r\n".join(kept) + b"\r\n\r\n" + body
