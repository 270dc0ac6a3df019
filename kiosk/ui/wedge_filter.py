"""The app-wide key filter that hears keyboard-wedge scanners (logic in kiosk.core.wedge).

Installed on the QApplication, it sees every key press. It never swallows a printable key, and
it does not listen at all while a text field has the focus (the PIN, a setting, a counter's
reference): whatever is typed there, however fast, belongs to the field, and its Enter too.
Elsewhere, when an Enter ends a scanner-speed burst it swallows that Enter and emits
`scanned(text)`. The widget meant to receive scans has input methods
turned off (`prepare_receiver`): Vietnamese Telex/VNI would rewrite the Base45 text.

A key is timed by the window system's own timestamp, set when the key was typed: timed on
delivery, a scan would be split by any pause of the screen's thread longer than the detector's
gap (a repaint, a verdict's tone), since the keys behind it arrive together afterwards. Events
with no timestamp (0: a synthesised key) are timed on arrival.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from kiosk.core.wedge import ENTER, WedgeDetector, WedgeSettings

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def is_text_field(widget: QWidget | None) -> bool:
    """A widget that takes typed text for itself (a PIN, a setting, a reference number)."""
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    return isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit | QAbstractSpinBox)


def prepare_receiver(widget: QWidget) -> None:
    widget.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


class WedgeFilter(QObject):
    scanned = Signal(str)

    def __init__(self, parent: QObject | None = None, settings: WedgeSettings | None = None):
        super().__init__(parent)
        self.detector = WedgeDetector(settings or WedgeSettings())
        self._device_clock: bool | None = None  # which clock timed the last key

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        # A key press reaches the window, then the focus widget, then its parents: count it
        # once, where it is first delivered to a widget.
        focus = QApplication.focusWidget()
        target = focus if focus is not None else QApplication.activeWindow()
        if watched is not target:
            return False
        if is_text_field(focus):
            self.detector.reset()  # keys typed into a field never start or join a scan
            return False
        t_ms = self._key_time(event)
        if event.key() in _ENTER_KEYS:
            text = self.detector.key(ENTER, t_ms)
            if text is not None:
                self.scanned.emit(text)
                return True
            return False
        ch = event.text()
        if len(ch) == 1 and ch.isprintable():
            self.detector.key(ch, t_ms)
        return False

    def _key_time(self, event: QKeyEvent) -> float:
        device_ms = event.timestamp()
        device_clock = device_ms != 0
        if device_clock != self._device_clock:
            self.detector.reset()  # two clocks' times are not one run's gaps
            self._device_clock = device_clock
        return float(device_ms) if device_clock else time.monotonic() * 1000
