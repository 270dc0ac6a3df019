"""The revocation list is held to the trust list's freshness rule (credential-format.md).

No revocation list, one past its next_update plus the grace, one that cannot be read, or one
left behind while the trust list moved on: revocation was not checked, so the credential is
judged by `on_stale_trust_list` and the verdict names the list. Never a clean accept.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from devportal import issuer
from tests.verifier.conftest import CTI, DAY, NOW, World
from verifier import (
    Outcome,
    Policy,
    Reason,
    RevocationList,
    StaleAction,
    StaleList,
    TrustList,
    TrustState,
    TrustStore,
    Verdict,
    check,
    parse_revocations,
    parse_trust_list,
)

GRACE = 2 * DAY
WARN = Policy(stale_grace_s=GRACE, on_stale_trust_list=StaleAction.ACCEPT)
REJECT = Policy(stale_grace_s=GRACE, on_stale_trust_list=StaleAction.REJECT)


def _trust_list(world: World, issued_at: int, next_update: int) -> TrustList:
    raw = issuer.sign_trust_list(
        world.anchor,
        version=1,
        issued_at=issued_at,
        next_update=next_update,
        keys=[issuer.ListedKey(issuer.public_bytes(world.signer), "VN-DN", 0, NOW + 365 * DAY)],
    )
    return parse_trust_list(raw, world.anchor_public)


def _revocations(
    world: World, issued_at: int, next_update: int, revoked: list[bytes] | None = None
) -> RevocationList:
    raw = issuer.sign_revocations(
        world.anchor,
        version=1,
        issued_at=issued_at,
        next_update=next_update,
        revoked_ctis=revoked or [],
    )
    return parse_revocations(raw, world.anchor_public)


def _fresh_list(world: World) -> TrustList:
    return _trust_list(world, NOW - DAY, NOW + 6 * DAY)


def _judged(verdict_warn: Verdict, verdict_reject: Verdict, lists: tuple[StaleList, ...]) -> None:
    """Accepted with the warning under one policy, rejected under the other; both name `lists`."""
    assert verdict_warn.outcome is Outcome.ACCEPT
    assert verdict_warn.warnings == (Reason.STALE_TRUST_LIST,)
    assert verdict_warn.stale_lists == lists
    assert verdict_reject.outcome is Outcome.REJECT
    assert verdict_reject.reason is Reason.STALE_TRUST_LIST
    assert verdict_reject.stale_lists == lists
    assert verdict_reject.subject is not None  # signed: the screen may say whose code it is


def test_fresh_lists_give_a_clean_accept(world: World) -> None:
    trust = TrustState(_fresh_list(world), _revocations(world, NOW - DAY, NOW + 6 * DAY))
    for policy in (WARN, REJECT):
        verdict = check(world.mint(), trust, NOW, policy)
        assert verdict.accepted and verdict.warnings == () and verdict.stale_lists == ()


def test_no_revocation_list_is_stale_trust_data(world: World) -> None:
    trust = TrustState(_fresh_list(world), None)
    text = world.mint()
    _judged(check(text, trust, NOW, WARN), check(text, trust, NOW, REJECT),
            (StaleList.REVOCATIONS,))  # fmt: skip
    assert "revocation" in check(text, trust, NOW, REJECT).detail


def test_revocation_list_115_days_stale(world: World) -> None:
    old = _revocations(world, NOW - 122 * DAY, NOW - 115 * DAY)
    trust = TrustState(_fresh_list(world), old)
    text = world.mint()
    _judged(check(text, trust, NOW, WARN), check(text, trust, NOW, REJECT),
            (StaleList.REVOCATIONS,))  # fmt: skip


def test_revocation_list_within_its_grace_is_fresh(world: World) -> None:
    lately = _revocations(world, NOW - 8 * DAY, NOW - 1 * DAY)  # past next_update, inside grace
    verdict = check(world.mint(), TrustState(_fresh_list(world), lately), NOW, REJECT)
    assert verdict.accepted and verdict.stale_lists == ()
    just_past = _revocations(world, NOW - 9 * DAY, NOW - GRACE - 1)
    verdict = check(world.mint(), TrustState(_fresh_list(world), just_past), NOW, REJECT)
    assert verdict.reason is Reason.STALE_TRUST_LIST


def test_stale_trust_list_alone_names_the_trust_list(world: World) -> None:
    stale = _trust_list(world, NOW - 30 * DAY, NOW - 20 * DAY)
    trust = TrustState(stale, _revocations(world, NOW - DAY, NOW + 6 * DAY))
    text = world.mint()
    _judged(check(text, trust, NOW, WARN), check(text, trust, NOW, REJECT),
            (StaleList.TRUST_LIST,))  # fmt: skip


def test_both_stale_names_both(world: World) -> None:
    trust = TrustState(_trust_list(world, 0, NOW - 20 * DAY), None)
    verdict = check(world.mint(), trust, NOW, REJECT)
    assert verdict.stale_lists == (StaleList.TRUST_LIST, StaleList.REVOCATIONS)


def test_revocation_list_left_behind_while_the_trust_list_moved_on(world: World) -> None:
    """The kiosk's clock says the old revocation list is still current; the trust list it has
    just installed was signed well after that list's next_update: a newer one was withheld."""
    clock_behind = NOW - 30 * DAY
    withheld = _revocations(world, clock_behind - DAY, clock_behind + 6 * DAY)
    newer_list = _trust_list(world, NOW, NOW + 7 * DAY)
    trust = TrustState(newer_list, withheld)
    assert trust.signed_now(clock_behind) == NOW
    verdict = check(world.mint(iat=clock_behind - DAY), trust, clock_behind, REJECT)
    assert verdict.reason is Reason.STALE_TRUST_LIST
    assert verdict.stale_lists == (StaleList.REVOCATIONS,)


def test_revoked_is_still_revoked_whatever_the_freshness(world: World) -> None:
    old = _revocations(world, 0, NOW - 100 * DAY, revoked=[CTI])
    verdict = check(world.mint(), TrustState(_fresh_list(world), old), NOW, WARN)
    assert verdict.reason is Reason.REVOKED


@pytest.mark.parametrize("damage", ["truncated", "empty", "garbage", "other anchor"])
def test_damaged_revocation_file_is_held_as_none_and_named(
    tmp_path: Path, world: World, damage: str
) -> None:
    store = TrustStore(tmp_path, world.anchor_public)
    store.install_trust_list(world.trust_list_bytes())
    raw = world.revocations_bytes()
    store.install_revocations(raw)
    damaged = {
        "truncated": raw[: len(raw) // 2],
        "empty": b"",
        "garbage": b"\x00" * 64,
        "other anchor": world.revocations_bytes(anchor=issuer.signing_key("someone else")),
    }[damage]
    (tmp_path / "revocations.cose").write_bytes(damaged)

    reopened = TrustStore(tmp_path, world.anchor_public)
    assert reopened.state.trust_list is not None
    assert reopened.state.revocations is None
    assert "revocations.cose" in reopened.unreadable[StaleList.REVOCATIONS]
    verdict = check(world.mint(), reopened.state, NOW, REJECT)
    assert verdict.reason is Reason.STALE_TRUST_LIST
    assert verdict.stale_lists == (StaleList.REVOCATIONS,)

    reopened.install_revocations(raw)  # the next sync brings a good copy: named no more
    assert StaleList.REVOCATIONS not in reopened.unreadable
    assert check(world.mint(), reopened.state, NOW, REJECT).accepted
