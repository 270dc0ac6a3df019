"""Settings changed on the kiosk (the technician's page), checked and written to its own layer.

Each edit is checked against its declaration before anything is written (a refused value names
its key), the file is rewritten atomically with every key it held plus the edits, and the
caller gets the list of changes (old → new) to journal. The file is the kiosk's own layer,
`<data dir>/settings.toml` (`SettingsLayers`), read after the system file and --config: never
the --config file itself (read-only /etc under the unit), never the per-user file (where a
`make run` once changed every later run). It holds only what was changed on the kiosk, each key
with its one-line meaning; `kiosk config show` names it as the source of those values.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.core.config.checks import coerce
from kiosk.core.config.effective import Config
from kiosk.core.config.errors import ConfigError
from kiosk.core.config.files import read_file
from kiosk.core.config.load import load_config
from kiosk.core.config.table import BY_KEY
from kiosk.core.config.template import toml_value
from kiosk.core.journal.records import Action
from kiosk.core.paths import settings_override_path
from verifier import anchor_from_hex
from verifier.durable_write import write_atomically


def _anchor(value: Any) -> None:
    if value:
        anchor_from_hex(value)  # ValueError names the problem


def _source(value: Any) -> None:
    from kiosk.core.sources import SourceError, parse_spec

    try:
        parse_spec(value)
    except SourceError as e:
        raise ValueError(str(e)) from None


def _services(value: Any) -> None:
    # Empty is allowed: the counter offers the defaults of counter.kind.
    if any(not v.replace("_", "").replace("-", "").isalnum() for v in value):
        raise ValueError("service codes are letters, digits, - and _")


# Checks beyond a setting's type and range, for values a technician types on the kiosk.
VALUE_CHECKS: dict[str, Callable[[Any], None]] = {
    "trust.anchor": _anchor,
    "scan.source": _source,
    "journal.services": _services,
}


@dataclass(frozen=True)
class SettingsLayers:
    """Where a running kiosk's config comes from, and the one file its screen writes."""

    config_file: Path | None  # --config, read only
    data_dir: Path
    overrides: Mapping[str, Any] = field(default_factory=dict)  # the command line's

    @property
    def writes_to(self) -> Path:
        return settings_override_path(self.data_dir)

    def load(self) -> Config:
        return load_config(self.config_file, self.overrides, data_dir=self.data_dir)


@dataclass(frozen=True, slots=True)
class Change:
    key: str
    old: Any
    new: Any


def plan_changes(config: Config, edits: Mapping[str, Any]) -> list[Change]:
    """The edits that change something, each checked. Raises ConfigError naming the key."""
    changes = []
    for key, raw in edits.items():
        setting = BY_KEY.get(key)
        if setting is None:
            raise ConfigError("unknown setting", key=key, problem="unknown_setting")
        new = coerce(setting, raw)
        check = VALUE_CHECKS.get(key)
        if check is not None:
            try:
                check(new)
            except ValueError as e:  # the screen words it by the key: "bad_value" of that key
                raise ConfigError(str(e), key=key, problem="bad_value") from None
        old = config.value_of(key)
        if new != old:
            changes.append(Change(key, old, new))
    return changes


def render(values: Mapping[str, Any]) -> str:
    """A TOML file holding exactly these settings, grouped by section, each with its meaning."""
    lines = [
        "# Settings saved on the kiosk's technician page: the last layer, over /etc and --config.",
        "# Delete a key to go back to the value below it. Unknown keys are refused at start.",
    ]
    section = None
    for key in sorted(values, key=lambda k: list(BY_KEY).index(k)):
        name_section, _, name = key.rpartition(".")
        if name_section != section:
            section = name_section
            lines.append(f"\n[{section}]")
        lines.append(f"# {BY_KEY[key].doc}")
        lines.append(f"{name} = {toml_value(values[key])}")
    return "\n".join(lines) + "\n"


def merged_file(path: Path, changes: list[Change]) -> bytes:
    """The file's new content: what it held plus the changes. Nothing is written yet, so the
    caller can journal the changes first and write only once they are on record."""
    held = read_file(path) if path.is_file() else {}
    held.update({c.key: c.new for c in changes})
    text = render(held)
    tomllib.loads(text)  # what we write must read back
    return text.encode("utf-8")


def write_config(path: Path, content: bytes) -> None:
    """Install a file made by merged_file (temp file + rename: never half a config)."""
    write_atomically(path, content)


# Changes with a journal action of their own (the portal audits a new trust anchor apart).
SETTING_ACTIONS: dict[str, Action] = {"trust.anchor": Action.TRUST_ANCHOR_CHANGED}


def journal_value(value: Any) -> str:
    """How a value appears in the journal's settings.changed row (short, no secrets here)."""
    text = ",".join(value) if isinstance(value, list) else str(value)
    return text[:200]
