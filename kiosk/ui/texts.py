"""Shared words of the screen, through Qt's translation system (context "Words").

English source strings; Vietnamese in i18n/vi.ts. The reason and outcome words agree with
kiosk.core.reason_text (the command line's), which a test checks. Each function builds its
table when called, so the words follow a language switch.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from kiosk.core.presentation import Headline
from verifier import Reason

if TYPE_CHECKING:
    from kiosk.core.technician.selftest import CheckResult


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
        "site": QCoreApplication.translate("Words", "Site bus"),
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
        "site_broker": QCoreApplication.translate(
            "Words", "Check the broker's address and the network (kiosk site status)"
        ),
        "site_enrol": QCoreApplication.translate("Words", "Enrol with a code bound to the site"),
        "disk_free": QCoreApplication.translate("Words", "Free disk space or replace the storage"),
        "journal_tampered": QCoreApplication.translate(
            "Words", "Journal altered: report to the portal operator"
        ),
        "journal_lost": QCoreApplication.translate(
            "Words", "Journal missing or replaced: see kiosk journal restart-chain"
        ),
    }
    return words.get(code, code)


def sync_problem(code: str) -> str:
    """A failed sync round's error code (portal_sync.errors), as the technician reads it."""
    t = QCoreApplication.translate
    words = {
        "timeout": t("Words", "the portal did not answer in time"),
        "network": t("Words", "the portal cannot be reached (network)"),
        "proxy": t("Words", "the proxy refused the connection"),
        "tls": t("Words", "the secure connection failed (certificate)"),
        "bad_tls_config": t("Words", "the TLS settings are wrong"),
        "bad_url": t("Words", "the portal address is wrong"),
        "bad_response": t("Words", "the portal's answer was malformed or too large"),
        "unverified_receipt": t("Words", "the portal's receipt was not signed by the portal"),
        "not_enrolled": t("Words", "the kiosk is not enrolled"),
        "enrolment_outdated": t("Words", "the enrolment is outdated: enrol the kiosk again"),
        "anchor_differs": t("Words", "the portal's trust anchor is not this kiosk's"),
    }
    if code in words:
        return words[code]
    return t("Words", "the portal refused the request ({0})").format(code or "?")


def out_of_service(reason: str) -> str:
    if reason == "storage":
        return QCoreApplication.translate("Words", "Storage fault: events cannot be saved")
    if reason == "journal_lost":
        return QCoreApplication.translate(
            "Words", "The journal is missing or replaced: a technician must check this kiosk"
        )
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


def duration(seconds: float) -> str:
    """A span of time in the screen's words: "5 min", "3 h", "2 days"."""
    seconds = abs(seconds)
    if seconds < 90:
        return QCoreApplication.translate("Words", "{0} s").format(round(seconds))
    if seconds < 5400:
        return QCoreApplication.translate("Words", "{0} min").format(round(seconds / 60))
    if seconds < 2 * 86400:
        return QCoreApplication.translate("Words", "{0} h").format(round(seconds / 3600))
    return QCoreApplication.translate("Words", "{0} days").format(round(seconds / 86400))


def ago(seconds: float) -> str:
    """How long ago, in the same words as `duration`: "just now", "5 min ago", "2 days ago"."""
    if seconds < 90:
        return QCoreApplication.translate("Words", "just now")
    return QCoreApplication.translate("Words", "{0} ago").format(duration(seconds))


def local_time(wall: float, seconds: bool = False) -> str:
    """A moment as this kiosk's local time, dd/mm/yyyy HH:MM (the way dates are read here)."""
    return time.strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M",
                         time.localtime(wall))  # fmt: skip


def check_detail(r: CheckResult) -> str:
    """What a self-test check found, worded from its finding id and facts (the English
    `detail` is for logs and the command line)."""
    f = r.facts
    if r.finding == "demo" and r.check == "camera":
        return QCoreApplication.translate("Words", "Demo codes, no camera")
    if r.finding == "live":
        return QCoreApplication.translate("Words", "{0}: picture {1}").format(
            f.get("source", ""), f.get("size", "")
        )
    if r.finding == "down":
        return QCoreApplication.translate("Words", "{0}: {1}").format(
            f.get("source", ""), camera_state(f.get("state", ""))
        )
    if r.finding == "read":
        return QCoreApplication.translate("Words", "Test image read in {0} ms").format(
            f.get("ms", 0)
        )
    if r.finding == "not_read":
        return QCoreApplication.translate("Words", "The built-in test image was not read")
    if r.finding == "unreadable":
        return QCoreApplication.translate("Words", "The list's file is damaged: not in use")
    if r.finding == "none":
        if r.check == "revocations":
            return QCoreApplication.translate("Words", "No revocation list installed")
        return QCoreApplication.translate("Words", "No trust list installed")
    if r.finding in ("current", "stale", "expired") or (r.finding == "demo" and "age_s" in f):
        words = QCoreApplication.translate("Words", "Version {0}, issued {1} ago").format(
            f.get("version", "?"), duration(f.get("age_s", 0))
        )
        extra = {
            "demo": QCoreApplication.translate("Words", "demo list"),
            "stale": QCoreApplication.translate("Words", "past its next update"),
            "expired": QCoreApplication.translate("Words", "past its grace period"),
        }.get(r.finding)
        return f"{words} ({extra})" if extra else words
    if r.finding == "not_compared":
        return QCoreApplication.translate("Words", "Not yet compared with the portal")
    if r.finding == "offset":
        return QCoreApplication.translate("Words", "{0:+.1f} s from the portal").format(
            f.get("offset_s", 0.0)
        )
    if r.finding == "sync_off":
        return QCoreApplication.translate("Words", "Sync is off")
    if r.finding == "sync_not_enrolled":
        return QCoreApplication.translate("Words", "Not enrolled with a portal")
    if r.finding == "failing":
        return QCoreApplication.translate("Words", "Sync failing: {0}").format(
            sync_problem(str(f.get("code") or ""))
        )
    if r.finding == "last_sync":
        return QCoreApplication.translate("Words", "Last sync {0} ago").format(
            duration(f.get("age_s", 0))
        )
    if r.finding == "reachable":
        return QCoreApplication.translate("Words", "Reachable")
    if r.finding == "free":
        return QCoreApplication.translate("Words", "{0:.1f} GB free in {1}").format(
            f.get("free_bytes", 0) / 2**30, f.get("path", "")
        )
    if r.finding == "not_open":
        return QCoreApplication.translate("Words", "Journal not open: events are not kept")
    if r.finding == "storage":
        return QCoreApplication.translate("Words", "Storage fault: events cannot be saved")
    if r.finding == "intact":
        return QCoreApplication.translate("Words", "{0} rows, chain intact").format(
            f.get("rows", 0)
        )
    if r.finding == "altered":
        return QCoreApplication.translate("Words", "{0} problems in the chain").format(
            f.get("problems", 0)
        )
    if r.finding == "site_online":
        return QCoreApplication.translate("Words", "{0}/{1} lanes online, {2} inside").format(
            f.get("online", 0), f.get("lanes", 0), f.get("inside", 0)
        )
    if r.finding == "site_offline":
        return QCoreApplication.translate("Words", "Broker unreachable: this lane decides alone")
    if r.finding == "site_error":
        return QCoreApplication.translate("Words", "Not a lane of the site")
    if r.finding == "broken":
        return QCoreApplication.translate("Words", "The check itself failed (see the log)")
    return r.detail  # a finding this screen does not know yet: the technical words


