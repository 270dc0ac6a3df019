"""The outbox the sync client consumes: oldest first, only acknowledged ids marked, bodies the
portal can check (each row hash recomputes from the body alone)."""

from __future__ import annotations

import json

from kiosk.core.journal import Action
from kiosk.core.journal.chain import GENESIS, row_hash
from kiosk.core.journal.schema import CHAINED
from portal_sync.outbox import Outbox

from .conftest import JournalFactory, ScanFactory


def test_journal_is_an_outbox(open_journal: JournalFactory) -> None:
    journal: Outbox = open_journal()  # type-checks against the protocol
    assert journal.backlog() == 2  # journal.created, journal.opened


def test_pending_is_oldest_first_and_includes_system_events(
    open_journal: JournalFactory, scan: ScanFactory
) -> None:
    journal = open_journal()
    journal.record_scan(scan("valid"))
    journal.record_system(Action.PIN_FAILURE, {"attempt": 3}, operator="tech-1")
    journal.record_scan(scan("expired"))
    items = journal.pending(10)
    kinds = [(i.body["kind"], i.body["action"] or i.body["verdict"]) for i in items]
    assert kinds == [
        ("system", "journal.created"),
        ("system", "journal.opened"),
        ("scan", "accept"),
        ("system", "pin.failure"),
        ("scan", "reject"),
    ]
    assert [i.body["seq"] for i in items] == [1, 2, 3, 4, 5]
    assert [i.event_id for i in items] == sorted(i.event_id for i in items)
    assert journal.pending(2) == items[:2]


def test_bodies_are_json_and_recompute_the_chain(
    open_journal: JournalFactory, scan: ScanFactory, portal_key: object
) -> None:
    journal = open_journal()
    journal.record_scan(scan("valid"))
    journal.record_scan(scan("idcard"))
    prev = GENESIS
    for item in journal.pending(100):
        body = json.loads(json.dumps(item.body))
        assert body["event_id"] == item.event_id
        fields = {c: body[c] for c in CHAINED}
        for blob in ("kid", "personal_hash"):
            fields[blob] = bytes.fromhex(fields[blob]) if fields[blob] else None
        assert bytes.fromhex(body["prev_hash"]) == prev
        assert row_hash(prev, fields).hex() == body["row_hash"]
        prev = bytes.fromhex(body["row_hash"])
    valid = journal.pending(100)[2].body
    assert valid["verdict"] == "accept" and valid["kid"] and valid["rev_hash"]
    assert valid["sealed"] and valid["pseudonym"] and valid["direction"] == "entry"
    assert valid["time"].startswith("2026-11-26T15:00:00") and valid["time"].endswith("+07:00")
    assert journal.checkpoint().row_hash == prev.hex()


def test_acknowledge_marks_only_those_once(open_journal: JournalFactory, scan: ScanFactory) -> None:
    journal = open_journal()
    for _ in range(5):
        journal.record_scan(scan("valid"))
    items = journal.pending(100)
    chosen = [items[1].event_id, items[4].event_id]
    assert journal.acknowledge([*chosen, "01NOTANEVENT0000000000000"]) == 2
    assert journal.acknowledge(chosen) == 0
    left = [i.event_id for i in journal.pending(100)]
    assert left == [i.event_id for i in items if i.event_id not in chosen]
    assert journal.backlog() == len(items) - 2


def test_acknowledged_stay_acknowledged_after_reopen(
    open_journal: JournalFactory, scan: ScanFactory
) -> None:
    journal = open_journal()
    journal.record_scan(scan("valid"))
    acked = [i.event_id for i in journal.pending(100)]
    journal.acknowledge(acked)
    journal.close()
    again = open_journal()
    pending = [i.event_id for i in again.pending(100)]
    assert not set(acked) & set(pending)
    assert len(pending) == 1  # this start's journal.opened
    assert again.checkpoint().seq == 4
