"""The default config file, written from the declared settings so the two never disagree."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from kiosk.core.config.table import SETTINGS, Setting

HEADER = """\
# The kiosk's config. Every setting, with its type, its default and what it means.
# Layers, later wins: built-in defaults < system file (/etc/cds-kiosk/kiosk.toml on Linux,
# %PROGRAMDATA%\\cds-kiosk\\kiosk.toml on Windows) < user file or --config FILE < the settings
# saved on the kiosk's technician page (<data dir>/settings.toml) < command line.
# `kiosk config show` prints the effective values and where each came from;
# `kiosk config check FILE` checks a file. Unknown keys and wrong types are refused.
"""


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML form for {type(value).__name__}")


def _describe(setting: Setting) -> str:
    kind = "list of strings" if setting.type is list else setting.type.__name__
    parts = [kind]
    if setting.choices:
        parts.append("one of " + ", ".join(map(str, setting.choices)))
    if setting.minimum is not None or setting.maximum is not None:
        parts.append(
            f"{setting.minimum if setting.minimum is not None else ''}.."
            f"{setting.maximum if setting.maximum is not None else ''}"
        )
    return f"# {setting.doc} ({'; '.join(parts)})"


def render_default(settings: Iterable[Setting] = SETTINGS) -> str:
    """Every setting under its [section], commented, set to its default."""
    lines = [HEADER.rstrip("\n")]
    section = None
    for setting in settings:
        name_section, _, name = setting.key.rpartition(".")
        if name_section != section:
            section = name_section
            lines.append(f"\n[{section}]")
        lines.append(_describe(setting))
        lines.append(f"{name} = {toml_value(setting.default)}")
    return "\n".join(lines) + "\n"
