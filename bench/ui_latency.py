"""The screen's numbers: scan-to-verdict-on-screen latency, and the preview's frame rate.

    python -m bench.ui_latency [--scans 100] [--seconds 5]

Latency: a 1280x720 camera-like frame holding a demo code enters the real pipeline (decode,
verify, journal commit with fsync) and ends when the verdict widget has been painted in the
real window (offscreen). Codes alternate so each scan changes the screen; repeat windows are
zero so every frame is a new presentation. Preview: the demo source at 30 fps, 720p, while
the pipeline decodes every frame; frames painted per second in the scanning view.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import cv2
from PySide6.QtWidgets import QApplication

from kiosk.core.config import load_config
from kiosk.core.demo_data import load_demo
from kiosk.core.runtime import Runtime
from kiosk.core.sources.base import Capture, SourceKind
from kiosk.core.sources.demo import demo_frame
from kiosk.core.technician.pin import MIN_COST
from kiosk.ui.app import KioskApp
from kiosk.ui.sound import TonePlayer

TARGET_P95_MS = 100.0
TARGET_FPS = 15.0


def _pump(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.001)


def _kiosk(data_dir: Path, source: str, extra: dict[str, object]) -> KioskApp:
    config = load_config(
        overrides={
            "ui.fullscreen": False,
            "sync.enabled": False,
            "scan.repeat_window_s": 0.0,
            "ui.verdict_seconds": 60.0,
            **extra,
        }
    )
    runtime = Runtime(
        config, data_dir, source=source, trust=load_demo().trust_state(), pin_cost=MIN_COST
    )
    kiosk = KioskApp(
        config,
        data_dir,
        config_path=data_dir / "kiosk.toml",
        runtime=runtime,
        tones=TonePlayer(False, player=[]),
    )
    kiosk.start(show=False)
    kiosk.window.resize(1280, 800)
    kiosk.window.show()
    _pump(0.5)
    return kiosk


def latency(scans: int) -> list[float]:
    codes = [c.text for c in load_demo().codes if c.name != "url"]
    frames = [demo_frame(text, "bench") for text in codes]
    with tempfile.TemporaryDirectory() as tmp:
        room = Path(tmp) / "room.png"
        cv2.imwrite(str(room), demo_frame(None, ""))
        kiosk = _kiosk(Path(tmp), f"image:{room}", {"scan.image_hold_s": 0.0})
        window, pipeline = kiosk.window, kiosk.runtime.pipeline
        assert pipeline is not None
        try:
            for i in range(scans):
                before = len(window.verdict_latencies_ms)
                frame = frames[i % len(frames)]
                pipeline.submit(
                    Capture("bench", SourceKind.CAMERA, time.time(), time.monotonic(), frame=frame)
                )
                deadline = time.monotonic() + 5
                while len(window.verdict_latencies_ms) == before and time.monotonic() < deadline:
                    QApplication.processEvents()
                    time.sleep(0.0005)
            return list(window.verdict_latencies_ms)
        finally:
            kiosk.close()


def preview_fps(seconds: float) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        kiosk = _kiosk(Path(tmp), "demo", {"scan.file_fps": 30.0})
        try:
            view = kiosk.window.scan_view
            _pump(1.0)
            shown = view.frames_shown
            decoded = kiosk.runtime.pipeline.stats.frames_decoded if kiosk.runtime.pipeline else 0
            _pump(seconds)
            fps = (view.frames_shown - shown) / seconds
            stats = kiosk.runtime.pipeline.stats if kiosk.runtime.pipeline else None
            return fps, (stats.frames_decoded - decoded) if stats else 0
        finally:
            kiosk.close()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scans", type=int, default=100)
    p.add_argument("--seconds", type=float, default=5.0)
    args = p.parse_args()
    ms = sorted(latency(args.scans))
    p95 = ms[max(0, round(0.95 * len(ms)) - 1)]
    print(
        f"scan to verdict on screen, 1280x720 frames, {len(ms)} scans:"
        f" median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, max {ms[-1]:.1f} ms"
        f"  (target p95 <= {TARGET_P95_MS:.0f} ms: {'ok' if p95 <= TARGET_P95_MS else 'MISSED'})"
    )
    fps, decoded = preview_fps(args.seconds)
    print(
        f"preview while decoding (demo source 30 fps, 720p): {fps:.1f} preview frames/s shown,"
        f" {decoded / args.seconds:.1f} frames/s decoded"
        f"  (target >= {TARGET_FPS:.0f}: {'ok' if fps >= TARGET_FPS else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
