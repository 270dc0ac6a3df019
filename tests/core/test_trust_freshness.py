"""Stale trust data at the kiosk: a missing, damaged, stale or withheld revocation list is judged
by the stale-trust policy, named on the status and the screen, journaled once (not per scan),
and fetched again at the next sync."""

from __future__ import annotations

import json
import queue
import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from devportal.faultproxy import Fault, FaultProxy
from devportal.issuer import Citizen
from devportal.server import PortalServer
from devportal.store import now_s
from kiosk.cli.main import main
from kiosk.core.config import load_config
from kiosk.core.demo_data import load_demo
from kiosk.core.journal.journal import journal_path
from kiosk.core.paths import trust_dir
from kiosk.core.presentation import Headline, Tone, present
from kiosk.core.runtime import Runtime
from kiosk.core.runtime_messages import ShownScan
from kiosk.core.technician.pin import MIN_COST
from kiosk.core.trust.freshness import ListState, freshness
from tests.sync.conftest import enrol_kiosk
from verifier import Policy, Reason, StaleAction, StaleList, TrustState, TrustStore
from verifier.trust_store import write_anchor

DEMO = load_demo()
CODES = {c.name: c.text for c in DEMO.codes}
REJECT_STALE = {"verify.on_stale_trust_list": "reject"}


def _stale_rows(data_dir: Path) -> list[tuple[str, dict[str, Any]]]:
    uri = f"{journal_path(data_dir).as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as db:
        rows = db.execute(
            "SELECT action, detail FROM events WHERE action LIKE 'trust_data.%' ORDER BY seq"
        ).fetchall()
    return [(action, json.loads(detail)) for action, detail in rows]


def _kiosk_with_damaged_revocations(data: Path) -> bytes:
    """An enrolled kiosk's trust store whose revocation file was truncated on the card."""
    store_dir = trust_dir(data)
    write_anchor(store_dir, DEMO.anchor)
    store = TrustStore.open(store_dir)
    store.install_trust_list(DEMO.trust_list)
    store.install_revocations(DEMO.revocations)
    (store_dir / "revocations.cose").write_bytes(DEMO.revocations[:40])
    return DEMO.revocations


def test_freshness_names_what_the_verifier_judges() -> None:
    tl = DEMO.trust_state().trust_list
    rl = DEMO.trust_state().revocations
    assert tl is not None and rl is not None
    policy = Policy(stale_grace_s=86_400)
    for trust in (TrustState(tl, rl), TrustState(tl, None), TrustState(None, rl)):
        for now in (DEMO.checked_at, rl.next_update + 10, rl.next_update + 86_401):
            fresh = freshness(trust, now, policy)
            assert fresh.stale_lists == trust.stale_lists(now, policy), (trust, now)
    late = freshness(TrustState(tl, rl), rl.next_update + 10, policy)
    assert (late.trust_list.state, late.revocations.state) == (ListState.LATE, ListState.LATE)
    damaged = freshness(TrustState(tl, None), 0, policy, {StaleList.REVOCATIONS: "cut short"})
    assert damaged.revocations.state is ListState.UNREADABLE
    assert damaged.revocations.problem == "cut short"


