"""The kiosk window: scanning, verdicts, guard or counter controls, out of service, technician.

It only shows and asks: every request that may block goes out as a signal to a worker
(kiosk/ui/workers.py) and every answer comes back as a frozen dataclass to a bound slot here.
Frameless full screen unless `ui.fullscreen` is off; closing does nothing unless a technician
is unlocked (or the app itself is shutting down).
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLayout, QStackedWidget, QVBoxLayout, QWidget

from kiosk.core.config import Config
from kiosk.core.counter.services import counter_services
from kiosk.core.presentation import Tone, present
from kiosk.core.runtime_messages import (
    BadgeSeen,
    OutOfService,
    ShownScan,
    SourceChanged,
    StatusSnapshot,
)
from kiosk.core.settings_in_force import waiting_for_restart
from kiosk.core.source_fault import SourceFault, source_fault
from kiosk.core.technician.pin import Attempt
from kiosk.ui import texts
from kiosk.ui.i18n import Languages
from kiosk.ui.sound import TonePlayer
from kiosk.ui.technician import setting_words as words
from kiosk.ui.technician.pin_page import PinPage
from kiosk.ui.technician.technician_view import TechnicianView
from kiosk.ui.wedge_filter import prepare_receiver
from kiosk.ui.widgets.counter_panel import CounterPanel
from kiosk.ui.widgets.guard_panel import GuardPanel
from kiosk.ui.widgets.out_of_service import OutOfServiceView
from kiosk.ui.widgets.scan_view import ScanView
from kiosk.ui.widgets.status_line import StatusLine
from kiosk.ui.widgets.style import BACKGROUND
from kiosk.ui.widgets.verdict_view import VerdictView
from kiosk.ui.workers import (
    ActionDone,
    PinAnswer,
    PreviewFrame,
    SelfTestDone,
    SettingsSaved,
    WorkerFailure,
)

log = logging.getLogger(__name__)

TONE_SOUND = {Tone.GO: "accept", Tone.STOP: "reject", Tone.CAUTION: "caution"}
STATUS_SILENCE_S = 15.0  # no status from the core this long: the core is stuck
PIN_PAGE_IDLE_S = 60.0  # the PIN page left alone this long goes back to scanning
VERDICT_LATENCIES_KEPT = 1000  # the newest scan-to-screen times kept: a shift would grow a list


class MainWindow(QWidget):
    # Requests to the workers (queued to their threads).
    pin_check = Signal(str)
    settings_save = Signal(object)
    selftest_run = Signal()
    direction_set = Signal(str)
    transaction_record = Signal(str, str, str)
    journal_export = Signal(object, object, str, object)
    journal_recent = Signal(int)
    handoff_made = Signal(object)
    quit_requested = Signal()
    restart_requested = Signal()
    technician_locked = Signal(str)  # why: button | idle (journaled as technician.lock)
    scanning_paused = Signal(bool)  # the technician's pages opened (True) or closed

    def __init__(
        self,
        config: Config,
        languages: Languages,
        tones: TonePlayer,
        *,
        pin_is_set: bool,
        export_dir: str,
        pin_probe: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__()
        from pathlib import Path

        self.setObjectName("main_window")
        self.config = config
        self.languages = languages
        self.tones = tones
        self.pin_is_set = pin_is_set
        self.pin_probe = pin_probe  # a PIN set by `kiosk technician set-pin` while running
        self.mode = config.kiosk.mode
        self.technician_unlocked = False
        self.closing_for_shutdown = False
        self.current_verdict: ShownScan | None = None
        self.last_status: StatusSnapshot | None = None
        self.last_status_at = time.monotonic()
        self.out_of_service: str | None = None  # the core cannot do its job (storage, internal)
        self.source_fault: SourceFault | None = None  # no camera picture: codes cannot be read
        self.verdict_latencies_ms: deque[float] = deque(maxlen=VERDICT_LATENCIES_KEPT)
        self.restart_needed: list[str] = []  # saved settings that apply at the next start
        self.setWindowTitle("Công dân số")
        self.setStyleSheet(f"QWidget#main_window {{ background: {BACKGROUND}; }}")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)

        layout = QVBoxLayout(self)
        # The screen's size is the screen's: a longer text never makes the window grow past it
        # (by default a layout raises the window's minimum size to fit its contents).
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.status_line = StatusLine(self)
        layout.addWidget(self.status_line)
        self.stack = QStackedWidget(self)
        layout.addWidget(self.stack, 1)

        self.scan_view = ScanView(self, config.ui.show_preview)
        prepare_receiver(self.scan_view)
        self.verdict = VerdictView(self)
        self.left = QStackedWidget(self)
        self.left.addWidget(self.scan_view)
        work = QWidget(self)
        row = QHBoxLayout(work)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.left, 7)
        self.guard: GuardPanel | None = None
        self.counter: CounterPanel | None = None
        if self.mode == "counter":
            self.counter = CounterPanel(
                counter_services(config),
                self,
                allow_unverified=config.journal.counter_allow_unverified,
            )
            self.counter.record_requested.connect(self.transaction_record)
            self.counter.handed_off.connect(self.handoff_made)
            self.counter.service_changed.connect(self._service_changed)
            self.status_line.set_service(self.counter.selected_service())
            self.left.addWidget(self.verdict)  # the clerk keeps the card in view
            row.addWidget(self.counter, 5)
        else:
            self.guard = GuardPanel(self)
            self.guard.direction_requested.connect(self.direction_set)
            row.addWidget(self.guard, 3)
        self.work = work
        self.stack.addWidget(work)
        if self.mode != "counter":
            self.stack.addWidget(self.verdict)  # a gate: the whole screen turns colour
        self.oos = OutOfServiceView(self)
        self.stack.addWidget(self.oos)
        self.pin_page = PinPage(self)
        self.pin_page.pin_entered.connect(self.pin_check)
        self.pin_page.cancelled.connect(self.show_scanning)
        self.stack.addWidget(self.pin_page)
        self.technician = TechnicianView(Path(export_dir), self)
        self.technician.lock_requested.connect(self.lock_technician)
        self.technician.quit_requested.connect(self._quit_from_technician)
        self.technician.restart_requested.connect(self._restart_from_technician)
        self.technician.settings.save_requested.connect(self.settings_save)
        self.technician.camera.save_requested.connect(self.settings_save)
        self.technician.selftest.run_requested.connect(self.selftest_run)
        self.technician.journal.recent_requested.connect(self.journal_recent)
        self.technician.journal.export_requested.connect(self.journal_export)
        self.stack.addWidget(self.technician)
        self.stack.currentChanged.connect(self._page_changed)
        self._paused = False
        self.status_line.technician_requested.connect(self.open_technician)

        self.verdict_timer = QTimer(self)
        self.verdict_timer.setSingleShot(True)
        self.verdict_timer.timeout.connect(self.show_scanning)
        # Scanning pauses on the PIN page: one left open (anyone may press ⚙) must not stop
        # the gate for long.
        self.pin_idle = QTimer(self)
        self.pin_idle.setSingleShot(True)
        self.pin_idle.setInterval(int(PIN_PAGE_IDLE_S * 1000))
        self.pin_idle.timeout.connect(self._pin_page_idle)
        self.pin_page.entry.textChanged.connect(self._pin_activity)
        self.idle_lock = QTimer(self)
        self.idle_lock.setSingleShot(True)
        self.idle_lock.timeout.connect(self._idle_lock)
        self.clock = QTimer(self)
        self.clock.timeout.connect(self._tick)
        self.clock.start(1000)
        for keys, slot in (
            ("F1", self._entry_key),
            ("F2", self._exit_key),
            ("Ctrl+Alt+T", self.open_technician),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(slot)
        self.show_scanning()

    # --- pages ---

    @Slot()
    def show_scanning(self) -> None:
        self.verdict_timer.stop()
        if self.out_of_service is not None:
            self.stack.setCurrentWidget(self.oos)
            return
        if (
            self.stack.currentWidget() in (self.pin_page, self.technician)
            and self.sender() is self.verdict_timer
        ):
            return  # a verdict timing out never closes the technician's pages
        if self.source_fault is not None:
            self.current_verdict = None
            self.oos.set_reason(str(self.source_fault), "")
            self.stack.setCurrentWidget(self.oos)
            return
        self.current_verdict = None
        self.left.setCurrentWidget(self.scan_view)
        self.stack.setCurrentWidget(self.work)
        self.scan_view.setFocus()

    def is_showing_verdict(self) -> bool:
        if self.mode == "counter":
            return (
                self.stack.currentWidget() is self.work
                and self.left.currentWidget() is self.verdict
            )
        return self.stack.currentWidget() is self.verdict

    def in_technician(self) -> bool:
        return self.stack.currentWidget() in (self.pin_page, self.technician)

    def _pin_activity(self) -> None:
        if self.stack.currentWidget() is self.pin_page:
            self.pin_idle.start()

    def _pin_page_idle(self) -> None:
        if self.stack.currentWidget() is self.pin_page:
            self.show_scanning()

    def _page_changed(self) -> None:
        if self.stack.currentWidget() is self.pin_page:
            self.pin_idle.start()
        else:
            self.pin_idle.stop()
        paused = self.in_technician()
        if paused != self._paused:
            self._paused = paused
            self.scanning_paused.emit(paused)

    @Slot()
    def open_technician(self) -> None:
        if self.technician_unlocked:
            self._show_technician()
            return
        self._refresh_pin_state()
        self.pin_page.start(first=not self.pin_is_set)
        self.stack.setCurrentWidget(self.pin_page)

    def _refresh_pin_state(self) -> None:
        if not self.pin_is_set and self.pin_probe is not None:
            self.pin_is_set = self.pin_probe()

    def _show_technician(self) -> None:
        self.technician.settings.load(self.config)
        opening = self.stack.currentWidget() is not self.technician
        self.stack.setCurrentWidget(self.technician)
        if opening:
            self.technician.tab_opened()
        self.idle_lock.start(int(self.config.technician.idle_lock_s * 1000))

    @Slot()
    def _idle_lock(self) -> None:
        self.lock_technician("idle")

    @Slot()
    def lock_technician(self, why: str = "button") -> None:
        if self.technician_unlocked:  # the door closes once; the journal hears it once
            self.technician_locked.emit(why)
        self.technician_unlocked = False
        self.idle_lock.stop()
        if self.in_technician():
            self.show_scanning()

    def _quit_from_technician(self) -> None:
        if self.technician_unlocked:
            self.quit_requested.emit()

    def _restart_from_technician(self) -> None:
        if self.technician_unlocked:
            self.restart_requested.emit()

    def _service_changed(self, code: str) -> None:
        self.status_line.set_service(code or None)

    # --- the core's messages ---

    @Slot(object)
    def on_message(self, message: object) -> None:
        if isinstance(message, ShownScan):
            self.on_scan(message)
        elif isinstance(message, StatusSnapshot):
            self.on_status(message)
        elif isinstance(message, SourceChanged):
            self._source(message)
        elif isinstance(message, OutOfService):
            self.go_out_of_service(message.reason, message.detail)
        elif isinstance(message, BadgeSeen):
            self.on_badge(message)

    def on_badge(self, seen: BadgeSeen) -> None:
        """A technician badge (already journaled): open the technician's pages, or say why not."""
        if seen.ok:
            self.technician_unlocked = True
            self._show_technician()
            return
        self._refresh_pin_state()
        self.pin_page.start(first=not self.pin_is_set)
        self.pin_page.message.setText(texts.badge_refusal(seen.refusal))
        self.stack.setCurrentWidget(self.pin_page)

    def on_scan(self, shown: ShownScan) -> None:
        if self.guard is not None:
            self.guard.add_scan(shown)
        if self.counter is not None:
            self.counter.show_scan(shown)
        if self.out_of_service is not None:
            return
        # Every scan here is a new presentation (kiosk.core.repeats decided, and the journal
        # holds it): each is shown and sounded, even the same person's code again.
        self.verdict_timer.start(int(self.config.ui.verdict_seconds * 1000))
        self.current_verdict = shown
        service = self.counter.selected_service() if self.counter else None
        self.verdict.show_scan(shown, service)
        if self.in_technician():
            return
        if self.mode == "counter":
            self.left.setCurrentWidget(self.verdict)
            self.stack.setCurrentWidget(self.work)  # over a camera fault's screen too
        else:
            self.stack.setCurrentWidget(self.verdict)
        self.verdict.repaint()  # paint now: the latency we promise ends on the screen
        self.verdict_latencies_ms.append((time.monotonic() - shown.event.monotonic_time) * 1000)
        self.tones.play(TONE_SOUND[present(shown).tone])

    def on_status(self, status: StatusSnapshot) -> None:
        self.last_status = status
        self.last_status_at = time.monotonic()
        self.status_line.update_status(status)
        self.technician.camera.update_status(status)
        if self.guard is not None:
            self.guard.update_gate(status.gate)
        self._source(status.source)
        if status.out_of_service is not None:
            self.go_out_of_service(status.out_of_service, status.out_of_service_detail)
        elif self.out_of_service is not None:
            self.out_of_service = None
            if self.stack.currentWidget() is self.oos:
                self.show_scanning()

    def _source(self, source: SourceChanged) -> None:
        if source.demo:
            self.scan_view.set_demo(self.tr("DEMO — built-in test codes, not a real camera"))
        else:
            self.scan_view.set_demo("")
        fault = source_fault(source)
        if fault is self.source_fault:
            return
        self.source_fault = fault
        if fault is not None:
            log.error("cannot read codes: %s (%s)", fault, source.error or source.state)
        quiet = self.out_of_service is None and not self.in_technician()
        if quiet and not self.is_showing_verdict():
            self.show_scanning()

    def go_out_of_service(self, reason: str, detail: str) -> None:
        if reason == "internal" and self.out_of_service not in (None, "internal"):
            # Already out of service for a named cause (a lost journal, a camera): what fails
            # after it follows from it, and the guard keeps the words that say what to do.
            log.warning("also out of service: %s: %s", reason, detail)
            return
        if self.out_of_service is None:
            log.error("out of service: %s: %s", reason, detail)
        self.out_of_service = reason
        self.oos.set_reason(reason, detail)
        self.verdict_timer.stop()
        if not self.in_technician():
            self.stack.setCurrentWidget(self.oos)

    @Slot(object)
    def on_preview(self, frame: PreviewFrame) -> None:
        self.scan_view.set_frame(frame.image)
        self.technician.camera.set_frame(frame.image)

    @Slot(object)
    def on_failure(self, failure: WorkerFailure) -> None:
        self.go_out_of_service("internal", f"{failure.worker}: {failure.detail}")

    def _tick(self) -> None:
        self.status_line.refresh()
        if time.monotonic() - self.last_status_at > STATUS_SILENCE_S:
            self.go_out_of_service("internal", "no status from the kiosk core")

    # --- worker answers ---

    @Slot(object)
    def on_pin_answer(self, answer: PinAnswer) -> None:
        if answer.result is not None and answer.result.attempt is Attempt.UNLOCKED:
            self.technician_unlocked = True
            self._show_technician()
            return
        if answer.result is None and answer.error == "not_set":
            self.pin_is_set = False
        self.pin_page.show_answer(answer)

    @Slot(object)
    def on_settings_saved(self, saved: SettingsSaved) -> None:
        refusal = "" if saved.ok else words.refusal(saved.problem, saved.error_key, saved.facts)
        if not saved.ok:
            log.info("settings not saved: %s", saved.error)
        self.technician.settings.show_saved(saved.ok, saved.changed, refusal, saved.saved_in)
        self.technician.camera.note.setText(self.technician.settings.result.text())
        if saved.ok and saved.config is not None:
            self.apply_config(saved.config)
            later = waiting_for_restart(saved.changed)
            self.restart_needed = list(dict.fromkeys([*self.restart_needed, *later]))
            self.technician.offer_restart(self.restart_needed)

    def apply_config(self, config: Config) -> None:
        """What takes effect at once; a mode or source change needs a restart (the page says so)."""
        self.config = config
        if config.kiosk.language != self.languages.current:
            self.languages.use(config.kiosk.language)
        self.scan_view.set_preview(config.ui.show_preview)
        self.tones.enabled = config.ui.sounds
        self.apply_window_mode()

    def apply_window_mode(self) -> None:
        if self.config.ui.fullscreen:
            self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
            self.showFullScreen()
        elif self.isFullScreen():
            self.setWindowFlag(Qt.WindowType.FramelessWindowHint, False)
            self.showNormal()

    @Slot(object)
    def on_selftest_done(self, done: SelfTestDone) -> None:
        self.technician.selftest.show_results(done.results)

    @Slot(object)
    def on_action_done(self, done: ActionDone) -> None:
        if done.action == "transaction" and self.counter is not None:
            self.counter.transaction_done(done.ok, done.detail)
            if done.ok:  # the reference typed, the next citizen's scan must not land in it
                self.scan_view.setFocus()
        elif done.action == "export":
            self.technician.journal.show_message(done.ok, done.detail)
        elif done.action == "recent":
            self.technician.journal.show_rows(done.rows)
        elif done.action == "today" and self.guard is not None:
            self.guard.restore(done.entries)
        elif done.action == "direction" and not done.ok:
            log.error("direction not changed: %s", done.detail)

    # --- keys and closing ---

    def _entry_key(self) -> None:
        if self.guard is not None and not self.in_technician():
            self.direction_set.emit("entry")

    def _exit_key(self) -> None:
        if self.guard is not None and not self.in_technician():
            self.direction_set.emit("exit")

    def take_focus(self) -> None:
        """Be the active window with the scanning view focused, so F1/F2 and a wedge scanner
        work from the start: under a bare X server or cage nobody clicks the window first."""
        if not self.isActiveWindow():
            self.activateWindow()
        if not self.in_technician():
            self.scan_view.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.take_focus)  # once the window is mapped

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.is_showing_verdict():
            self.show_scanning()
            return
        super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and self.last_status is not None:
            self._source(self.last_status.source)
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.closing_for_shutdown or self.technician_unlocked:
            event.accept()
            self.quit_requested.emit()
            return
        event.ignore()  # Alt+F4 or a window manager's close: the kiosk stays
