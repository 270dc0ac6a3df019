"""The reference portal's command line: init, admin actions, and `serve` as a process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from devportal.__main__ import main


def test_admin_actions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "portal"
    assert main(["admin", "--data", str(data), "show"]) == 2
    assert not data.exists()  # looking does not create a portal
    assert main(["init", "--data", str(data)]) == 0
    assert "anchor fingerprint" in capsys.readouterr().out
    assert main(["admin", "--data", str(data), "code", "--plain", "--uses", "3"]) == 0
    code = capsys.readouterr().out.strip()
    assert len(code) == 14 and code.count("-") == 2
    png = tmp_path / "lan.png"
    assert (
        main(
            [
                "admin",
                "--data",
                str(data),
                "mint",
                "--id",
                "048090009999",
                "--name",
                "Hồ Thị Lan",
                "--dob",
                "1980-01-02",
                "--sex",
                "F",
                "--png",
                str(png),
            ]
        )
        == 0
    )
    captured = capsys.readouterr()
    assert captured.out.startswith("CDS1:") and png.stat().st_size > 0
    cti = captured.err.split("cti: ")[1].split()[0]
    assert main(["admin", "--data", str(data), "revoke-credential", cti]) == 0
    assert main(["admin", "--data", str(data), "rotate-issuer"]) == 0
    assert main(["admin", "--data", str(data), "revoke-device", "kd-none"]) == 1
    capsys.readouterr()
    assert main(["admin", "--data", str(data), "show", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["documents"] == {"trust-list": 2, "revocations": 2}
    assert shown["enrolment_codes"][0]["uses_left"] == 3


def _serve(data: Path, *seed: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "devportal", "serve", "--port", "0", "--data", str(data)]
    return subprocess.Popen([*command, *seed], stdout=subprocess.PIPE, text=True)


def test_serve_prints_its_url_code_and_fingerprint_and_stops_on_sigterm(tmp_path: Path) -> None:
    proc = _serve(tmp_path / "p", "--seed", "demo")
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(4)]
        url = lines[0].split()[3]
        assert lines[1].strip() == "Trust anchor fingerprint: 8CF8 BF1D E078 E896"
        assert lines[2].startswith("DEMO: ")
        assert lines[3].startswith("Enrolment code: ")
        with requests.Session() as s:
            assert s.get(url + "/api/v1/health", timeout=5).json()["status"] == "ok"
    finally:
        proc.terminate()
        assert proc.wait(timeout=15) == 0
        if proc.stdout:
            proc.stdout.close()


def test_serve_outside_the_demo_prints_no_bulk_code(tmp_path: Path) -> None:
    """Issue 11 point 12: every `serve` start printed a fresh 1,000-use code. Only the demo
    (whose keys are public anyway) does now; a real portal issues codes one by one."""
    from devportal.store import PortalStore

    proc = _serve(tmp_path / "p")
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(3)]
        assert lines[1].startswith("Trust anchor fingerprint: ")
        assert "admin --data" in lines[2] and "code" in lines[2]
    finally:
        proc.terminate()
        assert proc.wait(timeout=15) == 0
        if proc.stdout:
            proc.stdout.close()
    store = PortalStore(tmp_path / "p")
    try:
        assert store.summary()["enrolment_codes"] == []
    finally:
        store.close()


def test_admin_badge_issues_a_badge_the_kiosk_opens_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import time

    import cv2

    from devportal.store import PortalStore, now_s
    from kiosk.core.decode.decoder import Decoder
    from kiosk.core.technician.badge import BadgeCheck, BadgeRefusal, check_badge
    from verifier.documents import parse_revocations

    data = tmp_path / "portal"
    assert main(["init", "--data", str(data)]) == 0
    capsys.readouterr()
    store = PortalStore(data)
    device = store.enrol(store.create_enrolment_code(now_s()), bytes(32), "Cổng A", "", now_s())
    anchor = store.anchor()
    store.close()
    png = tmp_path / "badge.png"
    args = ["admin", "--data", str(data), "badge", "--device", device.device_id, "--name", "kt-07"]
    assert main([*args, "--hours", "2", "--out", str(png)]) == 0
    out, err = capsys.readouterr()
    text = out.strip()
    assert f"for kt-07 at device {device.device_id}" in err
    bid = err.split("Badge ")[1].split()[0]
    now = int(time.time())

    def check(text: str, device_id: str | None, site: str | None = None, at: int = now,
              revoked: frozenset[bytes] | None = None) -> BadgeCheck:  # fmt: skip
        return check_badge(text, anchor, device_id=device_id, site=site, revoked=revoked, now=at)

    opened = check(text, device.device_id)
    assert opened.ok and opened.technician == "kt-07"
    assert check(text, "kd-other").refusal is BadgeRefusal.WRONG_PLACE
    assert check(text, device.device_id, at=now + 3 * 3600).refusal is BadgeRefusal.EXPIRED
    # Revoked through the revocation list: the next list names it, and the kiosk refuses it.
    assert main(["admin", "--data", str(data), "revoke-badge", bid]) == 0
    assert main(["admin", "--data", str(data), "revoke-badge", bid]) == 1
    store = PortalStore(data)
    listed = store.current_document("revocations")
    store.close()
    assert listed is not None
    entries = parse_revocations(listed.raw, anchor).entries
    assert check(text, device.device_id, revoked=entries).refusal is BadgeRefusal.REVOKED
    assert main([*args[:5], "kd-never-enrolled", *args[6:]]) == 2  # no such device here
    capsys.readouterr()
    assert Decoder().decode(cv2.imread(str(png))).texts == (text,)  # the QR reads back

    site = ["admin", "--data", str(data), "badge", "--site", "HC-01", "--name", "kt-07"]
    assert main(site) == 0
    by_site = capsys.readouterr().out.strip()
    assert check(by_site, "kd-other", site="HC-01").ok
    assert main([*site, "--hours", "200"]) == 2  # longer than a kiosk accepts
    assert "at most 168 hours" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # a badge names a device or a site, never neither
        main(["admin", "--data", str(data), "badge", "--name", "kt-07"])
