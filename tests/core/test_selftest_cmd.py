"""`kiosk selftest` on a real data directory: the demo machine passes, a broken one fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.cli.main import main
from kiosk.core.demo_data import load_demo
from kiosk.core.paths import trust_dir
from verifier.trust_store import write_anchor

CHECKS = ["camera", "decoder", "trust_list", "revocations", "clock", "portal", "disk", "journal"]


def selftest(capsys: pytest.CaptureFixture[str], data: Path) -> tuple[int, dict[str, object]]:
    status = main(["--data-dir", str(data), "selftest", "--json", "--camera-wait", "0.5"])
    return status, json.loads(capsys.readouterr().out)


def test_a_demo_machine_passes_with_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, report = selftest(capsys, tmp_path / "data")
    checks = {c["check"]: c for c in report["checks"]}  # type: ignore[union-attr]
    assert status == 0 and report["ok"] is True
    assert list(checks) == CHECKS
    assert checks["decoder"]["level"] == "pass" and checks["journal"]["level"] == "pass"
    assert checks["camera"]["level"] == "warn" and checks["camera"]["advice"] == "camera_demo"


def test_an_enrolled_kiosk_without_lists_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    write_anchor(trust_dir(data), load_demo().anchor)
    status, report = selftest(capsys, data)
    checks = {c["check"]: c for c in report["checks"]}  # type: ignore[union-attr]
    assert status == 1 and report["ok"] is False
    assert checks["trust_list"]["level"] == "fail"
    assert checks["trust_list"]["advice"] == "trust_sync"


def test_plain_output_names_what_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    write_anchor(trust_dir(data), load_demo().anchor)
    assert main(["--data-dir", str(data), "selftest", "--camera-wait", "0"]) == 1
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "trust_list" in x)
    assert line.startswith("FAIL") and "kiosk sync" in line


def test_selftest_leaves_no_scan_behind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The demo source runs (the camera check sees its picture) but nothing becomes a scan,
    an admission or a gate action in the journal."""
    data = tmp_path / "data"
    status, report = selftest(capsys, data)
    assert status == 0 and report["ok"] is True
    assert main(["--data-dir", str(data), "journal", "export", "--from", "2000-01-01",
                 "--to", "2100-01-01", "--format", "jsonl"]) == 0  # fmt: skip
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.startswith("{")]
    assert rows and all(r["kind"] == "system" for r in rows)
    assert "gate.action" not in {r["action"] for r in rows}
