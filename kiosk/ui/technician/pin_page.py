"""The technician's door: a PIN keypad; at first start, setting the PIN."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from kiosk.core.technician import Attempt
from kiosk.ui import texts
from kiosk.ui.widgets.style import TOUCH_PX, font, page_sheet
from kiosk.ui.workers import PinAnswer, PinSet


class PinPage(QWidget):
    pin_entered = Signal(str)
    first_pin_chosen = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pin_page")
        self.setStyleSheet(page_sheet("pin_page"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setting_first = False
        self._first: str | None = None
        layout = QVBoxLayout(self)
        self.title = QLabel(self)
        self.title.setFont(font(36, bold=True))
        self.message = QLabel(self)
        self.message.setObjectName("pin_message")
        self.message.setFont(font(24))
        self.message.setWordWrap(True)
        self.entry = QLineEdit(self)
        self.entry.setObjectName("pin_entry")
        self.entry.setEchoMode(QLineEdit.EchoMode.Password)
        self.entry.setMaxLength(12)
        self.entry.setFont(font(36))
        self.entry.setMinimumHeight(TOUCH_PX)
        self.entry.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.entry.returnPressed.connect(self._submit)
        for w in (self.title, self.message, self.entry):
            layout.addWidget(w)
        pad = QGridLayout()
        for i, key in enumerate("123456789C0✓"):
            b = QPushButton(key, self)
            b.setMinimumSize(TOUCH_PX * 2, TOUCH_PX + 8)
            b.setFont(font(30, bold=True))
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.clicked.connect(lambda _=False, k=key: self._key(k))  # GUI thread only
            pad.addWidget(b, i // 3, i % 3)
        layout.addLayout(pad)
        self.cancel = QPushButton(self)
        self.cancel.setObjectName("pin_cancel")
        self.cancel.setMinimumHeight(TOUCH_PX)
        self.cancel.setFont(font(22))
        self.cancel.clicked.connect(self.cancelled)
        layout.addWidget(self.cancel)
        self.retranslate()

    def start(self, first: bool) -> None:
        self.setting_first = first
        self._first = None
        self.entry.clear()
        self.message.setText(self.tr("Choose a PIN of 6 to 12 digits") if first else "")
        self.retranslate()
        self.entry.setFocus()

    def _key(self, key: str) -> None:
        if key == "C":
            self.entry.clear()
        elif key == "✓":
            self._submit()
        else:
            self.entry.insert(key)

    def _submit(self) -> None:
        pin = self.entry.text()
        self.entry.clear()
        if not self.setting_first:
            self.message.setText(self.tr("Checking…"))
            self.pin_entered.emit(pin)
        elif self._first is None:
            self._first = pin
            self.message.setText(self.tr("Enter the same PIN again"))
        elif pin != self._first:
            self._first = None
            self.message.setText(self.tr("The two PINs differ. Choose a PIN of 6 to 12 digits"))
        else:
            self.first_pin_chosen.emit(pin)

    def show_answer(self, answer: PinAnswer) -> None:
        r = answer.result
        if r is None and answer.error == "journal_down":
            self.message.setText(self.tr("Journal down: the door stays locked"))
        elif r is None:
            self.start(first=True)
        elif r.attempt is Attempt.WRONG:
            self.message.setText(self.tr("Wrong PIN ({0} of 5)").format(r.failures))
        elif r.attempt is Attempt.LOCKED:
            self.message.setText(
                self.tr("Too many wrong PINs. Locked for {0} s").format(round(r.retry_after_s))
            )

    def show_set(self, result: PinSet) -> None:
        if not result.ok:
            self._first = None
            self.message.setText(texts.pin_error(result.error))

    def retranslate(self) -> None:
        self.title.setText(
            self.tr("Set the technician PIN") if self.setting_first else self.tr("Technician PIN")
        )
        self.cancel.setText(self.tr("Back to scanning"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
