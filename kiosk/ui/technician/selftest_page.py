"""The self-test page: each check green, amber or red, with what to do (kiosk.core.selftest)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.core.selftest import CheckResult, Level
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
        self.grid = QGridLayout()
        layout.addLayout(self.grid)
        layout.addStretch(1)
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
            badge = QLabel(_MARK[r.level], self)
            badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
            badge.setFixedSize(TOUCH_PX, TOUCH_PX - 8)
            badge.setFont(font(26, bold=True))
            badge.setStyleSheet(
                f"background: {_COLOUR[r.level]}; color: white; border-radius: 8px;"
            )
            name = QLabel(texts.check_name(r.check), self)
            name.setFont(font(20, bold=True))
            what = QLabel(r.detail + ("\n→ " + texts.advice(r.advice) if r.advice else ""), self)
            what.setObjectName(f"check:{r.check}")
            what.setFont(font(16))
            what.setWordWrap(True)
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
