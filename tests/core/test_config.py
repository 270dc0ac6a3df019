"""Config: declared settings, layered files, and refusals that name the key, file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.core.config import SETTINGS, ConfigError, load_config, read_file


def test_defaults_when_no_file(tmp_path: Path) -> None:
    cfg = load_config(system_file=tmp_path / "none.toml", user_file=tmp_path / "none2.toml")
    assert cfg.verify.clock_skew_s == 300
    assert cfg.sources["verify.clock_skew_s"] == "default"


def test_every_setting_is_declared_once_with_a_valid_default() -> None:
    keys = [s.key for s in SETTINGS]
    assert len(keys) == len(set(keys))
    for s in SETTINGS:
        assert s.doc and "." in s.key
        if s.choices:
            assert s.default in s.choices, s.key


def test_layers_later_wins_and_sources_are_named(tmp_path: Path) -> None:
    system = tmp_path / "system.toml"
    system.write_text('[kiosk]\nname = "Cổng A"\nmode = "counter"\n')
    user = tmp_path / "user.toml"
    user.write_text('[kiosk]\nmode = "gate"\n')
    cfg = load_config(system_file=system, user_file=user, overrides={"kiosk.language": "en"})
    assert (cfg.kiosk.name, cfg.sources["kiosk.name"]) == ("Cổng A", str(system))
    assert (cfg.kiosk.mode, cfg.sources["kiosk.mode"]) == ("gate", str(user))
    assert cfg.sources["kiosk.language"] == "command line"


@pytest.mark.parametrize(
    ("text", "key", "line", "message"),
    [
        (
            '[kiosk]\nname = "A"\n\n[verify]\nclock_skew_s = "300"\n',
            "verify.clock_skew_s",
            5,
            "must be int",
        ),
        ("[verify]\nclock_skew_s = 99999\n", "verify.clock_skew_s", 2, "at most"),
        ('[kiosk]\nmode = "disco"\n', "kiosk.mode", 2, "one of gate, counter"),
        ('[kiosk]\nnmae = "A"\n', "kiosk.nmae", 2, "unknown setting"),
    ],
)
def test_bad_files_name_key_file_and_line(
    tmp_path: Path, text: str, key: str, line: int, message: str
) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message) as caught:
        read_file(path)
    assert (caught.value.key, caught.value.file, caught.value.line) == (key, path, line)
    assert f"key {key}" in str(caught.value) and f"line {line}" in str(caught.value)


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text("[kiosk]\nname = \n")
    with pytest.raises(ConfigError, match="not valid TOML") as caught:
        read_file(path)
    assert caught.value.line == 2


def test_explicit_config_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "missing.toml", system_file=tmp_path / "none.toml")
