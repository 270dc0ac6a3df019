"""From the kiosk's config and data dir to a ready sync runner (portal_sync does the work).

The outbox is the journal: the runtime passes the one it holds; `open_outbox` opens it for
the command line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from kiosk import __version__
from kiosk.core.config import Config
from kiosk.core.journal.journal import Journal
from kiosk.core.paths import trust_dir
from kiosk.core.sync.device_id import kiosk_id
from kiosk.core.trust.anchor import resolve_anchor
from portal_sync.client import PortalClient, Timeouts, TlsConfig
from portal_sync.enrolment import DeviceIdentity
from portal_sync.outbox import Outbox
from portal_sync.sync_round import SyncRunner
from verifier.trust_store import TrustStore


def tls_config(config: Config) -> TlsConfig:
    bundle = config.portal.ca_bundle
    return TlsConfig(
        mode=config.portal.tls_mode,
        ca_bundle=Path(bundle) if bundle else None,
        pin_sha256=config.portal.pin_sha256 or None,
    )


def timeouts(config: Config) -> Timeouts:
    return Timeouts(
        config.portal.connect_timeout_s,
        config.portal.read_timeout_s,
        config.portal.request_deadline_s,
    )


def open_client(config: Config, portal_url: str | None = None) -> PortalClient:
    """A client for `portal_url`, else the configured URL. Raises portal_sync's Rejected for
    a bad URL or TLS setting."""
    url = portal_url or config.portal.url
    return PortalClient(url, tls=tls_config(config), timeouts=timeouts(config))


def open_outbox(config: Config, data_dir: Path) -> Journal:
    """The journal, opened for one command-line round. Raises StorageUnavailable."""
    return Journal.open(data_dir, config, kiosk_id=kiosk_id(config, data_dir), announce=False)


def build_runner(
    config: Config,
    data_dir: Path,
    outbox: Outbox | None,
    *,
    store: TrustStore | None = None,
    health_extra: Callable[[], Mapping[str, Any]] | None = None,
) -> SyncRunner:
    """Raises portal_sync's NotEnrolled when the kiosk has no device identity, and
    verifier's TrustStoreError when its trust store cannot be opened.

    The runtime passes the store its checks read, so a list the round installs is in force
    for the next scan; the command line leaves it out and the data dir's store is opened."""
    identity = DeviceIdentity.load(data_dir)
    if store is None:
        store = TrustStore(trust_dir(data_dir), resolve_anchor(config, data_dir))
    client = open_client(config, config.portal.url or identity.portal_url)
    return SyncRunner(
        client,
        identity,
        store,
        outbox,
        data_dir,
        batch_size=config.sync.batch_size,
        drift_threshold_s=float(config.sync.clock_drift_threshold_s),
        round_deadline_s=float(config.sync.round_deadline_s),
        version=__version__,
        health_extra=health_extra,
    )
