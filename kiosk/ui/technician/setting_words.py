"""How the settings page words each setting: a label, its choices, its unit (context
"SettingWords"). The keys and stored values stay as kiosk.core.config declares them; only
what the technician reads is here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication

from kiosk.ui import texts

DAY_S = 86400


def label(key: str) -> str:
    words = {
        "kiosk.name": QCoreApplication.translate("SettingWords", "Kiosk name"),
        "kiosk.site": QCoreApplication.translate("SettingWords", "Site code"),
        "kiosk.mode": QCoreApplication.translate("SettingWords", "Kiosk type"),
        "kiosk.language": QCoreApplication.translate("SettingWords", "Screen language"),
        "journal.gate_direction": QCoreApplication.translate(
            "SettingWords", "Gate direction at start"
        ),
        "journal.services": QCoreApplication.translate("SettingWords", "Counter services"),
        "scan.source": QCoreApplication.translate("SettingWords", "Code source"),
        "ui.fullscreen": QCoreApplication.translate("SettingWords", "Full screen"),
        "ui.show_preview": QCoreApplication.translate("SettingWords", "Show the camera picture"),
        "ui.verdict_seconds": QCoreApplication.translate("SettingWords", "Verdict shown for"),
        "ui.sounds": QCoreApplication.translate("SettingWords", "Sounds"),
        "ui.unverified_id_card": QCoreApplication.translate(
            "SettingWords", "Unsigned ID card at a gate"
        ),
        "verify.on_stale_trust_list": QCoreApplication.translate(
            "SettingWords", "Out-of-date trust list"
        ),
        "verify.stale_grace_s": QCoreApplication.translate(
            "SettingWords", "Grace after the list's next update"
        ),
        "journal.antipassback": QCoreApplication.translate(
            "SettingWords", "Entering twice without leaving"
        ),
        "journal.retention_days": QCoreApplication.translate(
            "SettingWords", "Keep personal data for"
        ),
        "portal.url": QCoreApplication.translate("SettingWords", "Portal address"),
        "portal.tls_mode": QCoreApplication.translate("SettingWords", "Portal certificate check"),
        "trust.anchor": QCoreApplication.translate("SettingWords", "Trust anchor key"),
        "camera.width": QCoreApplication.translate("SettingWords", "Camera picture width"),
        "camera.height": QCoreApplication.translate("SettingWords", "Camera picture height"),
        "camera.autofocus": QCoreApplication.translate("SettingWords", "Camera focuses itself"),
        "camera.focus": QCoreApplication.translate("SettingWords", "Manual focus"),
        "camera.auto_exposure": QCoreApplication.translate(
            "SettingWords", "Camera sets its exposure"
        ),
        "camera.exposure": QCoreApplication.translate("SettingWords", "Manual exposure"),
        "scanner.baudrate": QCoreApplication.translate("SettingWords", "Scanner serial speed"),
        "counter.handoff": QCoreApplication.translate(
            "SettingWords", "Hand-off to the counter's software"
        ),
        "counter.handoff_dir": QCoreApplication.translate("SettingWords", "Hand-off folder"),
        "counter.handoff_port": QCoreApplication.translate(
            "SettingWords", "Hand-off port (this computer only)"
        ),
    }
    return words.get(key, key)


def choice(key: str, value: Any) -> str:
    """The words for one of a setting's declared choices."""
    if key == "journal.gate_direction":
        return texts.direction(str(value))
    words = {
        ("kiosk.mode", "gate"): QCoreApplication.translate("SettingWords", "Gate (entry and exit)"),
        ("kiosk.mode", "counter"): QCoreApplication.translate("SettingWords", "Service counter"),
        ("kiosk.language", "vi"): QCoreApplication.translate("SettingWords", "Vietnamese"),
        ("kiosk.language", "en"): QCoreApplication.translate("SettingWords", "English"),
        ("ui.unverified_id_card", "refuse"): QCoreApplication.translate(
            "SettingWords", "Amber, do not let through"
        ),
        ("ui.unverified_id_card", "admit"): QCoreApplication.translate(
            "SettingWords", "Amber, let through"
        ),
        ("verify.on_stale_trust_list", "accept"): QCoreApplication.translate(
            "SettingWords", "Accept and warn"
        ),
        ("verify.on_stale_trust_list", "reject"): QCoreApplication.translate(
            "SettingWords", "Refuse every code"
        ),
        ("journal.antipassback", "off"): QCoreApplication.translate("SettingWords", "Allow"),
        ("journal.antipassback", "warn"): QCoreApplication.translate(
            "SettingWords", "Warn the guard"
        ),
        ("journal.antipassback", "deny"): QCoreApplication.translate("SettingWords", "Refuse"),
        ("portal.tls_mode", "system"): QCoreApplication.translate(
            "SettingWords", "The system's certificates"
        ),
        ("portal.tls_mode", "bundle"): QCoreApplication.translate(
            "SettingWords", "A certificate bundle file"
        ),
        ("portal.tls_mode", "pinned"): QCoreApplication.translate(
            "SettingWords", "One pinned certificate"
        ),
        ("counter.handoff", "off"): QCoreApplication.translate("SettingWords", "Off"),
        ("counter.handoff", "file"): QCoreApplication.translate(
            "SettingWords", "A file in a folder"
        ),
        ("counter.handoff", "http"): QCoreApplication.translate(
            "SettingWords", "Local web address"
        ),
    }
    return words.get((key, value), str(value))


