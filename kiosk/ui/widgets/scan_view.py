"""The scanning screen: the camera picture (scaled, ~15 fps), the framing guide and the hint."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from kiosk.ui.widgets.style import BACKGROUND, font


class ScanView(QWidget):
    def __init__(self, parent: QWidget | None = None, show_preview: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("scan_view")
        self.show_preview = show_preview
        self.image: QImage | None = None
        self.frames_shown = 0
        self.hint = ""
        self.demo_note = ""
        self.retranslate()

    def set_frame(self, image: QImage) -> None:
        if not self.show_preview:
            return
        self.image = image
        self.frames_shown += 1
        self.update()

    def set_preview(self, on: bool) -> None:
        self.show_preview = on
        if not on:
            self.image = None
        self.update()

    def set_demo(self, note: str) -> None:
        self.demo_note = note
        self.update()

    def retranslate(self) -> None:
        self.hint = self.tr("Hold the QR code inside the frame")
        self.update()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def guide_rect(self) -> QRectF:
        w, h = self.width(), self.height()
        side = min(w, h) * 0.62
        return QRectF((w - side) / 2, (h - side) / 2 - h * 0.05, side, side)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(BACKGROUND))
        if self.image is not None:
            scaled = self.image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
            x, y = (self.width() - scaled.width()) / 2, (self.height() - scaled.height()) / 2
            p.drawImage(QRectF(x, y, scaled.width(), scaled.height()), self.image)
            p.fillRect(self.rect(), QColor(0, 0, 0, 70))  # so the guide and hint stand out
        guide = self.guide_rect()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        arm = guide.width() * 0.18
        p.setPen(
            QPen(
                QColor("white"),
                max(6.0, guide.width() * 0.025),
                Qt.PenStyle.SolidLine,
                Qt.PenCapStyle.RoundCap,
            )
        )
        for cx, cy, dx, dy in (
            (guide.left(), guide.top(), 1, 1),
            (guide.right(), guide.top(), -1, 1),
            (guide.left(), guide.bottom(), 1, -1),
            (guide.right(), guide.bottom(), -1, -1),
        ):
            p.drawLine(int(cx), int(cy), int(cx + dx * arm), int(cy))
            p.drawLine(int(cx), int(cy), int(cx), int(cy + dy * arm))
        h = self.height()
        p.setPen(QColor("white"))
        p.setFont(font(int(h * 0.06), bold=True))
        hint_box = QRectF(0, guide.bottom() + h * 0.02, self.width(), h * 0.12)
        p.drawText(hint_box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.hint)
        if self.demo_note:
            p.setFont(font(int(h * 0.035), bold=True))
            p.setPen(QColor("#f2a900"))
            p.drawText(
                QRectF(16, 8, self.width() - 32, h * 0.08),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                self.demo_note,
            )
        p.end()
