"""Text a widget paints itself (the verdict, the scanning hint): where it goes, at what size.

A painting widget lists its texts as `PaintedText` from one method and paints exactly that
list, so the layout tests check what is on the screen, not a copy of its arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QFontMetricsF, QPainter


@dataclass(frozen=True, slots=True)
class PaintedText:
    text: str
    box: QRectF  # the band the text must stay inside, in the widget's coordinates
    font: QFont
    flags: int  # Qt alignment and text flags

    def used(self) -> QRectF:
        """The rectangle the drawn text covers."""
        return QFontMetricsF(self.font).boundingRect(self.box, self.flags, self.text)

    def draw(self, p: QPainter) -> None:
        p.setFont(self.font)
        p.drawText(self.box, self.flags, self.text)
