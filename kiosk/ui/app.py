"""The GUI kiosk: QApplication, font, translations, the runtime and its workers, the window.

`KioskApp` composes them and owns the threads, so tests, screenshots and `kiosk run` build the
same thing. Shutdown order: stop the workers' threads (quit + wait), then close the runtime
(which stops the source, pipeline and sync loop and journals app.stop).
"""

from __future__ import annotations

import argparse
import faulthandler
import logging
import os
import signal
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from kiosk.core.config import Config, ConfigError, load_config
from kiosk.core.config.edits import SettingsLayers
from kiosk.core.counter.handoff import Handoff
from kiosk.core.counter.handoff_route import HandoffOutlet
from kiosk.core.paths import default_data_dir, private_files
from kiosk.core.runtime import Runtime
from kiosk.core.sd_notify import Notifier
from kiosk.core.sources import SourceError
from kiosk.core.technician.pin import HashCost, pin_is_set
from kiosk.ui.i18n import Languages
from kiosk.ui.main_window import MainWindow
from kiosk.ui.sound import TonePlayer
from kiosk.ui.wedge_filter import WedgeFilter
from kiosk.ui.workers import ActionWorker, PreviewWorker, RuntimeBridge, move_to_thread, stop_thread

log = logging.getLogger(__name__)

FONTS_DIR = Path(__file__).parent / "assets" / "fonts"
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def load_fonts(app: QApplication) -> None:
    """The bundled DejaVu Sans (full Vietnamese coverage), whatever the system has."""
    for path in sorted(FONTS_DIR.glob("*.ttf")):
        if QFontDatabase.addApplicationFont(str(path)) < 0:
            log.error("cannot load the bundled font %s", path)
    font = app.font()
    font.setFamily("DejaVu Sans")
    app.setFont(font)


def qapplication(argv: Sequence[str] = ()) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0] if sys.argv else "kiosk", *argv])
    app.setApplicationName("cds-kiosk")
    load_fonts(app)
    return app


class KioskApp(QObject):
    def __init__(
        self,
        config: Config,
        data_dir: Path,
        *,
        config_path: Path | None = None,
        config_overrides: Mapping[str, Any] | None = None,
        source: str | None = None,
        demo: bool = False,
        runtime: Runtime | None = None,
        tones: TonePlayer | None = None,
        pin_cost: HashCost | None = None,
        preview: bool = True,
    ) -> None:
        super().__init__()
        self.app = qapplication()
        self.config = config
        self.languages = Languages(self.app)
        self.languages.use(config.kiosk.language)
        self.runtime = runtime or Runtime(
            config, data_dir, source=source, demo=demo, pin_cost=pin_cost
        )
        self.tones = tones or TonePlayer(config.ui.sounds)
        self.handoff = HandoffOutlet()
        self.data_dir = Path(data_dir)
        self.window = MainWindow(
            config,
            self.languages,
            self.tones,
            pin_is_set=pin_is_set(data_dir),
            export_dir=str(Path(data_dir) / "exports"),
            pin_probe=lambda: pin_is_set(data_dir),
        )
        self.bridge = RuntimeBridge(self.runtime)
        self.bridge_thread = move_to_thread(self.bridge, "kiosk-runtime")
        self.bridge.message.connect(self.window.on_message)
        self.bridge.failed.connect(self.window.on_failure)
        self.bridge_thread.started.connect(self.bridge.start)
        # Settings saved on the screen go to the data dir's layer; a reload keeps --config and
        # the command line's values under it.
        layers = SettingsLayers(config_path, Path(data_dir), dict(config_overrides or {}))
        self.actions = ActionWorker(self.runtime, layers)
        self.actions_thread = move_to_thread(self.actions, "kiosk-actions")
        self._wire_actions()
        self.preview: PreviewWorker | None = None
        self.preview_thread = None
        if preview:
            self.preview = PreviewWorker(self.runtime)
            self.preview_thread = move_to_thread(self.preview, "kiosk-preview")
            self.preview.frame.connect(self.window.on_preview)
            self.preview_thread.started.connect(self.preview.start)
        self.wedge = WedgeFilter(self)
        self.wedge.scanned.connect(self.on_wedge_text)
        self.app.installEventFilter(self.wedge)
        self.window.handoff_made.connect(self.on_handoff)
        self.window.scanning_paused.connect(self.runtime.pause_scanning)
        self.window.quit_requested.connect(self.quit)
        self.window.restart_requested.connect(self.restart)
        self.restart_after_close = False
        # systemd (Type=notify, WatchdogSec): pinged from a GUI-thread timer, so a frozen event
        # loop stops the pings and gets the kiosk restarted.
        self.notifier = Notifier()
        self.bridge.started.connect(self._ready)
        if self.window.guard is not None:  # the guard's list holds the day, not only this run
            self.bridge.started.connect(self.actions.today_scans)
        self.watchdog = QTimer(self)
        self.watchdog.timeout.connect(self.notifier.watchdog)
        self._closed = False

    def _wire_actions(self) -> None:
        w, a = self.window, self.actions
        w.pin_check.connect(a.check_pin)
        w.settings_save.connect(a.save_settings)
        w.selftest_run.connect(a.run_selftest)
        w.direction_set.connect(a.set_direction)
        w.transaction_record.connect(a.record_transaction)
        w.journal_export.connect(a.export_journal)
        w.journal_recent.connect(a.recent_rows)
        w.technician_locked.connect(a.record_lock)
        a.pin_answer.connect(w.on_pin_answer)
        a.settings_saved.connect(w.on_settings_saved)
        a.selftest_done.connect(w.on_selftest_done)
        a.action_done.connect(w.on_action_done)
        a.failed.connect(w.on_failure)

    def start(self, show: bool = True) -> None:
        self.handoff.open(self.config, self.data_dir)
        if self.window.counter is not None:
            self.window.counter.route = self.handoff.route(self.runtime.config)
        self.bridge_thread.start()
        self.actions_thread.start()
        if self.preview_thread is not None:
            self.preview_thread.start()
        if show:
            if self.config.ui.fullscreen:
                self.window.apply_window_mode()
            else:
                self.window.resize(1280, 800)
                self.window.show()

    @Slot()
    def _ready(self) -> None:
        self.notifier.ready("kiosk screen running")
        self.watchdog.start(1000)

    @Slot(str)
    def on_wedge_text(self, text: str) -> None:
        self.runtime.submit_text(text)  # only queues it: the pipeline's thread checks it

    @Slot(object)
    def on_handoff(self, handoff: Handoff) -> None:
        self.handoff.send(handoff, self.runtime.config)  # where the settings in force say

    @Slot()
    def restart(self) -> None:
        """Close everything as for a quit, then start the same program again (run() does)."""
        self.restart_after_close = True
        self.quit()

    @Slot()
    def quit(self) -> None:
        self.close()
        self.app.quit()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.watchdog.stop()
        self.notifier.stopping()
        self.app.removeEventFilter(self.wedge)
        self.window.closing_for_shutdown = True
        self.window.close()
        self.runtime.remove_listener(self.bridge._relay)
        for thread in (self.preview_thread, self.actions_thread, self.bridge_thread):
            if thread is not None:
                stop_thread(thread)
        self.runtime.close()
        self.tones.close()
        self.languages.uninstall()
        self.handoff.close()
        self.window.deleteLater()


