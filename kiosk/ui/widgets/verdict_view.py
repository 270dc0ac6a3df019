"""The verdict: the whole screen in the tone's colour, an icon, the words, the person (masked)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from kiosk.core.presentation import Headline, Presentation, Tone, present
from kiosk.core.runtime_messages import ShownScan
from kiosk.ui import texts
from kiosk.ui.widgets.icons import draw_icon
from kiosk.ui.widgets.painted import PaintedText
from kiosk.ui.widgets.style import TONE_BACKGROUND, TONE_TEXT, fit_px, font


@dataclass(frozen=True, slots=True)
class VerdictLines:
    title: str
    action: str  # "VÀO"/"RA", the service, or "do not let through"
    note: str  # the reason or the caution
    name: str
    id_line: str


class VerdictView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verdict")
        self.shown: ShownScan | None = None
        self.presentation: Presentation | None = None
        self.service: str | None = None
        self.lines = VerdictLines("", "", "", "", "")

    def show_scan(self, shown: ShownScan, service: str | None = None) -> None:
        self.shown, self.service = shown, service
        self.presentation = present(shown)
        self.retranslate()

    def retranslate(self) -> None:
        if self.shown is None or self.presentation is None:
            return
        p, v = self.presentation, self.shown.event.verdict
        if p.tone is Tone.STOP:
            action = texts.no_entry() if self.shown.mode == "gate" else ""
        elif self.shown.mode == "gate":
            action = texts.go_words(self.shown.direction) if p.admitted else texts.no_entry()
        else:
            action = texts.service(self.service) if self.service else ""
        note = texts.reason(p.reason) if p.headline is Headline.NOT_VALID else ""
        note = note or texts.headline_note(p.headline)
        name = id_line = ""
        if p.show_subject and v.subject is not None:
            name = v.subject.name
            id_line = self.tr("ID {0} · born {1}").format(v.subject.id_masked, v.subject.birth_year)
        self.lines = VerdictLines(texts.headline(p.headline), action, note, name, id_line)
        self.update()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def painted_texts(self) -> list[PaintedText]:
        """Where each line goes and at what size: every line fitted to its own band, so a long
        headline is made smaller rather than wrapped or cut, and no two lines meet."""
        w, h = float(self.width()), float(self.height())
        icon = self.icon_rect()
        left = icon.right() + w * 0.03
        side = w - left - w * 0.03
        full_left, full_w = w * 0.04, w * 0.92
        bands = (
            # text, box, largest px, bold, word-wrap
            (self.lines.title, QRectF(left, h * 0.06, side, h * 0.18), h * 0.13, True, False),
            (self.lines.action, QRectF(left, h * 0.25, side, h * 0.14), h * 0.09, True, False),
            (self.lines.note, QRectF(full_left, h * 0.43, full_w, h * 0.17), h * 0.06, True, True),
            (self.lines.name, QRectF(full_left, h * 0.61, full_w, h * 0.17), h * 0.09, True, True),
            (self.lines.id_line, QRectF(full_left, h * 0.79, full_w, h * 0.13), h * 0.06, False,
             True),
        )  # fmt: skip
        out = []
        for text, box, largest, bold, wrap in bands:
            if not text:
                continue
            px = fit_px(text, box.width(), box.height(), int(largest), bold=bold, wrap=wrap)
            flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            if wrap:
                flags |= int(Qt.TextFlag.TextWordWrap)
            out.append(PaintedText(text, box, font(px, bold), flags))
        return out

    def icon_rect(self) -> QRectF:
        w, h = self.width(), self.height()
        side = min(h * 0.30, w * 0.28)
        return QRectF(w * 0.04, h * 0.08, side, side)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.presentation is None:
            return
        tone = self.presentation.tone
        ink = TONE_TEXT[tone]
        p = QPainter(self)
        p.fillRect(self.rect(), TONE_BACKGROUND[tone])
        draw_icon(p, self.icon_rect(), tone, ink)
        p.setPen(ink)
        for line in self.painted_texts():
            line.draw(p)
        p.end()
