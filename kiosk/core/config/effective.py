"""The effective config: every section, typed, and where each value came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from kiosk.core.config.declarations import Settings
from kiosk.core.config.table import BY_KEY, SECTIONS, file_form


@dataclass(frozen=True, slots=True)
class Config(Settings):
    """Read one setting as `config.scan.repeat_window_s`. `sources` maps each key to where its
    value came from: "default", a file's path, or "command line"."""

    sources: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_values(cls, values: Mapping[str, Any], sources: Mapping[str, str]) -> Config:
        """The config holding these checked values (file form, by key), one for every key."""
        sections = {
            name: section(
                **{f.name: _section_form(values[f"{name}.{f.name}"]) for f in fields(section)}
            )
            for name, section in SECTIONS
        }
        return cls(**sections, sources=dict(sources))

    def value_of(self, key: str) -> Any:
        """A setting's value by its key, in file form: for code that walks the table (show,
        edits, the settings page), not for reading a setting by name. KeyError if undeclared."""
        if key not in BY_KEY:
            raise KeyError(key)
        section, _, name = key.partition(".")
        return file_form(getattr(getattr(self, section), name))


def _section_form(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value
