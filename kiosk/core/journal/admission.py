"""Admission: who may pass a gate and who may be served at a counter, in one place.

The rules are the site's: a verified credential passes; an unsigned ID card passes a gate only
where `ui.unverified_id_card = "admit"` (it is always shown amber) and is served at a counter only
where `journal.counter_allow_unverified`; anti-passback (off, warn, deny) judges a repeated
entry; with a turnstile an admitted scan waits for its passage. Everything else is refused.

The journal takes the decision inside its commit (the gate's memory says whether the person is
already inside), and the counter's screen plans its record button with the same rule. The
setting `ui.unverified_id_card` applies at once (kiosk.core.settings_in_force): the runtime hands
the settings in force with each scan, and `in_force` reads it from them; the others are read
when the journal opens.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kiosk.core.config import Config
from kiosk.core.journal.records import Outcome
from kiosk.core.journal.settings import JournalSettings
from verifier import Outcome as VerdictOutcome
from verifier import Verdict

PASSBACK = "passback"  # the flag on a scan of someone who entered and has not left


@dataclass(frozen=True, slots=True)
class Decision:
    outcome: Outcome
    flags: tuple[str, ...] = ()


def may_pass(verdict: VerdictOutcome, *, unverified_admitted: bool) -> bool:
    """Whether a verdict lets a person through a gate (before anti-passback)."""
    return verdict is VerdictOutcome.ACCEPT or (
        unverified_admitted and verdict is VerdictOutcome.UNVERIFIED
    )


def may_serve(verdict: str | None, *, unverified_allowed: bool) -> bool:
    """Whether a counter may record a service for a presentation with this verdict (as the
    journal stores it, or as the screen has it)."""
    return verdict == VerdictOutcome.ACCEPT or (
        unverified_allowed and verdict == VerdictOutcome.UNVERIFIED
    )


@dataclass(frozen=True, slots=True)
class Admission:
    antipassback: str = "off"  # off | warn | deny
    turnstile: bool = False  # an admitted scan waits for the turnstile's passage report
    unverified_at_gate: bool = False  # ui.unverified_id_card = "admit"
    unverified_at_counter: bool = False  # journal.counter_allow_unverified

    @classmethod
    def from_settings(cls, settings: JournalSettings) -> Admission:
        """The rules read when the journal opens; an ID card is refused at a gate until the
        settings in force say otherwise (`in_force`)."""
        return cls(
            antipassback=settings.antipassback,
            turnstile=settings.turnstile,
            unverified_at_counter=settings.counter_allow_unverified,
        )

    def in_force(self, config: Config) -> Admission:
        """These rules with the ones a saved setting changes at once."""
        return replace(self, unverified_at_gate=config.ui.unverified_id_card == "admit")

    def decide(self, verdict: Verdict, *, at_gate: bool, passback: bool) -> Decision:
        """One presentation's outcome. `passback`: the gate remembers this person entering,
        within the window, without leaving since."""
        if not at_gate:
            return Decision(Outcome.PRESENTED)  # a counter lets nobody through
        if not may_pass(verdict.outcome, unverified_admitted=self.unverified_at_gate):
            return Decision(Outcome.REFUSED)
        flags: tuple[str, ...] = ()
        if passback and self.antipassback != "off":
            if self.antipassback == "deny":
                return Decision(Outcome.REFUSED, (PASSBACK,))
            flags = (PASSBACK,)
        passing = Outcome.AWAITING_PASSAGE if self.turnstile else Outcome.ADMITTED
        return Decision(passing, flags)

    def may_serve(self, verdict: str | None) -> bool:
        return may_serve(verdict, unverified_allowed=self.unverified_at_counter)
