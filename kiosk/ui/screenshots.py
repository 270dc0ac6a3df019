"""Screenshots of the kiosk's screens in Vietnamese and English, for the README and reviews.

    python -m kiosk.ui.screenshots --out docs/screenshots

Builds the real window on the real runtime (journal in a temporary data dir, the demo trust
list, a still "camera" picture) and feeds the demo codes as a scanner would, then grabs the
window. Runs offscreen; no display needed.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import cv2
from PySide6.QtWidgets import QApplication

from kiosk.core.config import load_config
from kiosk.core.demo_data import load_demo
from kiosk.core.runtime import Runtime
from kiosk.core.sources.demo import demo_frame
from kiosk.core.technician import MIN_COST
from kiosk.ui.app import KioskApp
from kiosk.ui.sound import TonePlayer

SIZE = (1280, 800)


def wait_until(check: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        QApplication.processEvents()
        if check():
            return True
        time.sleep(0.01)
    return False


def build(language: str, mode: str, data_dir: Path) -> KioskApp:
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
    kiosk.window.resize(*SIZE)
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
    wait_until(lambda: False, 0.2)  # let the status line catch up


def grab(kiosk: KioskApp, path: Path) -> None:
    wait_until(lambda: False, 0.3)  # widgets added to layouts are shown by queued events
    kiosk.window.grab().save(str(path))
    print(path)


def shoot(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for language in ("vi", "en"):
        with tempfile.TemporaryDirectory() as tmp:
            kiosk = build(language, "gate", Path(tmp))
            grab(kiosk, out / f"idle-{language}.png")
            for screen, code in (
                ("accept", "valid"),
                ("reject", "forged"),
                ("unverified", "idcard"),
            ):
                scan(kiosk, code)
                grab(kiosk, out / f"{screen}-{language}.png")
            kiosk.window.show_scanning()
            assert kiosk.runtime.technician is not None
            kiosk.runtime.technician.set_pin("246810")
            kiosk.window.technician_unlocked = True
            kiosk.window.open_technician()
            kiosk.window.technician.tabs.setCurrentIndex(1)
            kiosk.window.selftest_run.emit()
            page = kiosk.window.technician.selftest
            wait_until(lambda page=page: bool(page.results))
            grab(kiosk, out / f"technician-{language}.png")
            kiosk.close()
        with tempfile.TemporaryDirectory() as tmp:
            kiosk = build(language, "counter", Path(tmp))
            scan(kiosk, "idcard")
            scan(kiosk, "valid")
            grab(kiosk, out / f"counter-{language}.png")
            kiosk.close()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    shoot(p.parse_args().out)


if __name__ == "__main__":
    main()
