"""`kiosk enroll` and `kiosk sync` against the reference portal."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from devportal.server import PortalServer
from devportal.store import now_s
from kiosk.cli.main import main
from kiosk.cli.sync_cmd import ProgressBar
from kiosk.core.config import load_config
from kiosk.core.journal.journal import Journal
from portal_sync.enrolment import DeviceIdentity
from tests.sync.conftest import portal_event_ids


def test_enroll_then_sync(
    portal: PortalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "kiosk")
    code = portal.store.create_enrolment_code(now_s())
    assert (
        main(
            [
                "--data-dir",
                data,
                "enroll",
                "--portal",
                portal.base_url,
                "--code",
                code,
                "--yes",
                "--name",
                "Cổng Bắc",
            ]
        )
        == 0
    )
    captured = capsys.readouterr()
    out = captured.out
    assert portal.store.anchor_fingerprint() in out and "Enrolled as device kd-" in out
    assert "PUBLIC DEMO" in captured.err  # the fixture's portal runs on the demo seed

    assert main(["--data-dir", data, "sync"]) == 0
    out = capsys.readouterr().out
    assert "trust-list v1: installed" in out and "heartbeat: sent" in out
    assert main(["--data-dir", data, "sync"]) == 0
    assert "trust-list v1: not_modified" in capsys.readouterr().out


def test_enroll_without_confirmation_writes_nothing(
    portal: PortalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = portal.store.create_enrolment_code(now_s())
    data = tmp_path / "kiosk"
    status = main(["--data-dir", str(data), "enroll", "--portal", portal.base_url, "--code", code])
    assert status == 1
    assert "Nothing was written" in capsys.readouterr().out
    assert not (data / "portal").exists()


def test_enroll_with_an_expired_code(
    portal: PortalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = portal.store.create_enrolment_code(now_s() - 100, ttl_s=10)
    status = main(
        [
            "--data-dir",
            str(tmp_path / "k"),
            "enroll",
            "--portal",
            portal.base_url,
            "--code",
            code,
            "--yes",
        ]
    )
    assert status == 1
    assert "enrolment_code_refused" in capsys.readouterr().err  # one answer, whatever the reason


def test_enroll_with_no_portal_listening(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(
        [
            "--data-dir",
            str(tmp_path / "k"),
            "enroll",
            "--portal",
            "http://127.0.0.1:9",
            "--code",
            "X",
            "--yes",
        ]
    )
    assert status == 2
    assert "enrolment failed" in capsys.readouterr().err


def test_sync_before_enrolment_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(tmp_path / "k"), "sync"]) == 2
    assert "kiosk enroll" in capsys.readouterr().err


def test_progress_bar(capsys: pytest.CaptureFixture[str]) -> None:
    import sys

    bar = ProgressBar(stream=sys.stdout, width=10)
    bar(0, 100_000)
    bar(100_000, 100_000)
    bar.finish()
    out = capsys.readouterr().out
    assert "[##########] 100,000/100,000 events" in out and out.endswith("\n")


def test_sync_drains_the_real_journal_and_journals_what_it_installed(
    portal: PortalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "kiosk"
    code = portal.store.create_enrolment_code(now_s())
    assert (
        main(
            [
                "--data-dir",
                str(data),
                "enroll",
                "--portal",
                portal.base_url,
                "--code",
                code,
                "--yes",
            ]
        )
        == 0
    )
    assert main(["--data-dir", str(data), "sync"]) == 0
    assert main(["--data-dir", str(data), "sync"]) == 0  # sends the rows the first round wrote
    capsys.readouterr()

    config = load_config(None)
    with Journal.open(data, config, announce=False) as journal:
        assert journal.backlog() == 0
        rows = journal.pending(10)  # nothing left, and the chain is intact
        assert rows == [] and journal.verify().ok
        head = journal.checkpoint()
    device_id = DeviceIdentity.load(data).device_id
    on_portal = portal_event_ids(portal, device_id)
    assert len(on_portal) == len(set(on_portal)) == head.seq
    actions = [body.get("action") for body in portal.store.event_bodies(device_id)]
    assert "trust_list.installed" in actions and "revocations.installed" in actions


def test_a_kiosk_on_the_demo_anchor_says_so_loudly_outside_demo_mode(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 11 point 12: the demo anchor's private key is public (a seed in the repository).
    A kiosk pinning it outside demo mode logs an error and carries it on its status."""
    from kiosk.core.demo_data import load_demo
    from kiosk.core.runtime import Runtime
    from kiosk.core.technician.selftest import Level, check_trust_list
    from verifier.trust_store import write_anchor

    write_anchor(tmp_path / "trust", load_demo().anchor)
    config = load_config(None)
    real = Runtime(config, tmp_path, source="image:/nonexistent.png", sync=False)
    real.open_trust()
    assert real.anchor_problem is not None and "PUBLIC DEMO" in real.anchor_problem
    assert any("NOT FOR SERVICE" in r.getMessage() for r in caplog.records)
    assert real.anchor_problem in real.status().notes  # on the status line
    checked = check_trust_list(real, time.time())  # the technician's self-test page too
    assert checked.level is Level.FAIL and "PUBLIC DEMO" in checked.detail
    demo = Runtime(config, tmp_path, source="demo", sync=False)
    demo.open_trust()
    assert demo.anchor_problem is None
    write_anchor(tmp_path / "other" / "trust", bytes(range(32)))
    own = Runtime(config, tmp_path / "other", source="image:/nonexistent.png", sync=False)
    own.open_trust()
    assert own.anchor_problem is None


def test_the_demo_anchor_read_alone_is_the_one_the_demo_lists_are_signed_under() -> None:
    """demo_anchor_warning reads only anchor.hex: it must be the manifest's anchor, the one
    the demo set's lists verify under."""
    import json

    from kiosk.core.demo_data import DEMO_DIR, demo_anchor, load_demo
    from verifier import anchor_from_hex, parse_trust_list

    manifest = json.loads((DEMO_DIR / "manifest.json").read_text(encoding="utf-8"))
    assert demo_anchor() == anchor_from_hex(manifest["anchor"]) == load_demo().anchor
    assert parse_trust_list(load_demo().trust_list, demo_anchor()).version >= 1
