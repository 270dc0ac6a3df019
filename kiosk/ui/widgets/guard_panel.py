"""Guard controls: entry/exit (big buttons, F1/F2), today's counts and occupancy, recent events."""

from __future__ import annotations

import time
from collections import deque

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from kiosk.core.presentation import Tone
from kiosk.core.recent import RecentEntry, from_shown, latest
from kiosk.core.recorder import GateSnapshot
from kiosk.core.runtime_messages import ShownScan
from kiosk.ui import texts
from kiosk.ui.widgets.style import TOUCH_PX, font

RECENT = 6
_TONE_MARK = {Tone.GO: "✓", Tone.STOP: "✕", Tone.CAUTION: "!"}


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
            button.setFont(font(30, bold=True))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(self._entry_clicked if code == "entry" else self._exit_clicked)
            buttons.addWidget(button, 0, i)
        layout.addLayout(buttons)
        self.counts = QLabel(self)
        self.counts.setObjectName("counts")
        self.counts.setFont(font(24, bold=True))
        self.counts.setWordWrap(True)
        layout.addWidget(self.counts)
        self.recent_title = QLabel(self)
        self.recent_title.setFont(font(18))
        layout.addWidget(self.recent_title)
        self.recent_list = QListWidget(self)
        self.recent_list.setObjectName("recent_events")
        self.recent_list.setFont(font(18))
        self.recent_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(self.recent_list, 1)
        self.setStyleSheet(
            "QWidget#guard_panel { background: #18202a; } QLabel { color: #e8eef5; }"
            " QPushButton { background: #2b3644; color: white; border-radius: 10px; }"
            " QPushButton:checked { background: #1f6feb; }"
            " QListWidget { background: #10151c; color: #e8eef5; border: none; }"
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

    def _recent(self) -> None:
        self.recent_list.clear()
        for e in self.recent:
            when = time.strftime("%H:%M:%S", time.localtime(e.wall_time))
            who = e.id_masked or texts.reason(e.reason)
            self.recent_list.addItem(
                f"{_TONE_MARK[e.tone]} {when}  {texts.direction(e.direction)}  {who}".rstrip()
            )

    def retranslate(self) -> None:
        self.entry_button.setText(self.tr("IN  (F1)"))
        self.exit_button.setText(self.tr("OUT  (F2)"))
        self.recent_title.setText(self.tr("Last events"))
        self._counts()
        self._recent()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
