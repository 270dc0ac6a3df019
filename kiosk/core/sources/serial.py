"""A handheld scanner in serial (USB CDC) mode: one QR text per CR-terminated line.

Serial mode avoids what keyboard-wedge input suffers (layouts, Vietnamese input methods
rewriting Base45 punctuation). A scanner that is unplugged and plugged back in reappears at the
same path (best a /dev/serial/by-id/... one), so a lost port is reopened with backoff.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import serial

from kiosk.core.sources.base import Capture, Source, SourceError, SourceKind, SourceState

log = logging.getLogger(__name__)

# A QR holds at most a few thousand characters and a credential at most 1,500: a longer "line"
# is noise or a stuck scanner, dropped rather than buffered without end.
MAX_LINE_BYTES = 8192
_READ_TIMEOUT_S = 0.1  # how often a blocked read looks at the stop flag


class SerialPort(Protocol):
    """The part of serial.Serial a scanner uses."""

    def read(self, size: int = 1) -> bytes: ...
    @property
    def in_waiting(self) -> int: ...
    def close(self) -> None: ...


PortFactory = Callable[[str, int], SerialPort]


def pyserial_port(path: str, baudrate: int) -> SerialPort:
    port: SerialPort = serial.Serial(path, baudrate=baudrate, timeout=_READ_TIMEOUT_S)
    return port


@dataclass(frozen=True, slots=True)
class ScannerSettings:
    baudrate: int = 9600
    backoff_initial_s: float = 0.5
    backoff_max_s: float = 5.0


def _text(line: bytes) -> str:
    """UTF-8 when valid (scanners send ID-card names that way), else Latin-1, never a guess."""
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode("latin-1")


class LineSplitter:
    """Bytes in, complete lines out. CR ends a line; LF (alone or after CR) is ignored, so
    scanners set to CRLF or LF also work. Empty lines are dropped."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._overlong = False

    def feed(self, data: bytes) -> list[str]:
        lines: list[str] = []
        parts = data.replace(b"\n", b"\r").split(b"\r")
        for i, part in enumerate(parts):
            self._append(part)
            if i < len(parts) - 1:  # a terminator followed this part
                if self._buffer and not self._overlong:
                    lines.append(_text(bytes(self._buffer)))
                self._buffer.clear()
                self._overlong = False
        return lines

    def _append(self, part: bytes) -> None:
        if self._overlong:
            return
        self._buffer += part
        if len(self._buffer) > MAX_LINE_BYTES:
            log.warning("scanner line over %d bytes: dropped", MAX_LINE_BYTES)
            self._buffer.clear()
            self._overlong = True


class SerialSource(Source):
    """`serial:/dev/ttyACM0` (or `serial:COM3`): texts, each stamped when its CR arrived."""

    def __init__(
        self,
        name: str,
        path: str,
        settings: ScannerSettings,
        factory: PortFactory = pyserial_port,
    ) -> None:
        super().__init__(name, SourceKind.SCANNER)
        self.path = path
        self.settings = settings
        self.factory = factory
        self.opens = 0
        self._port: SerialPort | None = None

    def _try_open(self) -> SerialPort | None:
        try:
            port = self.factory(self.path, self.settings.baudrate)
        except (serial.SerialException, OSError, ValueError) as e:
            log.debug("%s: open failed: %s", self.name, e)
            return None
        self.opens += 1
        return port

    def _open(self) -> None:
        if not self.path.upper().startswith("COM") and not Path(self.path).exists():
            raise SourceError(f"{self.name}: no such serial device {self.path}")
        try:
            self._port = self.factory(self.path, self.settings.baudrate)
        except (serial.SerialException, OSError, ValueError) as e:
            raise SourceError(f"{self.name}: cannot open the serial port: {e}") from None
        self.opens += 1

    def _run(self) -> None:
        s = self.settings
        backoff = s.backoff_initial_s
        while not self._stop.is_set():
            port = self._port
            if port is None:
                self._set_state(SourceState.REOPENING)
                if self._stop.wait(backoff):
                    return
                backoff = min(backoff * 2, s.backoff_max_s)
                self._port = self._try_open()
                continue
            self._set_state(SourceState.LIVE)
            backoff = s.backoff_initial_s
            try:
                self._read_lines(port)
            except (serial.SerialException, OSError) as e:
                log.warning("%s: lost: %s", self.name, e)
                self._set_state(SourceState.LOST)
            finally:
                self._close_port()

    def _read_lines(self, port: SerialPort) -> None:
        splitter = LineSplitter()  # a partial line does not survive a reconnect
        while not self._stop.is_set():
            data = port.read(max(1, port.in_waiting))
            if not data:
                continue
            wall, mono = time.time(), time.monotonic()
            for line in splitter.feed(data):
                self._emit(Capture(self.name, SourceKind.SCANNER, wall, mono, text=line))

    def _close_port(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            with contextlib.suppress(serial.SerialException, OSError):
                port.close()

    def _release(self) -> None:
        self._close_port()
