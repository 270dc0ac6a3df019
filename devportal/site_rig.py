"""Lanes of one site, enrolled through the reference portal's store exactly as `kiosk enroll`
commits an enrolment, each with its journal and site lane: for the tests and the benchmark."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nacl.signing

from devportal.store import PortalStore
from kiosk.core.config import load_config
from kiosk.core.demo_data import load_demo
from kiosk.core.events import ScanEvent
from kiosk.core.journal import Journal
from kiosk.core.journal.journal import Recorded
from kiosk.core.site.bus import BusSettings
from kiosk.core.site.lane import SiteLane
from portal_sync.enrolment import DeviceIdentity, EnrolmentOffer
from portal_sync.roster import install_roster
from verifier import Verdict, check

SITE = "benh-vien-c"


@dataclass
class Lane:
    """One lane: its data dir, journal and site lane, as the kiosk runs them."""

    name: str
    data_dir: Path
    journal: Journal
    site: SiteLane
    identity: DeviceIdentity

    def admit(self, text: str | Verdict) -> Recorded:
        recorded = self.journal.record_scan(scan_of(text))
        assert recorded is not None
        self.site.poke()
        return recorded


def scan_of(text: str | Verdict) -> ScanEvent:
    if isinstance(text, str):
        demo = load_demo()
        verdict = check(text, demo.trust_state(), demo.checked_at)
    else:
        verdict = text
    return ScanEvent(verdict, "test", "file", time.time(), time.monotonic(), 1.0, os.urandom(16))


class Site:
    """A portal store, a broker, and the lanes enrolled at one site."""

    def __init__(self, root: Path, broker: Any) -> None:
        self.root, self.broker = root, broker
        self.portal = PortalStore(root / "portal")
        self.portal.initialise("demo", int(time.time()))
        self.lanes: list[Lane] = []

    def enrol(self, name: str, site: str | None = SITE) -> DeviceIdentity:
        data_dir = self.root / name
        code = self.portal.create_enrolment_code(int(time.time()), site=site)
        key = nacl.signing.SigningKey.generate()
        enrolled = self.portal.enrol(code, bytes(key.verify_key), name, "", int(time.time()))
        offer = EnrolmentOffer("http://127.0.0.1:9", enrolled.anchor, enrolled.document, key)
        return offer.commit(data_dir, data_dir / "trust")

    def sync_roster(self, data_dir: Path, site: str = SITE) -> None:
        doc = self.portal.roster(site)
        assert doc is not None
        install_roster(data_dir, self.portal.anchor(), site, doc.raw)

    def open(
        self,
        name: str,
        direction: str = "entry",
        *,
        url: str | None = None,
        start: bool = True,
        **settings: object,
    ) -> Lane:
        data_dir = self.root / name
        identity = DeviceIdentity.load(data_dir)
        config = load_config(
            overrides={
                "site.broker_url": url or self.broker.url,
                "journal.gate_direction": direction,
                "journal.antipassback": "deny",
                **settings,
            },
            system_file=self.root / "none",
            user_file=self.root / "none",
        )
        journal = Journal.open(data_dir, config, kiosk_id=name)
        bus = BusSettings.from_config(config)
        assert bus is not None and identity.site is not None
        lane = SiteLane(
            data_dir,
            journal,
            site=identity.site,
            device_id=identity.device_id,
            device_key=identity.signing_key,
            anchor=self.portal.anchor(),
            bus=bus,
            antipassback_window_s=config.journal.antipassback_window_s,
        )
        if start:
            lane.start()
        opened = Lane(name, data_dir, journal, lane, identity)
        self.lanes.append(opened)
        return opened

    def close(self, lane: Lane) -> None:
        lane.site.stop()
        lane.journal.close()
        self.lanes.remove(lane)

    def close_all(self) -> None:
        for lane in list(self.lanes):
            self.close(lane)
        self.portal.close()


def wait_for(condition: Callable[[], object], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError("the condition did not hold in time")
