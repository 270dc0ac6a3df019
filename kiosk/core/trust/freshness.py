"""How fresh the kiosk's trust data is, list by list: for the status, the self-test, the command
line and the journal alike.

The rule itself is the verifier's (`TrustState.stale_lists`: the revocation list is held to the
trust list's rule, and holding none is stale); this names each list's state so people can be
told which list is the problem and why, and the journal hears of a change once.

| state | meaning | judged by `on_stale_trust_list` |
| --- | --- | --- |
| ok | within its next_update | no |
| late | past next_update, within the grace | no (a warning on the status line) |
| stale | past next_update plus the grace | yes |
| missing | none held | yes (the trust list: `no_trust_list`, every credential rejected) |
| unreadable | a file is there but cannot be used (truncated, edited, unreadable) | as missing |
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from kiosk.core.journal.records import Action, DetailValue
from kiosk.core.recorder import StorageDown
from verifier import Policy, RevocationList, StaleList, TrustList, TrustState
from verifier.check import past_grace

log = logging.getLogger(__name__)


class ListState(StrEnum):
    OK = "ok"
    LATE = "late"
    STALE = "stale"
    MISSING = "missing"
    UNREADABLE = "unreadable"


@dataclass(frozen=True, slots=True)
class ListFreshness:
    which: StaleList
    state: ListState
    version: int | None = None
    next_update: int | None = None
    problem: str | None = None  # why an unreadable file was not used (a path and a reason)

    @property
    def judged(self) -> bool:
        """Whether the stale-trust policy decides credentials because of this list."""
        return self.state in (ListState.STALE, ListState.MISSING, ListState.UNREADABLE)


@dataclass(frozen=True, slots=True)
class Freshness:
    trust_list: ListFreshness
    revocations: ListFreshness

    @property
    def stale_lists(self) -> tuple[StaleList, ...]:
        """The lists the stale-trust policy judges by now (a missing trust list is not one of
        them: that is `no_trust_list`)."""
        lists = []
        if self.trust_list.state is ListState.STALE:
            lists.append(StaleList.TRUST_LIST)
        if self.revocations.judged:
            lists.append(StaleList.REVOCATIONS)
        return tuple(lists)

    @property
    def judged(self) -> tuple[str, ...]:
        """Each list the policy judges by, with its state: what a change of is journaled."""
        return tuple(
            f"{f.which}:{f.state}" for f in (self.trust_list, self.revocations) if f.judged
        )

    def journal_detail(self, policy: Policy) -> dict[str, DetailValue]:
        """What a journal row says of stale trust data (no personal data in it)."""
        detail: dict[str, DetailValue] = {
            "lists": ",".join(self.stale_lists),
            "policy": str(policy.on_stale_trust_list),
        }
        for f in (self.trust_list, self.revocations):
            if f.judged or f.state is ListState.MISSING:
                detail[f.which] = str(f.state)
                if f.problem:
                    detail[f"{f.which}_problem"] = f.problem[:200]
        return detail


def _one(
    which: StaleList,
    doc: TrustList | RevocationList | None,
    at: int,
    policy: Policy,
    unreadable: Mapping[StaleList, str],
) -> ListFreshness:
    if doc is None:
        problem = unreadable.get(which)
        state = ListState.UNREADABLE if problem else ListState.MISSING
        return ListFreshness(which, state, problem=problem)
    if past_grace(doc.next_update, at, policy):
        state = ListState.STALE
    elif at > doc.next_update:
        state = ListState.LATE
    else:
        state = ListState.OK
    return ListFreshness(which, state, doc.version, doc.next_update)


def freshness(
    trust: TrustState,
    now: float,
    policy: Policy,
    unreadable: Mapping[StaleList, str] | None = None,
) -> Freshness:
    """Each list's state at `now`, floored (as the verifier does) by the newest signed issued_at."""
    at = trust.signed_now(int(now))
    problems = unreadable or {}
    return Freshness(
        _one(StaleList.TRUST_LIST, trust.trust_list, at, policy, problems),
        _one(StaleList.REVOCATIONS, trust.revocations, at, policy, problems),
    )


Report = Callable[[Action, dict[str, DetailValue]], object]


class StaleNotes:
    """Journals stale trust data once when it starts (`trust_data.stale`: which lists, why, the
    policy) and once when it ends (`trust_data.fresh`), however often it is asked. Thread-safe:
    the status ticker and the sync loop both ask. A row the journal cannot take now is tried
    again at the next call."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self._noted: tuple[str, ...] = ()
        self._lock = threading.Lock()

    def note(self, fresh: Freshness, report: Report) -> None:
        with self._lock:
            judged = fresh.judged
            if judged == self._noted:
                return
            try:
                if judged:
                    report(Action.TRUST_DATA_STALE, fresh.journal_detail(self.policy))
                else:
                    report(Action.TRUST_DATA_FRESH, {"was": ",".join(self._noted)})
            except StorageDown as e:
                log.warning("stale trust data not journaled yet: %s", e)
                return
            self._noted = judged
