"""Every screen of the kiosk in Vietnamese and English at the sizes kiosks have.

    python -m kiosk.ui.screenshots --out docs/screenshots

Builds the real window on the real runtime (journal in a temporary data dir, the demo trust
list, a still "camera" picture), drives it as a guard, a clerk and a technician would (the demo
codes fed as a scanner would, a wrong PIN typed, the self-test run), and saves each screen as
`<screen>-<language>-<width>x<height>.png`. `tour()` is the one list of screens: the layout and
contrast tests walk the same screens. Offscreen by default; under a real X server (`xvfb-run
env QT_QPA_PLATFORM=xcb python -m kiosk.ui.screenshots`) the picture is taken from the screen.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import cv2
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import QApplication

from kiosk.core.config import load_config
from kiosk.core.demo_data import load_demo
from kiosk.core.runtime import Runtime
from kiosk.core.sources.demo import demo_frame
from kiosk.core.technician.pin import MIN_COST
from kiosk.ui.app import KioskApp
from kiosk.ui.sound import TonePlayer

SIZES = ((1024, 600), (1280, 800), (1920, 1080))
LANGUAGES = ("vi", "en")
PIN = "246810"


def wait_until(check: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        QApplication.processEvents()
        if check():
            return True
        time.sleep(0.01)
    return False


def settle(seconds: float = 0.05) -> None:
    """Let queued layout and paint events run (widgets added to layouts show by events)."""
    wait_until(lambda: False, seconds)


def build(language: str, mode: str, data_dir: Path, size: tuple[int, int] = SIZES[1]) -> KioskApp:
    blank = data_dir / "camera.png"
    cv2.imwrite(str(blank), demo_frame(None, ""))
    config = load_config(
        overrides={
            "kiosk.language": language,
            "kiosk.mode": mode,
            "ui.fullscreen": False,
            "kiosk.name": "Cổng A · UBND Hải Châu" if mode == "gate" else "Quầy 3 · Sở TN&MT",
            "ui.verdict_seconds": 60.0,
            "scan.image_hold_s": 3600.0,
            "sync.enabled": False,
        }
    )
    runtime = Runtime(
        config,
        data_dir,
        source=f"image:{blank}",
        trust=load_demo().trust_state(),
        pin_cost=MIN_COST,
        status_interval_s=0.2,
    )
    kiosk = KioskApp(
        config,
        data_dir,
        runtime=runtime,
        tones=TonePlayer(False, player=[]),
    )
    kiosk.start(show=False)
    kiosk.window.resize(*size)
    kiosk.window.show()
    wait_until(
        lambda: kiosk.window.last_status is not None and kiosk.window.scan_view.image is not None
    )
    return kiosk


def scan(kiosk: KioskApp, name: str) -> None:
    code = next(c.text for c in load_demo().codes if c.name == name)
    before = kiosk.window.current_verdict
    kiosk.runtime.submit_text(code)
    wait_until(lambda: kiosk.window.current_verdict not in (None, before))
    settle(0.3)  # let the status line and the guard's counts catch up


def _gate_tour(kiosk: KioskApp) -> Iterator[str]:
    w = kiosk.window
    yield "idle"
    for screen, code in (("accept", "valid"), ("reject", "forged"), ("unverified", "idcard")):
        scan(kiosk, code)
        yield screen
    w.show_scanning()
    yield "idle-recent"
    kiosk.bridge.message.disconnect(w.on_message)  # held, as the demo source would report it
    w.on_message(replace(kiosk.runtime.status().source, demo=True, demo_reason="no_camera"))
    yield "idle-demo"
    kiosk.bridge.message.connect(w.on_message)
    w.on_message(kiosk.runtime.status())
    # The storage fault as the core reports it; the core's next (healthy) status would clear
    # it, so the window hears nothing from the core while this screen is looked at.
    kiosk.bridge.message.disconnect(w.on_message)
    w.go_out_of_service("storage", "disk full")
    yield "out-of-service"
    w.go_out_of_service("journal_lost", "the journal is gone")
    yield "out-of-service-journal"
    kiosk.bridge.message.connect(w.on_message)
    w.out_of_service = None
    w.show_scanning()
    w.open_technician()  # no PIN yet: the door says how a technician sets one
    settle()
    yield "pin-not-set"
    assert kiosk.runtime.technician is not None
    kiosk.runtime.technician.set_pin(PIN)
    w.pin_is_set = True
    w.open_technician()
    settle()
    yield "pin"
    before = w.pin_page.message.text()
    w.pin_check.emit("000000")
    wait_until(lambda: w.pin_page.message.text() not in (before, ""))
    yield "pin-wrong"
    w.technician_unlocked = True
    w.open_technician()
    tabs = w.technician.tabs
    tabs.setCurrentWidget(w.technician.settings)
    yield "technician-settings"
    tabs.setCurrentWidget(w.technician.selftest)
    w.selftest_run.emit()
    page = w.technician.selftest
    wait_until(lambda: bool(page.results))
    yield "technician-selftest"
    tabs.setCurrentWidget(w.technician.journal)
    w.journal_recent.emit(24)
    journal = w.technician.journal
    wait_until(lambda: bool(journal.rows))
    yield "technician-journal"
    tabs.setCurrentWidget(w.technician.camera)
    settle(0.5)  # a status snapshot or two for the meter
    yield "technician-camera"


def _counter_tour(kiosk: KioskApp) -> Iterator[str]:
    yield "counter-idle"
    scan(kiosk, "idcard")
    yield "counter-idcard"
    scan(kiosk, "valid")
    yield "counter"


def tour(language: str, root: Path) -> Iterator[tuple[str, KioskApp]]:
    """Every screen, in `language`: yields (screen name, the kiosk showing it). The kiosk is
    closed when the tour moves on; resize `kiosk.window` to see a screen at another size."""
    for mode, walk in (("gate", _gate_tour), ("counter", _counter_tour)):
        data_dir = Path(tempfile.mkdtemp(prefix=f"{mode}-{language}-", dir=root))
        kiosk = build(language, mode, data_dir)
        try:
            for screen in walk(kiosk):
                settle()
                yield screen, kiosk
        finally:
            kiosk.close()


def resize(kiosk: KioskApp, size: tuple[int, int]) -> None:
    kiosk.window.resize(*size)
    settle()
    settle()  # a resize can ask for a second layout pass (texts refitted to the new size)


def picture(kiosk: KioskApp) -> QPixmap:
    """What the window shows: taken from the screen under a real X server, else rendered."""
    w = kiosk.window
    if QGuiApplication.platformName() == "offscreen":
        return w.grab()
    w.raise_()
    settle(0.3)
    top_left = w.mapToGlobal(w.rect().topLeft())
    return w.screen().grabWindow(0, top_left.x(), top_left.y(), w.width(), w.height())


def shoot(out: Path, sizes: tuple[tuple[int, int], ...] = SIZES) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    saved = []
    with tempfile.TemporaryDirectory() as tmp:
        for language in LANGUAGES:
            for screen, kiosk in tour(language, Path(tmp)):
                for size in sizes:
                    resize(kiosk, size)
                    path = out / f"{screen}-{language}-{size[0]}x{size[1]}.png"
                    picture(kiosk).save(str(path))
                    saved.append(path)
                    print(path)
                resize(kiosk, SIZES[1])
    return saved


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    p.add_argument("--size", action="append", metavar="WxH", help="only these sizes")
    args = p.parse_args()
    sizes: tuple[tuple[int, int], ...] = SIZES
    if args.size:
        sizes = tuple((int(s.split("x")[0]), int(s.split("x")[1])) for s in args.size)
    shoot(args.out, sizes)


if __name__ == "__main__":
    main()
