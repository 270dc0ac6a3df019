"""Run by test_focus.py under a bare X server: the real kiosk window, then F2 pressed with no
click first. Prints the gate's direction from the journal's state and exits."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest

from kiosk.core.config import load_config
from kiosk.core.demo_data import load_demo
from kiosk.core.runtime import Runtime
from kiosk.core.technician.pin import MIN_COST
from kiosk.ui.app import KioskApp
from kiosk.ui.sound import TonePlayer


def main(data_dir: Path) -> None:
    config = load_config(overrides={"ui.fullscreen": False, "sync.enabled": False})
    runtime = Runtime(config, data_dir, source="demo", trust=load_demo().trust_state(),
                      pin_cost=MIN_COST, status_interval_s=0.2)  # fmt: skip
    kiosk = KioskApp(config, data_dir, config_path=data_dir / "kiosk.toml", runtime=runtime,
                     tones=TonePlayer(False, player=[]))  # fmt: skip
    kiosk.start(show=True)

    def press() -> None:
        QTest.keyClick(kiosk.window, Qt.Key.Key_F2)  # as the X server delivers it: no click
        QTimer.singleShot(1000, report)

    def report() -> None:
        assert kiosk.runtime.recorder is not None
        print(f"direction={kiosk.runtime.recorder.gate().direction}", flush=True)
        kiosk.quit()

    QTimer.singleShot(1000, press)
    kiosk.app.exec()
    kiosk.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
