"""One pseudonym per site: the secret from enrolment, its weekly keys, the roster's checks."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import cbor2
import nacl.signing
import pytest

from devportal import issuer
from devportal.store import PortalStore
from kiosk.core.journal.gate import Gate
from kiosk.core.journal.records import Outcome
from kiosk.core.journal.sealing import load_keys
from kiosk.core.journal.settings import JournalSettings
from kiosk.core.site.secret import SitePseudonyms, epoch_of, read_site_secret
from portal_sync.enrolment import EnrolmentOffer
from portal_sync.errors import Rejected
from portal_sync.roster import install_roster, read_roster
from verifier import Verdict
from verifier.cose import parse_sign1
from verifier.errors import MalformedDocument, RollbackRefused

ID = "048190000001"


def _enrol(portal: PortalStore, root: Path, name: str, site: str | None) -> Path:
    code = portal.create_enrolment_code(1_800_000_000, site=site)
    key = nacl.signing.SigningKey.generate()
    enrolled = portal.enrol(code, bytes(key.verify_key), name, "", 1_800_000_000)
    EnrolmentOffer("http://127.0.0.1:9", enrolled.anchor, enrolled.document, key).commit(
        root / name, root / name / "trust"
    )
    return root / name


@pytest.fixture
def portal(tmp_path: Path) -> PortalStore:
    store = PortalStore(tmp_path / "portal")
    store.initialise("demo", 1_800_000_000)
    return store


def test_the_lanes_of_a_site_share_one_pseudonym_and_other_sites_do_not(
    portal: PortalStore, tmp_path: Path
) -> None:
    a = _enrol(portal, tmp_path, "a", "site-1")
    b = _enrol(portal, tmp_path, "b", "site-1")
    other = _enrol(portal, tmp_path, "c", "site-2")
    alone = _enrol(portal, tmp_path, "d", None)
    assert read_site_secret(a) == read_site_secret(b) is not None
    assert read_site_secret(other) not in (None, read_site_secret(a))
    assert read_site_secret(alone) is None
    assert (a / "portal" / "site-secret.key").stat().st_mode & 0o777 == 0o600
    names = {n: load_keys(tmp_path / n).pseudonyms for n in "abcd"}
    now = 1_800_000_000_000
    assert names["a"].of(ID, now) == names["b"].of(ID, now)
    assert names["a"].of(ID, now) != names["c"].of(ID, now)
    assert names["a"].of(ID, now) != names["d"].of(ID, now)  # a lane alone keeps its own


def test_a_secret_sealed_to_another_device_refuses_the_enrolment(
    portal: PortalStore, tmp_path: Path
) -> None:
    code = portal.create_enrolment_code(1_800_000_000, site="site-1")
    key = nacl.signing.SigningKey.generate()
    enrolled = portal.enrol(code, bytes(key.verify_key), "x", "", 1_800_000_000)
    # The anchor re-signs the same document with the secret sealed to someone else.
    body = cbor2.loads(parse_sign1(enrolled.document).payload)
    body["site_secret"] = issuer.seal_site_secret(
        bytes(32), bytes(nacl.signing.SigningKey.generate().verify_key)
    )
    forged = issuer.sign1(cbor2.dumps(body), issuer.signing_key("demo:anchor"))
    offer = EnrolmentOffer("http://127.0.0.1:9", enrolled.anchor, forged, key)
    with pytest.raises(Rejected) as e:
        offer.commit(tmp_path / "x", tmp_path / "x" / "trust")
    assert e.value.code == "enrolment_malformed"
    assert not (tmp_path / "x" / "portal" / "device.json").exists()


def test_pseudonyms_change_each_week_and_anti_passback_holds_across_the_change() -> None:
    secret = bytes(range(32))
    names = SitePseudonyms(secret, 4 * 3600 * 1000, utc_offset_min=lambda _w: 420)
    change = 2900 * 7 * 86_400_000 - 420 * 60_000  # an epoch boundary: a Thursday's local midnight
    assert epoch_of(change, 420) == epoch_of(change - 1, 420) + 1
    before, after = change - 3600_000, change + 3600_000  # an hour either side
    assert names.of(ID, before) != names.of(ID, after)
    assert names.aliases(ID, after) == (names.of(ID, before),)
    assert names.aliases(ID, change + 5 * 3600_000) == ()  # the window no longer reaches back
    gate = Gate(replace(JournalSettings(), antipassback="deny", gate_direction="entry"), "gate")
    gate.remember(names.of(ID, before), "entry", before)
    decision = gate.decide(_accepted(), names.of(ID, after), after, names.aliases(ID, after))
    assert decision.outcome == Outcome.REFUSED
    assert gate.decide(_accepted(), names.of(ID, after), after).outcome == Outcome.ADMITTED


def _accepted() -> Verdict:
    from kiosk.core.demo_data import load_demo
    from verifier import check

    demo = load_demo()
    valid = next(c for c in demo.codes if c.name == "valid")
    return check(valid.text, demo.trust_state(), demo.checked_at)


def test_a_roster_of_another_site_or_an_older_one_is_refused(
    portal: PortalStore, tmp_path: Path
) -> None:
    a = _enrol(portal, tmp_path, "a", "site-1")
    first = portal.roster("site-1")
    _enrol(portal, tmp_path, "b", "site-1")
    _enrol(portal, tmp_path, "c", "site-2")
    second = portal.roster("site-1")
    assert first is not None and second is not None
    anchor = portal.anchor()
    install_roster(a, anchor, "site-1", second.raw)
    roster = read_roster(a, anchor)
    assert roster is not None and len(roster.lanes) == 2
    with pytest.raises(RollbackRefused):
        install_roster(a, anchor, "site-1", first.raw)
    other = portal.roster("site-2")
    assert other is not None
    with pytest.raises(MalformedDocument):
        install_roster(a, anchor, "site-1", other.raw)
    assert read_roster(a, anchor) == roster
