"""The technician's door: a PIN keypad, or, while no PIN is set, how a technician sets one.

The screen never chooses the first PIN (at a gate, whoever pressed ⚙ first would be the public):
a kiosk without one says it is not set up and names the technician's ways in, the install
command (`kiosk technician set-pin`) or a technician badge, which the pipeline takes at any time.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from kiosk.core.technician.pin import PIN_MAX, Attempt
from kiosk.ui.widgets.style import TOUCH_PX, font, page_sheet
from kiosk.ui.workers import PinAnswer

SET_PIN_COMMAND = "sudo kiosk technician set-pin"


class PinPage(QWidget):
    pin_entered = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pin_page")
        self.setStyleSheet(page_sheet("pin_page"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.not_set_up = False
        self.keys: list[QPushButton] = []
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
        self.entry.setMaxLength(PIN_MAX)
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
            self.keys.append(b)
        layout.addLayout(pad)
        layout.addStretch(1)  # what there is stays together at the top (no keypad: not set up)
        self.cancel = QPushButton(self)
        self.cancel.setObjectName("pin_cancel")
        self.cancel.setMinimumHeight(TOUCH_PX)
        self.cancel.setFont(font(22))
        self.cancel.clicked.connect(self.cancelled)
        layout.addWidget(self.cancel)
        self.retranslate()

    def start(self, first: bool) -> None:
        """Open the door's page; `first`: no PIN is set yet, so there is nothing to type."""
        self.not_set_up = first
        self.entry.clear()
        self.message.setText("")
        for w in (self.entry, *self.keys):
            w.setVisible(not first)
        self.retranslate()
        if not first:
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
        if self.not_set_up:
            return  # no keypad is shown; nothing typed here sets a PIN
        self.message.setText(self.tr("Checking…"))
        self.pin_entered.emit(pin)

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

    def retranslate(self) -> None:
        if self.not_set_up:
            self.title.setText(self.tr("Technician access is not set up"))
            self.message.setText(
                "\n".join(
                    (
                        self.tr("No technician PIN is set on this kiosk."),
                        "",
                        self.tr("A technician sets one on the kiosk with the command"),
                        f"    {SET_PIN_COMMAND}",
                        self.tr("or shows a technician badge to the camera."),
                    )
                )
            )
        else:
            self.title.setText(self.tr("Technician PIN"))
        self.cancel.setText(self.tr("Back to scanning"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
