"""Core work off the GUI thread: worker QObjects moved to QThreads, results as frozen dataclasses.

- RuntimeBridge: starts the runtime in its thread; the runtime's listeners (called from the
  pipeline, source and status threads) re-emit each message as a Qt signal, which Qt queues
  to the GUI thread's bound slots.
- PreviewWorker: 15 times a second takes the newest frame, scales it with OpenCV and emits a
  QImage (its own copy), so the GUI thread only draws.
- ActionWorker: everything a button asks that may block: PIN checks (argon2id, ~70 ms),
  journal writes (direction, counter transactions, settings), the self-test, exports.

Every slot catches what it raises and emits `failed(WorkerFailure)`: the window shows
"out of service" rather than freezing on the last verdict.
"""

from __future__ import annotations

import logging
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot
from PySide6.QtGui import QImage

from kiosk.core.config import Config, ConfigError
from kiosk.core.config.edits import (
    SETTING_ACTIONS,
    SettingsLayers,
    journal_value,
    merged_file,
    plan_changes,
    write_config,
)
from kiosk.core.journal.errors import StorageFault, StorageUnavailable
from kiosk.core.journal.export import Keep
from kiosk.core.journal.records import Action
from kiosk.core.recent import RecentEntry, from_row
from kiosk.core.recorder import RecorderError, StorageDown
from kiosk.core.runtime import Runtime
from kiosk.core.runtime_messages import OutOfService, OutOfServiceReason, RuntimeMessage
from kiosk.core.technician.pin import AttemptResult, JournalDown, PinNotSet
from kiosk.core.technician.selftest import CheckResult, run_checks

log = logging.getLogger(__name__)

PREVIEW_FPS = 15
RECENT_SCANS = 20  # of today's scans read back for the guard's list (it shows fewer)
RECENT_ROWS = 200  # of the last hours' rows, for the technician's journal page


@dataclass(frozen=True, slots=True)
class WorkerFailure:
    worker: str
    detail: str


@dataclass(frozen=True, slots=True)
class PreviewFrame:
    image: QImage
    captured_monotonic: float


@dataclass(frozen=True, slots=True)
class PinAnswer:
    result: AttemptResult | None  # None: see error
    error: str = ""  # not_set (no PIN yet) | journal_down (the unlock could not be journaled)


@dataclass(frozen=True, slots=True)
class SettingsSaved:
    ok: bool
    config: Config | None
    changed: tuple[str, ...] = ()
    error: str = ""  # English, for the log
    error_key: str | None = None
    saved_in: str = ""  # the file written (the data dir's settings layer)
    problem: str = ""  # the refusal's id (ConfigError.problem, or journal_down): the page words it
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SelfTestDone:
    results: tuple[CheckResult, ...]


@dataclass(frozen=True, slots=True)
class ActionDone:
    action: str  # direction | transaction | export | recent | today
    ok: bool
    detail: str = ""
    rows: tuple[dict[str, Any], ...] = ()
    entries: tuple[RecentEntry, ...] = ()  # today: the guard's recent list


def stop_thread(thread: QThread, timeout_ms: int = 5000) -> None:
    thread.quit()
    if not thread.wait(timeout_ms):
        log.error("thread %s did not stop within %d ms", thread.objectName(), timeout_ms)


def move_to_thread(worker: QObject, name: str) -> QThread:
    """Give `worker` a thread of its own; the thread deletes it when it finishes."""
    thread = QThread()
    thread.setObjectName(name)
    worker.moveToThread(thread)
    thread.finished.connect(worker.deleteLater)
    return thread


class RuntimeBridge(QObject):
    message = Signal(object)  # RuntimeMessage
    started = Signal()
    failed = Signal(object)  # WorkerFailure

    def __init__(self, runtime: Runtime) -> None:
        super().__init__()
        self.runtime = runtime
        runtime.add_listener(self._relay)

    def _relay(self, message: RuntimeMessage) -> None:
        self.message.emit(message)  # from a runtime thread; queued to the GUI thread

    @Slot()
    def start(self) -> None:
        try:
            self.runtime.start()
        except StorageDown as e:
            # The journal cannot be opened: out of service, saying which (a lost journal waits
            # for a technician); the window stays up and keeps the watchdog fed.
            cause = e.__cause__
            lost = isinstance(cause, StorageUnavailable) and cause.fault is StorageFault.LOST
            log.error("the journal cannot be opened: %s", e)
            self.started.emit()
            self.message.emit(
                OutOfService(
                    OutOfServiceReason.JOURNAL_LOST if lost else OutOfServiceReason.STORAGE, str(e)
                )
            )
            return
        except Exception as e:
            log.exception("the kiosk runtime failed to start")
            self.failed.emit(WorkerFailure("runtime", repr(e)))
            return
        self.started.emit()
        self.message.emit(self.runtime.status())


