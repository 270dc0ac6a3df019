"""File sources: an image, a folder of images, a video file, delivered like a camera would.

Frames go out at a steady rate (the fps setting) whatever the consumer does, so a slow pipeline
drops frames here exactly as it would with a camera. A still image is held in front of the
"camera" for a while (`hold_s`), as a phone would be, so one dropped frame does not lose it;
the pipeline's repeat window turns the repeats into one event.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import cv2
import numpy as np

from kiosk.core.sources.base import Capture, Frame, Source, SourceError, SourceKind, SourceState

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff"})
VIDEO_FALLBACK_FPS = 30.0  # when neither the setting nor the file says


def read_image(path: Path) -> Frame:
    """An image file as BGR pixels. Raises SourceError naming the file and the problem."""
    try:
        data = np.fromfile(path, dtype=np.uint8)  # imdecode, unlike imread, takes any path
    except OSError as e:
        raise SourceError(f"{path}: cannot read: {e.strerror or e}") from None
    image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if image is None:
        raise SourceError(f"{path}: not a readable image")
    return image


def paced(
    frames: Iterable[Frame],
    fps: float,
    stop: threading.Event,
    emit: Callable[[Frame, float, float], None],
) -> bool:
    """Hand each frame to emit(frame, wall, mono) at `fps`. False when stopped before the end.

    The schedule is absolute (no drift); after a stall it restarts from now instead of
    bursting to catch up, as a camera would.
    """
    interval = 1.0 / fps
    due = time.monotonic()
    for frame in frames:
        if stop.wait(max(0.0, due - time.monotonic())):
            return False
        emit(frame, time.time(), time.monotonic())
        due += interval
        now = time.monotonic()
        if due < now - interval:
            due = now
    return True


class _PacedSource(Source):
    def __init__(self, name: str, fps: float, kind: SourceKind = SourceKind.FILE) -> None:
        super().__init__(name, kind)
        if not fps > 0:
            raise SourceError(f"{name}: fps must be positive, not {fps}")
        self.fps = fps

    def _frames(self) -> Iterator[Frame]:
        raise NotImplementedError

    def _send(self, frame: Frame, wall: float, mono: float) -> None:
        self._emit(Capture(self.name, self.kind, wall, mono, frame=frame))

    def _run(self) -> None:
        self._set_state(SourceState.LIVE)
        paced(self._frames(), self.fps, self._stop, self._send)


def _hold_count(hold_s: float, fps: float) -> int:
    return max(1, round(hold_s * fps))


class ImageSource(_PacedSource):
    """One image (`image:FILE`) or every image in a folder (`images:DIR`, sorted by name)."""

    def __init__(self, name: str, path: Path, *, fps: float, hold_s: float) -> None:
        super().__init__(name, fps)
        self.path = path
        self.hold = _hold_count(hold_s, fps)
        self.paths: list[Path] = []

    def _open(self) -> None:
        path = self.path
        if path.is_dir():
            try:
                entries = sorted(path.iterdir())
            except OSError as e:
                raise SourceError(f"{path}: cannot list the folder: {e.strerror or e}") from None
            self.paths = [p for p in entries if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file()]
            if not self.paths:
                suffixes = ", ".join(sorted(IMAGE_SUFFIXES))
                raise SourceError(f"{path}: no images in the folder ({suffixes})")
        elif path.is_file():
            self.paths = [path]
        else:
            raise SourceError(f"{path}: no such file or folder")
        # Fail before the first frame on a file that is no image at all; a file damaged further
        # in still fails, when its turn comes, with the same clear error.
        for p in self.paths:
            if not cv2.haveImageReader(str(p)):
                raise SourceError(f"{p}: not a readable image")

    def _frames(self) -> Iterator[Frame]:
        for p in self.paths:
            image = read_image(p)
            for _ in range(self.hold):
                yield image


class VideoSource(_PacedSource):
    """A video file (`video:FILE`), at the fps setting or, when that is 0, the file's own."""

    def __init__(self, name: str, path: Path, *, fps: float) -> None:
        super().__init__(name, fps if fps > 0 else VIDEO_FALLBACK_FPS)
        self.path = path
        self._asked_fps = fps
        self._capture: cv2.VideoCapture | None = None
        self._first: Frame | None = None

    def _open(self) -> None:
        if not self.path.is_file():
            raise SourceError(f"{self.path}: no such file")
        capture = cv2.VideoCapture(str(self.path), cv2.CAP_ANY)
        ok, first = capture.read() if capture.isOpened() else (False, None)
        if not ok or first is None:
            capture.release()
            raise SourceError(f"{self.path}: not a readable video")
        if self._asked_fps <= 0:
            own = capture.get(cv2.CAP_PROP_FPS)
            self.fps = own if 0 < own <= 240 else VIDEO_FALLBACK_FPS
        self._capture, self._first = capture, first

    def _frames(self) -> Iterator[Frame]:
        capture, frame = self._capture, self._first
        assert capture is not None
        self._first = None
        while frame is not None:
            yield frame
            ok, frame = capture.read()
            if not ok:
                frame = None  # the end, or damage past the first frame: either way, no more

    def _release(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None
