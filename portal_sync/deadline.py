"""A deadline for a whole request: connecting, urllib3's retries, the headers and the body.

Socket timeouts bound each read, not the exchange: a server that sends one byte a second, or
headers a line at a time, never lets a read time out. So each request runs under a `Watch`: a
timer that, when the deadline passes (or the sync loop asks to stop), shuts the request's socket
down. A read blocked on it returns at once, whatever urllib3 or the TLS layer is doing.

urllib3 creates the connections; `TrackedHTTPConnection` and `TrackedHTTPSConnection` tell the
watch of the calling thread which socket is in use (a fresh one when it connects, a pooled one
when it sends a request on it). Installed into a requests adapter by `track_pools`.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from typing import Any

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.poolmanager import PoolManager, pool_classes_by_scheme

_current = threading.local()  # .watch: the Watch of the request this thread is making


class WatchFired(Exception):
    """A request went on after its watch fired (urllib3 retrying on a new connection)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Watch:
    """One request's deadline. `fire(reason)` may be called from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._armed = True
        self.reason: str | None = None  # "deadline" | "stopped" once fired

    @property
    def fired(self) -> bool:
        return self.reason is not None

    def attach(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            if self.reason is not None:
                # Too late to use it. A fresh socket is closed here: raising out of
                # `_new_conn` leaves it to nobody else.
                _shut(sock)
                sock.close()
                raise WatchFired(self.reason)
            if self._armed and sock not in self._sockets:
                self._sockets.append(sock)

    def fire(self, reason: str) -> None:
        with self._lock:
            if not self._armed or self.reason is not None:
                return
            self.reason = reason
            for sock in self._sockets:
                _shut(sock)

    def disarm(self) -> None:
        """The request is over: a late timer must not touch a socket back in the pool."""
        with self._lock:
            self._armed = False
            self._sockets.clear()


def _shut(sock: socket.socket) -> None:
    # shutdown, not close: close does not wake a thread blocked in recv on Linux.
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


@contextlib.contextmanager
def watching(seconds: float) -> Iterator[Watch]:
    """Run the body with a Watch that fires `seconds` from now; yields it."""
    watch = Watch()
    timer = threading.Timer(max(seconds, 0.0), watch.fire, args=("deadline",))
    timer.daemon = True
    previous = getattr(_current, "watch", None)
    _current.watch = watch
    timer.start()
    try:
        yield watch
    finally:
        timer.cancel()
        watch.disarm()
        _current.watch = previous


def _attach(sock: socket.socket | None) -> None:
    watch: Watch | None = getattr(_current, "watch", None)
    if watch is not None:
        watch.attach(sock)


class TrackedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _attach(sock)
        return sock

    def request(self, *args: Any, **kwargs: Any) -> None:
        _attach(self.sock)
        super().request(*args, **kwargs)


class TrackedHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()  # the TCP socket, before TLS: a stalled handshake too
        _attach(sock)
        return sock

    def request(self, *args: Any, **kwargs: Any) -> None:
        _attach(self.sock)
        super().request(*args, **kwargs)


class TrackedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = TrackedHTTPConnection


class TrackedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = TrackedHTTPSConnection


def track_pools(manager: PoolManager) -> None:
    """Make `manager`'s pools use tracked connections (a SOCKS manager keeps its own)."""
    if manager.pool_classes_by_scheme is pool_classes_by_scheme:
        manager.pool_classes_by_scheme = {
            "http": TrackedHTTPConnectionPool,
            "https": TrackedHTTPSConnectionPool,
        }
