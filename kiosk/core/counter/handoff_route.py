"""Where a counter's hand-off goes besides the clipboard, decided from the settings in force.

`counter.handoff` picks the way (off, file, http: kiosk.core.counter.handoff). The loopback
endpoint runs only at a counter that asks for it; a file drop goes to `counter.handoff_dir` as it
is at the moment of the hand-off (a live setting), written on a thread of its own because it
fsyncs. When the way asked for cannot work (no folder, no server), the hand-off stays on the
clipboard and the panel says the link is not set up.
"""

from __future__ import annotations

import logging
import threading
from enum import StrEnum
from pathlib import Path

from kiosk.core.config import Config
from kiosk.core.counter.handoff import Handoff, LoopbackServer, drop_file, handoff_token

log = logging.getLogger(__name__)


class Route(StrEnum):
    """Where a hand-off goes besides the clipboard (`counter.handoff`)."""

    CLIPBOARD = "clipboard"  # off: the clipboard only
    FILE = "file"
    HTTP = "http"
    UNAVAILABLE = "unavailable"  # asked for, but no folder or no server: clipboard only


def serves_loopback(config: Config) -> bool:
    """Whether this kiosk runs the loopback endpoint (a counter asking for http)."""
    return bool(config.kiosk.mode == "counter" and config.counter.handoff == "http")


def handoff_route(config: Config, server_running: bool) -> Route:
    return _route(config.counter.handoff, config.counter.handoff_dir, server_running)


def _route(mode: str, folder: str, server_running: bool) -> Route:
    if mode == "file":
        return Route.FILE if folder else Route.UNAVAILABLE
    if mode == "http":
        return Route.HTTP if server_running else Route.UNAVAILABLE
    return Route.CLIPBOARD


class HandoffOutlet:
    """The counter's way out for hand-offs: the loopback server when the settings ask for one.
    The way (`counter.handoff`) is the one opened, until a restart, as the settings page says
    (kiosk.core.settings_in_force); the file drop's folder is the one in force at each hand-off."""

    def __init__(self) -> None:
        self.server: LoopbackServer | None = None
        self._mode: str | None = None  # counter.handoff when opened

    def open(self, config: Config, data_dir: Path) -> None:
        """Start the loopback server if this kiosk serves one; a failure is logged and leaves
        the clipboard (the route says unavailable)."""
        self._mode = config.counter.handoff
        if not serves_loopback(config):
            return
        try:
            port, token = config.counter.handoff_port, handoff_token(data_dir)
            self.server = LoopbackServer(port, token)
            self.server.start()
        except (OSError, ValueError) as e:
            self.server = None
            log.error("counter hand-off server not started: %s", e)

    def route(self, config: Config) -> Route:
        mode = config.counter.handoff if self._mode is None else self._mode
        return _route(mode, config.counter.handoff_dir, self.server is not None)

    def send(self, handoff: Handoff, config: Config) -> threading.Thread | None:
        """Offer it to the loopback server, or drop it as a file (returns the writer's thread,
        started); the clipboard is the screen's."""
        route = self.route(config)
        if route is Route.HTTP and self.server is not None:
            self.server.offer(handoff)
        elif route is Route.FILE:
            folder = Path(config.counter.handoff_dir)
            # A file write with fsync: off the caller's thread (the GUI's).
            writer = threading.Thread(target=_drop, args=(folder, handoff), daemon=True)
            writer.start()
            return writer
        return None

    def close(self) -> None:
        if self.server is not None:
            self.server.close()


def _drop(folder: Path, handoff: Handoff) -> None:
    try:
        drop_file(folder, handoff)
    except OSError as e:
        log.error("counter hand-off file not written: %s", e)
