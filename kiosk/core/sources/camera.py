"""A USB camera through OpenCV, that survives being unplugged.

Two threads per camera. A reader owns one opened capture: it reads as fast as the camera gives
frames and pushes each one on at once (the pipeline keeps only the newest), then releases the
capture when told to stop. A supervisor watches the time since the last frame: past
`frame_timeout_s` the camera is `lost`; the supervisor abandons that reader (a V4L2 read can
block for seconds on a dead device, so it is never waited on for long) and opens the device
again with exponential backoff (`reopening`), until frames flow (`live`).

The OpenCV capture comes from a factory, so tests drive the same code with a fake device.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

# MSMF opens a camera in seconds instead of tens with hardware transforms off (read when the
# first MSMF capture opens, so setting it here, before any capture, is in time).
os.environ.setdefault("OPENCV_VIDEOIO_MSMF_ENABLE_HW_TRANSFORMS", "0")

import cv2

from kiosk.core.sources.base import (
    Capture,
    Frame,
    Source,
    SourceError,
    SourceKind,
    SourceState,
)

log = logging.getLogger(__name__)

BACKENDS: dict[str, int] = {
    "any": cv2.CAP_ANY,
    "v4l2": cv2.CAP_V4L2,
    "msmf": cv2.CAP_MSMF,
    "dshow": cv2.CAP_DSHOW,
    "avfoundation": cv2.CAP_AVFOUNDATION,
}
_WATCH_INTERVAL_S = 0.05
_READER_JOIN_S = 0.5  # how long the supervisor waits for a reader it abandons
_FAILED_READ_PAUSE_S = 0.01  # a read that fails at once must not spin a core


class VideoCapture(Protocol):
    """The part of cv2.VideoCapture a camera uses."""

    def isOpened(self) -> bool: ...
    def read(self) -> tuple[bool, Frame | None]: ...
    def set(self, prop: int, value: float) -> bool: ...
    def get(self, prop: int) -> float: ...
    def release(self) -> None: ...


CaptureFactory = Callable[[int | str, int], VideoCapture]


def opencv_capture(device: int | str, api: int) -> VideoCapture:
    capture: VideoCapture = cv2.VideoCapture(device, api)
    return capture


def default_backend() -> str:
    if sys.platform.startswith("linux"):
        return "v4l2"
    if sys.platform == "win32":
        return "msmf"
    if sys.platform == "darwin":
        return "avfoundation"
    return "any"


@dataclass(frozen=True, slots=True)
class CameraSettings:
    backend: str = "auto"  # auto, or a key of BACKENDS
    fourcc: str = "MJPG"  # USB 2 cameras give 720p30/1080p30 only as MJPG
    width: int = 1280
    height: int = 720
    fps: float = 30.0
    autofocus: bool = True
    focus: float = -1.0  # manual focus value, used when autofocus is off (-1: leave as is)
    auto_exposure: bool = True
    exposure: float = -1.0  # manual exposure value, used when auto_exposure is off
    frame_timeout_s: float = 2.0  # no frame for this long: the camera is lost
    backoff_initial_s: float = 0.5
    backoff_max_s: float = 10.0

    @property
    def api(self) -> int:
        name = default_backend() if self.backend == "auto" else self.backend
        try:
            return BACKENDS[name]
        except KeyError:
            raise SourceError(f"unknown camera backend {self.backend!r}") from None


def _fourcc_text(value: float) -> str:
    code = int(value)
    return "".join(chr((code >> (8 * i)) & 0xFF) for i in range(4)).strip("\0") or "?"


def configure(capture: VideoCapture, s: CameraSettings, name: str, api: int) -> None:
    """Ask for the format, then read every value back and log it: `set()` returning True
    proves nothing. FOURCC goes first: some drivers reset size and rate when it changes."""
    wanted: list[tuple[str, int, float]] = [
        ("fourcc", cv2.CAP_PROP_FOURCC, float(cv2.VideoWriter.fourcc(*s.fourcc[:4].ljust(4)))),
        ("width", cv2.CAP_PROP_FRAME_WIDTH, float(s.width)),
        ("height", cv2.CAP_PROP_FRAME_HEIGHT, float(s.height)),
        ("fps", cv2.CAP_PROP_FPS, float(s.fps)),
        # One buffered frame: the newest, not one from a second ago.
        ("buffersize", cv2.CAP_PROP_BUFFERSIZE, 1.0),
    ]
    v4l2 = api == cv2.CAP_V4L2
    wanted.append(("autofocus", cv2.CAP_PROP_AUTOFOCUS, 1.0 if s.autofocus else 0.0))
    if not s.autofocus and s.focus >= 0:
        wanted.append(("focus", cv2.CAP_PROP_FOCUS, s.focus))
    # V4L2 auto exposure: 3 auto, 1 manual; DirectShow and MSMF use 0.75 and 0.25.
    auto, manual = (3.0, 1.0) if v4l2 else (0.75, 0.25)
    wanted.append(
        ("auto_exposure", cv2.CAP_PROP_AUTO_EXPOSURE, auto if s.auto_exposure else manual)
    )
    if not s.auto_exposure and s.exposure >= 0:
        wanted.append(("exposure", cv2.CAP_PROP_EXPOSURE, s.exposure))
    got: list[str] = []
    for label, prop, value in wanted:
        accepted = capture.set(prop, value)
        back = capture.get(prop)
        shown = _fourcc_text(back) if prop == cv2.CAP_PROP_FOURCC else f"{back:g}"
        asked = s.fourcc if prop == cv2.CAP_PROP_FOURCC else f"{value:g}"
        got.append(
            f"{label}={shown}" + ("" if shown == asked else f" (asked {asked}, set={accepted})")
        )
    log.info("%s: opened: %s", name, ", ".join(got))


class _Reader:
    """One opened capture, read in a thread until stopped; releases the capture at the end."""

    def __init__(self, capture: VideoCapture, camera: CameraSource) -> None:
        self.capture = capture
        self.camera = camera
        self.stop = threading.Event()
        self.last_frame = time.monotonic()  # the timeout counts from the open
        self.frames = 0
        self.thread = threading.Thread(target=self._run, name=f"reader {camera.name}", daemon=True)

    def _run(self) -> None:
        try:
            while not self.stop.is_set():
                ok, frame = self.capture.read()
                wall, mono = time.time(), time.monotonic()
                if self.stop.is_set():
                    break
                if ok and frame is not None:
                    self.last_frame = mono
                    self.frames += 1
                    self.camera._emit(
                        Capture(self.camera.name, SourceKind.CAMERA, wall, mono, frame=frame)
                    )
                else:
                    self.stop.wait(_FAILED_READ_PAUSE_S)
        except Exception:  # a driver error is a lost camera, for the supervisor to handle
            log.exception("%s: read failed", self.camera.name)
        finally:
            try:
                self.capture.release()
            except Exception:
                log.exception("%s: release failed", self.camera.name)


class CameraSource(Source):
    """`camera:0` or `camera:/dev/v4l/by-id/...` (a path survives re-plugging; an index may not)."""

    def __init__(
        self,
        name: str,
        device: int | str,
        settings: CameraSettings,
        factory: CaptureFactory = opencv_capture,
    ) -> None:
        super().__init__(name, SourceKind.CAMERA)
        self.device = device
        self.settings = settings
        self.factory = factory
        self.opens = 0  # successful opens, the first included
        self._api = settings.api
        self._first: VideoCapture | None = None
        self._reader: _Reader | None = None

    def _try_open(self) -> VideoCapture | None:
        try:
            capture = self.factory(self.device, self._api)
            if not capture.isOpened():
                capture.release()
                return None
            configure(capture, self.settings, self.name, self._api)
        except Exception as e:
            log.warning("%s: open failed: %r", self.name, e)
            return None
        self.opens += 1
        return capture

    def _open(self) -> None:
        if isinstance(self.device, str) and not Path(self.device).exists():
            raise SourceError(f"{self.name}: no such camera device {self.device}")
        capture = self._try_open()
        if capture is None:
            raise SourceError(f"{self.name}: the camera cannot be opened (absent, or in use)")
        self._first = capture

    def _run(self) -> None:
        s = self.settings
        capture, self._first = self._first, None
        backoff = s.backoff_initial_s
        while capture is not None and not self._stop.is_set():
            reader = self._reader = _Reader(capture, self)
            reader.thread.start()
            self._set_state(SourceState.LIVE)
            while not self._stop.is_set() and reader.thread.is_alive():
                if time.monotonic() - reader.last_frame > s.frame_timeout_s:
                    break
                self._stop.wait(_WATCH_INTERVAL_S)
            if self._stop.is_set():
                self._retire(reader)
                return
            # Said before the reader is retired: a read stuck in the driver can take seconds.
            log.warning("%s: no frame for %.1f s: lost", self.name, s.frame_timeout_s)
            self._set_state(SourceState.LOST)
            self._retire(reader)
            if reader.frames:
                backoff = s.backoff_initial_s  # it worked until just now: try again soon
            capture = None
            while capture is None:
                self._set_state(SourceState.REOPENING)
                if self._stop.wait(backoff):
                    return
                backoff = min(backoff * 2, s.backoff_max_s)
                capture = self._try_open()

    def _retire(self, reader: _Reader) -> None:
        reader.stop.set()
        reader.thread.join(_READER_JOIN_S)
        if reader.thread.is_alive():
            # Stuck in a driver read: left to release its capture when the read returns.
            log.warning("%s: a read is stuck; abandoning that capture", self.name)

    def _release(self) -> None:
        if self._first is not None:  # opened, but never started
            self._first.release()
            self._first = None
        reader = self._reader
        if reader is not None and reader.thread.is_alive():
            self._retire(reader)
