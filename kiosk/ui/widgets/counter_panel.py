"""Counter mode: service, identity card, reference number, hand-off, same-person check."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.handoff import Handoff, make_handoff
from kiosk.core.identity_match import MatchResult, compare
from kiosk.core.runtime_messages import ShownScan
from kiosk.ui import texts
from kiosk.ui.widgets.style import TOUCH_PX, font
from verifier import CodeKind, Outcome, Subject

PAIR_WINDOW_S = 180.0  # an ID card and a credential scanned this close belong to one visit


class CounterPanel(QWidget):
    record_requested = Signal(str, str, str)  # scan event id, service, reference
    handed_off = Signal(object)  # Handoff, for the file drop / loopback server
    service_changed = Signal(str)

    def __init__(self, services: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("counter_panel")
        self.current: ShownScan | None = None
        self.last_by_kind: dict[str, tuple[float, Subject]] = {}
        self.match: MatchResult | None = None
        self.revealed = False
        layout = QVBoxLayout(self)
        self.service_label = QLabel(self)
        self.service = QComboBox(self)
        self.service.setObjectName("service_picker")
        self.service.setMinimumHeight(TOUCH_PX)
        self.service.setFont(font(22))
        self.service.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for code in services:
            self.service.addItem(texts.service(code), code)
        self.service.currentIndexChanged.connect(self._service_changed)
        self.service_label.setFont(font(18))
        layout.addWidget(self.service_label)
        layout.addWidget(self.service)
        form = QFormLayout()
        self.field_labels: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        for key in ("status", "name", "id", "dob"):
            self.field_labels[key] = QLabel(self)
            self.field_labels[key].setFont(font(18))
            value = QLabel(self)
            value.setObjectName(f"card_{key}")
            value.setFont(font(28 if key == "name" else 22, bold=key in ("name", "status")))
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            form.addRow(self.field_labels[key], value)
        layout.addLayout(form)
        self.show_id = QPushButton(self)
        self.show_id.setObjectName("show_id")
        self.show_id.setCheckable(True)
        self.show_id.setMinimumHeight(TOUCH_PX)
        self.show_id.setFont(font(20, bold=True))
        self.show_id.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.show_id.toggled.connect(self._reveal)
        layout.addWidget(self.show_id)
        self.match_label = QLabel(self)
        self.match_label.setObjectName("match")
        self.match_label.setFont(font(22, bold=True))
        self.match_label.setWordWrap(True)
        layout.addWidget(self.match_label)
        self.reference_label = QLabel(self)
        self.reference_label.setFont(font(18))
        self.reference = QLineEdit(self)
        self.reference.setObjectName("reference")
        self.reference.setMinimumHeight(TOUCH_PX)
        self.reference.setFont(font(22))
        layout.addWidget(self.reference_label)
        layout.addWidget(self.reference)
        row = QHBoxLayout()
        self.record_button = QPushButton(self)
        self.record_button.setObjectName("record")
        self.copy_text = QPushButton(self)
        self.copy_text.setObjectName("copy_text")
        self.copy_json = QPushButton(self)
        self.copy_json.setObjectName("copy_json")
        for b in (self.record_button, self.copy_text, self.copy_json):
            b.setMinimumHeight(TOUCH_PX)
            b.setFont(font(20, bold=True))
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            row.addWidget(b)
        self.record_button.clicked.connect(self._record)
        self.copy_text.clicked.connect(self._copy_text)
        self.copy_json.clicked.connect(self._copy_json)
        layout.addLayout(row)
        self.feedback = QLabel(self)
        self.feedback.setObjectName("feedback")
        self.feedback.setFont(font(18))
        layout.addWidget(self.feedback)
        layout.addStretch(1)
        self.setStyleSheet(
            "QWidget#counter_panel { background: #f4f6f8; } QLabel { color: #111; }"
            " QPushButton { background: #1f6feb; color: white; border-radius: 8px;"
            " padding: 4px 12px; }"
            " QPushButton:disabled { background: #9aa5b1; }"
        )
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.retranslate()

    def selected_service(self) -> str | None:
        code = self.service.currentData()
        return str(code) if code is not None else None

    def _service_changed(self) -> None:
        code = self.selected_service()
        if code:
            self.service_changed.emit(code)

    def show_scan(self, shown: ShownScan) -> None:
        v = shown.event.verdict
        self.current = shown
        self.revealed = False
        self.show_id.setChecked(False)
        self.feedback.setText("")
        self.match = None
        if v.subject is not None and v.outcome is not Outcome.REJECT:
            kind = "signed" if v.kind is CodeKind.CDS1 else "unsigned"
            now = time.monotonic()
            self.last_by_kind[kind] = (now, v.subject)
            other = self.last_by_kind.get("unsigned" if kind == "signed" else "signed")
            if other is not None and now - other[0] <= PAIR_WINDOW_S:
                self.match = compare(v.subject, other[1])
        self.refresh()

    def _reveal(self, on: bool) -> None:
        self.revealed = on
        self.refresh()

    def refresh(self) -> None:
        shown = self.current
        v = shown.event.verdict if shown else None
        subject = v.subject if v is not None and v.outcome is not Outcome.REJECT else None
        if v is None:
            status = self.tr("Waiting for a scan")
        elif v.outcome is Outcome.ACCEPT:
            status = self.tr("Verified (Công dân số)")
        elif v.outcome is Outcome.UNVERIFIED:
            status = self.tr("Read from an ID card — not verified")
        else:
            status = texts.headline_for_reject(v.reason)
        self.values["status"].setText(status)
        self.values["name"].setText(subject.name if subject else "")
        if subject is None:
            id_text = ""
        else:
            id_text = subject.id_number if self.revealed else subject.id_masked
        self.values["id"].setText(id_text)
        self.values["dob"].setText(subject.dob if subject else "")
        usable = subject is not None
        self.show_id.setEnabled(usable)
        self.copy_text.setEnabled(usable)
        self.copy_json.setEnabled(usable)
        self.record_button.setEnabled(usable and bool(shown and shown.recording.event_id))
        if self.match is None:
            self.match_label.setText("")
            self.match_label.setStyleSheet("")
        elif self.match.same:
            self.match_label.setText(self.tr("✓ ID card and credential: same person"))
            self.match_label.setStyleSheet("color: #146c2e;")
        else:
            differ = [
                name
                for name, ok in (
                    (self.tr("name"), self.match.name),
                    (self.tr("ID number"), self.match.id_number),
                    (self.tr("date of birth"), self.match.dob),
                )
                if not ok
            ]
            self.match_label.setText(
                self.tr("✕ NOT the same person: {0} differ").format(", ".join(differ))
            )
            self.match_label.setStyleSheet("color: #b3261e;")

    def handoff(self) -> Handoff | None:
        if self.current is None:
            return None
        return make_handoff(
            self.current.event.verdict,
            service=self.selected_service(),
            reference=self.reference.text().strip(),
            now=time.time(),
        )

    def _copy_text(self) -> None:
        h = self.handoff()
        if h is not None:
            QGuiApplication.clipboard().setText(h.as_text())
            self.feedback.setText(self.tr("Copied as text"))
            self.handed_off.emit(h)

    def _copy_json(self) -> None:
        h = self.handoff()
        if h is not None:
            QGuiApplication.clipboard().setText(h.as_json())
            self.feedback.setText(self.tr("Copied as JSON"))
            self.handed_off.emit(h)

    def _record(self) -> None:
        shown, service = self.current, self.selected_service()
        if shown is None or not shown.recording.event_id or service is None:
            return
        self.record_button.setEnabled(False)  # one transaction per presentation
        self.record_requested.emit(shown.recording.event_id, service, self.reference.text().strip())

    def transaction_done(self, ok: bool, detail: str) -> None:
        if ok:
            self.feedback.setText(self.tr("Recorded"))
            self.reference.clear()
        else:
            self.feedback.setText(self.tr("Not recorded: {0}").format(detail))

    def retranslate(self) -> None:
        self.service_label.setText(self.tr("Service"))
        for i in range(self.service.count()):
            self.service.setItemText(i, texts.service(str(self.service.itemData(i))))
        self.field_labels["status"].setText(self.tr("Status"))
        self.field_labels["name"].setText(self.tr("Full name"))
        self.field_labels["id"].setText(self.tr("ID number"))
        self.field_labels["dob"].setText(self.tr("Date of birth"))
        self.show_id.setText(self.tr("Show full ID number"))
        self.reference_label.setText(self.tr("Reference number (optional)"))
        self.record_button.setText(self.tr("Record"))
        self.copy_text.setText(self.tr("Copy text"))
        self.copy_json.setText(self.tr("Copy JSON"))
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
