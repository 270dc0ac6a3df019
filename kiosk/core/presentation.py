"""How a recorded scan is presented: the tone (colour, icon, sound) and the headline.

Decided here, without Qt, so the screen, a relay board or a headless gate's LEDs agree. The
words for each headline live with the screen (kiosk/ui, through Qt's translation system) and
in kiosk.core.reason_text for the command line.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kiosk.core.runtime_messages import ShownScan
from verifier import Outcome, Reason, StaleList

PASSBACK = "passback"


class Tone(StrEnum):
    GO = "go"  # green, a tick, the accept tone
    STOP = "stop"  # red, a cross, the reject tone
    CAUTION = "caution"  # amber, an exclamation mark, the caution tone


class Headline(StrEnum):
    VALID = "valid"
    VALID_STALE_LIST = (
        "valid_stale_list"  # accepted on stale trust data (policy): which list in stale_lists
    )
    PASSBACK_WARN = "passback_warn"  # admitted, but the same person entered without leaving
    PASSBACK_DENY = "passback_deny"
    NOT_VALID = "not_valid"  # with a reason
    UNVERIFIED = "unverified"  # an unsigned ID-card code


@dataclass(frozen=True, slots=True)
class Presentation:
    tone: Tone
    headline: Headline
    reason: Reason | None = None
    admitted: bool = False
    show_subject: bool = False
    # Which list made the trust data stale (with VALID_STALE_LIST, or NOT_VALID for
    # stale_trust_list): the screen says "revocation not checked" rather than only "stale".
    stale_lists: tuple[StaleList, ...] = ()


def present(shown: ShownScan) -> Presentation:
    verdict = shown.event.verdict
    return decide(
        verdict.outcome,
        verdict.reason,
        flags=shown.recording.flags,
        admitted=shown.admitted,
        stale=Reason.STALE_TRUST_LIST in verdict.warnings,
        mode=shown.mode,
        stale_lists=verdict.stale_lists,
    )


def decide(
    outcome: Outcome,
    reason: Reason | None,
    *,
    flags: tuple[str, ...],
    admitted: bool,
    stale: bool,
    mode: str,
    stale_lists: tuple[StaleList, ...] = (),
) -> Presentation:
    """The rule, from what the journal keeps of a scan too (kiosk.core.recent)."""
    if outcome is Outcome.REJECT:
        return Presentation(Tone.STOP, Headline.NOT_VALID, reason, stale_lists=stale_lists)
    if outcome is Outcome.UNVERIFIED:
        return Presentation(Tone.CAUTION, Headline.UNVERIFIED, admitted=admitted, show_subject=True)
    if PASSBACK in flags:
        if not admitted:
            return Presentation(
                Tone.STOP, Headline.PASSBACK_DENY, show_subject=True, stale_lists=stale_lists
            )
        return Presentation(
            Tone.CAUTION, Headline.PASSBACK_WARN, admitted=True, show_subject=True,
            stale_lists=stale_lists,
        )  # fmt: skip
    if stale:
        # Never a clean accept: a stale list, or revocation that was not checked, is said.
        return Presentation(
            Tone.CAUTION, Headline.VALID_STALE_LIST, admitted=admitted, show_subject=True,
            stale_lists=stale_lists,
        )  # fmt: skip
    return Presentation(
        Tone.GO, Headline.VALID, admitted=admitted or mode != "gate", show_subject=True
    )
