"""The trust part of the kiosk's status: versions, dates and how fresh each list is, for the
status line, the self-test and the command line's one line."""

from __future__ import annotations

from collections.abc import Mapping

from kiosk.core.runtime_messages import TrustLevel, TrustSummary
from kiosk.core.trust.freshness import ListState, freshness
from verifier import Policy, StaleList, TrustState

_LEVEL = {ListState.STALE: TrustLevel.EXPIRED, ListState.LATE: TrustLevel.STALE,
          ListState.OK: TrustLevel.OK}  # fmt: skip


def trust_summary(
    state: TrustState,
    policy: Policy,
    now: float,
    demo: bool,
    unreadable: Mapping[StaleList, str] | None = None,
) -> TrustSummary:
    tl, rl = state.trust_list, state.revocations
    fresh = freshness(state, now, policy, unreadable)
    return TrustSummary(
        level=_LEVEL.get(fresh.trust_list.state, TrustLevel.NONE),
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
