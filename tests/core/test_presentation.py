"""Tone and headline for each kind of recorded scan."""

from __future__ import annotations

from kiosk.core.events import ScanEvent
from kiosk.core.presentation import Headline, Tone, present
from kiosk.core.recorder import Recording
from kiosk.core.runtime_messages import ShownScan
from verifier import CodeKind, Outcome, Reason, Subject, Verdict

SUBJECT = Subject("001099012345", "Nguyễn Văn An", "1990-05-17")


def _shown(verdict: Verdict, admitted: bool, flags: tuple[str, ...] = (), mode: str = "gate"):
    event = ScanEvent(verdict, "demo", "demo", 0.0, 0.0, 1.0, b"x")
    outcome = "admitted" if admitted else "refused"
    return ShownScan(event, Recording("e1", outcome, flags), mode, "entry", admitted, 0.0)


def test_accept_is_go() -> None:
    p = present(_shown(Verdict(Outcome.ACCEPT, None, CodeKind.CDS1, SUBJECT), True))
    assert (p.tone, p.headline, p.admitted, p.show_subject) == (Tone.GO, Headline.VALID, True, True)


def test_reject_is_stop_with_its_reason() -> None:
    p = present(_shown(Verdict(Outcome.REJECT, Reason.REVOKED, CodeKind.CDS1), False))
    assert (p.tone, p.reason, p.show_subject) == (Tone.STOP, Reason.REVOKED, False)


def test_unverified_and_stale_are_caution() -> None:
    idcard = Verdict(Outcome.UNVERIFIED, None, CodeKind.CCCD, SUBJECT)
    assert present(_shown(idcard, False)).tone is Tone.CAUTION
    stale = Verdict(
        Outcome.ACCEPT, None, CodeKind.CDS1, SUBJECT, warnings=(Reason.STALE_TRUST_LIST,)
    )
    p = present(_shown(stale, True))
    assert (p.tone, p.headline) == (Tone.CAUTION, Headline.VALID_STALE_LIST)


def test_passback() -> None:
    ok = Verdict(Outcome.ACCEPT, None, CodeKind.CDS1, SUBJECT)
    assert present(_shown(ok, False, ("passback",))).headline is Headline.PASSBACK_DENY
    assert present(_shown(ok, True, ("passback",))).tone is Tone.CAUTION


def test_counter_accept_is_go_without_a_gate() -> None:
    ok = Verdict(Outcome.ACCEPT, None, CodeKind.CDS1, SUBJECT)
    assert present(_shown(ok, False, mode="counter")).tone is Tone.GO
