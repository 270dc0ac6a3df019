"""Config files: where they are, and the settings one holds, checked, naming key, file, line."""

from __future__ import annotations

import os
import re
import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kiosk.core.config.checks import coerce
from kiosk.core.config.errors import ConfigError
from kiosk.core.config.table import BY_KEY
from kiosk.core.paths import APP_NAME

SYSTEM_CONFIG_ENV = "KIOSK_SYSTEM_CONFIG"


def system_config_path() -> Path:
    if env := os.environ.get(SYSTEM_CONFIG_ENV):
        return Path(env)
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / APP_NAME / "kiosk.toml"
    return Path("/etc") / APP_NAME / "kiosk.toml"


def user_config_path() -> Path:
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / APP_NAME / "kiosk.toml"


def line_of(text: str, key: str) -> int | None:
    """The line where a dotted key's last part is assigned in its [section] (best effort)."""
    section, _, name = key.rpartition(".")
    current = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            current = line.strip("[] ")
        elif current == section and line.split("=", 1)[0].strip() == name:
            return number
    return None


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping) and key not in BY_KEY:
            flat.update(_flatten(value, key + "."))
        else:
            flat[key] = value
    return flat


def read_file(path: Path) -> dict[str, Any]:
    """The settings a TOML file sets, checked. Raises ConfigError naming the key, file and line."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise ConfigError(f"cannot read: {e.strerror}", file=path) from None
    try:
        text = raw.decode("utf-8-sig")  # a UTF-8 byte-order mark (Notepad) is harmless
    except UnicodeDecodeError as e:
        utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
        why = "UTF-16 text" if utf16 else f"not UTF-8 text (byte {e.start})"
        raise ConfigError(f"{why}: save the file as UTF-8", file=path) from None
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        # Python 3.11's TOMLDecodeError has no lineno attribute; its message names the line.
        found = re.search(r"at line (\d+)", str(e))
        line = int(found.group(1)) if found else None
        raise ConfigError(f"not valid TOML: {e}", file=path, line=line) from None
    values: dict[str, Any] = {}
    for key, value in _flatten(table).items():
        setting = BY_KEY.get(key)
        if setting is None:
            raise ConfigError("unknown setting", key=key, file=path, line=line_of(text, key))
        try:
            values[key] = coerce(setting, value)
        except ConfigError as e:
            raise ConfigError(
                str(e).split(" (")[0], key=key, file=path, line=line_of(text, key)
            ) from None
    return values
