"""`kiosk site status` and the runtime's site snapshot, against a real broker."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.cli.main import main
from tests.site.conftest import Lane, Site, wait_for


def _config(tmp_path: Path, url: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(f'[site]\nbroker_url = "{url}"\n')
    return path


def test_site_status_prints_the_roster_last_passages_and_occupancy(
    two_lanes: tuple[Lane, Lane],
    site: Site,
    valid_text: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    a, b = two_lanes
    entry = a.admit(valid_text)
    wait_for(lambda: b.site.state.get(entry.event_id) is not None)
    config = _config(tmp_path, site.broker.url)
    assert main(["site", "status", "--config", str(config), "--data-dir", str(b.data_dir)]) == 0
    out = capsys.readouterr().out
    assert f"broker: {site.broker.url} (reachable)" in out
    assert "roster: version 2, 2 lanes" in out
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("  ")}
    assert "last passage" in lines[a.identity.device_id]
    assert "(this lane)" in lines[b.identity.device_id]
    assert "no passage yet" in lines[b.identity.device_id]
    assert "people inside (site, today): 1" in out
    site.broker.stop()
    assert main(["site", "status", "--config", str(config), "--data-dir", str(b.data_dir)]) == 1
    assert "unreachable" in capsys.readouterr().out


def test_a_kiosk_alone_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text("")
    status = main(["site", "status", "--config", str(config), "--data-dir", str(tmp_path / "d")])
    out = capsys.readouterr().out
    assert "none configured" in out
    assert "not enrolled" in out
    assert status != 0
