"""Paints the kiosk's busiest widgets many times and watches the interpreter's count of `None`.

A Qt binding that drops one reference to `None` on each void call (PySide6-Essentials 6.12.0 on
CPython 3.11 did: `setPen`, `drawLine`, `fillRect`, ...) aborts the process after minutes of
painting with "none_dealloc: deallocating None". On CPython 3.12+ `None` is immortal and the
count never moves, so there the check passes by construction; the abort cannot happen either.

The widgets are the real ones, fed by a real runtime on the built-in demo codes (a temporary
data directory, no camera, no portal): the scan view with a camera picture, the verdict view
cycling through every kind of verdict the demo codes give, and the status line.

    python -m kiosk.ui.paint_check --paints 100000
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import cv2
from PySide6.QtGui import QImage

from kiosk.core.config import load_config
from kiosk.core.demo_data import load_demo
from kiosk.core.runtime import Runtime
from kiosk.core.runtime_messages import RuntimeMessage, ShownScan
from kiosk.core.sources.demo import demo_frame
from kiosk.core.technician.pin import MIN_COST
from kiosk.ui.app import qapplication
from kiosk.ui.i18n import Languages
from kiosk.ui.widgets.scan_view import ScanView
from kiosk.ui.widgets.status_line import StatusLine
from kiosk.ui.widgets.verdict_view import VerdictView

# A healthy binding moves the count by a few references either way while widgets come and go;
# the broken one lowered it by about ten per widget painted.
TOLERANCE = 1000


@dataclass(frozen=True, slots=True)
class PaintReport:
    paints: int
    seconds: float
    verdict_kinds: int
    none_refs_start: int
    none_refs_lowest: int
    none_refs_end: int

    @property
    def ok(self) -> bool:
        return self.none_refs_lowest >= self.none_refs_start - TOLERANCE


def _demo_scans(data_dir: Path) -> tuple[list[ShownScan], Runtime]:
    """Every demo code through the real runtime (journal first), as the screen receives them."""
    # An empty room at one frame a second: the decoder stays out of the painting's way.
    room = data_dir / "room.png"
    cv2.imwrite(str(room), demo_frame(None, ""))
    config = load_config(
        overrides={"sync.enabled": False, "ui.fullscreen": False, "scan.file_fps": 1.0}
    )
    runtime = Runtime(
        config, data_dir, source=f"image:{room}", trust=load_demo().trust_state(),
        pin_cost=MIN_COST,
    )  # fmt: skip
    shown: list[ShownScan] = []
    arrived = threading.Condition()

    def listen(message: RuntimeMessage) -> None:
        if isinstance(message, ShownScan):
            with arrived:
                shown.append(message)
                arrived.notify_all()

    runtime.add_listener(listen)
    runtime.open_trust()
    runtime.start()
    codes = load_demo().codes
    for code in codes:
        runtime.submit_text(code.text)
    with arrived:
        arrived.wait_for(lambda: len(shown) >= len(codes), timeout=20)
    return shown, runtime


def paint_check(paints: int, width: int = 1280, height: int = 800) -> PaintReport:
    app = qapplication()
    Languages(app).use("vi")
    with tempfile.TemporaryDirectory(prefix="kiosk-paint-") as tmp:
        scans, runtime = _demo_scans(Path(tmp))
        try:
            if not scans:
                raise RuntimeError("the demo codes gave no verdict to paint")
            scan_view, verdict, status = ScanView(), VerdictView(), StatusLine()
            frame = demo_frame(None, "")
            picture = QImage(
                frame.data, frame.shape[1], frame.shape[0], frame.strides[0],
                QImage.Format.Format_BGR888,
            ).scaled(width, height)  # fmt: skip
            scan_view.set_frame(picture)
            status.update_status(runtime.status())
            for widget, h in ((scan_view, height), (verdict, height), (status, 64)):
                widget.resize(width, h)
            target = QImage(width, height, QImage.Format.Format_RGB32)
            start = lowest = sys.getrefcount(None)
            began = time.monotonic()
            done = 0
            while done < paints:
                verdict.show_scan(scans[done % len(scans)])
                for widget in (scan_view, verdict, status):
                    widget.render(target)
                    done += 1
                if done % 300 < 3:
                    app.processEvents()
                    lowest = min(lowest, sys.getrefcount(None))
            lowest = min(lowest, sys.getrefcount(None))
            seconds = time.monotonic() - began
            for widget in (scan_view, verdict, status):
                widget.deleteLater()
            app.processEvents()
        finally:
            runtime.close()
        return PaintReport(
            done, round(seconds, 2), len({s.event.verdict.outcome for s in scans}), start, lowest,
            sys.getrefcount(None),
        )  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m kiosk.ui.paint_check", description=__doc__)
    p.add_argument("--paints", type=int, default=100_000, help="widgets painted (default 100000)")
    p.add_argument("--size", default="1280x800", help="WIDTHxHEIGHT of the widgets")
    args = p.parse_args(argv)
    width, height = (int(n) for n in args.size.split("x"))
    report = paint_check(args.paints, width, height)
    print(json.dumps({**asdict(report), "ok": report.ok}))
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
