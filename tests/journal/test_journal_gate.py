"""The gate: anti-passback (off/warn/deny), occupancy and counts, turnstile passages,
direction switching, counter transactions; all rebuilt from the journal after a restart."""

from __future__ import annotations

import pytest

import kiosk.core.journal.journal as journal_module
from kiosk.core.journal import Action, RefusedRecord, UnknownEvent

from .conftest import FakeClock, JournalFactory, Person, ScanFactory


def test_every_presentation_it_is_given_is_journaled(
    open_journal: JournalFactory, scan: ScanFactory, clock: FakeClock
) -> None:
    """Repeats are told apart once, before the journal (kiosk.core.repeats): the journal keeps
    whatever presentation it is given, even the same code a moment later."""
    journal = open_journal()
    digest = b"same code"
    first = journal.record_scan(scan("valid", clock=clock, digest=digest))
    clock.advance(0.5)
    second = journal.record_scan(scan("valid", clock=clock, digest=digest))
    assert first.event_id != second.event_id
    assert journal.gate_state().counts["scans"] == 2


@pytest.mark.parametrize(
    ("policy", "second", "flags"),
    [
        ("off", "admitted", ()),
        ("warn", "admitted", ("passback",)),
        ("deny", "refused", ("passback",)),
    ],
)
def test_antipassback_policies(
    open_journal: JournalFactory, scan: ScanFactory, clock: FakeClock, people: list[Person],
    policy: str, second: str, flags: tuple[str, ...],
) -> None:  # fmt: skip
    journal = open_journal(antipassback=policy, antipassback_window_s=3600)
    first = journal.record_scan(scan(text=people[0].text, clock=clock))
    assert first is not None and first.outcome == "admitted" and first.flags == ()
    clock.advance(600)
    again = journal.record_scan(scan(text=people[0].text, clock=clock))
    assert again is not None and (again.outcome, again.flags) == (second, flags)
    other = journal.record_scan(scan(text=people[1].text, clock=clock))
    assert other is not None and other.flags == ()


def test_antipassback_clears_on_exit_and_after_the_window(
    open_journal: JournalFactory, scan: ScanFactory, clock: FakeClock, people: list[Person]
) -> None:
    journal = open_journal(antipassback="deny", antipassback_window_s=3600)
    person = people[0].text
    assert journal.record_scan(scan(text=person, clock=clock)).admitted  # type: ignore[union-attr]
    journal.set_direction("exit", operator="guard-7")
    clock.advance(60)
    out = journal.record_scan(scan(text=person, clock=clock))
    assert out is not None and out.outcome == "admitted"  # exits are never held
    journal.set_direction("entry", operator="guard-7")
    assert journal.record_scan(scan(text=person, clock=clock)).admitted  # type: ignore[union-attr]
    clock.advance(3601)
    assert journal.record_scan(scan(text=person, clock=clock)).admitted  # type: ignore[union-attr]
    changes = [i.body for i in journal.pending(100) if i.body["action"] == "gate.direction"]
    assert [c["operator"] for c in changes] == ["guard-7", "guard-7"]


def test_occupancy_and_counts_today_survive_a_restart(
    open_journal: JournalFactory, scan: ScanFactory, clock: FakeClock, people: list[Person]
) -> None:
    journal = open_journal(antipassback="deny")
    for p in people[:3]:
        journal.record_scan(scan(text=p.text, clock=clock))
    journal.record_scan(scan("expired", clock=clock))
    journal.set_direction("exit")
    journal.record_scan(scan(text=people[0].text, clock=clock))
    state = journal.gate_state()
    assert state.occupancy == 2 and state.direction == "exit"
    assert state.counts["entries"] == 3 and state.counts["exits"] == 1
    assert state.counts["verdict.reject"] == 1 and state.counts["outcome.refused"] == 1
    journal.close()
    again = open_journal(antipassback="deny")
    assert again.gate_state().occupancy == 2
    assert again.gate_state().counts == state.counts
    # The anti-passback memory came back too: people[1] is still inside.
    held = again.record_scan(scan(text=people[1].text, clock=clock))
    assert held is not None and held.outcome == "refused" and held.flags == ("passback",)


def test_counts_start_again_at_local_midnight(
    open_journal: JournalFactory, scan: ScanFactory, clock: FakeClock, people: list[Person]
) -> None:
    journal = open_journal()
    journal.record_scan(scan(text=people[0].text, clock=clock))  # 15:00 local
    assert journal.gate_state().occupancy == 1
    clock.advance(9 * 3600 + 1)  # 00:00:01 the next day
    state = journal.gate_state()
    assert state.occupancy == 0 and state.counts == {}


def test_turnstile_waits_for_the_passage(
    open_journal: JournalFactory, scan: ScanFactory, clock: FakeClock, people: list[Person]
) -> None:
    journal = open_journal(turnstile=True, antipassback="deny")
    waiting = journal.record_scan(scan(text=people[0].text, clock=clock))
    assert waiting is not None and waiting.outcome == "awaiting_passage" and waiting.admitted
    assert journal.gate_state().occupancy == 0
    passed = journal.record_passage(waiting.event_id, passed=True)
    assert passed.outcome == "passed" and journal.gate_state().occupancy == 1
    with pytest.raises(RefusedRecord):
        journal.record_passage(waiting.event_id, passed=True)
    turned_back = journal.record_scan(scan(text=people[1].text, clock=clock))
    assert turned_back is not None
    assert journal.record_passage(turned_back.event_id, passed=False).outcome == "not_passed"
    assert journal.gate_state().occupancy == 1
    # Who did not pass is not inside: no passback for them; who passed is held.
    assert journal.record_scan(scan(text=people[1].text, clock=clock)).flags == ()  # type: ignore[union-attr]
    assert journal.record_scan(scan(text=people[0].text, clock=clock)).outcome == "refused"  # type: ignore[union-attr]
    with pytest.raises(UnknownEvent):
        journal.record_passage("01NOSUCHEVENT0000000000000", passed=True)
    refused = journal.record_scan(scan("expired", clock=clock))
    assert refused is not None
    with pytest.raises(RefusedRecord):
        journal.record_passage(refused.event_id, passed=True)


