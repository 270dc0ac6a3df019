"""The kiosk's settings: declared once (`declarations`), read from layered TOML files (`load`).

Each setting is declared with its type, default and a one-line meaning; a file with an unknown
key, a wrong type or a value out of range is refused, naming the key, the file and the line.
Program code reads a setting from its section, `config.kiosk.mode`; `table` is the same
declarations as rows by key, for code that walks them all.
"""

from kiosk.core.config.checks import coerce
from kiosk.core.config.effective import Config
from kiosk.core.config.errors import ConfigError
from kiosk.core.config.files import (
    SYSTEM_CONFIG_ENV,
    read_file,
    system_config_path,
    user_config_path,
)
from kiosk.core.config.load import load_config
from kiosk.core.config.table import BY_KEY, SETTINGS, Setting

__all__ = [
    "BY_KEY",
    "SETTINGS",
    "SYSTEM_CONFIG_ENV",
    "Config",
    "ConfigError",
    "Setting",
    "coerce",
    "load_config",
    "read_file",
    "system_config_path",
    "user_config_path",
]
