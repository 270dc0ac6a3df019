"""Where the kiosk keeps its files when no --data-dir is given."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

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


def settings_override_path(data_dir: Path) -> Path:
    """The settings saved on the kiosk itself (the technician's page): the last file layer,
    in the data dir, the one place the kiosk's user may write (never /etc, never ~/.config)."""
    return data_dir / "settings.toml"


# What the kiosk writes (journal, keys, trust store, settings, tokens, logs, exports) is its
# user's alone: files 0600, folders 0700. The unit sets UMask=0077; outside it, this does.
PRIVATE_UMASK = 0o077


@contextmanager
def private_files() -> Iterator[None]:
    """Every file and folder made inside is private, whatever umask the process was started
    with. The umask is process-wide: each entry point (the `kiosk` command, the screen) wraps
    its whole run, and the caller's umask is back afterwards (tests call the entry points)."""
    previous = os.umask(PRIVATE_UMASK)
    try:
        yield
    finally:
        os.umask(previous)


def private_data_dir(data_dir: Path) -> None:
    """Make the data dir 0700, or tighten it when its owner left it open (a folder made by an
    older version, or by hand): nothing inside is then reachable by another user. Never raises:
    an unwritable data dir is the journal's to report (out of service: storage)."""
    try:
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        mode = data_dir.stat().st_mode & 0o777
        if sys.platform != "win32" and mode & 0o077 and data_dir.stat().st_uid == os.getuid():
            os.chmod(data_dir, 0o700)
    except OSError as e:
        log.warning("data dir %s: cannot make it private: %s", data_dir, e)
