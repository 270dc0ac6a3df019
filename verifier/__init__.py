"""Offline verification of Công dân số QR credentials (the CDS1 format).

Pure Python on the standard library, PyNaCl and cbor2: no Qt, no network, no clock reads.
`check(text, trust, now)` is the one entry point for a QR text; it never raises.
"""

from verifier.check import PREFIX, Policy, StaleAction, TrustState, check
from verifier.documents import (
    IssuerKey,
    RevocationList,
    TrustList,
    anchor_fingerprint,
    anchor_from_hex,
    parse_revocations,
    parse_trust_list,
    revocation_hash,
)
from verifier.errors import (
    DocumentError,
    ForgedDocument,
    MalformedDocument,
    RollbackRefused,
    TrustStoreError,
    VerifierError,
    WrongDocumentType,
)
from verifier.trust_store import Installed, InstallResult, TrustStore
from verifier.verdict import (
    CodeKind,
    CredentialInfo,
    Outcome,
    Reason,
    StaleList,
    Subject,
    Verdict,
    mask_id,
)

__all__ = [
    "PREFIX",
    "CodeKind",
    "CredentialInfo",
    "DocumentError",
    "ForgedDocument",
    "InstallResult",
    "Installed",
    "IssuerKey",
    "MalformedDocument",
    "Outcome",
    "Policy",
    "Reason",
    "RevocationList",
    "RollbackRefused",
    "StaleAction",
    "StaleList",
    "Subject",
    "TrustList",
    "TrustState",
    "TrustStore",
    "TrustStoreError",
    "Verdict",
    "VerifierError",
    "WrongDocumentType",
    "anchor_fingerprint",
    "anchor_from_hex",
    "check",
    "mask_id",
    "parse_revocations",
    "parse_trust_list",
    "revocation_hash",
]
