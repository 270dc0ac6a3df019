"""The layers, later wins: built-in defaults < system file < user file (or --config FILE) < the
settings saved on the kiosk < overrides from the command line."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kiosk.core.config.checks import coerce
from kiosk.core.config.effective import Config
from kiosk.core.config.errors import ConfigError
from kiosk.core.config.files import read_file, system_config_path, user_config_path
from kiosk.core.config.table import BY_KEY, SETTINGS
from kiosk.core.paths import settings_override_path


def load_config(
    config_file: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    *,
    system_file: Path | None = None,
    user_file: Path | None = None,
    data_dir: Path | None = None,
) -> Config:
    """The effective config. `config_file` (--config) takes the user file's place; with a data
    dir, the settings saved on the kiosk (`<data dir>/settings.toml`) are the last file layer."""
    values = {s.key: s.default for s in SETTINGS}
    sources = dict.fromkeys(values, "default")
    layers = [system_file or system_config_path(), config_file or user_file or user_config_path()]
    if data_dir is not None:
        layers.append(settings_override_path(data_dir))
    for i, path in enumerate(layers):
        explicit = i == 1 and config_file is not None
        if not explicit and not path.is_file():
            continue
        for key, value in read_file(path).items():
            values[key], sources[key] = value, str(path)
    for key, value in (overrides or {}).items():
        setting = BY_KEY.get(key)
        if setting is None:
            raise ConfigError("unknown setting", key=key)
        values[key], sources[key] = coerce(setting, value), "command line"
    return Config.from_values(values, sources)
