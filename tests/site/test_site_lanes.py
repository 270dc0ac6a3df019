"""Lanes of one site on a real Mosquitto: anti-passback and occupancy are the site's."""

from __future__ import annotations

from kiosk.core.journal.records import Outcome
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
