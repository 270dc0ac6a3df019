"""The status line: kiosk and mode, direction or service, camera, trust list age, sync, clock."""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from kiosk.core.runtime_messages import StatusSnapshot
from kiosk.ui import texts
from kiosk.ui.widgets.style import LEVEL_COLOUR, TOUCH_PX, font


def age_words(seconds: float) -> str:
    if seconds < 90:
        return QCoreApplication.translate("StatusLine", "just now")
    if seconds < 5400:
        return QCoreApplication.translate("StatusLine", "{0} min ago").format(round(seconds / 60))
    if seconds < 2 * 86400:
        return QCoreApplication.translate("StatusLine", "{0} h ago").format(round(seconds / 3600))
    return QCoreApplication.translate("StatusLine", "{0} days ago").format(round(seconds / 86400))


class StatusLine(QWidget):
    technician_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("status_line")
        self.snapshot: StatusSnapshot | None = None
        self.service: str | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 4)
        layout.setSpacing(14)
        self.labels: dict[str, QLabel] = {}
        for name in ("kiosk", "place", "camera", "trust", "sync", "clock"):
            label = QLabel(self)
            label.setObjectName(f"status_{name}")
            label.setFont(font(17, bold=name in ("kiosk", "place")))
            self.labels[name] = label
            layout.addWidget(label)
            if name == "sync":
                layout.addStretch(1)
        self.gear = QPushButton("⚙", self)
        self.gear.setObjectName("technician_button")
        self.gear.setFixedSize(TOUCH_PX, TOUCH_PX)
        self.gear.setFont(font(28))
        self.gear.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.gear.clicked.connect(self.technician_requested)
        layout.addWidget(self.gear)
        self.setStyleSheet(
            "QWidget#status_line { background: #1d2530; } QLabel { color: #e8eef5; }"
        )
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.refresh()

    def update_status(self, snapshot: StatusSnapshot) -> None:
        self.snapshot = snapshot
        self.refresh()

    def set_service(self, service: str | None) -> None:
        self.service = service
        self.refresh()

    def _set(self, name: str, text: str, level: str | None = None) -> None:
        label = self.labels[name]
        label.setText(text)
        colour = LEVEL_COLOUR.get(level or "", "")
        label.setStyleSheet(
            f"background: {colour}; color: white; padding: 2px 8px; border-radius: 6px;"
            if colour
            else ""
        )

    def refresh(self) -> None:
        self._set("clock", time.strftime("%H:%M"))
        s = self.snapshot
        if s is None:
            self._set("kiosk", self.tr("Starting…"))
            for name in ("place", "camera", "trust", "sync"):
                self._set(name, "")
            return
        mode = self.tr("Gate") if s.mode == "gate" else self.tr("Counter")
        self._set("kiosk", f"{s.kiosk_name} · {mode}")
        if s.mode == "gate":
            self._set("place", "→ " + texts.direction(s.gate.direction))
        else:
            self._set("place", "→ " + texts.service(self.service) if self.service else "")
        if s.source.demo:
            camera = (
                self.tr("DEMO (no camera)")
                if s.source.demo_reason == "no_camera"
                else self.tr("DEMO")
            )
            self._set("camera", camera, "warn")
        else:
            state = s.source.state
            words = texts.source_state(s.source.kind, state)
            self._set("camera", words, None if state == "live" else "bad")
        self._trust(s)
        self._sync(s)

    def _trust(self, s: StatusSnapshot) -> None:
        t = s.trust
        if t.level == "none" or t.issued_at is None:
            self._set("trust", self.tr("No trust list"), "bad")
            return
        words = self.tr("List {0}").format(age_words(s.wall_time - t.issued_at))
        level = {"ok": None, "stale": "warn", "expired": "bad"}[t.level]
        self._set("trust", words, level)

    def _sync(self, s: StatusSnapshot) -> None:
        backlog = s.backlog
        pending = self.tr(" · {0} waiting").format(backlog) if backlog else ""
        # The core warns before the journal's disk is full (storage_space "low").
        if s.storage_space in ("low", "full"):
            pending += self.tr(" · Disk nearly full")
        if s.sync_state == "ok" and s.last_sync is not None:
            words = self.tr("Synced {0}").format(age_words(s.wall_time - s.last_sync)) + pending
            self._set("sync", words, "warn" if s.storage_space in ("low", "full") else None)
        elif s.sync_state in ("failing", "error"):
            self._set("sync", self.tr("Offline") + pending, "warn")
        else:
            self._set("sync", self.tr("Not synced") + pending, "muted")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.refresh()
        super().changeEvent(event)
