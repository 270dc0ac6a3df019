"""The self-test page: each check green, amber or red, with what to do
(kiosk.core.technician.selftest)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.technician.selftest import CheckResult, Level
from kiosk.ui import texts
from kiosk.ui.widgets.style import LEVEL_COLOUR, TOUCH_PX, font

_COLOUR = {
    Level.PASS: LEVEL_COLOUR["ok"],
    Level.WARN: LEVEL_COLOUR["warn"],
    Level.FAIL: LEVEL_COLOUR["bad"],
}
_MARK = {Level.PASS: "✓", Level.WARN: "!", Level.FAIL: "✕"}


class SelfTestPage(QWidget):
    run_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("selftest_page")
        self.results: tuple[CheckResult, ...] = ()
        layout = QVBoxLayout(self)
        scroll = QScrollArea(self)  # eight checks with their advice outgrow a small screen
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.inner = QWidget(scroll)
        self.inner.setObjectName("selftest_checks")
        column = QVBoxLayout(self.inner)
        self.grid = QGridLayout()
        self.grid.setColumnStretch(2, 1)
        column.addLayout(self.grid)
        column.addStretch(1)
        scroll.setWidget(self.inner)
        layout.addWidget(scroll, 1)
        self.run = QPushButton(self)
        self.run.setObjectName("selftest_run")
        self.run.setMinimumHeight(TOUCH_PX)
        self.run.setFont(font(22, bold=True))
        self.run.clicked.connect(self._run)
        layout.addWidget(self.run)
        self.rows: list[QLabel] = []
        self.retranslate()

    def opened(self) -> None:
        """The tab came into view: run the checks (unless they are running)."""
        if self.run.isEnabled():
            self._run()

    def _run(self) -> None:
        self.run.setEnabled(False)
        self.run_requested.emit()

    def show_results(self, results: tuple[CheckResult, ...]) -> None:
        self.results = results
        self.run.setEnabled(True)
        self._fill()

    def _fill(self) -> None:
        for label in self.rows:
            self.grid.removeWidget(label)
            label.deleteLater()
        self.rows = []
        for i, r in enumerate(self.results):
            badge = QLabel(_MARK[r.level], self.inner)
            badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
            badge.setFixedSize(TOUCH_PX, TOUCH_PX - 8)
            badge.setFont(font(26, bold=True))
            badge.setStyleSheet(
                f"background: {_COLOUR[r.level]}; color: white; border-radius: 8px;"
            )
            name = QLabel(texts.check_name(r.check), self.inner)
            name.setFont(font(20, bold=True))
            advice = "\n→ " + texts.advice(r.advice) if r.advice else ""
            what = QLabel(texts.check_detail(r) + advice, self.inner)
            what.setObjectName(f"check:{r.check}")
            what.setFont(font(16))
            what.setWordWrap(True)
            what.setMinimumWidth(1)
            for col, w in enumerate((badge, name, what)):
                self.grid.addWidget(w, i, col)
                self.rows.append(w)

    def retranslate(self) -> None:
        self.run.setText(self.tr("Run the self-test"))
        self._fill()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