def unit(key: str) -> str:
    """The unit after a number, with its leading space ("" for none)."""
    words = {
        "ui.verdict_seconds": QCoreApplication.translate("SettingWords", " s"),
        "verify.stale_grace_s": QCoreApplication.translate("SettingWords", " days"),
        "journal.retention_days": QCoreApplication.translate("SettingWords", " days"),
        "camera.width": QCoreApplication.translate("SettingWords", " px"),
        "camera.height": QCoreApplication.translate("SettingWords", " px"),
        "scanner.baudrate": QCoreApplication.translate("SettingWords", " baud"),
    }
    return words.get(key, "")


# Settings stored in seconds and edited in days (a grace of 172800 s reads "2 days").
IN_DAYS = frozenset({"verify.stale_grace_s"})


def unset_value(key: str) -> str:
    """Shown at a number's lowest value when that value means "leave it to the camera"."""
    if key in ("camera.focus", "camera.exposure"):
        return QCoreApplication.translate("SettingWords", "Camera decides")
    return ""


def services_text(codes: list[str]) -> str:
    """The service list as the clerk reads it: known services by name, others by their code."""
    return ", ".join(texts.service(c) for c in codes)


def services_placeholder() -> str:
    """What an empty service list means (`journal.services` = []): the counter kind's own."""
    return QCoreApplication.translate("SettingWords", "Empty: the services of the counter's kind")


def services_codes(text: str, known: list[str]) -> list[str]:
    """The codes back from what the technician typed: a known service's name (in either
    language or as its code) gives its code; anything else is kept as a site's own code."""
    by_name = {texts.service(c).casefold(): c for c in known}
    out = []
    for part in (p.strip() for p in text.split(",")):
        if part:
            out.append(by_name.get(part.casefold(), part))
    return out


def refusal(problem: str, key: str | None, facts: Mapping[str, Any]) -> str:
    """Why a setting was not saved, from the core's problem id (ConfigError.problem): the
    setting by its label, the rule in the page's language."""
    t = QCoreApplication.translate
    what = label(key) if key else t("SettingWords", "a setting")
    limit = facts.get("limit")
    if problem == "too_small" and limit is not None:
        return t("SettingWords", "«{0}» must be at least {1}").format(what, _limit(key, limit))
    if problem == "too_large" and limit is not None:
        return t("SettingWords", "«{0}» must be at most {1}").format(what, _limit(key, limit))
    if problem == "not_a_choice":
        return t("SettingWords", "«{0}»: choose one of the values offered").format(what)
    if problem == "bad_value" and key == "trust.anchor":
        return t("SettingWords", "«{0}» is not a valid key (64 hexadecimal characters)").format(
            what
        )
    if problem == "bad_value" and key == "scan.source":
        return t("SettingWords", "«{0}» is not a source the kiosk knows (e.g. camera:0)").format(
            what
        )
    if problem == "bad_value" and key == "journal.services":
        return t("SettingWords", "«{0}»: a service code is letters, digits, - and _ only").format(
            what
        )
    if problem == "journal_down":
        return t("SettingWords", "the journal cannot record the change, so nothing was written")
    return t("SettingWords", "«{0}» has a value the kiosk cannot use").format(what)


def _limit(key: str | None, limit: Any) -> str:
    """A range's limit in the setting's own unit (days for the grace, seconds, ...)."""
    if not isinstance(limit, int | float):
        return str(limit)
    if key in IN_DAYS:
        limit = limit / DAY_S
    return f"{limit:g}{unit(key or '')}"
