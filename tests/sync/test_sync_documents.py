"""Signed lists from the portal into the trust store: ETag, rotation, revocation, and the
documents a kiosk must refuse (tampered, rolled back, wrong type), keeping what it holds."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from nacl.signing import SigningKey

from devportal.faultproxy import Fault, FaultProxy
from devportal.issuer import Citizen
from devportal.server import PortalServer
from devportal.store import REVOCATIONS, TRUST_LIST, now_s
from kiosk.core.journal.records import Action
from kiosk.core.sync.journal_rows import record_round
from portal_sync.roster import ROSTER, read_roster
from portal_sync.sync_round import SyncRunner
from tests.sync.conftest import Kiosk, enrol_kiosk
from verifier import Outcome, Reason, check

TRUST_PATH = "/api/v1/documents/trust-list"
CITIZEN = Citizen("048090001111", "Đặng Thu Thảo", "1999-12-01", "F")


def statuses(report: object) -> list[str]:
    return [d.status for d in report.documents]  # type: ignore[attr-defined]


def test_lists_install_then_come_back_not_modified(proxy: FaultProxy, kiosk: Kiosk) -> None:
    assert statuses(kiosk.runner.run_round()) == ["installed", "installed"]
    second = kiosk.runner.run_round()
    assert statuses(second) == ["not_modified", "not_modified"]
    assert kiosk.store.state.trust_list is not None and kiosk.store.state.trust_list.version == 1


def test_rotation_and_revocation_reach_the_kiosk(portal: PortalServer, kiosk: Kiosk) -> None:
    kiosk.runner.run_round()
    old, old_cti = portal.store.mint(CITIZEN, now_s())
    assert check(old, kiosk.store.state, now_s()).outcome is Outcome.ACCEPT

    portal.store.rotate_issuer(now_s())
    fresh, _ = portal.store.mint(CITIZEN, now_s())
    assert check(fresh, kiosk.store.state, now_s()).reason is Reason.UNKNOWN_KEY
    report = kiosk.runner.run_round()
    assert report.documents[0].status == "installed" and report.documents[0].version == 2
    assert check(fresh, kiosk.store.state, now_s()).outcome is Outcome.ACCEPT
    assert check(old, kiosk.store.state, now_s()).outcome is Outcome.ACCEPT  # old key kept

    portal.store.revoke_credential(old_cti, now_s())
    kiosk.runner.run_round()
    assert check(old, kiosk.store.state, now_s()).reason is Reason.REVOKED


def _flip_last_byte(body: bytes) -> bytes:
    return body[:-1] + bytes([body[-1] ^ 1])


@pytest.mark.parametrize(
    ("rewrite", "reason"),
    [
        (_flip_last_byte, "forged"),
        (lambda body: body[:40], "malformed"),
    ],
    ids=["tampered-signature", "truncated"],
)
def test_a_tampered_list_is_refused_and_the_genuine_one_fetched_next(
    rewrite: object, reason: str, proxy: FaultProxy, kiosk: Kiosk
) -> None:
    proxy.add(Fault("rewrite", path=TRUST_PATH, rewrite=rewrite))  # type: ignore[arg-type]
    report = kiosk.runner.run_round()
    refused = report.documents[0]
    assert refused.status == "refused" and refused.reason == reason
    assert kiosk.store.state.trust_list is None  # nothing half-trusted
    assert [n.kind for n in report.notices] == ["document_refused"]
    assert report.upload is not None and report.upload.error is None  # the rest went on

    again = kiosk.runner.run_round()
    assert again.documents[0].status == "installed"


def test_a_rolled_back_portal_is_refused(portal: PortalServer, kiosk: Kiosk) -> None:
    portal.store.publish_revocations(now_s())
    kiosk.runner.run_round()
    assert kiosk.store.state.revocations is not None
    assert kiosk.store.state.revocations.version == 2

    portal.store.roll_back(REVOCATIONS, 1)  # restored from an old backup
    report = kiosk.runner.run_round()
    assert report.documents[1].status == "refused" and report.documents[1].reason == "rollback"
    assert kiosk.store.state.revocations.version == 2


def journal_count(kiosk: Kiosk, action: Action) -> int:
    uri = f"{kiosk.journal.path.as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as db:
        row = db.execute("SELECT COUNT(*) FROM events WHERE action = ?", (action.value,))
        return int(row.fetchone()[0])


def test_a_refused_rollback_is_journaled_once_per_document(
    portal: PortalServer, kiosk: Kiosk
) -> None:
    portal.store.publish_revocations(now_s())
    kiosk.runner.run_round()
    portal.store.roll_back(REVOCATIONS, 1)  # the restored portal offers v1 every round

    for _ in range(3):
        report = kiosk.runner.run_round()
        assert report.documents[1].status == "refused" and report.documents[1].reason == "rollback"
        record_round(report, kiosk.journal.record_system)
    assert journal_count(kiosk, Action.REVOCATIONS_REFUSED) == 1
    # Remembered across a restart (the sync state file), not only in memory.
    restarted = SyncRunner(kiosk.client, kiosk.identity, kiosk.store, kiosk.journal, kiosk.data_dir)
    record_round(restarted.run_round(), kiosk.journal.record_system)
    assert journal_count(kiosk, Action.REVOCATIONS_REFUSED) == 1

    # A genuine newer list installs; a refusal after it is news again.
    portal.store.publish_revocations(now_s())
    portal.store.publish_revocations(now_s())  # v3, above the v2 held
    assert restarted.run_round().documents[1].status == "installed"
    portal.store.roll_back(REVOCATIONS, 1)
    record_round(restarted.run_round(), kiosk.journal.record_system)
    assert journal_count(kiosk, Action.REVOCATIONS_REFUSED) == 2


def test_a_document_of_the_wrong_type_is_refused(
    portal: PortalServer, proxy: FaultProxy, kiosk: Kiosk
) -> None:
    revocations = portal.store.current_document(REVOCATIONS)
    assert revocations is not None and portal.store.current_document(TRUST_LIST) is not None
    proxy.add(Fault("rewrite", path=TRUST_PATH, rewrite=lambda _: revocations.raw))
    report = kiosk.runner.run_round()
    assert report.documents[0].reason == "wrong_type"
    assert kiosk.store.state.trust_list is None
    assert kiosk.runner.run_round().documents[0].status == "installed"


def test_a_refused_roster_is_journaled_once_as_a_refused_list_is(
    portal: PortalServer, proxy: FaultProxy, tmp_path: Path
) -> None:
    """The roster goes through the lists' fetch: a tampered copy offered every round is one
    journal row, the roster held stays, and the genuine one is fetched once the copy is gone."""
    lane = enrol_kiosk(portal, proxy.base_url, tmp_path / "lane", site="S1")
    try:
        assert roster_statuses(lane.runner.run_round()) == ["installed"]
        held = read_roster(lane.data_dir, lane.store.anchor)
        assert held is not None

        code = portal.store.create_enrolment_code(now_s(), site="S1")  # a second lane: v2
        portal.store.enrol(code, bytes(SigningKey.generate().verify_key), "b", "", now_s())
        proxy.add(
            Fault("rewrite", path="/api/v1/sites/S1/roster", times=3, rewrite=_flip_last_byte)
        )
        for _ in range(3):
            report = lane.runner.run_round()
            refused = next(d for d in report.documents if d.kind == ROSTER)
            assert refused.status == "refused" and refused.reason == "forged"
            record_round(report, lane.journal.record_system)
        assert journal_count(lane, Action.SITE_ROSTER_REFUSED) == 1
        assert read_roster(lane.data_dir, lane.store.anchor) == held

        assert roster_statuses(lane.runner.run_round()) == ["installed"]
        roster = read_roster(lane.data_dir, lane.store.anchor)
        assert roster is not None and roster.version == held.version + 1
    finally:
        lane.client.close()
        lane.journal.close()


def roster_statuses(report: object) -> list[str]:
    return [d.status for d in report.documents if d.kind == ROSTER]  # type: ignore[attr-defined]
