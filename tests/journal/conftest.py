"""Fixtures for the journal tests: real demo credentials, a fake clock, journals in tmp_path."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import nacl.public
import pytest

from devportal import issuer
from devportal.demo import ISS, ISSUED, VALID_UNTIL
from kiosk.core.demo_data import DemoBundle, load_demo
from kiosk.core.events import ScanEvent
from kiosk.core.journal import Journal, JournalSettings, load_keys
from kiosk.core.journal.journal import journal_path
from portal_sync.enrolment import seal_key_path
from verifier import Verdict, check

OFFSET_MIN = 420  # Da Nang, UTC+7


class FakeClock:
    def __init__(self, wall: float) -> None:
        self.now = wall
        self.mono = 1000.0

    def wall(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return self.mono

    def utc_offset_min(self, wall: float) -> int:
        return OFFSET_MIN

    def advance(self, seconds: float) -> None:
        self.now += seconds
        self.mono += seconds


@dataclass(frozen=True)
class Person:
    text: str
    id_number: str
    name: str


@pytest.fixture(scope="session")
def demo() -> DemoBundle:
    return load_demo()


@pytest.fixture(scope="session")
def verdicts(demo: DemoBundle) -> dict[str, Verdict]:
    """The demo codes' verdicts at the bundle's check time: valid, expired, revoked, ..."""
    trust = demo.trust_state()
    return {c.name: check(c.text, trust, demo.checked_at) for c in demo.codes}


@pytest.fixture(scope="session")
def people(demo: DemoBundle) -> list[Person]:
    """Valid credentials for a few more citizens, signed by the demo issuer."""
    signer = issuer.signing_key("demo:issuer")
    names = ["Đặng Thu Trang", "Huỳnh Minh Khôi", "Bùi Thị Lan Anh", "Phan Quốc Bảo"]
    out = []
    for i, name in enumerate(names):
        id_number = f"04809{i:07d}"
        citizen = issuer.Citizen(id_number, name, "1990-01-01", "F")
        cti = hashlib.sha256(f"journal-test:{i}".encode()).digest()[:16]
        text = issuer.mint_credential(
            signer, citizen, iss=ISS, iat=ISSUED, exp=VALID_UNTIL, cti=cti
        )
        out.append(Person(text, id_number, name))
    return out


ScanFactory = Callable[..., ScanEvent]


@pytest.fixture
def scan(demo: DemoBundle, verdicts: dict[str, Verdict]) -> ScanFactory:
    """scan("valid") or scan(text=...) at the clock's time; a new digest unless `same` given."""
    trust = demo.trust_state()
    counter = iter(range(1_000_000))

    def make(
        name: str | None = None,
        *,
        text: str | None = None,
        clock: FakeClock | None = None,
        digest: bytes | None = None,
    ) -> ScanEvent:
        verdict = verdicts[name] if name else check(text or "", trust, demo.checked_at)
        wall = clock.now if clock else float(demo.checked_at)
        mono = clock.mono if clock else 1000.0
        n = next(counter)
        return ScanEvent(
            verdict,
            "test",
            "file",
            wall,
            mono,
            2.5,
            digest or hashlib.blake2b(f"{name or text}:{n}".encode()).digest(),
        )

    return make


@pytest.fixture
def clock(demo: DemoBundle) -> FakeClock:
    return FakeClock(float(demo.checked_at))


@pytest.fixture
def portal_key(data_dir: Path) -> nacl.public.PrivateKey:
    """The portal's key pair; its public half is where enrolment puts it."""
    key = nacl.public.PrivateKey(hashlib.sha256(b"journal-test-portal").digest())
    path = seal_key_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(bytes(key.public_key).hex() + "\n")
    return key


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


JournalFactory = Callable[..., Journal]


@pytest.fixture
def open_journal(data_dir: Path, clock: FakeClock) -> Iterator[JournalFactory]:
    """open_journal(mode="gate", **settings) -> a Journal in data_dir, closed after the test."""
    opened: list[Journal] = []

    def make(
        mode: str = "gate",
        *,
        max_page_count: int | None = None,
        directory: Path | None = None,
        **settings: object,
    ) -> Journal:
        where = directory or data_dir
        journal = Journal(
            journal_path(where),
            load_keys(where),
            replace(JournalSettings(), **settings),
            kiosk_id="test-gate",
            mode=mode,
            clock=clock,
            max_page_count=max_page_count,
        )
        opened.append(journal)
        return journal

    yield make
    for journal in opened:
        journal.close()
