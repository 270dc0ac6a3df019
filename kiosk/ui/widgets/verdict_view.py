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
from kiosk.ui.widgets.style import TONE_BACKGROUND, TONE_TEXT, font


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

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.presentation is None:
            return
        tone = self.presentation.tone
        ink = TONE_TEXT[tone]
        p = QPainter(self)
        p.fillRect(self.rect(), TONE_BACKGROUND[tone])
        w, h = self.width(), self.height()
        icon = QRectF(w * 0.04, h * 0.08, h * 0.30, h * 0.30)
        draw_icon(p, icon, tone, ink)
        p.setPen(ink)
        left = icon.right() + w * 0.03
        text_w = w - left - w * 0.03
        flags = (
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap
        )
        p.setFont(font(int(h * 0.13), bold=True))
        p.drawText(QRectF(left, h * 0.06, text_w, h * 0.18), flags, self.lines.title)
        p.setFont(font(int(h * 0.09), bold=True))
        p.drawText(QRectF(left, h * 0.24, text_w, h * 0.14), flags, self.lines.action)
        full = QRectF(w * 0.04, 0, w * 0.92, 0)
        p.setFont(font(int(h * 0.06), bold=True))
        p.drawText(full.adjusted(0, h * 0.44, 0, h * 0.60), flags, self.lines.note)
        p.setFont(font(int(h * 0.09), bold=True))
        p.drawText(full.adjusted(0, h * 0.61, 0, h * 0.77), flags, self.lines.name)
        p.setFont(font(int(h * 0.06)))
        p.drawText(full.adjusted(0, h * 0.78, 0, h * 0.92), flags, self.lines.id_line)
        p.end()
