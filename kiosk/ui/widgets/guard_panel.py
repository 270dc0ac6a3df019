"""Guard controls: entry/exit (big buttons, F1/F2), today's counts and occupancy, recent events.

Every text is fitted to the panel (sizes follow the screen); a recent event too long for its
row is shortened with "…", and a tap on it shows it whole under the list.
"""

from __future__ import annotations

import time
from collections import deque

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetricsF, QIcon, QPainter, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.presentation import Tone
from kiosk.core.recent import RecentEntry, from_shown, latest
from kiosk.core.recorder import GateSnapshot
from kiosk.core.runtime_messages import ShownScan
from kiosk.ui import texts
from kiosk.ui.widgets.icons import draw_icon
from kiosk.ui.widgets.style import BACKGROUND, INK, MIN_TEXT_PX, TOUCH_PX, fit_px, font, scale

RECENT = 6
FULL_TEXT = Qt.ItemDataRole.UserRole  # an item's whole text, when its row shows it shortened
TONE = Qt.ItemDataRole.UserRole + 1  # the verdict's tone, which the row's icon draws
_TONE_INK = {
    Tone.GO: QColor("#3fb950"),
    Tone.STOP: QColor("#ff7b72"),
    Tone.CAUTION: QColor("#f2a900"),
}


def tone_icon(tone: Tone, side: int) -> QIcon:
    """The verdict's shape (tick, cross, !) in its colour: one width for every row."""
    pixmap = QPixmap(side, side)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    draw_icon(p, QRectF(0, 0, side, side), tone, _TONE_INK[tone])
    p.end()
    return QIcon(pixmap)


class _RecentList(QListWidget):
    """Says when its width changed, so the rows are shortened again for the new width."""

    resized = Signal()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit()


