"""Pull the signed trust list and revocation list and install them through the trust store.

ETag / If-None-Match keeps an unchanged list off the wire. Only the trust store decides what is
installed (signature under the pinned anchor, expected type, strictly higher version); a
refusal keeps the held document and comes back as an outcome with a reason, for the journal.
The ETag of a refused document is not remembered, so a genuine document behind a tampered
copy is fetched again next round. A refusal is reported once per document (kind, reason and
the refused bytes' digest, kept in the sync state): a restored portal offering the same older
list every round is one journal row, not one a round.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from portal_sync.answers import JSON_LIMIT, REVOCATIONS_LIMIT, TRUST_LIST_LIMIT
from portal_sync.client import PortalClient
from portal_sync.state import SyncState
from verifier.errors import (
    DocumentError,
    ForgedDocument,
    MalformedDocument,
    RollbackRefused,
    TrustStoreError,
    WrongDocumentType,
)
from verifier.trust_store import Installed, TrustStore

TRUST_LIST = "trust-list"
REVOCATIONS = "revocations"
KINDS = (TRUST_LIST, REVOCATIONS)
SIZE_LIMITS = {TRUST_LIST: TRUST_LIST_LIMIT, REVOCATIONS: REVOCATIONS_LIMIT}

# Refusal reason codes, shared with the journal and the portal's fleet view.
_REFUSAL_CODES: tuple[tuple[type[DocumentError], str], ...] = (
    (ForgedDocument, "forged"),
    (WrongDocumentType, "wrong_type"),
    (RollbackRefused, "rollback"),
    (MalformedDocument, "malformed"),
)


@dataclass(frozen=True, slots=True)
class DocumentOutcome:
    kind: str  # trust-list | revocations | site-roster
    status: str  # installed | unchanged | not_modified | refused
    version: int | None = None
    previous_version: int | None = None
    reason: str | None = None  # for refused: forged | wrong_type | rollback | malformed | store
    detail: str | None = None
    repeated: bool = False  # refused as before: already reported

    @property
    def refused(self) -> bool:
        return self.status == "refused"


def refusal_code(error: Exception) -> str:
    for cls, code in _REFUSAL_CODES:
        if isinstance(error, cls):
            return code
    return "store" if isinstance(error, TrustStoreError) else "malformed"


def _held_version(store: TrustStore, kind: str) -> int | None:
    state = store.state
    doc = state.trust_list if kind == TRUST_LIST else state.revocations
    return doc.version if doc is not None else None


# Judges and keeps a fetched body: (installed | unchanged, version, previous version). Raises
# DocumentError or TrustStoreError naming the refusal.
Install = Callable[[bytes], tuple[str, int, int | None]]


def fetch_and_install(
    client: PortalClient,
    state: SyncState,
    kind: str,
    path: str,
    held: int | None,
    install: Install,
    *,
    limit: int = JSON_LIMIT,
) -> DocumentOutcome:
    """Fetch one signed document (ETag when one is held) and hand it to `install`; a refusal
    keeps the held one and is marked repeated when the same bytes were refused last time.
    Raises SyncError for transport failures only."""
    etag = state.etags.get(kind)
    headers = {"If-None-Match": etag} if etag and held is not None else {}
    response = client.get(path, headers=headers, what=f"fetching the {kind}", limit=limit)
    if response.status_code == 304:
        return DocumentOutcome(kind, "not_modified", held, held)
    try:
        status, version, previous = install(response.content)
    except (DocumentError, TrustStoreError) as e:
        state.etags.pop(kind, None)
        reason = refusal_code(e)
        refusal = f"{reason}:{hashlib.sha256(response.content).hexdigest()[:32]}"
        repeated = state.refusals.get(kind) == refusal
        state.refusals[kind] = refusal
        return DocumentOutcome(kind, "refused", held, held, reason, str(e), repeated)
    state.refusals.pop(kind, None)
    if new_etag := response.headers.get("ETag"):
        state.etags[kind] = new_etag
    return DocumentOutcome(kind, status, version, previous)


def refresh_document(
    client: PortalClient, store: TrustStore, state: SyncState, kind: str
) -> DocumentOutcome:
    """Fetch one list and install it through the trust store. Raises SyncError for transport
    failures only."""
    install_list = store.install_trust_list if kind == TRUST_LIST else store.install_revocations

    def install(raw: bytes) -> tuple[str, int, int | None]:
        result = install_list(raw)
        status = "installed" if result.outcome is Installed.INSTALLED else "unchanged"
        return status, result.version, result.previous_version

    held = _held_version(store, kind)
    return fetch_and_install(
        client, state, kind, f"/documents/{kind}", held, install, limit=SIZE_LIMITS[kind]
    )