def install_crash_hooks(log_dir: Path) -> None:
    """faulthandler to a file, and uncaught exceptions logged (the screen goes out of service
    through the workers' failure signals, never silently)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    crash_log = (log_dir / "crash.log").open("a", encoding="utf-8")
    faulthandler.enable(crash_log)

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        log.critical("uncaught exception", exc_info=(kind, value, tb))

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        error = args.exc_value or args.exc_type()
        log.critical("uncaught exception in %s", args.thread, exc_info=error)

    sys.excepthook = hook
    threading.excepthook = thread_hook


def run(
    config_file: Path | None,
    data_dir: Path,
    source: str | None,
    demo: bool,
    windowed: bool = False,
    duration: float | None = None,
) -> int:
    """`kiosk run` (with a screen) and `python -m kiosk.ui`; `duration` (seconds) closes the
    window by itself, as a technician would, for soaks and the built app's smoke test."""
    with private_files():
        return _run(config_file, data_dir, source, demo, windowed, duration)


def _run(
    config_file: Path | None,
    data_dir: Path,
    source: str | None,
    demo: bool,
    windowed: bool,
    duration: float | None,
) -> int:
    try:
        overrides = {"ui.fullscreen": False} if windowed else None
        config = load_config(config_file, overrides, data_dir=data_dir)
    except ConfigError as e:
        print(f"kiosk: {e}", file=sys.stderr)
        return 2
    install_crash_hooks(data_dir / "logs")
    try:
        kiosk = KioskApp(
            config, data_dir, config_path=config_file, config_overrides=overrides,
            source=source, demo=demo,
        )  # fmt: skip
    except SourceError as e:
        print(f"kiosk: {e}", file=sys.stderr)
        return 2
    kiosk.start()
    # SIGTERM (systemd stopping the kiosk) and Ctrl-C quit cleanly: the journal gets app.stop.
    # Python runs signal handlers only between bytecodes, so a timer wakes it up now and then.
    previous = {sig: signal.signal(sig, lambda *_: kiosk.quit()) for sig in STOP_SIGNALS}
    wake = QTimer()
    wake.timeout.connect(lambda: None)
    wake.start(250)
    if duration is not None:
        QTimer.singleShot(round(duration * 1000), kiosk.quit)
    try:
        status = int(kiosk.app.exec())
    finally:
        wake.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        kiosk.close()
    if kiosk.restart_after_close:
        _restart()
    return status


def _restart() -> None:
    """A restart asked by the technician, once everything is closed: the same command line
    again in this process (the same PID, so systemd's watchdog and `make run` keep it); the new
    start reads the config."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execv(sys.executable, sys.orig_argv)
    except OSError as e:  # the kiosk stopped cleanly; systemd's Restart=always starts it
        print(f"kiosk: restart failed: {e}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m kiosk.ui", description="The kiosk's screen.")
    p.add_argument("--config", type=Path, metavar="FILE")
    p.add_argument("--data-dir", type=Path, metavar="DIR")
    p.add_argument("--source", metavar="SPEC")
    p.add_argument("--demo", action="store_true", help="the built-in demo codes, no camera")
    p.add_argument("--windowed", action="store_true", help="a window, not full screen")
    p.add_argument("--duration", type=float, metavar="SECONDS", help="close after this long")
    args = p.parse_args(argv)
    if args.duration is not None and not args.duration > 0:
        p.error("--duration must be more than 0 seconds")
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    return run(
        args.config,
        args.data_dir or default_data_dir(),
        args.source,
        args.demo,
        args.windowed,
        args.duration,
    )
