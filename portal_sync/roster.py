"""The site roster: the lanes that may speak on the site bus, signed by the anchor (docs/site.md).

Fetched like the lists (`GET /sites/{site}/roster`, ETag), judged here before it is kept: the
anchor's signature, the type, this device's own site (a roster of another site is refused), a
version strictly higher than the one held. Kept in `site/roster.cose` under the data dir.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from portal_sync.answers import JSON_LIMIT
from portal_sync.state import SyncState
from verifier.documents import SiteRoster, parse_roster
from verifier.durable_write import write_atomically
from verifier.errors import DocumentError, MalformedDocument, RollbackRefused, TrustStoreError

if TYPE_CHECKING:  # requests loads only when a kiosk talks to a portal, not with the lane
    from portal_sync.client import PortalClient
    from portal_sync.document_fetch import DocumentOutcome

ROSTER = "site-roster"
ROSTER_FILE = Path("site") / "roster.cose"


def read_roster(data_dir: Path, anchor: bytes) -> SiteRoster | None:
    """The roster held, verified again; None when there is none (or it no longer verifies)."""
    try:
        with (Path(data_dir) / ROSTER_FILE).open("rb") as f:
            raw = f.read(JSON_LIMIT + 1)  # the most a fetch installs; more fails to parse
    except FileNotFoundError:
        return None
    try:
        return parse_roster(raw, anchor)
    except DocumentError:
        return None


def install_roster(data_dir: Path, anchor: bytes, site: str, raw: bytes) -> SiteRoster:
    """Judge and keep a roster. Raises DocumentError (or TrustStoreError) naming the refusal."""
    new = parse_roster(raw, anchor)
    if new.site != site:
        raise MalformedDocument(f"a roster for site {new.site!r}, not this lane's {site!r}")
    held = read_roster(data_dir, anchor)
    if held is not None and new.version <= held.version:
        if new.raw == held.raw:
            return held
        raise RollbackRefused(f"roster version {new.version} is not above {held.version}")
    path = Path(data_dir) / ROSTER_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, raw)
    except OSError as e:
        raise TrustStoreError(f"cannot write {path}: {e}") from e
    return new


def refresh_roster(
    client: PortalClient, data_dir: Path, anchor: bytes, site: str, state: SyncState
) -> DocumentOutcome:
    """Fetch the site's roster and keep it, with the lists' checks (portal_sync/document_fetch.py:
    ETag, a refusal reported once per refused document). Raises SyncError for transport
    failures only."""
    from portal_sync.document_fetch import fetch_and_install

    held = read_roster(data_dir, anchor)
    held_version = held.version if held else None

    def install(raw: bytes) -> tuple[str, int, int | None]:
        new = install_roster(data_dir, anchor, site, raw)
        return (
            ("unchanged" if held_version == new.version else "installed"),
            new.version,
            held_version,
        )

    path = f"/sites/{quote(site, safe='')}/roster"
    return fetch_and_install(client, state, ROSTER, path, held_version, install)
