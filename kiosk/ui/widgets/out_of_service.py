"""Out of service: shown instead of any verdict when the kiosk cannot do its job."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.ui import texts
from kiosk.ui.widgets.style import font


class OutOfServiceView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("out_of_service")
        self.reason = "internal"
        self.detail = ""
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.title = QLabel(self)
        self.title.setFont(font(72, bold=True))
        self.why = QLabel(self)
        self.why.setFont(font(32))
        self.hint = QLabel(self)
        self.hint.setFont(font(26))
        for label in (self.title, self.why, self.hint):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            layout.addWidget(label)
        layout.addStretch(1)
        self.setStyleSheet(
            "QWidget#out_of_service { background: #3a3a3a; } QLabel { color: white; }"
        )
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.retranslate()

    def set_reason(self, reason: str, detail: str) -> None:
        self.reason, self.detail = reason, detail
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("OUT OF SERVICE"))
        self.why.setText(texts.out_of_service(self.reason))
        self.hint.setText(self.tr("Please ask staff for help. The technician sees the details."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
