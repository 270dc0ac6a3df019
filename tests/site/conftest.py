"""A real Mosquitto on a free loopback port for each test that asks for one."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import nacl.signing
import pytest

from devportal import issuer
from devportal.broker import Broker
from devportal.demo import ISS, ISSUED, VALID_UNTIL
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
from verifier import check


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Broker]:
    if shutil.which("mosquitto") is None and not Path("/usr/sbin/mosquitto").exists():
        pytest.fail("mosquitto is not installed: run `make system` (scripts/bootstrap-system.sh)")
    b = Broker(tmp_path / "broker")
    b.start()
    try:
        yield b
    finally:
        b.stop()


# --- lanes of one site, enrolled through the reference portal's store ------------------------

SITE = "benh-vien-c"


@dataclass
class Lane:
    """One lane: its data dir, journal and site lane, as the kiosk runs them."""

    name: str
    data_dir: Path
    journal: Journal
    site: SiteLane
    identity: DeviceIdentity

    def admit(self, text: str) -> Recorded:
        recorded = self.journal.record_scan(scan_of(text))
        assert recorded is not None
        self.site.poke()
        return recorded


def scan_of(text: str) -> ScanEvent:
    demo = load_demo()
    verdict = check(text, demo.trust_state(), demo.checked_at)
    return ScanEvent(verdict, "test", "file", time.time(), time.monotonic(), 1.0, os.urandom(16))


@pytest.fixture(scope="session")
def valid_text() -> str:
    return next(c.text for c in load_demo().codes if c.name == "valid")


@pytest.fixture(scope="session")
def more_people() -> list[str]:
    """Valid codes for more citizens, signed by the demo issuer."""
    signer = issuer.signing_key("demo:issuer")
    out = []
    for i in range(40):
        citizen = issuer.Citizen(f"04819{i:07d}", f"Người {i}", "1990-01-01", "F")
        cti = hashlib.sha256(f"site-test:{i}".encode()).digest()[:16]
        out.append(
            issuer.mint_credential(signer, citizen, iss=ISS, iat=ISSUED, exp=VALID_UNTIL, cti=cti)
        )
    return out


class Site:
    """A portal store, a broker, and the lanes enrolled at one site."""

    def __init__(self, root: Path, broker: Broker) -> None:
        self.root, self.broker = root, broker
        self.portal = PortalStore(root / "portal")
        self.portal.initialise("demo", int(time.time()))
        self.lanes: list[Lane] = []

    def enrol(self, name: str, site: str = SITE) -> DeviceIdentity:
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
            antipassback_window_s=config["journal.antipassback_window_s"],
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


@pytest.fixture
def site(tmp_path: Path, broker: Broker) -> Iterator[Site]:
    s = Site(tmp_path, broker)
    yield s
    s.close_all()


@pytest.fixture
def two_lanes(site: Site) -> tuple[Lane, Lane]:
    """Lane A (entry) and lane B, both on the roster, both connected."""
    site.enrol("lane-a")
    site.enrol("lane-b")
    for name in ("lane-a", "lane-b"):
        site.sync_roster(site.root / name)
    a = site.open("lane-a", "entry")
    b = site.open("lane-b", "entry")
    wait_for(lambda: a.site.bus.online and b.site.bus.online)
    return a, b


def wait_for(condition: Callable[[], object], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError("the condition did not hold in time")
