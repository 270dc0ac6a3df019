"""The portal checks the chain it receives (issue 11 point 3, issue 15 point 4): each batch is a
segment of the kiosk's hash chain, checked against the rows and checkpoints already held. A gap
or a fork is refused and named (and flagged for the operator); a restarted chain is taken as
the device's next chain, and flagged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from devportal.server import PortalServer
from devportal.store import now_s
from kiosk.core.journal.chain import GENESIS, row_hash
from portal_sync.client import PortalClient
from portal_sync.enrolment import DeviceIdentity, request_enrolment
from portal_sync.errors import Rejected
from portal_sync.outbox import Checkpoint, OutboxItem
from portal_sync.upload import send_batch
from tests.sync.conftest import TEST_TIMEOUTS, enrol_kiosk, portal_event_ids


class Chain:
    """A journal's chain made with the journal's own hash (kiosk.core.journal.chain)."""

    def __init__(self, tag: str) -> None:
        self.tag = tag
        self.hashes: dict[int, bytes] = {0: GENESIS}

    def rows(self, first: int, last: int) -> list[OutboxItem]:
        items = []
        for seq in range(first, last + 1):
            fields = {"event_id": f"{self.tag}-{seq:05d}", "kind": "system", "action": "app.start",
                      "ts_ms": 1_800_000_000_000 + seq, "detail": None}  # fmt: skip
            prev = self.hashes[seq - 1]
            self.hashes[seq] = row_hash(prev, fields)
            body = {**fields, "seq": seq, "prev_hash": prev.hex(),
                    "row_hash": self.hashes[seq].hex()}  # fmt: skip
            items.append(OutboxItem(str(fields["event_id"]), body))
        return items

    def head(self, seq: int) -> Checkpoint:
        """The chain head at seq (rows made up to there, as a journal runs ahead of a batch)."""
        if seq not in self.hashes:
            self.rows(max(self.hashes) + 1, seq)
        return Checkpoint(seq, self.hashes[seq].hex())


@pytest.fixture
def device(portal: PortalServer, tmp_path: Path) -> Iterator[tuple[PortalClient, DeviceIdentity]]:
    with PortalClient(portal.base_url, timeouts=TEST_TIMEOUTS) as client:
        offer = request_enrolment(client, portal.store.create_enrolment_code(now_s()))
        yield client, offer.commit(tmp_path / "kiosk", tmp_path / "kiosk" / "trust")


def _send(
    device: tuple[PortalClient, DeviceIdentity], items: list[OutboxItem], head: Checkpoint
) -> list[str]:
    return send_batch(device[0], device[1], items, head)[0]


def _refused(
    device: tuple[PortalClient, DeviceIdentity], items: list[OutboxItem], head: Checkpoint
) -> Rejected:
    with pytest.raises(Rejected) as refused:
        _send(device, items, head)
    assert refused.value.status == 409
    return refused.value


def _flags(portal: PortalServer, device_id: str) -> list[tuple[str, str]]:
    return [(f["kind"], f["detail"]) for f in portal.store.chain_flags(device_id)]


def test_consecutive_segments_are_stored(
    portal: PortalServer, device: tuple[PortalClient, DeviceIdentity]
) -> None:
    chain = Chain("a")
    assert len(_send(device, chain.rows(1, 5), chain.head(7))) == 5  # the head may run ahead
    assert len(_send(device, chain.rows(6, 9), chain.head(9))) == 4
    assert len(_send(device, chain.rows(4, 10), chain.head(10))) == 7  # an overlap that agrees
    assert len(portal_event_ids(portal, device[1].device_id)) == 10
    assert _flags(portal, device[1].device_id) == []


def test_a_gap_is_refused_and_named(
    portal: PortalServer, device: tuple[PortalClient, DeviceIdentity]
) -> None:
    chain = Chain("a")
    _send(device, chain.rows(1, 5), chain.head(5))
    rows = chain.rows(6, 10)
    refused = _refused(device, rows[2:], chain.head(10))  # seq 6 and 7 withheld
    assert refused.code == "chain_gap" and "seq 6..7 missing" in str(refused)
    assert len(portal_event_ids(portal, device[1].device_id)) == 5  # nothing of it stored
    assert ("chain_gap", "seq 6..7 missing") in _flags(portal, device[1].device_id)
    assert len(_send(device, rows, chain.head(10))) == 5  # the whole segment fits


def test_a_fork_is_refused_and_named(
    portal: PortalServer, device: tuple[PortalClient, DeviceIdentity]
) -> None:
    chain = Chain("a")
    _send(device, chain.rows(1, 5), chain.head(5))
    fork = Chain("b")
    fork.hashes = dict(chain.hashes)  # the same first three rows
    refused = _refused(device, fork.rows(4, 6), fork.head(6))
    assert refused.code == "chain_fork" and "seq 4 differs" in str(refused)
    elsewhere = Chain("c")
    elsewhere.rows(1, 5)
    refused = _refused(device, elsewhere.rows(6, 7), elsewhere.head(7))
    assert refused.code == "chain_fork" and "seq 6 links to another seq 5" in str(refused)
    kinds = [kind for kind, _ in _flags(portal, device[1].device_id)]
    assert kinds == ["chain_fork", "chain_fork"]
    assert len(portal_event_ids(portal, device[1].device_id)) == 5


def test_a_chain_head_gone_back_is_a_fork(
    portal: PortalServer, device: tuple[PortalClient, DeviceIdentity]
) -> None:
    """Rows removed from the end of the kiosk's journal leave no local trace (docs/journal.md);
    the checkpoint the portal holds shows it."""
    chain = Chain("a")
    _send(device, chain.rows(1, 3), chain.head(6))
    # Not the same batch again (that is the same idempotency key with another body, a 409 of
    # its own): an overlapping one, so the chain check sees the head gone back.
    refused = _refused(device, chain.rows(2, 3), chain.head(4))
    assert refused.code == "chain_fork" and "went back from seq 6 to seq 4" in str(refused)
    refused = _refused(device, chain.rows(1, 3), chain.head(4))
    assert refused.code == "idempotency_key_reused"  # the batch's key, another checkpoint
    refused = _refused(device, chain.rows(4, 4), Checkpoint(6, "ab" * 32))
    assert refused.code == "chain_fork" and "checkpoint at seq 6 changed" in str(refused)


def test_a_segment_that_is_not_a_chain_is_refused(
    portal: PortalServer, device: tuple[PortalClient, DeviceIdentity]
) -> None:
    chain = Chain("a")
    rows = chain.rows(1, 4)
    edited = OutboxItem(rows[1].event_id, {**rows[1].body, "action": "settings.changed"})
    refused = _refused(device, [rows[0], edited, *rows[2:]], chain.head(4))
    assert refused.code == "chain_broken" and "seq 2: row_hash is not the hash" in str(refused)
    refused = _refused(device, [rows[0], rows[2]], chain.head(4))
    assert refused.code == "chain_broken" and "seq 3 follows seq 1" in str(refused)
    unchained = OutboxItem(rows[0].event_id, {"note": "no chain fields"})
    assert _refused(device, [unchained], chain.head(4)).code == "chain_broken"
    assert portal_event_ids(portal, device[1].device_id) == []


def test_a_restarted_chain_is_taken_and_flagged(
    portal: PortalServer, device: tuple[PortalClient, DeviceIdentity]
) -> None:
    """Issue 15 point 4: a journal re-created from seq 1 was accepted below its checkpoint
    without a flag. Its rows are kept (nothing a kiosk recorded is turned away), as the
    device's next chain, and the operator sees the restart."""
    old = Chain("a")
    _send(device, old.rows(1, 9), old.head(11))
    new = Chain("n")
    assert len(_send(device, new.rows(1, 3), new.head(3))) == 3
    flags = _flags(portal, device[1].device_id)
    assert [kind for kind, _ in flags] == ["chain_restarted"]
    assert "starts at seq 1, event n-00001" in flags[0][1] and "up to seq 9" in flags[0][1]
    assert len(_send(device, new.rows(4, 5), new.head(5))) == 2  # checked as the new chain now
    stale = Chain("a")
    stale.hashes = dict(old.hashes)  # the old chain going on: it does not fit the new one
    assert _refused(device, stale.rows(10, 11), stale.head(11)).code == "chain_gap"
    shown = {d["device_id"]: d for d in portal.store.devices()}[device[1].device_id]
    assert sorted(f["kind"] for f in shown["chain_flags"]) == ["chain_gap", "chain_restarted"]


