"""The typed settings: values arrive typed in their section, the generic table is exactly the
declarations, and no program code reads a setting by its string key."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Literal, get_args, get_type_hints

import pytest

from kiosk.core.config import BY_KEY, SETTINGS, Config, ConfigError, coerce, load_config
from kiosk.core.config.declarations import (
    CameraSection,
    GateSection,
    KioskSection,
    Settings,
    setting,
)
from kiosk.core.config.table import SECTIONS, rows_of

ROOT = Path(__file__).resolve().parents[2]
PROGRAM = ("kiosk", "portal_sync", "verifier", "devportal", "bench")


def _load(tmp_path: Path, text: str) -> tuple[Config, Path]:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, system_file=tmp_path / "none.toml"), path


def test_a_file_value_arrives_typed_in_its_section(tmp_path: Path) -> None:
    config, path = _load(
        tmp_path,
        '[kiosk]\nmode = "counter"\n\n[camera]\nfps = 25\n\n'
        '[gate]\ncommand = ["relay", "{event_id}"]\n',
    )
    assert config.kiosk.mode == "counter"
    assert type(config.camera.fps) is float and config.camera.fps == 25.0  # TOML's 25 is an int
    assert config.gate.command == ("relay", "{event_id}")  # a tuple: the section is frozen
    assert config.sources["camera.fps"] == str(path)
    assert config.sources["camera.width"] == "default" and config.camera.width == 1280
    # The generic reading gives the file's form back, for the code that walks every key.
    assert config.value_of("gate.command") == ["relay", "{event_id}"]
    assert config.value_of("camera.fps") == 25.0


def test_command_line_overrides_arrive_typed_too() -> None:
    config = load_config(overrides={"journal.services": ["xray", "lab"], "ui.verdict_seconds": 6})
    assert config.journal.services == ("xray", "lab")
    assert type(config.ui.verdict_seconds) is float
    assert config.sources["journal.services"] == "command line"


@pytest.mark.parametrize(
    ("text", "key", "line", "problem"),
    [
        ('[kiosk]\nname = "A"\n\n[camera]\nautofocus = 1\n', "camera.autofocus", 5, "must be bool"),
        ('[ui]\nsounds = true\nverdict_seconds = 0.5\n', "ui.verdict_seconds", 3, "at least 1"),
        ('[gate]\ncommand = "touch x"\n', "gate.command", 2, "list of strings"),
        ('[counter]\nkind = "zoo"\n', "counter.kind", 2, "one of general"),
        ('[camera]\nzoom = 2\n', "camera.zoom", 2, "unknown setting"),
        ('[cameras]\nfps = 2\n', "cameras.fps", 2, "unknown setting"),
    ],
)  # fmt: skip
def test_a_bad_file_is_refused_at_load_naming_key_file_and_line(
    tmp_path: Path, text: str, key: str, line: int, problem: str
) -> None:
    with pytest.raises(ConfigError, match=problem) as caught:
        _load(tmp_path, text)
    assert (caught.value.key, caught.value.file, caught.value.line) == (
        key,
        tmp_path / "kiosk.toml",
        line,
    )


def test_an_unknown_override_is_refused_naming_the_key() -> None:
    with pytest.raises(ConfigError, match="unknown setting") as caught:
        load_config(overrides={"scan.repeat_window": 3})
    assert caught.value.key == "scan.repeat_window"


def test_the_table_is_exactly_the_declarations() -> None:
    assert [name for name, _ in SECTIONS] == [f.name for f in fields(Settings)]
    declared = []
    for name, section in SECTIONS:
        hints = get_type_hints(section)
        for f in fields(section):
            key = f"{name}.{f.name}"
            declared.append(key)
            row = BY_KEY[key]
            assert row.doc == f.metadata["doc"]
            assert (row.minimum, row.maximum) == (f.metadata["minimum"], f.metadata["maximum"])
            hint = hints[f.name]
            if row.type is list:
                assert hint == tuple[str, ...] and f.default == tuple(row.default)
            else:
                assert row.default == f.default and type(row.default) is row.type
                assert row.choices == (get_args(hint) or None), key
    assert declared == [s.key for s in SETTINGS] == list(BY_KEY)


def test_every_default_passes_its_own_check_and_reads_back_by_key() -> None:
    config = load_config(overrides={})
    for row in SETTINGS:
        assert coerce(row, row.default) == row.default, row.key
        assert config.value_of(row.key) == row.default, row.key
    with pytest.raises(KeyError):
        config.value_of("kiosk.nmae")


@dataclass(frozen=True)
class _Bare:
    name: str = "x"  # no setting(): no meaning, no range


@dataclass(frozen=True)
class _Mixed:
    level: Literal["low", 2] = setting("low", "choices of two types")


@dataclass(frozen=True)
class _Nested:
    limits: frozenset[str] = setting(frozenset(), "no file holds a set")


@dataclass(frozen=True)
class _BareSettings:
    part: _Bare = field(default_factory=_Bare)


@dataclass(frozen=True)
class _MixedSettings:
    part: _Mixed = field(default_factory=_Mixed)


@dataclass(frozen=True)
class _NestedSettings:
    part: _Nested = field(default_factory=_Nested)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (_BareSettings, "part.name: declare it with setting"),
        (_MixedSettings, "part.level: the choices of a setting share one type"),
        (_NestedSettings, "part.limits: no setting type"),
    ],
)
def test_a_field_without_its_meaning_or_of_a_type_no_file_holds_is_refused(
    settings: type, message: str
) -> None:
    with pytest.raises(TypeError, match=message):
        rows_of(settings)


def test_sections_are_frozen_values() -> None:
    config = load_config(overrides={"kiosk.name": "Cổng A"})
    assert config.kiosk == KioskSection(name="Cổng A")
    with pytest.raises(AttributeError):
        config.camera.width = 640  # type: ignore[misc]
    assert GateSection().command == () and CameraSection().fps == 30.0


def _string_key_lookups(source: str) -> list[int]:
    """Lines of `...config["a.b"]` subscripts: a setting read by its key, not its field."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Subscript) or not isinstance(node.slice, ast.Constant):
            continue
        target = node.value
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if "config" in name.lower() and isinstance(node.slice.value, str):
            found.append(node.lineno)
    return found


def test_no_program_code_reads_a_setting_by_its_string_key() -> None:
    sample = 'a = rt.config.sources["scan.source"]\nb = self.runtime.config["scan.source"]\n'
    assert _string_key_lookups(sample) == [2]  # the check sees one when there is one
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for top in PROGRAM
        for path in sorted((ROOT / top).rglob("*.py"))
        for line in _string_key_lookups(path.read_text(encoding="utf-8"))
    ]
    assert found == []
