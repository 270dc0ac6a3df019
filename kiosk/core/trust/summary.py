"""The trust part of the kiosk's status: versions, dates and how fresh each list is, for the
status line, the self-test and the command line's one line."""

from __future__ import annotations

from collections.abc import Mapping

from kiosk.core.runtime_messages import TrustSummary
from kiosk.core.trust.freshness import ListState, freshness
from verifier import Policy, StaleList, TrustState


def trust_summary(
    state: TrustState,
    policy: Policy,
    now: float,
    demo: bool,
    unreadable: Mapping[StaleList, str] | None = None,
) -> TrustSummary:
    tl, rl = state.trust_list, state.revocations
    fresh = freshness(state, now, policy, unreadable)
    level = {ListState.STALE: "expired", ListState.LATE: "stale", ListState.OK: "ok"}
    return TrustSummary(
        level=level.get(fresh.trust_list.state, "none"),
        version=tl.version if tl else None,
        issued_at=tl.issued_at if tl else None,
        next_update=tl.next_update if tl else None,
        revocations_version=rl.version if rl else None,
        revocations_issued_at=rl.issued_at if rl else None,
        demo=demo,
        revocations_state=str(fresh.revocations.state),
        revocations_next_update=rl.next_update if rl else None,
        stale_lists=tuple(str(s) for s in fresh.stale_lists),
        on_stale=str(policy.on_stale_trust_list),
    )
