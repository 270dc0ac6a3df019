"""The real kiosk window on the real runtime (journal, pipeline, decoder), offscreen.

Only the camera that is not there is replaced: by a still image source (an empty grey room)
or by the built-in demo source. Qt warnings fail the test that caused them.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import cv2
import pytest
from PySide6.QtCore import QtMsgType

from kiosk.core.config import load_config
from kiosk.core.config.edits import render
from kiosk.core.demo_data import load_demo
from kiosk.core.runtime import Runtime
from kiosk.core.sources.demo import demo_frame
from kiosk.core.technician.pin import MIN_COST
from kiosk.ui.app import KioskApp
from kiosk.ui.i18n import compile_catalogues
from kiosk.ui.sound import TonePlayer

# Said by the offscreen platform plugin itself on every top-level window; not ours.
IGNORED_QT = ("This plugin does not support propagateSizeHints()",)


@pytest.fixture(scope="session", autouse=True)
def _catalogues() -> None:
    compile_catalogues()


@pytest.fixture(autouse=True)
def _fail_on_qt_warnings(qtlog: Any) -> Iterator[None]:
    yield
    bad = [r.message for r in qtlog.records
           if r.type in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
           and not r.message.startswith(IGNORED_QT)]  # fmt: skip
    assert not bad, f"Qt warnings: {bad}"


def code(name: str) -> str:
    return next(c.text for c in load_demo().codes if c.name == name)


class Kiosk:
    """A running KioskApp and helpers to drive it like a guard, a clerk or a technician."""

    def __init__(self, app: KioskApp, qtbot: Any, data_dir: Path) -> None:
        self.app, self.qtbot, self.data_dir = app, qtbot, data_dir
        self.window = app.window
        self.runtime = app.runtime

    def wait(self, check: Callable[[], Any], timeout_ms: int = 8000) -> None:
        self.qtbot.waitUntil(lambda: bool(check()), timeout=timeout_ms)

    def scan(self, name: str) -> None:
        """Present a demo code as a serial scanner would (the runtime's text input)."""
        self.scan_text(code(name))

    def scan_text(self, text: str) -> None:
        before = self.window.current_verdict
        self.runtime.submit_text(text)
        self.wait(lambda: self.window.current_verdict not in (None, before))

    def journal(self) -> list[dict[str, Any]]:
        out = io.StringIO()
        now = int(time.time() * 1000)
        self.runtime.export_journal(now - 3_600_000, now + 60_000, out, "jsonl")
        return [json.loads(line) for line in out.getvalue().splitlines()]

    def system_rows(self, action: str) -> list[dict[str, Any]]:
        return [r for r in self.journal() if r["kind"] == "system" and r["action"] == action]


@pytest.fixture
def make_kiosk(qtbot: Any, tmp_path: Path) -> Iterator[Callable[..., Kiosk]]:
    made: list[KioskApp] = []

    def make(*, mode: str = "gate", language: str = "vi", demo_source: bool = False,
             overrides: dict[str, Any] | None = None, anchor: bytes | None = None,
             source: str | None = None, data_dir: Path | None = None,
             ready: bool = True) -> Kiosk:  # fmt: skip
        if data_dir is None:  # given: a restart on that kiosk's data
            data_dir = tmp_path / f"data{len(made)}"
            data_dir.mkdir()
        room = data_dir / "room.png"
        cv2.imwrite(str(room), demo_frame(None, ""))
        values = {"kiosk.mode": mode, "kiosk.language": language, "ui.fullscreen": False,
                  "sync.enabled": False, "scan.file_fps": 15.0, **(overrides or {})}  # fmt: skip
        config_file = data_dir / "kiosk.toml"  # --config; the screen writes its own layer
        config_file.write_text(render(values), encoding="utf-8")
        config = load_config(config_file, data_dir=data_dir)
        runtime = Runtime(
            config, data_dir,
            source=source or ("demo" if demo_source else f"image:{room}"),
            trust=load_demo().trust_state(), anchor=anchor,
            pin_cost=MIN_COST, status_interval_s=0.2,
        )  # fmt: skip
        kiosk = KioskApp(config, data_dir, config_path=config_file, runtime=runtime,
                         tones=TonePlayer(True, player=[]))  # fmt: skip
        made.append(kiosk)
        kiosk.start(show=False)
        kiosk.window.resize(1280, 800)
        kiosk.window.show()
        k = Kiosk(kiosk, qtbot, data_dir)
        if ready:  # False: a runtime that cannot start (the test waits for what it expects)
            k.wait(lambda: kiosk.window.last_status is not None)
        return k

    yield make
    for kiosk in made:
        kiosk.close()
