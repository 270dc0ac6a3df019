"""Colours and sizes shared by the widgets: large type, ≥ 48 px touch targets, colour-blind safe
(each tone also has its own icon shape and words)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont

from kiosk.core.presentation import Tone

FONT_FAMILY = "DejaVu Sans"
TOUCH_PX = 56

TONE_BACKGROUND = {
    Tone.GO: QColor("#146c2e"),
    Tone.STOP: QColor("#b3261e"),
    Tone.CAUTION: QColor("#f2a900"),
}
TONE_TEXT = {Tone.GO: QColor("white"), Tone.STOP: QColor("white"), Tone.CAUTION: QColor("black")}
LEVEL_COLOUR = {"ok": "#146c2e", "warn": "#8a5a00", "bad": "#b3261e", "muted": "#555555"}
BACKGROUND = "#10151c"


def font(px: int, bold: bool = False) -> QFont:
    f = QFont(FONT_FAMILY)
    f.setPixelSize(max(8, px))
    f.setBold(bold)
    return f
