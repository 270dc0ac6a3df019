"""Shared words of the screen, through Qt's translation system (context "Words").

English source strings; Vietnamese in i18n/vi.ts. The reason and outcome words agree with
kiosk.core.reason_text (the command line's), which a test checks. Each function builds its
table when called, so the words follow a language switch.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from kiosk.core.presentation import Headline
from verifier import Reason


def reason(code: Reason | None) -> str:
    if code is None:
        return ""
    words = {
        Reason.NOT_A_CREDENTIAL: QCoreApplication.translate("Words", "Not a citizen credential"),
        Reason.FORMAT: QCoreApplication.translate("Words", "Damaged or malformed code"),
        Reason.UNSUPPORTED_ALG: QCoreApplication.translate(
            "Words", "Unsupported signature algorithm"
        ),
        Reason.NO_TRUST_LIST: QCoreApplication.translate(
            "Words", "This kiosk has no trust list yet"
        ),
        Reason.UNKNOWN_KEY: QCoreApplication.translate("Words", "Issued by an unknown issuer"),
        Reason.BAD_SIGNATURE: QCoreApplication.translate(
            "Words", "Invalid signature — forged code"
        ),
        Reason.KEY_NOT_VALID: QCoreApplication.translate(
            "Words", "Issuer key not valid for this code"
        ),
        Reason.NOT_YET_VALID: QCoreApplication.translate("Words", "Not valid yet"),
        Reason.EXPIRED: QCoreApplication.translate("Words", "Expired"),
        Reason.REVOKED: QCoreApplication.translate("Words", "Revoked"),
        Reason.STALE_TRUST_LIST: QCoreApplication.translate(
            "Words", "Trust list is out of date — sync needed"
        ),
    }
    return words[code]


def headline(h: Headline) -> str:
    words = {
        Headline.VALID: QCoreApplication.translate("Words", "VALID"),
        Headline.VALID_STALE_LIST: QCoreApplication.translate("Words", "VALID"),
        Headline.PASSBACK_WARN: QCoreApplication.translate("Words", "VALID"),
        Headline.PASSBACK_DENY: QCoreApplication.translate("Words", "ALREADY INSIDE"),
        Headline.NOT_VALID: QCoreApplication.translate("Words", "NOT VALID"),
        Headline.UNVERIFIED: QCoreApplication.translate("Words", "UNVERIFIED"),
    }
    return words[h]


def headline_note(h: Headline) -> str:
    words = {
        Headline.VALID: "",
        Headline.VALID_STALE_LIST: QCoreApplication.translate(
            "Words", "Trust list is out of date — sync needed"
        ),
        Headline.PASSBACK_WARN: QCoreApplication.translate(
            "Words", "Entered before without leaving"
        ),
        Headline.PASSBACK_DENY: QCoreApplication.translate(
            "Words", "Entered before without leaving"
        ),
        Headline.NOT_VALID: "",
        Headline.UNVERIFIED: QCoreApplication.translate(
            "Words", "ID card code, not signed: it proves nothing"
        ),
    }
    return words[h]


def direction(code: str | None) -> str:
    if code == "entry":
        return QCoreApplication.translate("Words", "Entry")
    if code == "exit":
        return QCoreApplication.translate("Words", "Exit")
    return ""


def go_words(code: str | None) -> str:
    """The big action word on a green screen: "Vào" / "Ra"."""
    if code == "exit":
        return QCoreApplication.translate("Words", "OUT")
    return QCoreApplication.translate("Words", "IN")


def no_entry() -> str:
    return QCoreApplication.translate("Words", "Do not let through")


def service(code: str) -> str:
    words = {
        "electricity": QCoreApplication.translate("Words", "Electricity"),
        "water": QCoreApplication.translate("Words", "Water"),
        "environment": QCoreApplication.translate("Words", "Environment"),
        "health": QCoreApplication.translate("Words", "Health"),
        "education": QCoreApplication.translate("Words", "Education"),
        "banking": QCoreApplication.translate("Words", "Banking"),
    }
    return words.get(code, code)


def camera_state(state: str) -> str:
    words = {
        "starting": QCoreApplication.translate("Words", "Camera starting"),
        "live": QCoreApplication.translate("Words", "Camera on"),
        "lost": QCoreApplication.translate("Words", "Camera lost"),
        "reopening": QCoreApplication.translate("Words", "Camera reconnecting"),
        "ended": QCoreApplication.translate("Words", "Source ended"),
        "failed": QCoreApplication.translate("Words", "Camera failed"),
        "closed": QCoreApplication.translate("Words", "Camera off"),
    }
    return words.get(state, state)


def scanner_state(state: str) -> str:
    words = {
        "starting": QCoreApplication.translate("Words", "Scanner starting"),
        "live": QCoreApplication.translate("Words", "Scanner ready"),
        "lost": QCoreApplication.translate("Words", "Scanner lost"),
        "reopening": QCoreApplication.translate("Words", "Scanner reconnecting"),
        "failed": QCoreApplication.translate("Words", "Scanner failed"),
        "closed": QCoreApplication.translate("Words", "Scanner off"),
    }
    return words.get(state, state)


def source_state(kind: str, state: str) -> str:
    """The camera's or the serial scanner's state, in words."""
    return scanner_state(state) if kind in ("serial", "scanner") else camera_state(state)


def check_name(check: str) -> str:
    words = {
        "camera": QCoreApplication.translate("Words", "Camera"),
        "decoder": QCoreApplication.translate("Words", "QR decoder (test image)"),
        "trust_list": QCoreApplication.translate("Words", "Trust list"),
        "revocations": QCoreApplication.translate("Words", "Revocation list"),
        "clock": QCoreApplication.translate("Words", "Clock vs portal"),
        "portal": QCoreApplication.translate("Words", "Portal reachable"),
        "disk": QCoreApplication.translate("Words", "Disk space"),
        "journal": QCoreApplication.translate("Words", "Journal chain"),
    }
    return words.get(check, check)


def advice(code: str) -> str:
    words = {
        "": "",
        "camera_demo": QCoreApplication.translate(
            "Words", "Demo mode: connect a camera and set scan.source"
        ),
        "camera_check_cable": QCoreApplication.translate(
            "Words", "Check the camera cable, then restart"
        ),
        "reinstall": QCoreApplication.translate("Words", "Reinstall the kiosk software"),
        "trust_sync": QCoreApplication.translate(
            "Words", "Connect to the portal to fetch the latest lists"
        ),
        "portal_enrol": QCoreApplication.translate("Words", "Enrol the kiosk with the portal"),
        "portal_network": QCoreApplication.translate(
            "Words", "Check the network and the portal address"
        ),
        "clock_set": QCoreApplication.translate("Words", "Set the clock (enable NTP)"),
        "disk_free": QCoreApplication.translate("Words", "Free disk space or replace the storage"),
        "journal_tampered": QCoreApplication.translate(
            "Words", "Journal altered: report to the portal operator"
        ),
    }
    return words.get(code, code)


def out_of_service(reason: str) -> str:
    if reason == "storage":
        return QCoreApplication.translate("Words", "Storage fault: events cannot be saved")
    sources = {  # kiosk.core.source_fault
        "camera_lost": QCoreApplication.translate("Words", "Camera disconnected: reconnecting…"),
        "camera_failed": QCoreApplication.translate(
            "Words", "The camera does not work: check its cable"
        ),
        "scanner_lost": QCoreApplication.translate("Words", "Scanner disconnected: reconnecting…"),
        "scanner_failed": QCoreApplication.translate(
            "Words", "The scanner does not work: check its cable"
        ),
    }
    if reason in sources:
        return sources[reason]
    return QCoreApplication.translate("Words", "Internal fault: the kiosk is restarting its work")


def headline_for_reject(code: Reason | None) -> str:
    title = QCoreApplication.translate("Words", "NOT VALID")
    return f"{title}: {reason(code)}" if code else title


def badge_refusal(code: str | None) -> str:
    words = {
        "format": QCoreApplication.translate("Words", "Not a valid technician badge"),
        "forged": QCoreApplication.translate("Words", "Badge not signed for this kiosk"),
        "wrong_place": QCoreApplication.translate("Words", "Badge is for another kiosk or site"),
        "not_yet_valid": QCoreApplication.translate("Words", "Badge not valid yet"),
        "expired": QCoreApplication.translate("Words", "Badge expired"),
        "too_long": QCoreApplication.translate("Words", "Badge lifetime too long"),
        "revoked": QCoreApplication.translate("Words", "Badge revoked"),
        "no_anchor": QCoreApplication.translate("Words", "This kiosk has no trust anchor"),
    }
    return words.get(code or "", code or "")
