"""systemd's notify protocol (sd_notify), without libsystemd: READY, WATCHDOG and STATUS.

Under `Type=notify` with `WatchdogSec=`, systemd restarts the kiosk when the pings stop. The
pings must come from the loop that does the work (the GUI thread's timer, the headless loop),
so a frozen loop is what gets restarted. Outside systemd ($NOTIFY_SOCKET unset) it does nothing.
"""

from __future__ import annotations

import logging
import os
import socket
import time

log = logging.getLogger(__name__)


class Notifier:
    def __init__(self, address: str | None = None) -> None:
        address = address if address is not None else os.environ.get("NOTIFY_SOCKET")
        self.address = "\0" + address[1:] if address and address.startswith("@") else address
        usec = os.environ.get("WATCHDOG_USEC", "")
        # Ping twice per watchdog period, as sd_watchdog_enabled(3) advises.
        self.interval_s = int(usec) / 2_000_000 if usec.isdigit() and int(usec) > 0 else None
        self._last_ping = 0.0

    @property
    def enabled(self) -> bool:
        return bool(self.address)

    def send(self, message: str) -> bool:
        if not self.address:
            return False
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
                sock.sendto(message.encode("utf-8"), self.address)
        except OSError as e:
            log.warning("sd_notify %r failed: %s", message.split("=", 1)[0], e)
            return False
        return True

    def ready(self, status: str = "") -> None:
        self.send("READY=1" + (f"\nSTATUS={status}" if status else ""))

    def status(self, text: str) -> None:
        self.send(f"STATUS={text}")

    def stopping(self) -> None:
        self.send("STOPPING=1")

    def watchdog(self) -> None:
        """Ping, at most once per half watchdog period (cheap to call from every loop turn)."""
        if self.interval_s is None:
            return
        now = time.monotonic()
        if now - self._last_ping >= self.interval_s:
            self._last_ping = now
            self.send("WATCHDOG=1")
