"""Verdict icons drawn as shapes (tick, cross, exclamation mark), so no font can lose them."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from kiosk.core.presentation import Tone


def draw_icon(p: QPainter, rect: QRectF, tone: Tone, ink: QColor) -> None:
    side = min(rect.width(), rect.height())
    box = QRectF(rect.center().x() - side / 2, rect.center().y() - side / 2, side, side)
    pen = QPen(
        ink, side * 0.09, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin
    )
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawEllipse(box.adjusted(side * 0.05, side * 0.05, -side * 0.05, -side * 0.05))

    def at(x: float, y: float) -> QPointF:
        return QPointF(box.left() + x * side, box.top() + y * side)

    if tone is Tone.GO:
        p.drawPolyline([at(0.28, 0.52), at(0.44, 0.68), at(0.73, 0.36)])
    elif tone is Tone.STOP:
        p.drawLine(at(0.33, 0.33), at(0.67, 0.67))
        p.drawLine(at(0.67, 0.33), at(0.33, 0.67))
    else:
        p.drawLine(at(0.5, 0.27), at(0.5, 0.58))
        p.drawPoint(at(0.5, 0.73))
    p.restore()