def test_a_real_journal_replaced_by_an_empty_one_is_flagged(
    portal: PortalServer, tmp_path: Path
) -> None:
    """The kiosk's own journal, synced, then deleted: the kiosk refuses to start a new chain by
    itself; a technician starts one, and the portal flags the restarted chain."""
    from kiosk.core.config import load_config
    from kiosk.core.journal import Journal
    from kiosk.core.journal.errors import StorageFault, StorageUnavailable
    from portal_sync.sync_round import SyncRunner

    kiosk = enrol_kiosk(portal, portal.base_url, tmp_path / "kiosk")
    try:
        kiosk.record(6)
        kiosk.drain()
        assert _flags(portal, kiosk.identity.device_id) == []
    finally:
        kiosk.journal.close()
    for path in (tmp_path / "kiosk" / "journal").glob("journal.db*"):
        path.unlink()
    with pytest.raises(StorageUnavailable) as lost:
        Journal.open(tmp_path / "kiosk", load_config(None), announce=False)
    assert lost.value.fault is StorageFault.LOST
    fresh, detail = Journal.restart_chain(tmp_path / "kiosk", load_config(None), operator="tech")
    assert detail["lost"]  # the new chain names the rows the portal never had
    try:
        runner = SyncRunner(kiosk.client, kiosk.identity, kiosk.store, fresh, kiosk.data_dir)
        report = runner.run_round()
        assert report.ok, report.summary()
        assert fresh.backlog() == 0
    finally:
        fresh.close()
        kiosk.client.close()
    assert [k for k, _ in _flags(portal, kiosk.identity.device_id)] == ["chain_restarted"]
