"""Colours and sizes shared by the widgets: large type, ≥ 48 px touch targets, colour-blind safe
(each tone also has its own icon shape and words), every text ≥ 4.5:1 on its background
(WCAG AA; tests/ui/test_layout.py measures the pixels).

Sizes follow the screen: a widget asks `scale(self)` (1.0 on a 1280x800 window, 1.35 on
1920x1080, 0.75 on 1024x600) and fits each text with `fit_px`, so a word is made smaller
rather than cut. No text is cut: what does not fit at the smallest size is elided only in
lists, where the full text is a tap away.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF
from PySide6.QtWidgets import QWidget

from kiosk.core.presentation import Tone

FONT_FAMILY = "DejaVu Sans"
TOUCH_PX = 56
MIN_TEXT_PX = 12  # the smallest text on any screen (technician tables)
REFERENCE = (1280, 800)  # the window the base sizes were chosen on

TONE_BACKGROUND = {
    Tone.GO: QColor("#146c2e"),
    Tone.STOP: QColor("#b3261e"),
    Tone.CAUTION: QColor("#f2a900"),
}
TONE_TEXT = {Tone.GO: QColor("white"), Tone.STOP: QColor("white"), Tone.CAUTION: QColor("black")}
LEVEL_COLOUR = {"ok": "#146c2e", "warn": "#8a5a00", "bad": "#b3261e", "muted": "#555555"}
BACKGROUND = "#10151c"
INK = "#e8eef5"  # text on the dark screens
PAGE = "#f4f6f8"  # the technician's pages and the counter: light, dark text
PAGE_INK = "#111111"
OK_INK = "#146c2e"  # green words on a light page (6.6:1 on PAGE)
BAD_INK = "#b3261e"  # red words on a light page (6.0:1 on PAGE)


def page_sheet(object_name: str) -> str:
    """The technician's pages and the PIN door: a light page with dark words, and placeholders
    dark enough to read (Qt's default grey is 3.9:1 on white)."""
    return (
        f"QWidget#{object_name} {{ background: {PAGE}; }}"
        f" QLabel, QCheckBox {{ color: {PAGE_INK}; }}"
        " QLineEdit { placeholder-text-color: #595959; }"
    )


def font(px: int, bold: bool = False) -> QFont:
    f = QFont(FONT_FAMILY)
    f.setPixelSize(max(8, px))
    f.setBold(bold)
    return f


def scale(widget: QWidget) -> float:
    """How large this window is against the reference 1280x800 (the smaller of the two ratios,
    so a wide short window does not get tall type)."""
    top = widget.window()
    w, h = max(1, top.width()), max(1, top.height())
    return max(0.6, min(w / REFERENCE[0], h / REFERENCE[1], 2.5))


def fits(text: str, f: QFont, width: float, height: float, flags: int = 0) -> bool:
    """Whether `text` drawn with `f` and `flags` (alignment, TextWordWrap) fits width x height."""
    if not text:
        return True
    metrics = QFontMetricsF(f)
    box = QRectF(0, 0, width, height)
    need = metrics.boundingRect(box, flags, text)
    return need.width() <= width + 0.5 and need.height() <= height + 0.5


@lru_cache(maxsize=1024)  # painted at 15 frames a second: measure each text once per size
def fit_px(
    text: str,
    width: float,
    height: float,
    largest: int,
    *,
    smallest: int = MIN_TEXT_PX,
    bold: bool = False,
    wrap: bool = False,
) -> int:
    """The largest pixel size from `largest` down to `smallest` at which `text` fits (one line,
    or word-wrapped when `wrap`); `smallest` when nothing fits (the caller elides or wraps)."""
    flags = int(Qt.TextFlag.TextWordWrap) if wrap else 0
    px = max(smallest, largest)
    while px > smallest and not fits(text, font(px, bold), width, height, flags):
        px -= 1 if px < 24 else 2
    return max(smallest, px)
