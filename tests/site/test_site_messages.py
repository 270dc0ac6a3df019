"""What a lane accepts from the bus: duplicates, reordering, strangers and forgeries."""

from __future__ import annotations

import itertools
import json
import os
import time
from dataclasses import replace
from pathlib import Path

import nacl.signing
import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from kiosk.core.journal.records import Action
from kiosk.core.site import passage as wire
from kiosk.core.site.bus import passages_topic
from kiosk.core.site.passage import Passage
from kiosk.core.site.state import SiteState
from tests.site.conftest import SITE, Lane, Site, wait_for

HOUR_MS = 3_600_000


def _passage(n: int, lane: str, direction: str, ts_ms: int, who: bytes) -> Passage:
    return Passage(f"ev-{lane}-{n}", SITE, lane, who, 0, direction, ts_ms, "00" * 32)


def test_merge_is_idempotent_and_order_independent(tmp_path: Path) -> None:
    now = int(time.time() * 1000)
    p, q, r = os.urandom(16), os.urandom(16), os.urandom(16)
    passages = [
        _passage(1, "a", "entry", now, p),
        _passage(2, "b", "entry", now + 1000, p),  # a conflict with 1: no exit between
        _passage(3, "b", "exit", now + 2000, p),
        _passage(4, "a", "entry", now + 3000, q),
        _passage(5, "b", "exit", now + 4000, q),
        _passage(6, "b", "exit", now + 5000, r),  # an exit without an entry takes no one out
        _passage(7, "a", "entry", now + 6000, r),
    ]
    seen = set()
    for i, order in enumerate(itertools.permutations(passages)):
        if i % 280:
            continue  # 18 of the 5,040 orders
        state = SiteState(tmp_path / f"s{i}.db", 4 * 3600)
        for x in (*order, *order[:2]):  # and the first two delivered twice
            state.merge(x, now)
        seen.add(
            (state.occupancy(now - HOUR_MS, now + HOUR_MS), state.conflict_count(), state.digest(0))
        )
        state.close()
    assert len(seen) == 1
    ((occupancy, conflicts, (count, _)),) = seen
    assert (occupancy, conflicts, count) == (1, 1, 7)  # r is inside; p and q left


def _raw_client(port: int) -> mqtt.Client:
    c = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="outsider", clean_session=True)
    c.connect("127.0.0.1", port)
    c.loop_start()
    return c


def _refusals(lane: Lane) -> list[dict[str, object]]:
    rows = lane.journal._conn.execute(
        "SELECT detail FROM events WHERE action = ?", (str(Action.SITE_PASSAGE_REFUSED),)
    ).fetchall()
    return [json.loads(r[0]) for r in rows]


def test_a_duplicated_delivery_changes_nothing(
    two_lanes: tuple[Lane, Lane], valid_text: str, site: Site
) -> None:
    a, b = two_lanes
    first = a.admit(valid_text)
    wait_for(lambda: b.site.state.get(first.event_id) is not None)
    held = a.site.state.get(first.event_id)
    assert held is not None
    # lane A's own message, byte for byte a second and third time (a redelivery)
    message = wire.sign(replace(held, site=SITE), a.identity.signing_key)
    # Then another person's entry on the same topic: one publisher's messages on one topic
    # arrive in order, so once B holds it, B has handled the three repeats before it.
    marker = replace(held, event_id=f"{held.event_id}-next", pseudonym=os.urandom(16), site=SITE)
    outsider = _raw_client(site.broker.port)
    try:
        for m in (message, message, message, wire.sign(marker, a.identity.signing_key)):
            outsider.publish(passages_topic(SITE, a.identity.device_id), m, qos=1).wait_for_publish(
                5
            )
    finally:
        outsider.loop_stop()
        outsider.disconnect()
    wait_for(lambda: b.site.state.get(marker.event_id) is not None)
    assert b.site.state.digest(0)[0] == 2  # the first passage once, and the marker
    assert b.site.occupancy() == 2
    assert _refusals(b) == []


def test_a_stranger_and_a_forgery_are_refused_and_journaled(
    two_lanes: tuple[Lane, Lane],
    site: Site,
) -> None:
    a, b = two_lanes
    now = int(time.time() * 1000)
    stranger = nacl.signing.SigningKey.generate()
    not_on_roster = wire.sign(_passage(1, "kd-stranger", "entry", now, os.urandom(16)), stranger)
    forged = wire.sign(  # lane A's id, someone else's key
        _passage(2, a.identity.device_id, "entry", now, os.urandom(16)), stranger
    )
    garbage = b"\x82\x41\x00"
    outsider = _raw_client(site.broker.port)
    try:
        for m in (not_on_roster, forged, garbage):
            outsider.publish(passages_topic(SITE, "x"), m, qos=1).wait_for_publish(5)
    finally:
        outsider.loop_stop()
        outsider.disconnect()
    wait_for(lambda: len(_refusals(b)) == 3)
    codes = {(r["lane"], r["code"]) for r in _refusals(b)}
    assert codes == {
        ("kd-stranger", "not_on_roster"),
        (a.identity.device_id, "bad_signature"),
        ("?", "malformed"),
    }
    assert b.site.state.digest(0)[0] == 0
    assert b.site.occupancy() == 0
    assert b.site.status().refused == 3


def test_old_passages_are_forgotten_but_not_unpublished_ones(tmp_path: Path) -> None:
    now = int(time.time() * 1000)
    state = SiteState(tmp_path / "s.db", 4 * 3600)
    old_theirs = _passage(1, "b", "entry", now - 3 * 86_400_000, os.urandom(16))
    old_mine = _passage(2, "a", "entry", now - 3 * 86_400_000, os.urandom(16))
    fresh = _passage(3, "b", "entry", now, os.urandom(16))
    state.merge(old_theirs, now, published=True)
    state.merge(old_mine, now)  # never acknowledged by the broker
    state.merge(fresh, now, published=True)
    assert state.forget_before(now - 2 * 86_400_000) == 1
    assert state.get(old_theirs.event_id) is None
    assert state.unpublished("a") == [old_mine.event_id]
    assert state.get(fresh.event_id) is not None
    state.close()
