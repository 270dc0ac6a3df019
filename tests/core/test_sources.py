"""Sources: pacing of file sources, the camera watchdog, the serial scanner, and bad input."""

from __future__ import annotations

import logging
import os
import pty
import threading
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest

from devportal.issuer import write_qr_png
from kiosk.core.decode.decoder import Decoder
from kiosk.core.demo_data import load_demo
from kiosk.core.sources import (
    Capture,
    SourceError,
    SourceKind,
    SourceState,
    SpecError,
    parse_spec,
)
from kiosk.core.sources.camera import CameraSettings, CameraSource
from kiosk.core.sources.demo import DemoSource, render_qr
from kiosk.core.sources.files import ImageSource, VideoSource
from kiosk.core.sources.serial import MAX_LINE_BYTES, LineSplitter, ScannerSettings, SerialSource

DEMO = load_demo()


def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


class Collector:
    """A deliver callable that keeps what it gets (thread-safe enough: list.append)."""

    def __init__(self) -> None:
        self.captures: list[Capture] = []

    def __call__(self, capture: Capture) -> None:
        self.captures.append(capture)


# --- SPEC strings ---


@pytest.mark.parametrize(
    ("text", "kind", "target"),
    [
        ("camera:0", "camera", "0"),
        (
            "camera:/dev/v4l/by-id/usb-Cam-video-index0",
            "camera",
            "/dev/v4l/by-id/usb-Cam-video-index0",
        ),
        ("images:/srv/codes", "images", "/srv/codes"),
        ("image:code.png", "image", "code.png"),
        ("video:C:\\clips\\a.avi", "video", "C:\\clips\\a.avi"),
        ("serial:/dev/ttyACM0", "serial", "/dev/ttyACM0"),
        ("demo", "demo", ""),
    ],
)
def test_spec_forms(text: str, kind: str, target: str) -> None:
    spec = parse_spec(text)
    assert (spec.kind, spec.target) == (kind, target)
    assert str(spec) == text


@pytest.mark.parametrize(
    "text", ["", "webcam:0", "camera", "camera:", "demo:1", "images:", "camera:-1"]
)
def test_spec_refuses_what_names_no_source(text: str) -> None:
    with pytest.raises(SpecError):
        parse_spec(text)


# --- file sources ---


def write_codes(folder: Path, names: list[str]) -> list[str]:
    texts = [c.text for c in DEMO.codes if c.name in names]
    for i, text in enumerate(texts):
        write_qr_png(text, folder / f"{i:02d}.png")
    return texts


def test_image_folder_is_paced_and_each_image_held(tmp_path: Path) -> None:
    texts = write_codes(tmp_path, ["valid", "idcard", "url"])
    (tmp_path / "notes.txt").write_text("not an image, skipped by its suffix")
    got = Collector()
    source = ImageSource("images:X", tmp_path, fps=50, hold_s=0.04)  # two frames an image
    with source:
        source.start(got)
        assert source.wait_finished(5)
    assert source.state is SourceState.ENDED and source.error is None
    assert len(got.captures) == 6
    decoder = Decoder()
    seen = [decoder.decode(c.frame).texts for c in got.captures if c.frame is not None]
    assert seen == [(t,) for t in texts for _ in range(2)]
    times = [c.monotonic_time for c in got.captures]
    # Paced at 50 fps: six frames span five periods. (Single gaps are not asserted: after a
    # late frame under load the pacer catches up, as a camera's next frame would.)
    assert times[-1] - times[0] >= 5 * 0.02 * 0.9, np.diff(times)
    assert all(c.source == "images:X" and c.source_kind is SourceKind.FILE for c in got.captures)
    assert abs(got.captures[0].wall_time - time.time()) < 5


def write_video(path: Path, frames: list[np.ndarray], fps: float) -> None:
    height, width = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (width, height))
    assert writer.isOpened()
    for f in frames:
        writer.write(f)
    writer.release()


def code_frame(text: str, size: tuple[int, int] = (640, 480)) -> np.ndarray:
    frame = np.full((size[1], size[0], 3), 200, np.uint8)
    qr = render_qr(text, scale=4)
    y, x = (size[1] - qr.shape[0]) // 2, (size[0] - qr.shape[1]) // 2
    frame[y : y + qr.shape[0], x : x + qr.shape[1]] = qr[:, :, None]
    return frame


