"""The camera page: pick a camera, see it live, and a decode-rate meter from the pipeline."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.core.camera_list import CameraChoice, list_cameras
from kiosk.core.runtime_messages import StatusSnapshot
from kiosk.ui import texts
from kiosk.ui.widgets.style import TOUCH_PX, font


class CameraPage(QWidget):
    save_requested = Signal(object)  # {"scan.source": SPEC}

    def __init__(
        self,
        parent: QWidget | None = None,
        lister: Callable[[], list[CameraChoice]] = list_cameras,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("camera_page")
        self.lister = lister
        self._last: tuple[float, int, int, int] | None = None  # time, frames in, decoded, events
        self.rates = (0.0, 0.0, 0)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.cameras = QComboBox(self)
        self.cameras.setObjectName("camera_choice")
        self.cameras.setMinimumHeight(TOUCH_PX)
        self.cameras.setFont(font(18))
        self.use = QPushButton(self)
        self.use.setObjectName("camera_use")
        self.use.setMinimumHeight(TOUCH_PX)
        self.use.setFont(font(18, bold=True))
        self.use.clicked.connect(self._use)
        self.rescan = QPushButton(self)
        self.rescan.setMinimumHeight(TOUCH_PX)
        self.rescan.clicked.connect(self.refresh_cameras)
        row.addWidget(self.cameras, 1)
        row.addWidget(self.rescan)
        row.addWidget(self.use)
        layout.addLayout(row)
        self.none_found = QLabel(self)
        self.none_found.setObjectName("no_camera")
        self.none_found.setFont(font(18, bold=True))
        self.none_found.setWordWrap(True)
        layout.addWidget(self.none_found)
        self.current = QLabel(self)
        self.current.setFont(font(16))
        self.current.setWordWrap(True)
        self.current.setMinimumWidth(1)
        layout.addWidget(self.current)
        self.meter = QLabel(self)
        self.meter.setObjectName("decode_meter")
        self.meter.setFont(font(22, bold=True))
        self.meter.setWordWrap(True)
        self.meter.setMinimumWidth(1)
        layout.addWidget(self.meter)
        self.picture = QLabel(self)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumHeight(120)
        self.picture.setMinimumWidth(1)
        self.picture.setStyleSheet("background: #10151c;")
        layout.addWidget(self.picture, 1)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.refresh_cameras()
        self.retranslate()

    def refresh_cameras(self) -> None:
        self.cameras.clear()
        for choice in self.lister():
            self.cameras.addItem(choice.label, choice.spec)
        found = self.cameras.count() > 0
        self.use.setEnabled(found)
        self.cameras.setEnabled(found)
        self.none_found.setVisible(not found)

    def _use(self) -> None:
        spec = self.cameras.currentData()
        if spec:
            self.save_requested.emit({"scan.source": str(spec)})

    def set_frame(self, image: QImage) -> None:
        if self.isVisible():
            self.picture.setPixmap(
                QPixmap.fromImage(image).scaled(
                    self.picture.size(), Qt.AspectRatioMode.KeepAspectRatio
                )
            )

    def update_status(self, s: StatusSnapshot) -> None:
        now = time.monotonic()
        if self._last is not None and now - self._last[0] > 0.2:
            dt = now - self._last[0]
            self.rates = (
                (s.frames_in - self._last[1]) / dt,
                (s.frames_decoded - self._last[2]) / dt,
                s.events,
            )
        self._last = (now, s.frames_in, s.frames_decoded, s.events)
        source = self.tr("built-in demo codes") if s.source.demo else s.source.source
        state = texts.source_state(s.source.kind, s.source.state)
        self.current.setText(self.tr("Now: {0} ({1})").format(source, state))
        self._meter()

    def _meter(self) -> None:
        frames, decoded, events = self.rates
        self.meter.setText(
            self.tr("{0:.0f} frames/s in · {1:.0f} decoded/s · {2} codes read").format(
                frames, decoded, events
            )
        )

    def retranslate(self) -> None:
        self.use.setText(self.tr("Use this camera"))
        self.rescan.setText(self.tr("Look again"))
        self.note.setText(self.tr("A new camera is used from the next start of the kiosk."))
        self.none_found.setText(
            self.tr("No camera found on this machine: plug one in, then press “Look again”.")
        )
        self._meter()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
