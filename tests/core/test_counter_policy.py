"""The counter's visit: either order of codes, what is recorded, when the next citizen starts."""

from __future__ import annotations

from kiosk.core.config import load_config
from kiosk.core.counter.policy import PAIR_WINDOW_S, Blocked, Showing, Visit
from kiosk.core.counter.services import counter_services
from kiosk.core.events import ScanEvent
from kiosk.core.recorder import Recording
from kiosk.core.runtime_messages import ShownScan
from verifier import CodeKind, Outcome, Reason, Subject, Verdict

AN = Subject("048090001234", "Nguyễn Văn An", "1990-05-17")
AN_CARD = Subject("048090001234", "NGUYEN VAN AN", "1990-05-17")
HANG = Subject("048095006789", "Võ Thị Thanh Hằng", "1995-09-21")


def _shown(event_id: str, verdict: Verdict, at: float) -> ShownScan:
    event = ScanEvent(verdict, "wedge", "scanner", at, at, 1.0, event_id.encode())
    return ShownScan(event, Recording(event_id, "presented"), "counter", None, False, at)


def credential(event_id: str, who: Subject = AN, at: float = 1000.0) -> ShownScan:
    return _shown(event_id, Verdict(Outcome.ACCEPT, None, CodeKind.CDS1, who), at)


def card(event_id: str, who: Subject = AN_CARD, at: float = 1000.0) -> ShownScan:
    return _shown(event_id, Verdict(Outcome.UNVERIFIED, None, CodeKind.CCCD, who), at)


def test_either_order_records_the_credential() -> None:
    for first, second in ((credential("c1"), card("k1")), (card("k1"), credential("c1"))):
        visit = Visit().add(first, 1000.0).add(second, 1010.0)
        plan = visit.plan("health", allow_unverified=False)
        assert visit.match is not None and visit.match.same
        assert (plan.blocked, plan.event_id, plan.verified) == (None, "c1", True)


def test_a_card_alone_needs_the_sites_consent_and_stays_unverified() -> None:
    visit = Visit().add(card("k1"), 1000.0)
    assert visit.plan("health", allow_unverified=False).blocked is Blocked.NEEDS_CREDENTIAL
    plan = visit.plan("health", allow_unverified=True)
    assert (plan.blocked, plan.event_id, plan.verified) == (None, "k1", False)
    handoff = visit.handoff("health", "", 1.0)
    assert handoff is not None and handoff.payload["verified"] is False


def test_different_people_neither_record_nor_hand_off() -> None:
    visit = Visit().add(card("k1", HANG), 1000.0).add(credential("c1"), 1001.0)
    assert visit.plan("health", allow_unverified=True).blocked is Blocked.NOT_SAME_PERSON
    assert visit.handoff("health", "", 1.0) is None


def test_the_next_citizen_starts_a_new_visit() -> None:
    visit = Visit().add(credential("c1"), 1000.0)
    assert visit.add(card("k1"), 1000.0 + PAIR_WINDOW_S + 1).number == visit.number + 1
    assert visit.add(credential("c2", HANG), 1001.0).number == visit.number + 1
    assert visit.done().add(card("k1"), 1001.0).number == visit.number + 1
    forged = _shown("r1", Verdict(Outcome.REJECT, Reason.BAD_SIGNATURE, CodeKind.CDS1), 1002.0)
    after = visit.add(forged, 1002.0)
    assert after.plan("health", allow_unverified=True).blocked is Blocked.NOTHING
    assert visit.add(card("k1"), 1050.0).number == visit.number  # the same citizen's card


def test_services_and_their_preselection_follow_the_kind_of_counter() -> None:
    hospital = counter_services(load_config(overrides={"counter.kind": "hospital"}))
    assert (hospital.services, hospital.preselected) == (("health",), "health")
    general = counter_services(load_config(overrides={}))
    assert "electricity" in general.services and general.preselected is None
    site = counter_services(load_config(overrides={"journal.services": ["xray", "lab"]}))
    assert (site.services, site.preselected) == (("xray", "lab"), None)
    assert Visit().add(credential("c1"), 1.0).plan(None, False).blocked is Blocked.NO_SERVICE


def test_what_the_panel_shows_of_a_visit() -> None:
    waiting = Visit()
    assert (waiting.showing, waiting.person, waiting.shown_match, waiting.can_hand_off) == (
        Showing.WAITING, None, None, False,
    )  # fmt: skip
    carded = waiting.add(card("k1"), 1000.0)
    assert (carded.showing, carded.person, carded.can_hand_off) == (
        Showing.CARD_ONLY, carded.card, True,
    )  # fmt: skip
    both = carded.add(credential("c1"), 1001.0)
    assert (both.showing, both.person) == (Showing.VERIFIED, both.credential)
    assert both.shown_match is not None and both.shown_match.same and both.can_hand_off
    forged = _shown("r1", Verdict(Outcome.REJECT, Reason.BAD_SIGNATURE, CodeKind.CDS1), 1002.0)
    refused = both.add(forged, 1002.0)
    assert (refused.showing, refused.person, refused.shown_match) == (Showing.REJECTED, None, None)
    assert not refused.can_hand_off
    differ = Visit().add(card("k1", HANG), 1000.0).add(credential("c1"), 1001.0)
    assert differ.showing is Showing.VERIFIED and differ.shown_match is not None
    assert not differ.shown_match.same and not differ.can_hand_off


def test_a_transaction_belongs_to_the_visit_it_was_asked_for() -> None:
    visit = Visit().add(credential("c1"), 1000.0)
    assert visit.transaction(None, "", allow_unverified=False) is None  # no service chosen
    asked = visit.transaction("health", "A-17", allow_unverified=False)
    assert asked is not None
    assert (asked.visit, asked.event_id, asked.service, asked.reference) == (
        visit.number, "c1", "health", "A-17",
    )  # fmt: skip
    assert visit.answered(asked, ok=False) == visit  # refused: the clerk may try again
    recorded = visit.answered(asked, ok=True)
    assert recorded.recorded and recorded.plan("health", False).blocked is Blocked.RECORDED
    assert recorded.transaction("health", "", allow_unverified=False) is None  # one per visit
    # The next citizen came while the journal answered: the answer does not record their visit.
    following = visit.add(credential("c2", HANG), 1001.0)
    assert following.answered(asked, ok=True) == following
    assert not following.answered(asked, ok=True).recorded
    carded = Visit().add(card("k1"), 1000.0)
    assert carded.transaction("health", "", allow_unverified=False) is None
    allowed = carded.transaction("health", "", allow_unverified=True)
    assert allowed is not None and allowed.event_id == "k1"
