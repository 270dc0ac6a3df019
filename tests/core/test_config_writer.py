"""Settings written from the kiosk: checked first, merged, read back by load_config."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.core.config import ConfigError, load_config
from kiosk.core.config.edits import merged_file, plan_changes, write_config


def test_changes_are_checked_merged_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text('[kiosk]\nname = "Cổng A"\n', encoding="utf-8")
    config = load_config(path)
    changes = plan_changes(config, {"kiosk.language": "en", "ui.verdict_seconds": 6,
                                    "kiosk.name": "Cổng A"})  # fmt: skip
    assert [(c.key, c.old, c.new) for c in changes] == [
        ("kiosk.language", "vi", "en"),
        ("ui.verdict_seconds", 4.0, 6.0),
    ]
    write_config(path, merged_file(path, changes))
    again = load_config(path)
    assert again.kiosk.name == "Cổng A" and again.kiosk.language == "en"
    assert again.ui.verdict_seconds == 6.0


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("kiosk.mode", "lobby"),
        ("ui.verdict_seconds", 0),
        ("kiosk.nope", 1),
        ("ui.sounds", "yes"),
        ("trust.anchor", "not hex"),
        ("scan.source", "webcam"),
        ("journal.services", ["health care"]),
        ("counter.kind", "airport"),
    ],
)
def test_bad_values_are_refused_naming_the_key(tmp_path: Path, key: str, value: object) -> None:
    with pytest.raises(ConfigError, match=key):
        plan_changes(load_config(), {key: value})


def test_settings_saved_on_the_kiosk_are_its_own_last_layer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Saved from the screen, settings once went to ~/.config/cds-kiosk/kiosk.toml (changing
    every later `make run`) or to a read-only /etc. They go to the data dir's layer, read after
    the system file and --config, under the command line; the files below are never written."""
    import json
    import os

    from kiosk.cli.main import main
    from kiosk.core.config.edits import SettingsLayers

    system, config_file, data = tmp_path / "system.toml", tmp_path / "kiosk.toml", tmp_path / "d"
    system.write_text('[kiosk]\nname = "System"\nlanguage = "en"\n', encoding="utf-8")
    config_file.write_text("[ui]\nverdict_seconds = 5.0\n", encoding="utf-8")
    os.chmod(config_file, 0o444)  # /etc under ProtectSystem=strict
    before = {p: p.read_bytes() for p in (system, config_file)}
    layers = SettingsLayers(config_file, data, {"ui.sounds": False})
    config = layers.load()
    changes = plan_changes(config, {"kiosk.name": "Cổng B", "ui.verdict_seconds": 6.0})
    write_config(layers.writes_to, merged_file(layers.writes_to, changes))
    fresh = load_config(config_file, {"ui.sounds": False}, system_file=system, data_dir=data)
    assert fresh.kiosk.name == "Cổng B" and fresh.ui.verdict_seconds == 6.0
    assert fresh.kiosk.language == "en" and fresh.ui.sounds is False
    assert fresh.sources["kiosk.name"] == str(data / "settings.toml")
    assert fresh.sources["ui.sounds"] == "command line"
    assert {p: p.read_bytes() for p in (system, config_file)} == before

    # `kiosk config show` reads the same layers and names the file each value came from.
    monkeypatch.setenv("KIOSK_SYSTEM_CONFIG", str(system))
    argv = ["--config", str(config_file), "--data-dir", str(data), "config", "show", "--json"]
    assert main(argv) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["kiosk.name"] == {"value": "Cổng B", "from": str(data / "settings.toml")}
    assert shown["ui.verdict_seconds"]["value"] == 6.0
