"""The kiosk's runtime as a lane of a site: its scans reach the other lane, its status says so."""

from __future__ import annotations

from pathlib import Path

from devportal.site_rig import Site, wait_for
from kiosk.core.config import load_config
from kiosk.core.demo_data import load_demo
from kiosk.core.runtime import Runtime
from kiosk.core.technician.pin import MIN_COST
from kiosk.core.technician.selftest import Level, run_checks


def test_a_runtime_with_a_broker_is_a_lane_of_its_site(site: Site, tmp_path: Path) -> None:
    site.enrol("lane-a")
    site.enrol("lane-b")
    for name in ("lane-a", "lane-b"):
        site.sync_roster(site.root / name)
    b = site.open("lane-b", "exit")
    config = load_config(
        overrides={"site.broker_url": site.broker.url, "sync.enabled": False},
        system_file=tmp_path / "none",
        user_file=tmp_path / "none",
    )
    demo = load_demo()
    rt = Runtime(config, site.root / "lane-a", source="images:" + str(tmp_path),
                 trust=demo.trust_state(), anchor=demo.anchor, pin_cost=MIN_COST)  # fmt: skip
    rt.start()
    try:
        wait_for(lambda: (s := rt.status().site) is not None and s.state == "online")
        valid = next(c.text for c in demo.codes if c.name == "valid")
        rt.submit_text(valid)
        wait_for(lambda: b.site.occupancy() == 1)
        summary = rt.status().site
        assert summary is not None
        assert (summary.lanes, summary.occupancy, summary.unpublished) == (2, 1, 0)
        site.broker.stop()
        wait_for(lambda: (s := rt.status().site) is not None and s.state == "offline")
    finally:
        rt.close()


def test_a_broker_on_a_kiosk_enrolled_without_a_site_says_why(site: Site, tmp_path: Path) -> None:
    site.enrol("alone", site=None)
    config = load_config(
        overrides={"site.broker_url": site.broker.url, "sync.enabled": False},
        system_file=tmp_path / "none",
        user_file=tmp_path / "none",
    )
    demo = load_demo()
    rt = Runtime(config, site.root / "alone", source="images:" + str(tmp_path),
                 trust=demo.trust_state(), anchor=demo.anchor, pin_cost=MIN_COST)  # fmt: skip
    rt.start()
    try:
        summary = rt.status().site
        assert summary is not None and summary.state == "error"
        assert summary.detail.startswith("no_site:")
    finally:
        rt.close()


def test_the_self_test_checks_the_site_bus_of_a_lane(site: Site, tmp_path: Path) -> None:
    site.enrol("lane-a")
    site.sync_roster(site.root / "lane-a")
    config = load_config(
        overrides={"site.broker_url": site.broker.url, "sync.enabled": False},
        system_file=tmp_path / "none",
        user_file=tmp_path / "none",
    )
    demo = load_demo()
    rt = Runtime(config, site.root / "lane-a", source="images:" + str(tmp_path),
                 trust=demo.trust_state(), anchor=demo.anchor, pin_cost=MIN_COST)  # fmt: skip
    rt.start()
    try:
        wait_for(lambda: (s := rt.status().site) is not None and s.state == "online")
        (online,) = [r for r in run_checks(rt) if r.check == "site"]
        assert (online.level, online.finding, online.facts["lanes"]) == (
            Level.PASS,
            "site_online",
            1,
        )
        site.broker.stop()
        wait_for(lambda: (s := rt.status().site) is not None and s.state == "offline")
        (down,) = [r for r in run_checks(rt) if r.check == "site"]
        assert (down.level, down.advice) == (Level.WARN, "site_broker")
    finally:
        rt.close()
