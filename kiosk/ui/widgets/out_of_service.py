"""Out of service: shown instead of any verdict when the kiosk cannot do its job."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.ui import texts
from kiosk.ui.widgets.style import fit_px, font, scale


class OutOfServiceView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("out_of_service")
        self.reason = "internal"
        self.detail = ""
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.title = QLabel(self)
        self.why = QLabel(self)
        self.hint = QLabel(self)
        for label in (self.title, self.why, self.hint):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            label.setMinimumWidth(1)
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
        self._fit()

    def _fit(self) -> None:
        k, room = scale(self), self.width() * 0.9
        for label, largest, bold, lines in (
            (self.title, 72, True, 1.3),
            (self.why, 32, False, 3.3),
            (self.hint, 26, False, 3.3),
        ):
            px = round(largest * k)
            px = fit_px(label.text(), room, px * lines, px, bold=bold, wrap=True)
            label.setFont(font(px, bold))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
