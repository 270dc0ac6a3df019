"""Lanes of one site on a real Mosquitto: anti-passback and occupancy are the site's."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from devportal.broker import Partition
from kiosk.core.journal.records import Action, Outcome
from tests.site.conftest import Lane, Site, wait_for


def test_an_entry_at_lane_a_refuses_a_second_entry_at_lane_b(
    two_lanes: tuple[Lane, Lane], valid_text: str
) -> None:
    a, b = two_lanes
    first = a.admit(valid_text)
    assert first.outcome == Outcome.ADMITTED
    wait_for(lambda: b.site.state.get(first.event_id) is not None)
    second = b.admit(valid_text)
    assert second.outcome == Outcome.REFUSED
    assert "passback" in second.flags
    assert a.site.occupancy() == b.site.occupancy() == 1


def test_exit_at_b_after_entry_at_a(site: Site, valid_text: str) -> None:
    site.enrol("lane-a")
    site.enrol("lane-b")
    for name in ("lane-a", "lane-b"):
        site.sync_roster(site.root / name)
    a = site.open("lane-a", "entry")
    b = site.open("lane-b", "exit")
    entry = a.admit(valid_text)
    wait_for(lambda: b.site.occupancy() == 1)
    out = b.admit(valid_text)
    assert out.outcome == Outcome.ADMITTED
    wait_for(lambda: a.site.occupancy() == 0 and a.site.state.get(out.event_id) is not None)
    assert b.site.occupancy() == 0
    # back in at A: the exit at B closed the entry, so anti-passback lets them in again
    again = a.admit(valid_text)
    assert again.outcome == Outcome.ADMITTED, entry


def test_broker_stopped_and_restarted_mid_stream(
    two_lanes: tuple[Lane, Lane], site: Site, more_people: list[str]
) -> None:
    a, b = two_lanes
    for text in more_people[:5]:
        a.admit(text)
    wait_for(lambda: b.site.occupancy() == 5 and a.site.status().unpublished == 0, timeout=30)
    site.broker.stop()
    wait_for(lambda: not a.site.bus.online and not b.site.bus.online, timeout=30)
    for text in more_people[5:10]:
        assert a.admit(text).outcome == Outcome.ADMITTED  # decides alone
    assert a.site.status().online is False
    wait_for(lambda: a.site.status().unpublished == 5, timeout=30)
    site.broker.start()  # same port, its persistence file: B's session and queue are back
    wait_for(lambda: b.site.occupancy() == 10, timeout=60)
    wait_for(lambda: a.site.status().unpublished == 0, timeout=30)
    assert a.site.state.digest(0) == b.site.state.digest(0)


def test_partition_then_heal_converges_and_journals_the_conflict(
    site: Site, valid_text: str, more_people: list[str]
) -> None:
    partition = Partition(site.broker.port)
    try:
        site.enrol("lane-a")
        site.enrol("lane-b")
        for name in ("lane-a", "lane-b"):
            site.sync_roster(site.root / name)
        a = site.open("lane-a", "entry")
        b = site.open("lane-b", "entry", url=partition.url)
        wait_for(lambda: a.site.bus.online and b.site.bus.online)
        partition.cut()
        wait_for(lambda: not b.site.bus.online)
        assert a.admit(valid_text).outcome == Outcome.ADMITTED
        assert b.admit(valid_text).outcome == Outcome.ADMITTED  # B cannot know: a conflict
        for text in more_people[:3]:
            a.admit(text)
        for text in more_people[3:6]:
            b.admit(text)
        assert b.site.status().online is False
        partition.heal()
        wait_for(lambda: a.site.state.digest(0)[0] == b.site.state.digest(0)[0] == 8, timeout=30)
        assert a.site.state.digest(0) == b.site.state.digest(0)
        # eight admissions, seven people: the one admitted at both lanes is one inside
        assert a.site.occupancy() == b.site.occupancy() == 7
        wait_for(lambda: a.site.status().conflicts == b.site.status().conflicts == 1)
        for lane in (a, b):
            rows = conflict_rows(lane)
            assert len(rows) == 1
            assert {rows[0]["first_lane"], rows[0]["second_lane"]} == {
                a.identity.device_id,
                b.identity.device_id,
            }
    finally:
        partition.close()


def conflict_rows(lane: Lane) -> list[dict[str, object]]:
    rows = lane.journal._conn.execute(
        "SELECT detail FROM events WHERE action = ?", (str(Action.SITE_CONFLICT),)
    ).fetchall()
    return [json.loads(r[0]) for r in rows]


def _child(site: Site, name: str, mode: str, text: str = "") -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.site.lane_child",
            str(site.root),
            name,
            site.broker.url,
            mode,
            text,
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[2],
    )


@pytest.mark.parametrize("mode", ["journal-only", "unacked"])
def test_kill_9_between_journal_and_bus_publishes_after_restart_once(
    site: Site, valid_text: str, mode: str
) -> None:
    site.enrol("lane-a")
    site.enrol("lane-b")
    for name in ("lane-a", "lane-b"):
        site.sync_roster(site.root / name)
    b = site.open("lane-b", "exit")
    wait_for(lambda: b.site.bus.online)
    site.broker.stop()  # A journals while the bus is away, then dies
    with _child(site, "lane-a", mode, valid_text) as killed:
        assert killed.wait(30) == -signal.SIGKILL
    site.broker.start()
    restarted = _child(site, "lane-a", "run")
    try:
        assert restarted.stdout is not None
        assert restarted.stdout.readline().strip() == "running"
        wait_for(lambda: b.site.state.digest(0)[0] == 1, timeout=20)
        time.sleep(1.0)  # a second copy, if one were coming, would be here by now
        assert b.site.state.digest(0)[0] == 1
        assert b.site.occupancy() == 1
    finally:
        restarted.kill()
        restarted.communicate()
    # A, opened again, has it once and published
    a = site.open("lane-a")
    wait_for(lambda: a.site.status().unpublished == 0)
    assert a.site.state.digest(0) == b.site.state.digest(0)


def test_a_lane_that_joins_later_asks_for_what_it_missed(
    two_lanes: tuple[Lane, Lane], site: Site, more_people: list[str]
) -> None:
    a, b = two_lanes
    for text in more_people[:3]:
        a.admit(text)
    wait_for(lambda: b.site.occupancy() == 3)
    site.enrol("lane-c")  # a new roster version names three lanes
    for lane in (a, b):
        site.sync_roster(lane.data_dir)
    site.sync_roster(site.root / "lane-c")
    c = site.open("lane-c", "exit")  # no session at the broker yet: nothing queued for it
    wait_for(lambda: c.site.occupancy() == 3)
    assert c.site.state.digest(0) == a.site.state.digest(0)