@pytest.mark.parametrize("policy", ["accept", "reject"])
def test_the_screen_is_told_which_list_is_stale(policy: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    _kiosk_with_damaged_revocations(data)
    config = load_config(overrides={"verify.on_stale_trust_list": policy})
    rt = Runtime(config, data, source="images:/nonexistent", pin_cost=MIN_COST, sync=False)
    shown: queue.Queue[ShownScan] = queue.Queue()
    rt.add_listener(lambda m: shown.put(m) if isinstance(m, ShownScan) else None)
    rt.start()
    try:
        rt.submit_text(CODES["revoked"])  # revoked at the portal; this kiosk cannot tell
        scan = shown.get(timeout=10)
    finally:
        rt.close()
    p = present(scan)
    assert p.stale_lists == (StaleList.REVOCATIONS,)
    assert scan.event.public_json()["stale_lists"] == ["revocations"]  # kiosk run --headless
    if policy == "reject":
        assert (p.tone, p.reason) == (Tone.STOP, Reason.STALE_TRUST_LIST) and not scan.admitted
    else:
        assert (p.tone, p.headline) == (Tone.CAUTION, Headline.VALID_STALE_LIST)


def test_damaged_revocations_are_journaled_once_and_shown_on_the_status(tmp_path: Path) -> None:
    data = tmp_path / "data"
    good = _kiosk_with_damaged_revocations(data)
    config = load_config(overrides={**REJECT_STALE, "scan.repeat_window_s": 0.5})
    rt = Runtime(config, data, source="images:/nonexistent", pin_cost=MIN_COST, sync=False,
                 status_interval_s=0.05)  # fmt: skip
    shown: queue.Queue[ShownScan] = queue.Queue()
    rt.add_listener(lambda m: shown.put(m) if isinstance(m, ShownScan) else None)
    rt.start()
    try:
        for name in ("valid", "revoked", "expired", "valid", "revoked"):  # repeats: one each
            rt.submit_text(CODES[name])
            time.sleep(0.02)
        verdicts = [shown.get(timeout=10).event.verdict for _ in range(3)]
        assert [v.reason for v in verdicts] == [Reason.STALE_TRUST_LIST] * 2 + [Reason.EXPIRED]
        time.sleep(0.3)  # a few status ticks: still one row
        trust = rt.status().trust
        assert trust.stale_lists == ("revocations",) and trust.on_stale == "reject"
        assert trust.revocations_state == "unreadable" and trust.level == "ok"
        rows = _stale_rows(data)
        assert [a for a, _ in rows] == ["trust_data.stale"]
        detail = rows[0][1]
        assert detail["lists"] == "revocations" and detail["revocations"] == "unreadable"
        assert "revocations.cose" in detail["revocations_problem"]
        assert detail["policy"] == "reject"

        assert rt.trust.store is not None
        rt.trust.store.install_revocations(good)  # what the next sync does (below, for real)
        rt.note_trust_freshness()
        rt.note_trust_freshness()
        assert [a for a, _ in _stale_rows(data)] == ["trust_data.stale", "trust_data.fresh"]
        assert rt.status().trust.stale_lists == ()
        time.sleep(0.6)  # past the repeat window for this credential
        rt.submit_text(CODES["revoked"])
        assert shown.get(timeout=10).event.verdict.reason is Reason.REVOKED
    finally:
        rt.close()


def test_selftest_names_a_damaged_revocation_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    _kiosk_with_damaged_revocations(data)
    status = main(["--data-dir", str(data), "selftest", "--json", "--camera-wait", "0"])
    report = json.loads(capsys.readouterr().out)
    check = next(c for c in report["checks"] if c["check"] == "revocations")
    assert status == 1 and check["level"] == "fail" and check["advice"] == "trust_sync"
    assert "unreadable" in check["detail"] and "revocation not checked" in check["detail"]
    assert "revocations.cose" in check["detail"]
    assert main(["--data-dir", str(data), "selftest", "--camera-wait", "0"]) == 1
    line = next(x for x in capsys.readouterr().out.splitlines() if "revocations" in x)
    assert line.startswith("FAIL") and "revocation not checked" in line


@pytest.fixture
def portal(tmp_path: Path) -> Any:
    with PortalServer(tmp_path / "portal", seed="demo") as server:
        yield server


def test_a_damaged_revocation_list_is_fetched_again_at_the_next_sync(
    portal: PortalServer, tmp_path: Path
) -> None:
    kiosk = enrol_kiosk(portal, portal.base_url, tmp_path / "kiosk")
    try:
        first = kiosk.runner.run_round()
        assert {d.kind: d.status for d in first.documents}["revocations"] == "installed"
        revocations = trust_dir(kiosk.data_dir) / "revocations.cose"
        revocations.write_bytes(revocations.read_bytes()[:50])  # the card damaged it

        reopened = TrustStore.open(trust_dir(kiosk.data_dir))  # as the kiosk starts again
        assert reopened.state.revocations is None and StaleList.REVOCATIONS in reopened.unreadable
        kiosk.runner.store = reopened
        again = kiosk.runner.run_round()  # the ETag held would say "unchanged": not asked
        assert {d.kind: d.status for d in again.documents}["revocations"] == "installed"
        assert reopened.state.revocations is not None and not reopened.unreadable
    finally:
        kiosk.client.close()
        kiosk.journal.close()


def test_revocations_withheld_while_the_trust_list_updates_are_not_a_clean_accept(
    portal: PortalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A proxy lets the trust list through and answers 503 for the revocation list; the portal
    has revoked a credential. Before: `kiosk verify` accepted it with rc 0 under "reject"."""
    with FaultProxy("127.0.0.1", portal.port) as proxy:
        kiosk = enrol_kiosk(portal, proxy.base_url, tmp_path / "kiosk")
        try:
            proxy.add(Fault("status", path="/api/v1/documents/revocations", times=1000, status=503))
            text, cti = portal.store.mint(Citizen("048090009999", "Lê Văn Tám", "1990-01-01", "M"),
                                          now_s())  # fmt: skip
            portal.store.revoke_credential(cti, now_s())
            report = kiosk.runner.run_round()
            assert {d.kind: d.status for d in report.documents} == {"trust-list": "installed"}
        finally:
            kiosk.client.close()
            kiosk.journal.close()
    credential = tmp_path / "revoked.txt"
    credential.write_text(text + "\n", encoding="utf-8")
    config = tmp_path / "kiosk.toml"
    config.write_text('[verify]\non_stale_trust_list = "reject"\n')
    status = main(["--config", str(config), "--data-dir", str(kiosk.data_dir), "verify", "--json",
                   str(credential)])  # fmt: skip
    out, err = capsys.readouterr()
    line = json.loads(out)
    assert status == 1 and (line["verdict"], line["reason"]) == ("reject", "stale_trust_list")
    assert line["stale_lists"] == ["revocations"] and "stale revocations: none held" in err
    policy = Policy(on_stale_trust_list=StaleAction.REJECT)
    held = TrustStore.open(trust_dir(kiosk.data_dir)).state
    assert held.trust_list is not None and held.stale_lists(now_s(), policy) == (
        StaleList.REVOCATIONS,
    )


def test_selftest_names_a_damaged_trust_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    _kiosk_with_damaged_revocations(data)
    (trust_dir(data) / "trust-list.cose").write_bytes(b"\xd2\x84")
    assert main(["--data-dir", str(data), "selftest", "--json", "--camera-wait", "0"]) == 1
    report = json.loads(capsys.readouterr().out)
    check = next(c for c in report["checks"] if c["check"] == "trust_list")
    assert check["level"] == "fail" and "trust list unreadable" in check["detail"]
    assert "trust-list.cose" in check["detail"]
