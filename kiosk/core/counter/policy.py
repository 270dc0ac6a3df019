"""The counter's rules: which services it offers, what one citizen's visit is, what gets recorded.

A citizen at a counter shows the Công dân số code (signed) and often the chip ID card's QR
(unsigned), in either order. Both belong to one visit when they come within `PAIR_WINDOW_S` of
each other. The verified credential is what the counter records and hands off; the ID card only
confirms that the credential names the person in front of the clerk
(kiosk.core.counter.identity_match).
A card alone is recorded only where the site allows unverified transactions
(`journal.counter_allow_unverified`), and then it is marked unverified wherever it goes.

Decided here, without Qt: which visit a scan belongs to, what the panel shows of it, what the
record button records and which visit the journal's answer belongs to. The screen words them
(kiosk/ui/widgets/counter_panel.py); where a hand-off goes is kiosk.core.counter.handoff_route.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from kiosk.core.counter.handoff import Handoff, make_handoff
from kiosk.core.counter.identity_match import MatchResult, compare
from kiosk.core.journal.admission import may_serve
from kiosk.core.runtime_messages import ShownScan
from verifier import CodeKind, Outcome

PAIR_WINDOW_S = 180.0  # an ID card and a credential scanned this close belong to one visit


class Blocked(StrEnum):
    """Why the counter cannot record now (the screen says it on the button)."""

    NOTHING = "nothing"  # no citizen yet, or a rejected code
    NEEDS_CREDENTIAL = "needs_credential"  # only an unsigned ID card, and the site wants proof
    NOT_SAME_PERSON = "not_same_person"  # the ID card and the credential differ
    NO_SERVICE = "no_service"  # the clerk has not chosen a service
    RECORDED = "recorded"  # this visit's transaction is in the journal


class Showing(StrEnum):
    """What the panel's status line says of the visit."""

    WAITING = "waiting"  # no scan yet
    REJECTED = "rejected"  # the latest code was refused: its reason, and no one's details
    VERIFIED = "verified"  # a verified credential
    CARD_ONLY = "card_only"  # an unsigned ID card, not verified


@dataclass(frozen=True, slots=True)
class Transaction:
    """A record asked of the journal and not yet answered, with the visit it belongs to."""

    visit: int  # Visit.number when it was asked
    event_id: str  # the scan it records a service for
    service: str
    reference: str


@dataclass(frozen=True, slots=True)
class RecordPlan:
    """What the record button would do: record `scan` (the event id), or why not."""

    scan: ShownScan | None
    verified: bool
    blocked: Blocked | None

    @property
    def event_id(self) -> str | None:
        return self.scan.recording.event_id if self.scan is not None else None


def _is_credential(shown: ShownScan) -> bool:
    v = shown.event.verdict
    return v.kind is CodeKind.CDS1 and v.outcome is Outcome.ACCEPT and v.subject is not None


def _is_card(shown: ShownScan) -> bool:
    v = shown.event.verdict
    return v.outcome is Outcome.UNVERIFIED and v.subject is not None


@dataclass(frozen=True, slots=True)
class Visit:
    """One citizen at the counter. Immutable: each scan gives the next Visit."""

    credential: ShownScan | None = None
    card: ShownScan | None = None
    number: int = 0  # counts visits: a new number is the next citizen
    started: float = 0.0  # monotonic time of the visit's first scan
    rejected: ShownScan | None = None  # a refused code: the visit holds nothing to record
    recorded: bool = False

    @property
    def match(self) -> MatchResult | None:
        if self.credential is None or self.card is None:
            return None
        a, b = self.credential.event.verdict.subject, self.card.event.verdict.subject
        assert a is not None and b is not None
        return compare(a, b)

    @property
    def latest(self) -> ShownScan | None:
        """The scan the clerk saw last (the verdict on screen)."""
        scans = [s for s in (self.credential, self.card, self.rejected) if s is not None]
        return max(scans, key=lambda s: s.recorded_monotonic, default=None)

    @property
    def identity(self) -> ShownScan | None:
        """Whose details the counter shows and hands off: the credential before the card."""
        return self.credential or self.card

    @property
    def person(self) -> ShownScan | None:
        """Whose details are on the panel: none after a refused code."""
        return self.identity if self.rejected is None else None

    @property
    def shown_match(self) -> MatchResult | None:
        """The two codes' match as the panel shows it: none after a refused code."""
        return self.match if self.rejected is None else None

    @property
    def showing(self) -> Showing:
        if self.latest is None:
            return Showing.WAITING
        if self.rejected is not None:
            return Showing.REJECTED
        return Showing.VERIFIED if self.credential is not None else Showing.CARD_ONLY

    @property
    def can_hand_off(self) -> bool:
        return self.handoff(None, "", 0.0) is not None

    def add(self, shown: ShownScan, now: float) -> Visit:
        """The visit after this scan: the same citizen's, or the next citizen's."""
        fresh = Visit(number=self.number + 1, started=now)
        if self.recorded or now - self.started > PAIR_WINDOW_S or self.rejected is not None:
            base = fresh
        else:
            base = self
        if _is_credential(shown):
            if base.credential is not None and not _same_code(base.credential, shown):
                base = fresh  # a second credential: the next citizen
            return replace(base, credential=shown)
        if _is_card(shown):
            if base.card is not None and not _same_code(base.card, shown):
                base = fresh
            return replace(base, card=shown)
        return replace(fresh, rejected=shown)

    def done(self) -> Visit:
        return replace(self, recorded=True)

    def plan(self, service: str | None, allow_unverified: bool) -> RecordPlan:
        if self.recorded:
            return RecordPlan(self.identity, self.credential is not None, Blocked.RECORDED)
        if self.rejected is not None or self.identity is None:
            return RecordPlan(None, False, Blocked.NOTHING)
        match = self.match
        if match is not None and not match.same:
            return RecordPlan(None, False, Blocked.NOT_SAME_PERSON)
        scan = self.credential or self.card
        assert scan is not None
        if not may_serve(scan.event.verdict.outcome, unverified_allowed=allow_unverified):
            return RecordPlan(self.card, False, Blocked.NEEDS_CREDENTIAL)
        verified = self.credential is not None
        if service is None:
            return RecordPlan(scan, verified, Blocked.NO_SERVICE)
        return RecordPlan(scan, verified, None)

    def transaction(
        self, service: str | None, reference: str, allow_unverified: bool
    ) -> Transaction | None:
        """What the record button asks the journal to record now, or None when it cannot."""
        plan = self.plan(service, allow_unverified)
        if plan.blocked is not None or plan.event_id is None or service is None:
            return None
        return Transaction(self.number, plan.event_id, service, reference)

    def answered(self, transaction: Transaction, ok: bool) -> Visit:
        """The visit once the journal has answered: recorded if the answer is for this visit;
        an answer for an earlier citizen's visit leaves this one as it is."""
        return self.done() if ok and transaction.visit == self.number else self

    def handoff(self, service: str | None, reference: str, now: float) -> Handoff | None:
        """The identity for the counter's software: the credential's, else the card's (marked
        unverified); none after a rejected code or when the two codes name different people."""
        who = self.identity
        if who is None or self.rejected is not None:
            return None
        match = self.match
        if match is not None and not match.same:
            return None
        return make_handoff(who.event.verdict, service=service, reference=reference, now=now)


def _same_code(a: ShownScan, b: ShownScan) -> bool:
    return a.event.text_digest == b.event.text_digest