class GuardPanel(QWidget):
    direction_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guard_panel")
        self.gate: GateSnapshot | None = None
        self.recent: deque[RecentEntry] = deque(maxlen=RECENT)
        layout = QVBoxLayout(self)
        buttons = QGridLayout()
        self.entry_button = QPushButton(self)
        self.exit_button = QPushButton(self)
        for i, (button, code) in enumerate(
            ((self.entry_button, "entry"), (self.exit_button, "exit"))
        ):
            button.setObjectName(f"{code}_button")
            button.setCheckable(True)
            button.setMinimumHeight(TOUCH_PX * 2)
            button.setMinimumWidth(TOUCH_PX)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(self._entry_clicked if code == "entry" else self._exit_clicked)
            buttons.addWidget(button, 0, i)
        layout.addLayout(buttons)
        self.counts = QLabel(self)
        self.counts.setObjectName("counts")
        self.counts.setWordWrap(True)
        self.counts.setMinimumWidth(1)
        layout.addWidget(self.counts)
        self.recent_title = QLabel(self)
        self.recent_title.setObjectName("recent_title")
        self.recent_title.setMinimumWidth(1)
        layout.addWidget(self.recent_title)
        self.recent_list = _RecentList(self)
        self.recent_list.setObjectName("recent_events")
        self.recent_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.recent_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.recent_list.setTextElideMode(Qt.TextElideMode.ElideNone)  # shortened by _recent
        self.recent_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.recent_list.itemClicked.connect(self._show_whole)
        self.recent_list.resized.connect(self._recent)
        layout.addWidget(self.recent_list, 1)
        self.recent_whole = QLabel(self)  # the tapped event, whole
        self.recent_whole.setObjectName("recent_whole")
        self.recent_whole.setWordWrap(True)
        self.recent_whole.setMinimumWidth(1)
        layout.addWidget(self.recent_whole)
        self.setStyleSheet(
            f"QWidget#guard_panel {{ background: #18202a; }} QLabel {{ color: {INK}; }}"
            " QPushButton { background: #2b3644; color: white; border-radius: 10px; }"
            " QPushButton:checked { background: #1f6feb; }"
            f" QListWidget {{ background: {BACKGROUND}; color: {INK}; border: none; }}"
            " QListWidget::item:selected { background: #2b3644; }"
        )
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.retranslate()

    def _entry_clicked(self) -> None:
        self.direction_requested.emit("entry")
        self._mark(self.gate.direction if self.gate else None)

    def _exit_clicked(self) -> None:
        self.direction_requested.emit("exit")
        self._mark(self.gate.direction if self.gate else None)

    def _mark(self, direction: str | None) -> None:
        """The checked button follows the journal's direction, not the click."""
        self.entry_button.setChecked(direction == "entry")
        self.exit_button.setChecked(direction == "exit")

    def update_gate(self, gate: GateSnapshot) -> None:
        self.gate = gate
        self._mark(gate.direction)
        self._counts()

    def add_scan(self, shown: ShownScan) -> None:
        self.recent.appendleft(from_shown(shown))
        self._recent()

    def restore(self, entries: tuple[RecentEntry, ...]) -> None:
        """The day's last scans from the journal (after a restart), beside any shown since."""
        self.recent = deque(latest([*self.recent, *entries], RECENT), maxlen=RECENT)
        self._recent()

    def _counts(self) -> None:
        g = self.gate
        if g is None:
            self.counts.setText("")
            return
        self.counts.setText(
            self.tr("Today: {0} in · {1} out\nInside now: {2}").format(
                g.entries, g.exits, g.occupancy
            )
        )
        self._fit_counts()

    def _row_px(self) -> int:
        return max(MIN_TEXT_PX + 2, round(18 * scale(self)))

    def _recent(self) -> None:
        self.recent_list.clear()
        px = self._row_px()
        row_font = font(px)
        metrics = QFontMetricsF(row_font)
        icon_side = round(px * 1.2)
        self.recent_list.setIconSize(QSize(icon_side, icon_side))
        self.recent_list.setFont(row_font)
        room = self.recent_list.viewport().width() - icon_side - 16
        for e in self.recent:
            when = time.strftime("%H:%M:%S", time.localtime(e.wall_time))
            who = e.id_masked or texts.reason(e.reason)
            whole = f"{when}  {texts.direction(e.direction)}  {who}".strip().replace("    ", "  ")
            shown_text = metrics.elidedText(whole, Qt.TextElideMode.ElideRight, max(1.0, room))
            item = QListWidgetItem(tone_icon(e.tone, icon_side), shown_text)
            item.setFont(row_font)
            item.setData(FULL_TEXT, whole)
            item.setData(TONE, str(e.tone))
            item.setToolTip(whole)
            self.recent_list.addItem(item)
        self.recent_whole.setText("")

    def _show_whole(self, item: QListWidgetItem) -> None:
        self.recent_whole.setText(str(item.data(FULL_TEXT) or item.text()))
        self._fit_whole()

    def _fit_counts(self) -> None:
        width = self.counts.width() or self.width()
        px = fit_px(self.counts.text(), width, 10_000, round(26 * scale(self)), bold=True)
        self.counts.setFont(font(px, bold=True))

    def _fit_whole(self) -> None:
        self.recent_whole.setFont(font(self._row_px()))

    def _fit(self) -> None:
        k = scale(self)
        for button in (self.entry_button, self.exit_button):
            button.setMinimumHeight(round(TOUCH_PX * 2 * max(0.8, k)))
            room = button.width() - 16
            px = fit_px(button.text(), room, button.minimumHeight() - 12, round(34 * k), bold=True)
            button.setFont(font(px, bold=True))
        self.recent_title.setFont(font(fit_px(self.recent_title.text(), self.width() - 24,
                                              10_000, round(18 * k))))  # fmt: skip
        self._fit_counts()
        self._fit_whole()
        self._recent()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def retranslate(self) -> None:
        # The direction's word on top, its key beneath: a narrow panel never cuts either.
        self.entry_button.setText(texts.go_words("entry") + "\nF1")
        self.exit_button.setText(texts.go_words("exit") + "\nF2")
        self.recent_title.setText(self.tr("Last events"))
        self._counts()
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
