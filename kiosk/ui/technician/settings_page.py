"""Settings, edited as declared in kiosk.core.config: each checked before saving, then journaled."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.config import BY_KEY, Config, Setting
from kiosk.core.counter.services import SERVICES_BY_KIND
from kiosk.core.settings_in_force import waiting_for_restart
from kiosk.ui.technician import setting_words as words
from kiosk.ui.widgets.style import TOUCH_PX, font
from verifier import anchor_fingerprint, anchor_from_hex

# What a technician may change on the device, in the order shown.
EDITABLE = (
    "kiosk.name",
    "kiosk.site",
    "kiosk.mode",
    "kiosk.language",
    "journal.gate_direction",
    "journal.services",
    "scan.source",
    "ui.fullscreen",
    "ui.show_preview",
    "ui.verdict_seconds",
    "ui.sounds",
    "ui.unverified_id_card",
    "verify.on_stale_trust_list",
    "verify.stale_grace_s",
    "journal.antipassback",
    "journal.retention_days",
    "portal.url",
    "portal.tls_mode",
    "trust.anchor",
    "camera.width",
    "camera.height",
    "camera.autofocus",
    "camera.focus",
    "camera.auto_exposure",
    "camera.exposure",
    "scanner.baudrate",
    "counter.kind",
    "counter.handoff",
    "counter.handoff_dir",
    "counter.handoff_port",
)


class _NumberBox(QDoubleSpinBox):
    """A number without trailing zeros ("2 days", "4.5 s")."""

    def textFromValue(self, value: float) -> str:
        return f"{value:.{self.decimals()}f}".rstrip("0").rstrip(".")


def _editor(setting: Setting, parent: QWidget) -> QWidget:
    w: QWidget
    if setting.type is bool:
        w = QCheckBox(parent)
    elif setting.choices:
        combo = QComboBox(parent)
        for c in setting.choices:
            combo.addItem(words.choice(setting.key, c), c)
        w = combo
    elif setting.key in words.IN_DAYS:
        days = _NumberBox(parent)
        days.setDecimals(2)
        days.setRange((setting.minimum or 0) / words.DAY_S, (setting.maximum or 1e9) / words.DAY_S)
        w = days
    elif setting.type is int:
        spin = QSpinBox(parent)
        spin.setRange(
            int(setting.minimum if setting.minimum is not None else -(2**31)),
            int(setting.maximum if setting.maximum is not None else 2**31 - 1),
        )
        w = spin
    elif setting.type is float:
        dspin = _NumberBox(parent)
        dspin.setDecimals(1)
        dspin.setRange(
            setting.minimum if setting.minimum is not None else -1e9,
            setting.maximum if setting.maximum is not None else 1e9,
        )
        w = dspin
    else:
        w = QLineEdit(parent)
    if isinstance(w, QSpinBox | QDoubleSpinBox):
        w.setSuffix(words.unit(setting.key))
        w.setSpecialValueText(words.unset_value(setting.key))
    w.setObjectName(f"setting:{setting.key}")
    w.setMinimumHeight(TOUCH_PX - 8)
    return w


def _value(w: QWidget, setting: Setting) -> Any:
    if isinstance(w, QCheckBox):
        return w.isChecked()
    if isinstance(w, QComboBox):
        return w.currentData()
    if setting.key in words.IN_DAYS and isinstance(w, QDoubleSpinBox):
        return round(w.value() * words.DAY_S)
    if isinstance(w, QSpinBox | QDoubleSpinBox):
        return w.value()
    assert isinstance(w, QLineEdit)
    text = w.text().strip()
    if setting.key == "journal.services":
        return words.services_codes(text, list(SERVICES_BY_KIND["general"]))
    if setting.type is list:
        return [part.strip() for part in text.split(",") if part.strip()]
    return text


def _set(w: QWidget, value: Any, key: str = "") -> None:
    if key in words.IN_DAYS and isinstance(w, QDoubleSpinBox):
        w.setValue(value / words.DAY_S)
    elif key == "journal.services" and isinstance(w, QLineEdit):
        w.setText(words.services_text(list(value)))
    elif isinstance(w, QCheckBox):
        w.setChecked(bool(value))
    elif isinstance(w, QComboBox):
        w.setCurrentIndex(max(0, w.findData(value)))
    elif isinstance(w, QSpinBox | QDoubleSpinBox):
        w.setValue(value)
    elif isinstance(w, QLineEdit):
        w.setText(", ".join(value) if isinstance(value, list) else str(value))


class SettingsPage(QWidget):
    save_requested = Signal(object)  # dict of key -> value

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settings_page")
        self.editors: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}
        self.config: Config | None = None
        layout = QVBoxLayout(self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        inner = QWidget(scroll)
        form = QFormLayout(inner)
        for key in EDITABLE:
            setting = BY_KEY.get(key)
            if setting is None:
                continue
            editor = _editor(setting, inner)
            editor.setFont(font(18))
            label = QLabel(inner)
            label.setFont(font(16))
            label.setWordWrap(True)
            form.addRow(label, editor)
            self.editors[key] = editor
            self.labels[key] = label
        self.fingerprint = QLabel(inner)
        self.fingerprint.setObjectName("anchor_fingerprint")
        form.addRow("", self.fingerprint)
        anchor = self.editors.get("trust.anchor")
        if isinstance(anchor, QLineEdit):
            anchor.textChanged.connect(self._show_fingerprint)
        scroll.setWidget(inner)
        layout.addWidget(scroll, 1)
        self.result = QLabel(self)
        self.result.setObjectName("settings_result")
        self.result.setFont(font(20, bold=True))
        self.result.setWordWrap(True)
        layout.addWidget(self.result)
        self.save = QPushButton(self)
        self.save.setObjectName("settings_save")
        self.save.setMinimumHeight(TOUCH_PX)
        self.save.setFont(font(22, bold=True))
        self.save.clicked.connect(self._save)
        layout.addWidget(self.save)
        self.retranslate()

    def load(self, config: Config) -> None:
        self.config = config
        for key, editor in self.editors.items():
            _set(editor, config.value_of(key), key)

    def edits(self) -> dict[str, Any]:
        return {k: _value(w, BY_KEY[k]) for k, w in self.editors.items()}

    def _save(self) -> None:
        self.result.setText(self.tr("Saving…"))
        self.save_requested.emit(self.edits())

    def show_saved(
        self,
        ok: bool,
        changed: tuple[str, ...],
        refusal: str = "",
        saved_in: str = "",
    ) -> None:
        """`refusal`: why nothing was saved, already worded (setting_words.refusal)."""
        if ok and changed:
            said = self.tr("Saved and journaled: {0}").format(
                ", ".join(words.label(k) for k in changed)
            )
            if saved_in:
                said += "\n" + self.tr("Written to {0}").format(saved_in)
            if waiting_for_restart(changed):
                said += "\n" + self.tr("Some changes take effect at the next start.")
            self.result.setText(said)
            self.result.setStyleSheet("color: #146c2e;")
        elif ok:
            self.result.setText(self.tr("Nothing changed"))
            self.result.setStyleSheet("")
        else:
            self.result.setText(self.tr("Not saved: {0}").format(refusal))
            self.result.setStyleSheet("color: #b3261e;")

    def _show_fingerprint(self, text: str) -> None:
        try:
            fp = anchor_fingerprint(anchor_from_hex(text)) if text.strip() else ""
        except ValueError:
            fp = self.tr("not a valid key")
        self.fingerprint.setText(self.tr("Fingerprint: {0}").format(fp) if fp else "")

    def retranslate(self) -> None:
        self.save.setText(self.tr("Save settings"))
        for key, label in self.labels.items():
            label.setText(words.label(key))
            editor = self.editors[key]
            if isinstance(editor, QComboBox):
                for i in range(editor.count()):
                    editor.setItemText(i, words.choice(key, editor.itemData(i)))
            elif isinstance(editor, QSpinBox | QDoubleSpinBox):
                editor.setSuffix(words.unit(key))
                editor.setSpecialValueText(words.unset_value(key))
        if self.config is not None:
            services = self.editors.get("journal.services")
            if services is not None:
                _set(services, self.config.journal.services, "journal.services")
        if isinstance(services := self.editors.get("journal.services"), QLineEdit):
            services.setPlaceholderText(words.services_placeholder())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
