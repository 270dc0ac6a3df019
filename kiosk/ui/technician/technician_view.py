"""The technician's pages behind the PIN: settings, self-test, journal; lock to leave."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from kiosk.ui.technician.camera_page import CameraPage
from kiosk.ui.technician.journal_page import JournalPage
from kiosk.ui.technician.selftest_page import SelfTestPage
from kiosk.ui.technician.settings_page import SettingsPage
from kiosk.ui.widgets.style import TOUCH_PX, font, page_sheet


class TechnicianView(QWidget):
    lock_requested = Signal()
    quit_requested = Signal()
    restart_requested = Signal()

    def __init__(self, export_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("technician_view")
        self.setStyleSheet(page_sheet("technician_view"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        self.tabs.setFont(font(18))
        self.settings = SettingsPage(self)
        self.selftest = SelfTestPage(self)
        self.journal = JournalPage(export_dir, self)
        self.camera = CameraPage(self)
        self.tabs.addTab(self.settings, "")
        self.tabs.addTab(self.selftest, "")
        self.tabs.addTab(self.journal, "")
        self.tabs.addTab(self.camera, "")
        self.tabs.currentChanged.connect(self.tab_opened)
        layout.addWidget(self.tabs, 1)
        self.restart = QPushButton(self)
        self.restart.setObjectName("technician_restart")
        self.restart.setMinimumHeight(TOUCH_PX)
        self.restart.setFont(font(20, bold=True))
        self.restart.setStyleSheet("background: #8a5a00; color: white; border-radius: 8px;")
        self.restart.clicked.connect(self.restart_requested)
        self.restart.hide()  # offered once a saved change needs a restart
        layout.addWidget(self.restart)
        row = QHBoxLayout()
        self.lock = QPushButton(self)
        self.lock.setObjectName("technician_lock")
        self.quit = QPushButton(self)
        self.quit.setObjectName("technician_quit")
        for b in (self.lock, self.quit):
            b.setMinimumHeight(TOUCH_PX)
            b.setFont(font(20, bold=True))
            row.addWidget(b)
        self.lock.clicked.connect(self.lock_requested)
        self.quit.clicked.connect(self.quit_requested)
        layout.addLayout(row)
        self.retranslate()

    def offer_restart(self, keys: list[str]) -> None:
        """Saved changes that apply only at the next start (the mode, the source): say so, and
        offer the restart here rather than leave the kiosk half in the old setting."""
        self.restart.setVisible(bool(keys))

    def tab_opened(self) -> None:
        """A page fills itself when it comes into view, with no button to press first."""
        page = self.tabs.currentWidget()
        if page is self.journal:
            self.journal.opened()
        elif page is self.selftest:
            self.selftest.opened()
        elif page is self.camera:
            self.camera.refresh_cameras()

    def retranslate(self) -> None:
        self.tabs.setTabText(0, self.tr("Settings"))
        self.tabs.setTabText(1, self.tr("Self-test"))
        self.tabs.setTabText(2, self.tr("Journal"))
        self.tabs.setTabText(3, self.tr("Camera"))
        self.lock.setText(self.tr("Lock and return to scanning"))
        self.quit.setText(self.tr("Close the kiosk app"))
        self.restart.setText(self.tr("Restart the kiosk app now to apply the saved changes"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
