"""Settings for the whole test run: Qt offscreen, no reads of the user's kiosk data."""

from __future__ import annotations

import os

import pytest

# Before any Qt import: tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_kiosk_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads or writes the real per-user data, config or system config of this machine."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("KIOSK_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("KIOSK_SYSTEM_CONFIG", str(home / "etc" / "kiosk.toml"))