def test_video_is_paced_at_its_own_rate_unless_told(tmp_path: Path) -> None:
    clip = tmp_path / "clip.avi"
    write_video(clip, [code_frame(DEMO.codes[0].text)] * 6, fps=25)
    got = Collector()
    with VideoSource("video:clip", clip, fps=0) as source:
        source.start(got)
        assert source.wait_finished(5)
    assert source.fps == pytest.approx(25)
    assert len(got.captures) == 6
    assert got.captures[-1].monotonic_time - got.captures[0].monotonic_time >= 5 * 0.04 * 0.9
    assert Decoder().decode(got.captures[0].frame).texts == (DEMO.codes[0].text,)  # type: ignore[arg-type]

    fast = Collector()
    with VideoSource("video:clip", clip, fps=200) as source:
        source.start(fast)
        assert source.wait_finished(5)
    assert len(fast.captures) == 6
    assert fast.captures[-1].monotonic_time - fast.captures[0].monotonic_time < 0.15


def test_demo_source_shows_every_demo_code_in_turn_marked_demo() -> None:
    got = Collector()
    with DemoSource(fps=50, hold_s=0.02, gap_s=0.02, rounds=1) as source:
        source.start(got)
        assert source.wait_finished(10)
    assert source.name == "demo" and source.kind is SourceKind.DEMO
    decoder = Decoder()
    texts = [t for c in got.captures for t in decoder.decode(c.frame).texts]  # type: ignore[arg-type]
    assert texts == [c.text for c in DEMO.codes]
    assert len(got.captures) == 12  # a card, then no card, for each code


# --- bad input: each a clear error at once ---


def test_missing_image_folder_and_file(tmp_path: Path) -> None:
    for path in (tmp_path / "nowhere", tmp_path / "nothing.png"):
        with pytest.raises(SourceError, match="no such file or folder"):
            ImageSource("images:x", path, fps=10, hold_s=0).start(Collector())


