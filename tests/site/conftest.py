"""A real Mosquitto on a free loopback port for each test that asks for one, and lanes of one
site enrolled through the reference portal's store (devportal/site_rig.py)."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from devportal import issuer
from devportal.broker import Broker
from devportal.demo import ISS, ISSUED, VALID_UNTIL
from devportal.site_rig import SITE, Lane, Site, scan_of, wait_for
from kiosk.core.demo_data import load_demo


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


__all__ = ["SITE", "Lane", "Site", "scan_of", "wait_for"]
