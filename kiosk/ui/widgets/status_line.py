"""The status line: kiosk and mode, direction or service, camera, trust list age, sync, the site
(lanes online, people inside) when a lane of one, clock."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFontMetricsF, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from kiosk.core.runtime_messages import StatusSnapshot
from kiosk.ui import texts
from kiosk.ui.widgets.style import INK, LEVEL_COLOUR, MIN_TEXT_PX, TOUCH_PX, font, scale


class StatusLine(QWidget):
    technician_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("status_line")
        self.snapshot: StatusSnapshot | None = None
        self.service: str | None = None
        layout = self.row = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 4)
        layout.setSpacing(14)
        self.labels: dict[str, QLabel] = {}
        for name in ("kiosk", "place", "camera", "trust", "sync", "site", "clock"):
            label = QLabel(self)
            label.setObjectName(f"status_{name}")
            label.setMinimumWidth(1)  # the line fits its words to the window, never the reverse
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            self.labels[name] = label
            layout.addWidget(label)
            if name == "site":
                layout.addStretch(1)
        self.gear = QPushButton("⚙", self)
        self.gear.setObjectName("technician_button")
        self.gear.setFixedSize(TOUCH_PX, TOUCH_PX)
        self.gear.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.gear.clicked.connect(self.technician_requested)
        layout.addWidget(self.gear)
        self.setStyleSheet(
            f"QWidget#status_line {{ background: #1d2530; }} QLabel {{ color: {INK}; }}"
        )
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.full_texts: dict[str, str] = {}
        self._colours: dict[str, str] = {}
        self._fitted_for: tuple[object, ...] | None = None  # what the sizes were fitted to
        self.refresh()

    def update_status(self, snapshot: StatusSnapshot) -> None:
        self.snapshot = snapshot
        self.refresh()

    def set_service(self, service: str | None) -> None:
        self.service = service
        self.refresh()

    def _set(self, name: str, text: str, level: str | None = None) -> None:
        colour = LEVEL_COLOUR.get(level or "", "")
        if self.full_texts.get(name) == text and self._colours.get(name) == colour:
            return  # as shown (a shortened name stays shortened until the words change)
        label = self.labels[name]
        self.full_texts[name], self._colours[name] = text, colour
        label.setText(text)
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
            for name in ("place", "camera", "trust", "sync", "site"):
                self._set(name, "")
            self._fit()
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
        self._site(s)
        self._fit()

    def _fit(self) -> None:
        """One size for the whole line, the largest at which every item fits the window's width;
        at the smallest size the kiosk's name (the least needed) is shortened, never the rest.
        Only when the words, their colours, the width or the window's scale changed: the
        line is refreshed twice a second and mostly says the same."""
        k = scale(self)
        fitted_for = (tuple(self.full_texts.items()), tuple(self._colours.items()),
                      self.width(), k, self.isVisible())  # fmt: skip
        if fitted_for == self._fitted_for:
            return
        self._fitted_for = fitted_for
        gear = round(TOUCH_PX * max(1.0, k))
        self.gear.setFixedSize(gear, gear)
        self.gear.setFont(font(round(gear * 0.5)))
        layout = self.row
        margins = layout.contentsMargins()
        shown = [n for n, label in self.labels.items() if self.full_texts.get(n)]
        room = (
            self.width() - margins.left() - margins.right() - gear
            - layout.spacing() * (len(shown) + 1)
        )  # fmt: skip

        def need(px: int, name: str) -> float:
            text = self.full_texts.get(name, "")
            if not text:
                return 0.0
            pad = 18 if self.labels[name].styleSheet() else 2
            bold = name in ("kiosk", "place")
            return QFontMetricsF(font(px, bold)).horizontalAdvance(text) + pad

        px = max(MIN_TEXT_PX + 2, round(19 * k))
        while px > MIN_TEXT_PX and sum(need(px, n) for n in shown) > room:
            px -= 1
        for name, label in self.labels.items():
            label.setFont(font(px, bold=name in ("kiosk", "place")))
        name_text = self.full_texts.get("kiosk", "")
        spare = room - sum(need(px, n) for n in shown if n != "kiosk") - 2
        metrics = QFontMetricsF(font(px, True))
        if self.isVisible() and name_text and metrics.horizontalAdvance(name_text) > spare:
            short = metrics.elidedText(name_text, Qt.TextElideMode.ElideMiddle, max(0.0, spare))
            self.labels["kiosk"].setText(short)
            self.labels["kiosk"].setToolTip(name_text)
        else:
            self.labels["kiosk"].setText(name_text)  # shortened at an earlier fit, maybe
            self.labels["kiosk"].setToolTip("")
        self.setMinimumHeight(gear + margins.top() + margins.bottom())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _trust(self, s: StatusSnapshot) -> None:
        """What a guard needs: are the lists good enough (the policy's level, not the list's
        issue date, which is weeks old on a healthy kiosk). Colour only when they are not."""
        level = s.trust.level
        if level == "none" or s.trust.issued_at is None:
            self._set("trust", self.tr("No trust list"), "bad")
        elif level == "stale":
            self._set("trust", self.tr("Lists out of date: sync needed"), "warn")
        elif level == "expired":
            self._set("trust", self.tr("Lists expired: sync needed"), "bad")
        else:
            self._set("trust", self.tr("Lists up to date"))

    def _sync(self, s: StatusSnapshot) -> None:
        backlog = s.backlog
        pending = self.tr(" · {0} waiting").format(backlog) if backlog else ""
        # The core warns before the journal's disk is full (storage_space "low").
        low_space = s.storage_space in ("low", "full")
        if low_space:
            pending += self.tr(" · Disk nearly full")
        last = (
            self.tr("Last sync {0}").format(texts.ago(s.wall_time - s.last_sync))
            if s.last_sync is not None
            else ""
        )
        if s.sync_state == "ok" and last:
            self._set("sync", last + pending, "warn" if low_space else None)
        elif s.sync_state in ("failing", "error"):
            # Offline is no alarm by itself: the lists' own state above says when it matters.
            self._set(
                "sync",
                " · ".join(filter(None, (self.tr("Offline"), last))) + pending,
                "warn" if low_space else "muted",
            )
        else:
            self._set("sync", self.tr("Not synced") + pending, "warn" if low_space else "muted")

    def _site(self, s: StatusSnapshot) -> None:
        site = s.site
        if site is None:
            self._set("site", "")  # a lane alone: nothing to say
        elif site.state == "online":
            words = self.tr("Site: {0}/{1} lanes · {2} inside")
            self._set("site", words.format(site.lanes_online, site.lanes, site.occupancy))
        elif site.state == "offline":
            self._set("site", self.tr("Site bus down · deciding alone"), "warn")
        else:
            self._set("site", self.tr("Not a lane of the site"), "bad")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.refresh()
        super().changeEvent(event)
