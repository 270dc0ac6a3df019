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


def test_serve_prints_its_url_code_and_fingerprint_and_stops_on_sigterm(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "devportal",
            "serve",
            "--port",
            "0",
            "--data",
            str(tmp_path / "p"),
            "--seed",
            "demo",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(3)]
        url = lines[0].split()[3]
        assert lines[1].startswith("Enrolment code: ")
        assert lines[2].strip() == "Trust anchor fingerprint: 8CF8 BF1D E078 E896"
        with requests.Session() as s:
            assert s.get(url + "/api/v1/health", timeout=5).json()["status"] == "ok"
    finally:
        proc.terminate()
        assert proc.wait(timeout=15) == 0
        if proc.stdout:
            proc.stdout.close()


def test_admin_badge_issues_a_badge_the_kiosk_opens_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import time

    import cv2

    from devportal.store import PortalStore
    from kiosk.core.badge import BadgeRefusal, check_badge
    from kiosk.core.decoder import Decoder

    data = tmp_path / "portal"
    assert main(["init", "--data", str(data)]) == 0
    capsys.readouterr()
    png = tmp_path / "badge.png"
    args = ["admin", "--data", str(data), "badge", "--kiosk", "Cổng A", "--name", "kt-07"]
    assert main([*args, "--hours", "2", "--out", str(png)]) == 0
    out, err = capsys.readouterr()
    text = out.strip()
    assert "Badge for kt-07 at kiosk Cổng A" in err
    store = PortalStore(data)
    anchor = store.anchor()
    store.close()
    now = int(time.time())
    opened = check_badge(text, anchor, kiosk="Cổng A", site="", now=now)
    assert opened.ok and opened.technician == "kt-07"
    assert check_badge(text, anchor, kiosk="Cổng B", site="", now=now).refusal is (
        BadgeRefusal.WRONG_PLACE
    )
    assert check_badge(text, anchor, kiosk="Cổng A", site="", now=now + 3 * 3600).refusal is (
        BadgeRefusal.EXPIRED
    )
    assert Decoder().decode(cv2.imread(str(png))).texts == (text,)  # the QR reads back

    site = ["admin", "--data", str(data), "badge", "--site", "HC-01", "--name", "kt-07"]
    assert main(site) == 0
    by_site = capsys.readouterr().out.strip()
    assert check_badge(by_site, anchor, kiosk="Cổng B", site="HC-01", now=now).ok
    assert main([*site, "--hours", "200"]) == 2  # longer than a kiosk accepts
    assert "at most 168 hours" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # a badge names a kiosk or a site, never neither
        main(["admin", "--data", str(data), "badge", "--name", "kt-07"])
