"""From the settings and the enrolment to a running site lane, or a clear reason why not."""

from __future__ import annotations

from pathlib import Path

from kiosk.core.config import Config
from kiosk.core.journal.journal import Journal
from kiosk.core.site.bus import BusSettings, BusSettingsError
from kiosk.core.site.lane import SiteLane
from kiosk.core.site.secret import read_site_secret
from kiosk.core.trust.anchor import resolve_anchor
from portal_sync.enrolment import DeviceIdentity
from portal_sync.errors import NotEnrolled
from verifier.errors import TrustStoreError


class SiteSetupError(Exception):
    """The broker is configured but this kiosk cannot be a lane of a site; `code` says why."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


def build_lane(config: Config, data_dir: Path, journal: Journal) -> SiteLane | None:
    """The site lane, not started; None when no broker is configured (a lane alone)."""
    try:
        bus = BusSettings.from_config(config)
    except BusSettingsError as e:
        raise SiteSetupError("bad_settings", str(e)) from None
    if bus is None:
        return None
    try:
        identity = DeviceIdentity.load(data_dir)
    except NotEnrolled as e:
        raise SiteSetupError("not_enrolled", f"a site lane must be enrolled first: {e}") from None
    try:
        secret = read_site_secret(data_dir)
    except ValueError as e:
        raise SiteSetupError("site_secret_damaged", str(e)) from None
    if identity.site is None or secret is None:
        raise SiteSetupError(
            "no_site",
            "this kiosk was enrolled without a site (or by a version without the site secret):"
            " enrol it with a code bound to its site",
        )
    try:
        anchor = resolve_anchor(config, data_dir)
    except (ValueError, TrustStoreError) as e:
        raise SiteSetupError("no_anchor", str(e)) from None
    return SiteLane(
        data_dir,
        journal,
        site=identity.site,
        device_id=identity.device_id,
        device_key=identity.signing_key,
        anchor=anchor,
        bus=bus,
        antipassback_window_s=config.journal.antipassback_window_s,
    )