def journal_kind(kind: str, action: str | None) -> str:
    """A journal row's event in words: a scan, a passage, a counter transaction, or the system
    action (technician unlocked, settings changed, ...)."""
    if kind == "scan":
        return QCoreApplication.translate("Words", "Scan")
    if kind == "passage":
        return QCoreApplication.translate("Words", "Passage")
    if kind == "counter":
        return QCoreApplication.translate("Words", "Counter transaction")
    words = {
        "journal.created": QCoreApplication.translate("Words", "Journal created"),
        "journal.opened": QCoreApplication.translate("Words", "Journal opened"),
        "app.start": QCoreApplication.translate("Words", "Kiosk started"),
        "app.stop": QCoreApplication.translate("Words", "Kiosk stopped"),
        "settings.changed": QCoreApplication.translate("Words", "Setting changed"),
        "trust_list.installed": QCoreApplication.translate("Words", "Trust list installed"),
        "trust_list.refused": QCoreApplication.translate("Words", "Trust list refused"),
        "revocations.installed": QCoreApplication.translate("Words", "Revocation list installed"),
        "revocations.refused": QCoreApplication.translate("Words", "Revocation list refused"),
        "trust_anchor.changed": QCoreApplication.translate("Words", "Trust anchor changed"),
        "technician.unlock": QCoreApplication.translate("Words", "Technician unlocked"),
        "technician.lock": QCoreApplication.translate("Words", "Technician locked"),
        "technician.badge_refused": QCoreApplication.translate("Words", "Technician badge refused"),
        "pin.set": QCoreApplication.translate("Words", "PIN set"),
        "pin.changed": QCoreApplication.translate("Words", "PIN changed"),
        "pin.failure": QCoreApplication.translate("Words", "Wrong PIN"),
        "pin.lockout": QCoreApplication.translate("Words", "PIN locked out"),
        "camera.lost": QCoreApplication.translate("Words", "Camera lost"),
        "camera.recovered": QCoreApplication.translate("Words", "Camera back"),
        "clock.drift": QCoreApplication.translate("Words", "Clock drift"),
        "clock.ok": QCoreApplication.translate("Words", "Clock back in step"),
        "portal.device_refused": QCoreApplication.translate("Words", "Portal refused this kiosk"),
        "gate.direction": QCoreApplication.translate("Words", "Direction changed"),
        "gate.action": QCoreApplication.translate("Words", "Gate opened"),
        "storage.fault": QCoreApplication.translate("Words", "Storage fault"),
        "retention.purge": QCoreApplication.translate("Words", "Old personal data purged"),
    }
    return words.get(action or "", QCoreApplication.translate("Words", "System event"))


def verdict_word(verdict: str | None) -> str:
    words = {
        "accept": QCoreApplication.translate("Words", "Valid"),
        "reject": QCoreApplication.translate("Words", "Not valid"),
        "unverified": QCoreApplication.translate("Words", "Unverified"),
    }
    return words.get(verdict or "", "")


def outcome_word(outcome: str | None) -> str:
    words = {
        "admitted": QCoreApplication.translate("Words", "let through"),
        "refused": QCoreApplication.translate("Words", "refused"),
        "awaiting_passage": QCoreApplication.translate("Words", "awaiting passage"),
        "presented": QCoreApplication.translate("Words", "presented"),
        "passed": QCoreApplication.translate("Words", "passed"),
        "not_passed": QCoreApplication.translate("Words", "did not pass"),
        "recorded": QCoreApplication.translate("Words", "recorded"),
    }
    return words.get(outcome or "", "")


def reason_code(code: str | None) -> str:
    """A reason code as stored in the journal, in words ("" for none, the code if unknown)."""
    if not code:
        return ""
    try:
        return reason(Reason(code))
    except ValueError:
        return code
