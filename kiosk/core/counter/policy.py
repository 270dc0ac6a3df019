"""The counter's rules: which services it offers, what one citizen's visit is, what gets recorded.

A citizen at a counter shows the Công dân số code (signed) and often the chip ID card's QR
(unsigned), in either order. Both belong to one visit when they come within `PAIR_WINDOW_S` of
each other. The verified credential is what the counter records and hands off; the ID card only
confirms that the credential names the person in front of the clerk
(kiosk.core.counter.identity_match).
A card alone is recorded only where the site allows unverified transactions
(`journal.counter_allow_unverified`), and then it is marked unverified wherever it goes.

Decided here, without Qt; the screen words the plan (kiosk/ui/widgets/counter_panel.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from kiosk.core.config import Config
from kiosk.core.counter.handoff import Handoff, make_handoff
from kiosk.core.counter.identity_match import MatchResult, compare
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
        if self.credential is None and not allow_unverified:
            return RecordPlan(self.card, False, Blocked.NEEDS_CREDENTIAL)
        scan = self.credential or self.card
        verified = self.credential is not None
        if service is None:
            return RecordPlan(scan, verified, Blocked.NO_SERVICE)
        return RecordPlan(scan, verified, None)

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


class Route(StrEnum):
    """Where a hand-off goes besides the clipboard (`counter.handoff`)."""

    CLIPBOARD = "clipboard"  # off: the clipboard only
    FILE = "file"
    HTTP = "http"
    UNAVAILABLE = "unavailable"  # asked for, but no folder or no server: clipboard only


def handoff_route(config: Config, server_running: bool) -> Route:
    mode = config.counter.handoff
    if mode == "file":
        return Route.FILE if config.counter.handoff_dir else Route.UNAVAILABLE
    if mode == "http":
        return Route.HTTP if server_running else Route.UNAVAILABLE
    return Route.CLIPBOARD
