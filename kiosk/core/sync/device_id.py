"""The id a kiosk's journal rows carry, read without loading the HTTP client."""

from __future__ import annotations

from pathlib import Path

from kiosk.core.config import Config
from portal_sync.enrolment import DeviceIdentity
from portal_sync.errors import SyncError


def kiosk_id(config: Config, data_dir: Path) -> str:
    """The enrolled device id when there is one (what the portal knows), else the kiosk name."""
    try:
        return DeviceIdentity.load(data_dir).device_id
    except (SyncError, OSError, ValueError):
        return config.kiosk.name