def test_the_memory_of_followed_scans_is_bounded_and_the_file_still_decides(
    open_journal: JournalFactory,
    scan: ScanFactory,
    clock: FakeClock,
    people: list[Person],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(journal_module, "FOLLOWED_KEPT", 2)
    journal = open_journal(turnstile=True)
    followed = []
    for person in people[:4]:
        waiting = journal.record_scan(scan(text=person.text, clock=clock))
        assert waiting is not None
        journal.record_passage(waiting.event_id, passed=False)
        followed.append(waiting.event_id)
    assert list(journal._followed) == followed[-2:]
    with pytest.raises(RefusedRecord, match="already has its follow-up"):
        journal.record_passage(followed[0], passed=True)  # forgotten in memory, not in the file


def test_passage_after_restart(
    open_journal: JournalFactory, scan: ScanFactory, clock: FakeClock, people: list[Person]
) -> None:
    journal = open_journal(turnstile=True)
    waiting = journal.record_scan(scan(text=people[0].text, clock=clock))
    assert waiting is not None
    journal.close()
    again = open_journal(turnstile=True)
    again.record_passage(waiting.event_id, passed=True)
    assert again.gate_state().occupancy == 1


def test_counter_transactions(
    open_journal: JournalFactory, scan: ScanFactory, clock: FakeClock, people: list[Person]
) -> None:
    journal = open_journal(mode="counter", services=("water", "health", "dn-parking"))
    shown = journal.record_scan(scan(text=people[0].text, clock=clock))
    assert shown is not None and shown.outcome == "presented" and not shown.admitted
    done = journal.record_transaction(
        shown.event_id, "dn-parking", reference="A-17", operator="staff-2"
    )
    assert done.outcome == "recorded"
    with pytest.raises(RefusedRecord):  # one transaction per presentation
        journal.record_transaction(shown.event_id, "water")
    other = journal.record_scan(scan(text=people[1].text, clock=clock))
    assert other is not None
    with pytest.raises(RefusedRecord):
        journal.record_transaction(other.event_id, "electricity")  # not in this catalogue
    rejected = journal.record_scan(scan("revoked", clock=clock))
    idcard = journal.record_scan(scan("idcard", clock=clock))
    assert rejected is not None and idcard is not None
    with pytest.raises(RefusedRecord):
        journal.record_transaction(rejected.event_id, "water")
    with pytest.raises(RefusedRecord):  # unsigned ID card: not by default
        journal.record_transaction(idcard.event_id, "water")
    assert journal.gate_state().services == {"dn-parking": 1}
    body = next(i.body for i in journal.pending(100) if i.body["kind"] == "counter")
    assert (body["kind"], body["service"], body["ref"], body["operator"]) == (
        "counter", "dn-parking", shown.event_id, "staff-2",
    )  # fmt: skip
    assert body["sealed"] is None  # no portal key in this test: the reference is not kept


def test_counter_may_accept_id_cards_when_configured(
    open_journal: JournalFactory, scan: ScanFactory
) -> None:
    journal = open_journal(mode="counter", counter_allow_unverified=True)
    idcard = journal.record_scan(scan("idcard"))
    assert idcard is not None
    assert journal.record_transaction(idcard.event_id, "health").outcome == "recorded"


def test_system_events_and_their_limits(open_journal: JournalFactory) -> None:
    journal = open_journal()
    journal.record_system(Action.CLOCK_DRIFT, {"drift_ms": -4200, "source": "portal"})
    journal.record_system(Action.TRUST_LIST_REFUSED, {"version": 3, "why": "rollback"})
    with pytest.raises(RefusedRecord):
        journal.record_system(Action.RETENTION_PURGE, {})
    with pytest.raises(TypeError):
        journal.record_system(Action.CLOCK_DRIFT, {"drift_s": 4.2})  # type: ignore[dict-item]
    with pytest.raises(RefusedRecord):
        journal.record_transaction("x", "water")  # a gate has no counter transactions
    with pytest.raises(RefusedRecord):
        journal.set_direction("sideways")
    assert journal.verify().ok


def test_people_inside_counts_people_not_entries(
    open_journal: JournalFactory, scan: ScanFactory, clock: FakeClock, people: list[Person]
) -> None:
    journal = open_journal()
    for _ in range(15):  # one person let in fifteen times (antipassback off)
        clock.advance(5)
        journal.record_scan(scan(text=people[0].text, clock=clock))
    journal.record_scan(scan(text=people[1].text, clock=clock))
    state = journal.gate_state()
    assert state.counts["entries"] == 16 and state.occupancy == 2
    journal.set_direction("exit")
    clock.advance(5)
    journal.record_scan(scan(text=people[0].text, clock=clock))  # one exit: out
    journal.record_scan(scan(text=people[2].text, clock=clock))  # left without entering today
    assert journal.gate_state().occupancy == 1
    journal.close()
    assert open_journal().gate_state().occupancy == 1  # rebuilt from the journal alike
