"""Admission: who passes a gate and who is served at a counter, decided once (journal/admission.py)
and applied by the journal's gate and by its counter transactions."""

from __future__ import annotations

import pytest

from kiosk.core.config import load_config
from kiosk.core.journal import Outcome, RefusedRecord
from kiosk.core.journal.admission import PASSBACK, Admission, may_serve
from kiosk.core.settings_in_force import applies_live
from verifier import Outcome as VerdictOutcome
from verifier import Verdict

from .conftest import FakeClock, JournalFactory, Person, ScanFactory

ACCEPT, UNVERIFIED, REJECT = VerdictOutcome.ACCEPT, VerdictOutcome.UNVERIFIED, VerdictOutcome.REJECT
# The demo codes whose verdicts have these outcomes (verdicts fixture, checked for real).
CODE = {ACCEPT: "valid", UNVERIFIED: "idcard", REJECT: "revoked"}


@pytest.mark.parametrize(
    ("rules", "verdict", "passback", "expected"),
    [
        (Admission(), ACCEPT, False, Outcome.ADMITTED),
        (Admission(), REJECT, False, Outcome.REFUSED),
        (Admission(), UNVERIFIED, False, Outcome.REFUSED),
        (Admission(unverified_at_gate=True), UNVERIFIED, False, Outcome.ADMITTED),
        (Admission(unverified_at_gate=True), REJECT, False, Outcome.REFUSED),
        (Admission(turnstile=True), ACCEPT, False, Outcome.AWAITING_PASSAGE),
        (Admission(turnstile=True), REJECT, False, Outcome.REFUSED),
        (Admission(antipassback="off"), ACCEPT, True, Outcome.ADMITTED),
        (Admission(antipassback="warn"), ACCEPT, True, Outcome.ADMITTED),
        (Admission(antipassback="deny"), ACCEPT, True, Outcome.REFUSED),
        (Admission(antipassback="deny"), ACCEPT, False, Outcome.ADMITTED),
        (Admission(antipassback="deny", turnstile=True), ACCEPT, True, Outcome.REFUSED),
    ],
)
def test_a_gate_admits_by_verdict_settings_and_memory(
    verdicts: dict[str, Verdict],
    rules: Admission,
    verdict: VerdictOutcome,
    passback: bool,
    expected: Outcome,
) -> None:
    checked = verdicts[CODE[verdict]]
    assert checked.outcome is verdict
    assert rules.decide(checked, at_gate=True, passback=passback).outcome is expected


def test_passback_is_flagged_when_warned_or_denied_and_never_when_off(
    verdicts: dict[str, Verdict],
) -> None:
    seen = verdicts["valid"]
    assert Admission(antipassback="warn").decide(seen, at_gate=True, passback=True).flags == (
        PASSBACK,
    )
    assert Admission(antipassback="deny").decide(seen, at_gate=True, passback=True).flags == (
        PASSBACK,
    )
    assert Admission(antipassback="off").decide(seen, at_gate=True, passback=True).flags == ()
    refused = Admission(antipassback="deny").decide(
        verdicts["revoked"], at_gate=True, passback=True
    )
    assert refused.flags == ()  # refused for the verdict, not for having entered


def test_a_counter_lets_nobody_through_whatever_the_rules(verdicts: dict[str, Verdict]) -> None:
    generous = Admission(unverified_at_gate=True, unverified_at_counter=True, turnstile=True)
    for verdict in verdicts.values():
        decision = generous.decide(verdict, at_gate=False, passback=True)
        assert (decision.outcome, decision.flags) == (Outcome.PRESENTED, ())


def test_a_counter_serves_a_verified_credential_and_a_card_only_when_allowed() -> None:
    for allowed in (False, True):
        rules = Admission(unverified_at_counter=allowed)
        assert rules.may_serve(str(ACCEPT))
        assert rules.may_serve(str(UNVERIFIED)) is allowed
        assert not rules.may_serve(str(REJECT))
        assert not rules.may_serve(None)
        assert may_serve(UNVERIFIED, unverified_allowed=allowed) is allowed  # the screen's way


def test_the_gate_rule_for_id_cards_applies_at_once_and_the_others_at_the_next_start() -> None:
    started = Admission(antipassback="off")
    saved = load_config(overrides={"ui.unverified_id_card": "admit", "journal.antipassback": "deny",
                                   "journal.counter_allow_unverified": True})  # fmt: skip
    now = started.in_force(saved)
    assert now == Admission(antipassback="off", unverified_at_gate=True)
    assert applies_live("ui.unverified_id_card")
    assert not applies_live("journal.antipassback")
    assert not applies_live("journal.counter_allow_unverified")
    refusing = load_config(overrides={"ui.unverified_id_card": "refuse"})
    assert now.in_force(refusing).unverified_at_gate is False


def test_the_journal_applies_the_settings_in_force_to_each_scan(
    open_journal: JournalFactory, scan: ScanFactory, clock: FakeClock
) -> None:
    journal = open_journal()
    admit = load_config(overrides={"ui.unverified_id_card": "admit"})
    refuse = load_config(overrides={"ui.unverified_id_card": "refuse"})
    outcomes = []
    for name, in_force in (("idcard", None), ("idcard", admit), ("idcard", refuse),
                           ("revoked", admit), ("valid", refuse)):  # fmt: skip
        recorded = journal.record_scan(scan(name, clock=clock), in_force=in_force)
        assert recorded is not None
        outcomes.append((recorded.outcome, recorded.admitted))
        clock.advance(5)
    assert outcomes == [("refused", False), ("admitted", True), ("refused", False),
                        ("refused", False), ("admitted", True)]  # fmt: skip


def test_anti_passback_still_judges_an_admitted_id_card(
    open_journal: JournalFactory, scan: ScanFactory, clock: FakeClock, people: list[Person]
) -> None:
    """The settings in force change who may pass, not the gate's memory or its read-at-start
    rules: an entry twice is still refused under deny."""
    journal = open_journal(antipassback="deny")
    admit = load_config(overrides={"ui.unverified_id_card": "admit"})
    first = journal.record_scan(scan(text=people[0].text, clock=clock), in_force=admit)
    clock.advance(10)
    again = journal.record_scan(scan(text=people[0].text, clock=clock), in_force=admit)
    assert first is not None and first.outcome == "admitted"
    assert again is not None and (again.outcome, again.flags) == ("refused", (PASSBACK,))


def test_a_counter_transaction_follows_the_same_serving_rule(
    open_journal: JournalFactory, scan: ScanFactory
) -> None:
    strict = open_journal(mode="counter")
    card = strict.record_scan(scan("idcard"))
    assert card is not None and card.outcome == "presented"
    with pytest.raises(RefusedRecord, match="not a verified presentation"):
        strict.record_transaction(card.event_id, "health")
    credential = strict.record_scan(scan("valid"))
    assert credential is not None
    assert strict.record_transaction(credential.event_id, "health").outcome == "recorded"
