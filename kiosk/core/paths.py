"""Where the kiosk keeps its files when no --data-dir is given."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "cds-kiosk"
DATA_DIR_ENV = "KIOSK_DATA_DIR"


def default_data_dir() -> Path:
    """$KIOSK_DATA_DIR, else the per-user data directory of the platform."""
    if env := os.environ.get(DATA_DIR_ENV):
        return Path(env)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / APP_NAME


def trust_dir(data_dir: Path) -> Path:
    return data_dir / "trust"
