"""The journal page: recent events (the export view: no names, no ID numbers) and export."""

from __future__ import annotations

import functools
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QEvent, QTime, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.widgets.style import TOUCH_PX, font

COLUMNS = ("time", "kind", "action", "direction", "service", "verdict", "reason", "outcome")


def row_matches(row: dict[str, Any], needle: str) -> bool:
    """The search box's rule, for the table and the export alike."""
    return not needle or needle in " ".join(map(str, row.values())).lower()


class JournalPage(QWidget):
    recent_requested = Signal(int)  # hours
    export_requested = Signal(object, object, str, object)  # from ms, to ms, file, keep

    def __init__(self, export_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("journal_page")
        self.export_dir = export_dir
        self.rows: tuple[dict[str, Any], ...] = ()
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setObjectName("journal_search")
        self.search.setMinimumHeight(TOUCH_PX - 8)
        self.search.textChanged.connect(self._fill)
        self.refresh = QPushButton(self)
        self.refresh.setObjectName("journal_refresh")
        self.refresh.setMinimumHeight(TOUCH_PX - 8)
        self.refresh.clicked.connect(lambda: self.recent_requested.emit(24))  # GUI thread
        top.addWidget(self.search, 1)
        top.addWidget(self.refresh)
        layout.addLayout(top)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("journal_table")
        self.table.setFont(font(14))
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        today = QDate.currentDate()
        self.from_date = QDateEdit(today, self)
        self.to_date = QDateEdit(today, self)
        for d in (self.from_date, self.to_date):
            d.setCalendarPopup(True)
            d.setMinimumHeight(TOUCH_PX - 8)
        self.export = QPushButton(self)
        self.export.setObjectName("journal_export")
        self.export.setMinimumHeight(TOUCH_PX - 8)
        self.export.clicked.connect(self._export)
        self.from_label, self.to_label = QLabel(self), QLabel(self)
        for w in (self.from_label, self.from_date, self.to_label, self.to_date, self.export):
            bottom.addWidget(w)
        layout.addLayout(bottom)
        self.message = QLabel(self)
        self.message.setObjectName("journal_message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.retranslate()

    def opened(self) -> None:
        """The tab came into view: fill it with the last day's rows."""
        self.recent_requested.emit(24)

    def needle(self) -> str:
        return self.search.text().strip().lower()

    def show_rows(self, rows: tuple[dict[str, Any], ...]) -> None:
        self.rows = tuple(reversed(rows))
        self._fill()

    def _fill(self) -> None:
        needle = self.needle()
        shown = [r for r in self.rows if row_matches(r, needle)]
        self.table.setRowCount(len(shown))
        for i, r in enumerate(shown):
            for j, col in enumerate(COLUMNS):
                value = r.get(col)
                self.table.setItem(i, j, QTableWidgetItem("" if value is None else str(value)))
        self.table.resizeColumnsToContents()

    def _export(self) -> None:
        start = QDateTime(self.from_date.date(), QTime(0, 0)).toMSecsSinceEpoch()
        end = QDateTime(self.to_date.date().addDays(1), QTime(0, 0)).toMSecsSinceEpoch()
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = self.export_dir / f"journal-{stamp}.csv"
        self.message.setText(self.tr("Exporting…"))
        needle = self.needle()  # what the table shows is what is exported
        keep = functools.partial(row_matches, needle=needle) if needle else None
        self.export_requested.emit(int(start), int(end), str(path), keep)

    def show_message(self, ok: bool, detail: str) -> None:
        words = self.tr("Exported {0}") if ok else self.tr("Export failed: {0}")
        self.message.setText(words.format(detail))

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Search (verdict, reason, direction…)"))
        self.refresh.setText(self.tr("Last 24 hours"))
        self.export.setText(self.tr("Export CSV"))
        self.from_label.setText(self.tr("From"))
        self.to_label.setText(self.tr("To"))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
