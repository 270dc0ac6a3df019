"""The journal page: recent events (the export view: no names, no ID numbers) and export.

Each row is shown in words, times in local dd/mm/yyyy HH:MM; the search box looks in those
words (with or without diacritics), so "thu hồi" finds what the screen calls "thu hồi". A cell
too narrow for its words is shortened with "…"; a tap on a row shows it whole beneath.
"""

from __future__ import annotations

import functools
import time
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QEvent, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui import texts
from kiosk.ui.widgets.style import TOUCH_PX, font, scale

COLUMNS = 5  # time, event, direction or service, result, reason


def folded(text: str) -> str:
    """Lower case without diacritics (đ as d), for a search that forgives the input method."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def row_words(r: dict[str, Any]) -> list[str]:
    """One journal row as the screen shows it: time, event, place, result, reason."""
    try:
        when = texts.local_time(datetime.fromisoformat(str(r.get("time"))).timestamp())
    except ValueError:
        when = str(r.get("time") or "")
    place = texts.direction(r.get("direction")) or (
        texts.service(str(r["service"])) if r.get("service") else ""
    )
    result = " · ".join(
        w for w in (texts.verdict_word(r.get("verdict")), texts.outcome_word(r.get("outcome"))) if w
    )
    return [when, texts.journal_kind(str(r.get("kind")), r.get("action")), place, result,
            texts.reason_code(r.get("reason"))]  # fmt: skip


def row_matches(row: dict[str, Any], needle: str) -> bool:
    """The search box's rule, for the table and the export alike: the needle (folded) among
    the words the page shows for the row, so "thu hồi" and "thu hoi" find a revoked code."""
    return not needle or needle in folded(" ".join(row_words(row)))


class JournalPage(QWidget):
    recent_requested = Signal(int)  # hours
    export_requested = Signal(object, object, str, object)  # from ms, to ms, file, keep

    def __init__(self, export_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("journal_page")
        self.export_dir = export_dir
        self.rows: tuple[dict[str, Any], ...] = ()
        self.shown: list[list[str]] = []  # the rows that match the search, in words
        self.matching: list[dict[str, Any]] = []  # the same rows as the journal has them
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
        self.table = QTableWidget(0, COLUMNS, self)
        self.table.setObjectName("journal_table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._show_whole)
        layout.addWidget(self.table, 1)
        self.whole = QLabel(self)  # the selected row, whole
        self.whole.setObjectName("journal_row")
        self.whole.setWordWrap(True)
        self.whole.setMinimumWidth(1)
        layout.addWidget(self.whole)
        bottom = QHBoxLayout()
        today = QDate.currentDate()
        self.from_date = QDateEdit(today, self)
        self.to_date = QDateEdit(today, self)
        for d in (self.from_date, self.to_date):
            d.setCalendarPopup(True)
            d.setDisplayFormat("dd/MM/yyyy")
            d.setMinimumHeight(TOUCH_PX - 8)
        self.export = QPushButton(self)
        self.export.setObjectName("journal_export")
        self.export.setMinimumHeight(TOUCH_PX - 8)
        self.export.clicked.connect(self._export)
        self.from_label, self.to_label = QLabel(self), QLabel(self)
        for w in (self.from_label, self.from_date, self.to_label, self.to_date, self.export):
            bottom.addWidget(w)
        bottom.addStretch(1)
        layout.addLayout(bottom)
        self.message = QLabel(self)
        self.message.setObjectName("journal_message")
        self.message.setWordWrap(True)
        self.message.setMinimumWidth(1)
        layout.addWidget(self.message)
        self.retranslate()

    def opened(self) -> None:
        """The tab came into view: fill it with the last day's rows."""
        self.recent_requested.emit(24)

    def needle(self) -> str:
        return folded(self.search.text().strip())

    def show_rows(self, rows: tuple[dict[str, Any], ...]) -> None:
        self.rows = tuple(reversed(rows))
        self._fill()

    def _fill(self) -> None:
        needle = self.needle()
        pairs = [(r, row_words(r)) for r in self.rows if row_matches(r, needle)]
        self.matching = [r for r, _ in pairs]
        self.shown = [w for _, w in pairs]
        px = max(13, round(15 * scale(self)))
        self.table.setFont(font(px))
        self.table.setRowCount(len(self.shown))
        for i, row in enumerate(self.shown):
            for j, text in enumerate(row):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(i, j, item)
        self.table.resizeRowsToContents()
        self.whole.setText("")

    def _show_whole(self) -> None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        if len(rows) == 1:
            self.whole.setText("  ·  ".join(w for w in self.shown[rows.pop()] if w))

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
        self.search.setPlaceholderText(self.tr("Search (result, reason, direction…)"))
        self.refresh.setText(self.tr("Last 24 hours"))
        self.export.setText(self.tr("Export CSV"))
        self.from_label.setText(self.tr("From"))
        self.to_label.setText(self.tr("To"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Time"),
                self.tr("Event"),
                self.tr("Direction or service"),
                self.tr("Result"),
                self.tr("Reason"),
            ]
        )
        self._fill()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
