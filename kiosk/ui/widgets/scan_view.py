"""The scanning screen: the camera picture (scaled, ~15 fps), the framing guide and the hint."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from kiosk.ui.widgets.painted import PaintedText
from kiosk.ui.widgets.style import BACKGROUND, fit_px, font


class ScanView(QWidget):
    def __init__(self, parent: QWidget | None = None, show_preview: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("scan_view")
        self.show_preview = show_preview
        self.image: QImage | None = None
        self.frames_shown = 0
        self.hint = ""
        self.demo_note = ""
        # (text, box, largest) -> px: the texts are fitted when they or the size change, not
        # at each of the preview's frames.
        self._fitted: dict[tuple[str, float, float, int], int] = {}
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

    def picture_rect(self) -> QRectF:
        """Where the camera picture is drawn (kept in proportion); the whole view without one."""
        if self.image is None:
            return QRectF(self.rect())
        scaled = self.image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        x, y = (self.width() - scaled.width()) / 2, (self.height() - scaled.height()) / 2
        return QRectF(x, y, scaled.width(), scaled.height())

    def _bands(self) -> tuple[float, float]:
        """Heights of the top band (the demo note) and the bottom band (the hint)."""
        h = self.height()
        return (h * 0.09 if self.demo_note else h * 0.03), h * 0.16

    def guide_rect(self) -> QRectF:
        """The framing guide: a square inside the picture, clear of the text bands, the
        corners' strokes included."""
        top, bottom = self._bands()
        area = self.picture_rect().intersected(
            QRectF(0, top, self.width(), self.height() - top - bottom)
        )
        side = max(0.0, min(area.width(), area.height()) * 0.86)
        centre = area.center()
        return QRectF(centre.x() - side / 2, centre.y() - side / 2, side, side)

    def _pen_width(self) -> float:
        return max(4.0, self.guide_rect().width() * 0.025)

    def painted_texts(self) -> list[PaintedText]:
        w, h = float(self.width()), float(self.height())
        top, bottom = self._bands()
        out = []
        centred = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        hint_box = QRectF(w * 0.03, h - bottom, w * 0.94, bottom * 0.92)
        px = self._fit(self.hint, hint_box, int(h * 0.06))
        out.append(PaintedText(self.hint, hint_box, font(px, True), centred))
        if self.demo_note:
            box = QRectF(w * 0.03, 0, w * 0.94, top)
            px = self._fit(self.demo_note, box, int(h * 0.035))
            out.append(PaintedText(self.demo_note, box, font(px, True), centred))
        return out

    def _fit(self, text: str, box: QRectF, largest: int) -> int:
        key = (text, box.width(), box.height(), largest)
        px = self._fitted.get(key)
        if px is None:
            if len(self._fitted) >= 8:  # old sizes and languages
                self._fitted.clear()
            px = self._fitted[key] = fit_px(
                text, box.width(), box.height(), largest, bold=True, wrap=True
            )
        return px

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(BACKGROUND))
        if self.image is not None:
            picture = self.picture_rect()
            p.drawImage(picture, self.image)
            p.fillRect(picture, QColor(0, 0, 0, 70))  # so the guide stands out
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen_w = self._pen_width()
        guide = self.guide_rect().adjusted(pen_w / 2, pen_w / 2, -pen_w / 2, -pen_w / 2)
        arm = guide.width() * 0.18
        p.setPen(QPen(QColor("white"), pen_w, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        for cx, cy, dx, dy in (
            (guide.left(), guide.top(), 1, 1),
            (guide.right(), guide.top(), -1, 1),
            (guide.left(), guide.bottom(), 1, -1),
            (guide.right(), guide.bottom(), -1, -1),
        ):
            p.drawLine(QPointF(cx, cy), QPointF(cx + dx * arm, cy))
            p.drawLine(QPointF(cx, cy), QPointF(cx, cy + dy * arm))
        texts = self.painted_texts()
        for line in texts:  # a dark strip under each text, whatever the camera sees
            p.fillRect(line.used().adjusted(-12, -4, 12, 4), QColor(16, 21, 28, 210))
        for i, line in enumerate(texts):
            p.setPen(QColor("white") if i == 0 else QColor("#f2a900"))
            line.draw(p)
        p.end()