class PreviewWorker(QObject):
    frame = Signal(object)  # PreviewFrame

    def __init__(self, runtime: Runtime, width: int = 960) -> None:
        super().__init__()
        self.runtime = runtime
        self.width = width
        self._timer: QTimer | None = None
        self._last: float | None = None
        self.frames_out = 0

    @Slot()
    def start(self) -> None:
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._timer.start(1000 // PREVIEW_FPS)

    @Slot()
    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()

    @Slot(int)
    def set_width(self, width: int) -> None:
        self.width = max(160, width)

    @Slot()
    def _tick(self) -> None:
        capture = self.runtime.latest_frame()
        if capture is None or capture.frame is None or capture.monotonic_time == self._last:
            return
        self._last = capture.monotonic_time
        self.frame.emit(PreviewFrame(to_qimage(capture.frame, self.width), capture.monotonic_time))
        self.frames_out += 1


def to_qimage(frame: np.ndarray, width: int) -> QImage:
    """A scaled RGB copy of a BGR or grey frame, owned by Qt (safe to send across threads)."""
    h, w = frame.shape[:2]
    height = max(1, round(h * width / w))
    small = cv2.resize(frame, (width, height), interpolation=cv2.INTER_AREA)
    if small.ndim == 2:
        rgb = cv2.cvtColor(small, cv2.COLOR_GRAY2RGB)
    else:
        rgb = cv2.cvtColor(small, cv2.COLOR_BGR2RGB)
    rgb = np.ascontiguousarray(rgb)
    return QImage(rgb.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()


class ActionWorker(QObject):
    pin_answer = Signal(object)
    settings_saved = Signal(object)
    selftest_done = Signal(object)
    action_done = Signal(object)
    failed = Signal(object)

    def __init__(self, runtime: Runtime, settings: SettingsLayers) -> None:
        super().__init__()
        self.runtime = runtime
        self.settings = settings

    def _fail(self, name: str) -> None:
        log.error("worker action %s failed:\n%s", name, traceback.format_exc())
        self.failed.emit(WorkerFailure(name, traceback.format_exc(limit=1).strip()[-300:]))

    @Slot(str)
    def check_pin(self, pin: str) -> None:
        try:
            vault = self.runtime.technician
            if vault is None:
                raise RuntimeError("the runtime has not started")
            try:
                self.pin_answer.emit(PinAnswer(vault.attempt(pin)))
            except PinNotSet:
                self.pin_answer.emit(PinAnswer(None, "not_set"))
            except JournalDown:  # the right PIN, but an unrecorded unlock opens nothing
                self.pin_answer.emit(PinAnswer(None, "journal_down"))
        except Exception:
            self._fail("check_pin")

    @Slot(str)
    def record_lock(self, why: str) -> None:
        """The technician's pages closed (the lock button or the idle timer)."""
        try:
            self.runtime.lock_technician(why)
        except RecorderError as e:  # the door is shut either way; the status shows the fault
            log.error("technician.lock not journaled: %s", e)
        except Exception:
            self._fail("record_lock")

    @Slot(object)
    def save_settings(self, edits: dict[str, Any]) -> None:
        try:
            config = self.runtime.config
            try:
                changes = plan_changes(config, edits)
                content = merged_file(self.settings.writes_to, changes)
            except ConfigError as e:
                self.settings_saved.emit(
                    SettingsSaved(False, None, (), str(e), e.key, problem=e.problem, facts=e.facts)
                )
                return
            # On record before it takes effect: a change the journal cannot hold is not made.
            try:
                for c in changes:
                    self.runtime.report(
                        SETTING_ACTIONS.get(c.key, Action.SETTINGS_CHANGED),
                        {"key": c.key, "old": journal_value(c.old), "new": journal_value(c.new)},
                        operator=self.runtime.operator,
                    )
            except RecorderError as e:
                self.settings_saved.emit(
                    SettingsSaved(False, None, (), f"journal down: {e}", problem="journal_down")
                )
                return
            write_config(self.settings.writes_to, content)
            try:
                fresh = self.settings.load()
            except ConfigError as e:
                self.settings_saved.emit(
                    SettingsSaved(False, None, (), str(e), e.key, problem=e.problem, facts=e.facts)
                )
                return
            self.runtime.apply_settings(fresh)
            keys = tuple(c.key for c in changes)
            where = str(self.settings.writes_to)
            self.settings_saved.emit(SettingsSaved(True, fresh, keys, saved_in=where))
        except Exception:
            self._fail("save_settings")

    @Slot()
    def run_selftest(self) -> None:
        try:
            self.selftest_done.emit(SelfTestDone(tuple(run_checks(self.runtime))))
        except Exception:
            self._fail("selftest")

    @Slot(str)
    def set_direction(self, direction: str) -> None:
        try:
            self.runtime.set_direction(direction)
            self.action_done.emit(ActionDone("direction", True, direction))
        except RecorderError as e:
            self.action_done.emit(ActionDone("direction", False, str(e)))
        except Exception:
            self._fail("set_direction")

    @Slot(str, str, str)
    def record_transaction(self, scan_id: str, service: str, reference: str) -> None:
        try:
            self.runtime.record_transaction(scan_id, service, reference or None)
            recorder = self.runtime.recorder
            sealing = recorder.journal.describe()["sealing"] if recorder is not None else "none"
            # Before enrolment there is no portal key: nothing personal, the reference neither,
            # is kept (docs/privacy.md). The clerk hears it.
            kept = "reference_not_kept" if reference and sealing == "none" else ""
            self.action_done.emit(ActionDone("transaction", True, kept))
        except StorageDown as e:  # the screen words the code; the log keeps the detail
            log.error("counter transaction not recorded: %s", e)
            self.action_done.emit(ActionDone("transaction", False, "storage"))
        except RecorderError as e:
            log.error("counter transaction refused: %s", e)
            self.action_done.emit(ActionDone("transaction", False, "refused"))
        except Exception:
            self._fail("record_transaction")

    @Slot(object, object, str, object)
    def export_journal(self, from_ms: int, to_ms: int, path: str, keep: Keep | None) -> None:
        try:
            target = Path(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("w", encoding="utf-8", newline="") as out:
                count = self.runtime.export_journal(from_ms, to_ms, out, "csv", keep)
            self.action_done.emit(ActionDone("export", True, f"{count} → {target}"))
        except (RecorderError, OSError) as e:
            self.action_done.emit(ActionDone("export", False, str(e)))
        except Exception:
            self._fail("export")

    @Slot()
    def today_scans(self) -> None:
        """The day's last scans from the journal, for the guard's list after a (re)start."""
        try:
            now = time.time()
            day = time.localtime(now)
            midnight = time.mktime((day.tm_year, day.tm_mon, day.tm_mday, 0, 0, 0, 0, 0, -1))
            rows = self.runtime.newest_journal_rows(
                int(midnight * 1000), int(now * 1000) + 60_000, RECENT_SCANS, kind="scan"
            )
            entries = tuple(e for r in rows if (e := from_row(r)) is not None)
            self.action_done.emit(ActionDone("today", True, "", entries=entries))
        except RecorderError as e:
            self.action_done.emit(ActionDone("today", False, str(e)))
        except Exception:
            self._fail("today_scans")

    @Slot(int)
    def recent_rows(self, hours: int) -> None:
        try:
            now_ms = int(time.time() * 1000)
            rows = self.runtime.newest_journal_rows(
                now_ms - hours * 3_600_000, now_ms + 60_000, RECENT_ROWS
            )
            self.action_done.emit(ActionDone("recent", True, "", tuple(rows)))
        except RecorderError as e:
            self.action_done.emit(ActionDone("recent", False, str(e)))
        except Exception:
            self._fail("recent_rows")
