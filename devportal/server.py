"""The reference portal on a real HTTP server: waitress, in the foreground or in a thread.

waitress because the portal must speak HTTP/1.1 with keep-alive to many kiosks at once (the
fleet run has 200) and stay up under the fault tests; the stdlib's wsgiref is single-threaded
HTTP/1.0. waitress is pure Python, maintained, and has no dependencies of its own.

The thread variant drives waitress's event loop itself, a short poll at a time, so `stop()`
can end it from any thread and every socket is closed by the thread that used it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from waitress import wasyncore
from waitress.server import create_server

from devportal.app import API, MAX_BODY_BYTES, PortalApp
from devportal.store import PortalStore, now_s


class PortalServer:
    def __init__(
        self,
        data_dir: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        threads: int = 4,
        seed: str | None = None,
        clock: Callable[[], int] = now_s,
    ) -> None:
        self.store = PortalStore(data_dir)
        self.store.initialise(seed, clock())
        self.app = PortalApp(self.store, clock)
        self._server = create_server(
            self.app,
            host=host,
            port=port,
            threads=threads,
            ident="cds-devportal",
            connection_limit=1000,
            channel_timeout=30,
            expose_tracebacks=False,
            # Refused from the headers, before a byte is buffered (waitress's default is 1 GiB).
            max_request_body_size=MAX_BODY_BYTES,
        )
        self.host, self.port = host, int(self._server.effective_port)  # type: ignore[union-attr]
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        return self.base_url + API

    def serve_forever(self) -> None:
        try:
            while not self._stop.is_set():
                wasyncore.loop(timeout=0.2, map=self._server._map, count=1)  # type: ignore[union-attr]
        finally:
            self._server.task_dispatcher.shutdown(timeout=5)  # type: ignore[union-attr]
            wasyncore.close_all(self._server._map)  # type: ignore[union-attr]
            self.store.close()

    def request_stop(self) -> None:
        """End serve_forever() soon; safe from a signal handler."""
        self._stop.set()

    def start(self) -> PortalServer:
        self._thread = threading.Thread(target=self.serve_forever, name="devportal", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def __enter__(self) -> PortalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