def test_folder_without_images(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    with pytest.raises(SourceError, match="no images in the folder"):
        ImageSource("images:x", tmp_path, fps=10, hold_s=0).start(Collector())


def test_a_file_that_is_no_image_is_refused_before_any_frame(tmp_path: Path) -> None:
    write_codes(tmp_path, ["valid"])
    (tmp_path / "01.png").write_text("this is text, not a PNG")
    got = Collector()
    with pytest.raises(SourceError, match=r"01\.png: not a readable image"):
        ImageSource("images:x", tmp_path, fps=10, hold_s=0).start(got)
    assert got.captures == []


def test_a_damaged_image_fails_the_source_when_its_turn_comes(tmp_path: Path) -> None:
    write_codes(tmp_path, ["valid", "url"])
    damaged = tmp_path / "01.png"
    damaged.write_bytes(damaged.read_bytes()[:60])  # the PNG header survives, the pixels do not
    got = Collector()
    with ImageSource("images:x", tmp_path, fps=50, hold_s=0) as source:
        source.start(got)
        assert source.wait_finished(5)
    assert source.state is SourceState.FAILED
    assert source.error is not None and "01.png: not a readable image" in str(source.error)
    assert len(got.captures) == 1  # the good image before it


def test_corrupt_and_missing_video(tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.avi"
    corrupt.write_bytes(b"RIFF\x00\x10\x00\x00AVI LIST" + os.urandom(4000))
    start = time.monotonic()
    with pytest.raises(SourceError, match="not a readable video"):
        VideoSource("video:x", corrupt, fps=0).start(Collector())
    with pytest.raises(SourceError, match="no such file"):
        VideoSource("video:x", tmp_path / "none.avi", fps=0).start(Collector())
    assert time.monotonic() - start < 5


# --- the camera, with a fake device at the edge ---


class FakeCamera:
    """A USB camera on a desk: gives frames at its rate, can be unplugged and plugged back.

    Like a real V4L2 device, a capture opened before an unplug stays dead after the replug: only
    a new open gets frames again. `stall()` makes reads block, as a wedged driver's do.
    """

    def __init__(self, fps: float = 100.0, gives: dict[int, float] | None = None) -> None:
        self.fps = fps
        self.frame = np.zeros((48, 64, 3), np.uint8)
        self.plugged = True
        self.generation = 0
        self.opens = 0
        self.calls: list[tuple[str, int, float]] = []
        self.gives = gives or {}  # what the driver really sets, whatever it is asked
        self.unstall = threading.Event()
        self.unstall.set()
        self.lock = threading.Lock()

    def factory(self, device: int | str, api: int) -> FakeCapture:
        with self.lock:
            self.opens += 1
            return FakeCapture(self, self.generation if self.plugged else -1)

    def unplug(self) -> None:
        with self.lock:
            self.plugged = False
            self.generation += 1

    def plug(self) -> None:
        with self.lock:
            self.plugged = True

    def stall(self) -> None:
        self.unstall.clear()


class FakeCapture:
    def __init__(self, camera: FakeCamera, generation: int) -> None:
        self.camera = camera
        self.generation = generation
        self.props: dict[int, float] = {}
        self.released = False

    def isOpened(self) -> bool:
        return self.generation >= 0 and not self.released

    def read(self) -> tuple[bool, np.ndarray | None]:
        cam = self.camera
        cam.unstall.wait(0.5)  # a stalled read blocks, then fails
        time.sleep(1 / cam.fps)
        if self.released or self.generation != cam.generation or not cam.unstall.is_set():
            return False, None
        return True, cam.frame.copy()

    def set(self, prop: int, value: float) -> bool:
        self.camera.calls.append(("set", prop, value))
        self.props[prop] = self.camera.gives.get(prop, value)
        return True

    def get(self, prop: int) -> float:
        return self.props.get(prop, 0.0)

    def release(self) -> None:
        self.released = True


FAST = CameraSettings(frame_timeout_s=0.2, backoff_initial_s=0.05, backoff_max_s=0.2)


def test_camera_asks_mjpg_first_then_size_rate_buffer_and_logs_what_it_got(
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake = FakeCamera(gives={cv2.CAP_PROP_FRAME_WIDTH: 640.0, cv2.CAP_PROP_FRAME_HEIGHT: 480.0})
    settings = CameraSettings(width=1920, height=1080, fps=30, backend="v4l2")
    caplog.set_level(logging.INFO, logger="kiosk.core.sources.camera")
    with CameraSource("camera:0", 0, settings, fake.factory) as camera:
        camera.start(Collector())
    props = [prop for _, prop, _ in fake.calls]
    order = [cv2.CAP_PROP_FOURCC, cv2.CAP_PROP_FRAME_WIDTH, cv2.CAP_PROP_FRAME_HEIGHT]
    assert props[:5] == [*order, cv2.CAP_PROP_FPS, cv2.CAP_PROP_BUFFERSIZE]
    assert ("set", cv2.CAP_PROP_BUFFERSIZE, 1.0) in fake.calls
    assert ("set", cv2.CAP_PROP_AUTO_EXPOSURE, 3.0) in fake.calls  # V4L2's "auto"
    opened = [r.getMessage() for r in caplog.records if "opened:" in r.getMessage()]
    assert len(opened) == 1
    assert "fourcc=MJPG" in opened[0]
    assert "width=640 (asked 1920, set=True)" in opened[0]
    assert "height=480 (asked 1080, set=True)" in opened[0]
    assert "buffersize=1," in opened[0]


def test_camera_manual_focus_and_exposure_are_asked_for() -> None:
    fake = FakeCamera()
    settings = CameraSettings(
        backend="v4l2", autofocus=False, focus=40, auto_exposure=False, exposure=157
    )
    with CameraSource("camera:0", 0, settings, fake.factory) as camera:
        camera.start(Collector())
    assert ("set", cv2.CAP_PROP_AUTOFOCUS, 0.0) in fake.calls
    assert ("set", cv2.CAP_PROP_FOCUS, 40.0) in fake.calls
    assert ("set", cv2.CAP_PROP_AUTO_EXPOSURE, 1.0) in fake.calls  # V4L2's "manual"
    assert ("set", cv2.CAP_PROP_EXPOSURE, 157.0) in fake.calls


def test_camera_unplugged_is_lost_then_reopened_when_it_comes_back(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    fake = FakeCamera()
    got = Collector()
    states: list[SourceState] = []
    camera = CameraSource("camera:/dev/v4l/by-id/fake", 0, FAST, fake.factory)
    try:
        camera.start(got, states.append)
        assert wait_for(lambda: len(got.captures) >= 5)
        assert camera.state is SourceState.LIVE

        fake.unplug()
        assert wait_for(lambda: SourceState.REOPENING in states)
        lost_at = len(got.captures)
        time.sleep(0.3)  # several reopen attempts while it is away
        assert len(got.captures) == lost_at  # nothing arrives from an unplugged camera
        assert fake.opens >= 2 and camera.opens == 1  # tried, and failed, to open it again

        fake.plug()
        assert wait_for(
            lambda: camera.state is SourceState.LIVE and len(got.captures) > lost_at + 5
        )
        assert camera.opens == 2
    finally:
        camera.close()
    assert states[:4] == [
        SourceState.LIVE,
        SourceState.LOST,
        SourceState.REOPENING,
        SourceState.LIVE,
    ]
    assert states[-1] is SourceState.CLOSED
    times = [c.monotonic_time for c in got.captures]
    assert times == sorted(times)
    assert any("lost" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)


def test_a_stalled_camera_is_reported_lost_while_its_read_still_blocks() -> None:
    fake = FakeCamera()
    got = Collector()
    camera = CameraSource("camera:0", 0, FAST, fake.factory)
    try:
        camera.start(got)
        assert wait_for(lambda: len(got.captures) >= 3)
        fake.stall()  # reads now block for 0.5 s: longer than the frame timeout
        stalled = time.monotonic()
        assert wait_for(lambda: camera.state is not SourceState.LIVE, timeout=2)
        assert time.monotonic() - stalled < 0.45  # told before the blocked read came back
        fake.unstall.set()
        assert wait_for(lambda: camera.state is SourceState.LIVE and camera.opens >= 2)
    finally:
        started = time.monotonic()
        camera.close()
        assert time.monotonic() - started < 2


def test_camera_that_cannot_be_opened_is_a_clear_error() -> None:
    fake = FakeCamera()
    fake.unplug()
    with pytest.raises(SourceError, match="cannot be opened"):
        CameraSource("camera:0", 0, FAST, fake.factory).start(Collector())


def test_camera_device_path_that_does_not_exist_is_a_clear_error(tmp_path: Path) -> None:
    missing = str(tmp_path / "usb-NoSuchCam-video-index0")
    start = time.monotonic()
    with pytest.raises(SourceError, match="no such camera device"):
        CameraSource(f"camera:{missing}", missing, FAST).start(Collector())  # real OpenCV
    assert time.monotonic() - start < 2


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(SourceError, match="unknown camera backend"):
        CameraSource("camera:0", 0, CameraSettings(backend="vfw"), FakeCamera().factory)


# --- the serial scanner, through a pseudo-terminal ---


def test_line_splitter_cr_crlf_lf_and_split_utf8() -> None:
    s = LineSplitter()
    name = "Võ Thị Thanh Hằng".encode()
    assert s.feed(b"CDS1:AB") == []
    assert s.feed(b"C\r") == ["CDS1:ABC"]
    assert s.feed(b"x|" + name[:5]) == []
    assert s.feed(name[5:] + b"\r\n\r\nurl\n") == ["x|Võ Thị Thanh Hằng", "url"]
    assert s.feed(b"\xff\xfe\r") == ["\xff\xfe"]  # not UTF-8: Latin-1, never a guess


def test_line_splitter_drops_an_endless_line() -> None:
    s = LineSplitter()
    assert s.feed(b"A" * (MAX_LINE_BYTES + 10)) == []
    assert s.feed(b"tail\rnext\r") == ["next"]


def test_serial_scanner_lines_through_a_pty() -> None:
    master, slave = pty.openpty()
    got = Collector()
    states: list[SourceState] = []
    source = SerialSource(
        "serial:pty", os.ttyname(slave), ScannerSettings(backoff_initial_s=0.05, backoff_max_s=0.1)
    )
    try:
        source.start(got, states.append)
        valid = DEMO.codes[0].text
        idcard = next(c.text for c in DEMO.codes if c.name == "idcard")
        os.write(master, valid[:100].encode())
        time.sleep(0.05)  # the rest of the line arrives in a later read
        os.write(master, valid[100:].encode() + b"\r" + idcard.encode() + b"\r")
        assert wait_for(lambda: len(got.captures) == 2)
        assert [c.text for c in got.captures] == [valid, idcard]
        assert all(c.source_kind is SourceKind.SCANNER and c.frame is None for c in got.captures)
        assert got.captures[0].source == "serial:pty"

        os.close(master)  # the scanner goes away
        master = -1
        assert wait_for(
            lambda: SourceState.LOST in states and source.state is SourceState.REOPENING
        )
    finally:
        started = time.monotonic()
        source.close()
        assert time.monotonic() - started < 2
        if master >= 0:
            os.close(master)
        os.close(slave)
    assert source.state is SourceState.CLOSED


def test_serial_device_that_does_not_exist_is_a_clear_error() -> None:
    with pytest.raises(SourceError, match="no such serial device"):
        SerialSource("serial:/dev/ttyNOPE9", "/dev/ttyNOPE9", ScannerSettings()).start(Collector())
