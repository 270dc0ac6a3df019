"""Counter mode: service, the citizen's details, reference number, record, copy, same person.

The visit's rules (which codes belong together, what the panel shows of them, what the record
button records, which visit the journal's answer is for) are decided in kiosk.core.counter.policy
and where a hand-off goes in kiosk.core.counter.handoff_route; this panel words them in the
screen's language.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QGuiApplication, QResizeEvent
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

from kiosk.core.counter.handoff import Handoff
from kiosk.core.counter.handoff_route import Route
from kiosk.core.counter.policy import Blocked, RecordPlan, Showing, Transaction, Visit
from kiosk.core.counter.services import ServiceChoice
from kiosk.core.runtime_messages import ShownScan
from kiosk.ui import texts
from kiosk.ui.widgets.style import MIN_TEXT_PX, TOUCH_PX, font, scale


def local_date(iso: str) -> str:
    """A date as people here write it: 17/05/1990, 05/1990 or 1990 (partly known dates)."""
    parts = iso.split("-")
    return "/".join(reversed(parts)) if all(p.isdigit() for p in parts) else iso


class CounterPanel(QWidget):
    record_requested = Signal(str, str, str)  # scan event id, service, reference
    handed_off = Signal(object)  # Handoff, for the file drop / loopback server
    service_changed = Signal(str)

    def __init__(
        self,
        choice: ServiceChoice,
        parent: QWidget | None = None,
        *,
        allow_unverified: bool = False,
        route: Route = Route.CLIPBOARD,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("counter_panel")
        self.allow_unverified = allow_unverified
        self.route = route
        self.visit = Visit()
        self.pending: Transaction | None = None  # asked of the journal, not yet answered
        self.revealed = False
        layout = QVBoxLayout(self)
        self.service_label = QLabel(self)
        self.service = QComboBox(self)
        self.service.setObjectName("service_picker")
        self.service.setMinimumHeight(TOUCH_PX)
        self.service.setFont(font(22))
        self.service.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        if choice.preselected is None:
            self.service.addItem("", None)  # "choose a service": worded in retranslate
        for code in choice.services:
            self.service.addItem(texts.service(code), code)
        if choice.preselected is not None:
            self.service.setCurrentIndex(self.service.findData(choice.preselected))
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
        self.record_button = QPushButton(self)
        self.record_button.setObjectName("record")
        self.copy_text = QPushButton(self)
        self.copy_text.setObjectName("copy_text")
        for b in (self.record_button, self.copy_text):
            b.setMinimumHeight(TOUCH_PX)
            b.setFont(font(20, bold=True))
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.record_button.clicked.connect(self._record)
        self.copy_text.clicked.connect(self._copy_text)
        layout.addWidget(self.record_button)
        row = QHBoxLayout()
        row.addWidget(self.copy_text)
        layout.addLayout(row)
        self.feedback = QLabel(self)
        self.feedback.setObjectName("feedback")
        self.feedback.setFont(font(18))
        self.feedback.setWordWrap(True)
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

    # --- what the clerk chose ---

    def selected_service(self) -> str | None:
        code = self.service.currentData()
        return str(code) if code is not None else None

    def _service_changed(self) -> None:
        self.service_changed.emit(self.selected_service() or "")
        self.refresh()

    def plan(self) -> RecordPlan:
        return self.visit.plan(self.selected_service(), self.allow_unverified)

    # --- scans ---

    def show_scan(self, shown: ShownScan) -> None:
        before = self.visit
        self.visit = before.add(shown, shown.recorded_monotonic)
        if self.visit.number != before.number:  # the next citizen: nothing of the last one stays
            self.reference.clear()
            self.feedback.setText("")
            self.show_id.setChecked(False)
        self.refresh()

    def _reveal(self, on: bool) -> None:
        self.revealed = on
        self.refresh()

    def refresh(self) -> None:
        visit = self.visit
        who = visit.person
        subject = who.event.verdict.subject if who is not None else None
        showing = visit.showing
        if showing is Showing.WAITING:
            status = self.tr("Waiting for a scan")
        elif showing is Showing.REJECTED:
            assert visit.rejected is not None
            status = texts.headline_for_reject(visit.rejected.event.verdict.reason)
        elif showing is Showing.VERIFIED:
            status = self.tr("Verified (Công dân số)")
        else:
            status = self.tr("Read from an ID card — not verified")
        self.values["status"].setText(status)
        self.values["name"].setText(subject.name if subject else "")
        if subject is None:
            id_text = ""
        else:
            id_text = subject.id_number if self.revealed else subject.id_masked
        self.values["id"].setText(id_text)
        self.values["dob"].setText(local_date(subject.dob) if subject else "")
        usable = subject is not None
        self.show_id.setEnabled(usable)
        self.show_id.setText(
            self.tr("Hide the ID number") if self.revealed else self.tr("Show full ID number")
        )
        self.copy_text.setEnabled(usable and visit.can_hand_off)
        self._match()
        plan = self.plan()
        self.record_button.setText(self._record_words(plan))
        self.record_button.setEnabled(plan.blocked is None and self.pending is None)

    def _match(self) -> None:
        match = self.visit.shown_match
        if match is None:
            self.match_label.setText("")
            self.match_label.setStyleSheet("")
        elif match.same:
            self.match_label.setText(self.tr("✓ ID card and credential: same person"))
            self.match_label.setStyleSheet("color: #146c2e;")
        else:
            differ = [
                name
                for name, ok in (
                    (self.tr("name"), match.name),
                    (self.tr("ID number", "in a list of what differs"), match.id_number),
                    (self.tr("date of birth"), match.dob),
                )
                if not ok
            ]
            self.match_label.setText(
                self.tr("✕ NOT the same person: {0} differ").format(", ".join(differ))
            )
            self.match_label.setStyleSheet("color: #b3261e;")

    def _record_words(self, plan: RecordPlan) -> str:
        """The button says what it will record, or why it cannot."""
        if self.pending is not None:
            return self.tr("Recording…")
        if plan.blocked is Blocked.NOTHING:
            return self.tr("Record")
        if plan.blocked is Blocked.NEEDS_CREDENTIAL:
            return self.tr("Scan the Công dân số code to record")
        if plan.blocked is Blocked.NOT_SAME_PERSON:
            return self.tr("Not the same person: cannot record")
        if plan.blocked is Blocked.NO_SERVICE:
            return self.tr("Choose the service to record")
        if plan.blocked is Blocked.RECORDED:
            return self.tr("Recorded")
        assert plan.scan is not None and plan.scan.event.verdict.subject is not None
        service = texts.service(self.selected_service() or "")
        name = plan.scan.event.verdict.subject.name
        if plan.verified:
            return self.tr("Record {0} for {1}").format(service, name)
        return self.tr("Record {0} for {1} (NOT verified)").format(service, name)

    # --- hand-off ---

    def handoff(self) -> Handoff | None:
        return self.visit.handoff(
            self.selected_service(), self.reference.text().strip(), time.time()
        )

    def _copy_text(self) -> None:
        h = self.handoff()
        if h is None:
            return
        QGuiApplication.clipboard().setText(handoff_text(h))
        words = {
            Route.CLIPBOARD: self.tr("Copied"),
            Route.FILE: self.tr("Copied, and sent to the counter's software"),
            Route.HTTP: self.tr("Copied, and sent to the counter's software"),
            Route.UNAVAILABLE: self.tr("Copied (the counter's software link is not set up)"),
        }
        self.feedback.setText(words[self.route])
        self.handed_off.emit(h)

    # --- recording ---

    def _record(self) -> None:
        asked = self.visit.transaction(
            self.selected_service(), self.reference.text().strip(), self.allow_unverified
        )
        if asked is None:
            return
        self.pending = asked
        self.refresh()  # one transaction per visit: the button waits for the journal
        self.record_requested.emit(asked.event_id, asked.service, asked.reference)

    def transaction_done(self, ok: bool, detail: str) -> None:
        pending, self.pending = self.pending, None
        if pending is None:
            return
        if ok:
            before, self.visit = self.visit, self.visit.answered(pending, ok)
            if self.visit.recorded and not before.recorded:  # this visit's, now in the journal
                self.reference.clear()
            words = self.tr("Recorded: {0}").format(texts.service(pending.service))
            if pending.reference:
                words += " · " + self.tr("reference {0}").format(pending.reference)
            if detail == "reference_not_kept":
                words += "\n" + self.tr(
                    "The reference is not kept: this kiosk is not enrolled with the portal yet"
                )
            self.feedback.setText(words)
        elif detail == "storage":
            self.feedback.setText(self.tr("Not recorded: the journal cannot write now"))
        else:
            self.feedback.setText(
                self.tr("Not recorded: the journal refused it (the technician's journal says why)")
            )
        self.refresh()

    def retranslate(self) -> None:
        self.service_label.setText(self.tr("Service"))
        for i in range(self.service.count()):
            code = self.service.itemData(i)
            words = texts.service(str(code)) if code is not None else self.tr("— choose —")
            self.service.setItemText(i, words)
        self.field_labels["status"].setText(self.tr("Status"))
        self.field_labels["name"].setText(self.tr("Full name"))
        self.field_labels["id"].setText(self.tr("ID number"))
        self.field_labels["dob"].setText(self.tr("Date of birth"))
        self.reference_label.setText(self.tr("Reference number (optional)"))
        self.copy_text.setText(self.tr("Copy the details"))
        self.refresh()

    # The clerk's panel in its base sizes (px at 1280x800, bold); _fit scales them to the screen.
    def _base_sizes(self) -> list[tuple[QWidget, int, bool]]:
        sized: list[tuple[QWidget, int, bool]] = [
            (self.service_label, 18, False), (self.service, 22, False),
            (self.show_id, 20, True), (self.match_label, 22, True),
            (self.reference_label, 18, False), (self.reference, 22, False),
            (self.record_button, 20, True), (self.copy_text, 20, True),
            (self.feedback, 18, False),
        ]  # fmt: skip
        for key in ("status", "name", "id", "dob"):
            sized.append((self.field_labels[key], 18, False))
            sized.append((self.values[key], 28 if key == "name" else 22, key in ("name", "status")))
        return sized

    def _fit(self) -> None:
        """Type and touch targets follow the screen, as everywhere else (0.75 at 1024x600)."""
        k = scale(self)
        for widget, px, bold in self._base_sizes():
            widget.setFont(font(max(MIN_TEXT_PX, round(px * k)), bold=bold))
        touch = round(TOUCH_PX * max(0.75, min(k, 1.5)))
        for widget in (self.service, self.show_id, self.reference, self.record_button,
                       self.copy_text):  # fmt: skip
            widget.setMinimumHeight(touch)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def handoff_text(h: Handoff) -> str:
    """The hand-off as a clerk pastes it: labelled lines in the screen's language, the service
    named as the screen names it, and an unsigned card marked as not verified."""

    # QCoreApplication.translate spelled out each time, so lupdate files every string under
    # its context.
    p = h.payload
    lines = [
        p["name"],
        QCoreApplication.translate("CounterPanel", "ID number") + ": " + p["id_number"],
        QCoreApplication.translate("CounterPanel", "Date of birth") + ": " + local_date(p["dob"]),
    ]
    if p.get("service"):
        lines.append(
            QCoreApplication.translate("CounterPanel", "Service")
            + ": "
            + texts.service(p["service"])
        )
    if p.get("reference"):
        lines.append(
            QCoreApplication.translate("CounterPanel", "Reference number") + ": " + p["reference"]
        )
    if p["verified"]:
        lines.append(QCoreApplication.translate("CounterPanel", "Verified (Công dân số)"))
    else:
        lines.append(
            QCoreApplication.translate(
                "CounterPanel", "NOT VERIFIED: read from an unsigned ID card"
            )
        )
    return "\n".join(lines)
