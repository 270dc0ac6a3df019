"""Settings written from the kiosk: checked first, merged, read back by load_config."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.core.config import ConfigError, load_config
from kiosk.core.config_writer import plan_changes, write_changes


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
    write_changes(path, changes)
    again = load_config(path)
    assert again["kiosk.name"] == "Cổng A" and again["kiosk.language"] == "en"
    assert again["ui.verdict_seconds"] == 6.0


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
