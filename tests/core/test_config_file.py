"""The committed default config is exactly what the declared settings say, and it loads."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from kiosk.cli.main import main
from kiosk.core.config import SETTINGS, load_config, read_file
from kiosk.core.config.template import render_default

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "config" / "kiosk.toml"


def test_committed_default_matches_the_declarations() -> None:
    assert DEFAULT_FILE.read_text(encoding="utf-8") == render_default(), (
        "config/kiosk.toml is out of date: run `make config`"
    )


def test_default_file_sets_every_setting_to_its_default() -> None:
    values = read_file(DEFAULT_FILE)
    assert values == {s.key: s.default for s in SETTINGS}
    assert tomllib.loads(render_default())  # plain TOML


def test_config_show_names_sources(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "k.toml"
    path.write_text('[kiosk]\nname = "Cổng Bệnh viện C"\n', encoding="utf-8")
    assert main(["config", "show", "--config", str(path)]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("kiosk.name"))
    assert '"Cổng Bệnh viện C"' in line and str(path) in line
    assert load_config(path).kiosk.name == "Cổng Bệnh viện C"


def test_config_check_refuses_naming_key_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "k.toml"
    path.write_text('[kiosk]\nname = "A"\nmode = 3\n')
    assert main(["config", "check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "key kiosk.mode" in err and "line 3" in err and str(path) in err
    path.write_text('[kiosk]\nmode = "counter"\n')
    assert main(["config", "check", str(path)]) == 0
