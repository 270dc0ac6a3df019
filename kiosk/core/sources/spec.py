"""SPEC strings (`--source`, `scan.source`) and the source each one builds.

camera:0                      camera by index
camera:/dev/v4l/by-id/...     camera by device path (survives re-plugging)
image:FILE                    one image, held in view
images:DIR                    every image in a folder, in name order
video:FILE                    a video file
serial:/dev/ttyACM0           a handheld scanner in serial mode (COM3 on Windows)
demo                          the built-in demo codes, no hardware
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk.core.config import Config
from kiosk.core.sources.base import Source, SpecError
from kiosk.core.sources.camera import CameraSettings, CameraSource
from kiosk.core.sources.demo import DemoSource
from kiosk.core.sources.files import ImageSource, VideoSource
from kiosk.core.sources.serial import ScannerSettings, SerialSource

KINDS = ("camera", "image", "images", "video", "serial", "demo")
FORMS = "camera:INDEX|PATH, image:FILE, images:DIR, video:FILE, serial:PORT or demo"


@dataclass(frozen=True, slots=True)
class SourceSpec:
    kind: str  # one of KINDS
    target: str  # what follows the colon; "" for demo

    def __str__(self) -> str:
        return f"{self.kind}:{self.target}" if self.target else self.kind


def parse_spec(text: str) -> SourceSpec:
    kind, colon, target = text.strip().partition(":")
    kind = kind.lower()
    if kind == "demo" and not target:
        return SourceSpec("demo", "")
    if kind not in KINDS or kind == "demo":
        raise SpecError(f"unknown source {text!r}; expected {FORMS}")
    if not colon or not target:
        raise SpecError(f"source {text!r} names no {kind}; expected {FORMS}")
    if kind == "camera" and target.lstrip("-").isdigit() and int(target) < 0:
        raise SpecError(f"camera index must be 0 or more, not {target}")
    return SourceSpec(kind, target)


def camera_settings(config: Config) -> CameraSettings:
    return CameraSettings(
        backend=config.camera.backend,
        fourcc=config.camera.fourcc,
        width=config.camera.width,
        height=config.camera.height,
        fps=config.camera.fps,
        autofocus=config.camera.autofocus,
        focus=config.camera.focus,
        auto_exposure=config.camera.auto_exposure,
        exposure=config.camera.exposure,
        frame_timeout_s=config.camera.frame_timeout_s,
        backoff_max_s=config.camera.reopen_backoff_max_s,
    )


def make_source(spec: SourceSpec, config: Config) -> Source:
    """The source a SPEC names, set up from the config (not yet started)."""
    name = str(spec)
    fps, hold = config.scan.file_fps, config.scan.image_hold_s
    match spec.kind:
        case "camera":
            device: int | str = int(spec.target) if spec.target.isdigit() else spec.target
            return CameraSource(name, device, camera_settings(config))
        case "image" | "images":
            return ImageSource(name, Path(spec.target), fps=fps, hold_s=hold)
        case "video":
            return VideoSource(name, Path(spec.target), fps=config.scan.video_fps)
        case "serial":
            scanner = ScannerSettings(
                baudrate=config.scanner.baudrate,
                backoff_max_s=config.scanner.reopen_backoff_max_s,
            )
            return SerialSource(name, spec.target, scanner)
        case "demo":
            return DemoSource(fps=fps, hold_s=config.scan.demo_hold_s, gap_s=config.scan.demo_gap_s)
    raise SpecError(f"unknown source kind {spec.kind!r}")
