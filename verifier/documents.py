"""The documents signed under the pinned trust anchor (COSE_Sign1): the trust list, the
revocation list, and a device's enrolment (docs/sync.md) naming the keys the kiosk relies on."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import nacl.exceptions
import nacl.signing

from verifier.cose import (
    BadSignature,
    CoseFormatError,
    UnsupportedAlgorithm,
    kid_for,
    loads_strict,
    parse_sign1,
    verify_sign1,
)
from verifier.errors import DocumentError, ForgedDocument, MalformedDocument, WrongDocumentType
from verifier.limits import MAX_DOCUMENT_BYTES

TRUST_LIST_TYPE = "cds-trust-list"
REVOCATIONS_TYPE = "cds-revocations"
REVOCATION_HASH_LENGTH = 16
ENROLMENT_TYPE = "cds-enrolment"
ENROLMENT_VERSION = 1
MAX_DEVICE_ID = 64
MAX_SITE_ID = 64
MAX_ENROLMENT_BYTES = 4096


def revocation_hash(cti: bytes) -> bytes:
    """What a revocation list names: the first 16 bytes of SHA-256(cti)."""
    return hashlib.sha256(cti).digest()[:REVOCATION_HASH_LENGTH]


@dataclass(frozen=True, slots=True)
class IssuerKey:
    kid: bytes
    public_key: bytes
    iss: str
    nbf: int
    exp: int
    verify_key: nacl.signing.VerifyKey = field(compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class TrustList:
    version: int
    issued_at: int
    next_update: int
    keys: Mapping[bytes, IssuerKey]
    raw: bytes = field(repr=False)  # the signed bytes, as installed


@dataclass(frozen=True, slots=True)
class RevocationList:
    version: int
    issued_at: int
    next_update: int
    entries: frozenset[bytes]
    raw: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class Enrolment:
    """The keys one enrolled device relies on, as the anchor signed them."""

    device_id: str
    device_key: bytes  # the device's own Ed25519 public key: whom this was issued to
    portal_key: bytes  # Ed25519: the portal signs its upload receipts with it
    seal_key: bytes  # X25519: the journal seals personal data to it
    site: str | None  # the site the operator bound the enrolment to, if any
    issued_at: int
    raw: bytes = field(repr=False)


def anchor_from_hex(text: str) -> bytes:
    """The pinned trust anchor from its 64 hex characters. Raises ValueError naming the problem."""
    cleaned = text.strip().lower()
    if len(cleaned) != 64:
        raise ValueError(f"a trust anchor is 64 hex characters, got {len(cleaned)}")
    try:
        anchor = bytes.fromhex(cleaned)
        nacl.signing.VerifyKey(anchor)
    except (ValueError, nacl.exceptions.CryptoError):
        raise ValueError("the trust anchor is not hex for an Ed25519 public key") from None
    return anchor


def anchor_fingerprint(anchor: bytes) -> str:
    """What a technician compares by eye: the anchor's kid in groups of four hex digits."""
    h = kid_for(anchor).hex().upper()
    return " ".join(h[i : i + 4] for i in range(0, len(h), 4))


def open_signed(
    raw: bytes, anchor: bytes, *, max_bytes: int = MAX_DOCUMENT_BYTES
) -> Mapping[str, Any]:
    """The payload map of a COSE_Sign1 signed by the pinned anchor: the one way to open a
    trust list, a revocation list or a technician badge. Raises MalformedDocument or
    ForgedDocument, nothing else (hostile bytes from a network or a QR included)."""
    try:
        return _open_signed(raw, anchor, max_bytes)
    except DocumentError:
        raise
    except Exception as e:
        raise MalformedDocument(f"not a signed document: {type(e).__name__}") from None


def _open_signed(raw: bytes, anchor: bytes, max_bytes: int) -> Mapping[str, Any]:
    if len(raw) > max_bytes:
        raise MalformedDocument(f"document is over {max_bytes} bytes")
    try:
        message = parse_sign1(raw)
    except (CoseFormatError, UnsupportedAlgorithm) as e:
        raise MalformedDocument(f"not a signed document: {e}") from None
    if message.kid != kid_for(anchor):
        raise ForgedDocument("document is not signed by the pinned trust anchor (kid differs)")
    try:
        payload = verify_sign1(message, nacl.signing.VerifyKey(anchor))
    except BadSignature:
        raise ForgedDocument("document signature does not verify under the trust anchor") from None
    try:
        body = loads_strict(payload)
    except CoseFormatError as e:
        raise MalformedDocument(f"document payload: {e}") from None
    if not isinstance(body, Mapping):
        raise MalformedDocument("document payload must be a map")
    return body


def _open_document(raw: bytes, anchor: bytes, expected_type: str) -> Mapping[str, Any]:
    """The verified payload of a list of `expected_type`. Raises DocumentError only."""
    body = open_signed(raw, anchor)
    if body.get("type") != expected_type:
        raise WrongDocumentType(
            f"document type is {body.get('type')!r}, expected {expected_type!r}"
        )
    for name in ("version", "issued_at", "next_update"):
        if type(body.get(name)) is not int or body[name] < 0:
            raise MalformedDocument(f"{name} must be a non-negative integer")
    return body


def _bytes_field(item: Mapping[str, Any], name: str, length: int) -> bytes:
    value = item.get(name)
    if not isinstance(value, bytes) or len(value) != length:
        raise MalformedDocument(f"key {name} must be {length} bytes")
    return value


def _int_field(item: Mapping[str, Any], name: str) -> int:
    value = item.get(name)
    if type(value) is not int:
        raise MalformedDocument(f"key {name} must be an integer")
    return value


def _issuer_key(item: Any) -> IssuerKey:
    if not isinstance(item, Mapping):
        raise MalformedDocument("each trust list key must be a map")
    kid = _bytes_field(item, "kid", 8)
    public_key = _bytes_field(item, "pub", 32)
    if kid_for(public_key) != kid:
        raise MalformedDocument(f"kid {kid.hex()} does not match its public key")
    iss = item.get("iss")
    if not isinstance(iss, str) or not iss:
        raise MalformedDocument("key iss must be non-empty text")
    try:
        verify_key = nacl.signing.VerifyKey(public_key)
    except nacl.exceptions.CryptoError:
        raise MalformedDocument(f"key {kid.hex()} is not an Ed25519 public key") from None
    return IssuerKey(
        kid, public_key, iss, _int_field(item, "nbf"), _int_field(item, "exp"), verify_key
    )


def parse_trust_list(raw: bytes, anchor: bytes) -> TrustList:
    """Verify and read a trust list. Raises a DocumentError naming what is wrong."""
    body = _open_document(raw, anchor, TRUST_LIST_TYPE)
    items = body.get("keys")
    if not isinstance(items, Sequence) or isinstance(items, str | bytes):
        raise MalformedDocument("keys must be an array")
    keys: dict[bytes, IssuerKey] = {}
    for item in items:
        key = _issuer_key(item)
        if key.kid in keys:
            raise MalformedDocument(f"kid {key.kid.hex()} is listed twice")
        keys[key.kid] = key
    return TrustList(body["version"], body["issued_at"], body["next_update"], keys, raw)


def parse_revocations(raw: bytes, anchor: bytes) -> RevocationList:
    """Verify and read a revocation list. Raises a DocumentError naming what is wrong."""
    body = _open_document(raw, anchor, REVOCATIONS_TYPE)
    entries = body.get("entries")
    if not isinstance(entries, Sequence) or isinstance(entries, str | bytes):
        raise MalformedDocument("entries must be an array")
    if not all(isinstance(e, bytes) and len(e) == REVOCATION_HASH_LENGTH for e in entries):
        raise MalformedDocument("each revocation entry must be 16 bytes")
    return RevocationList(
        body["version"], body["issued_at"], body["next_update"], frozenset(entries), raw
    )


def parse_enrolment(raw: bytes, anchor: bytes) -> Enrolment:
    """Verify and read an enrolment document. Raises a DocumentError naming what is wrong.

    `site_secret` is reserved for the site bus: bytes or null, not read yet."""
    body = open_signed(raw, anchor, max_bytes=MAX_ENROLMENT_BYTES)
    if body.get("type") != ENROLMENT_TYPE:
        raise WrongDocumentType(
            f"document type is {body.get('type')!r}, expected {ENROLMENT_TYPE!r}"
        )
    if type(body.get("v")) is not int or body["v"] != ENROLMENT_VERSION:
        raise MalformedDocument(f"enrolment v must be {ENROLMENT_VERSION}")
    device_id = body.get("device_id")
    if not isinstance(device_id, str) or not 0 < len(device_id) <= MAX_DEVICE_ID:
        raise MalformedDocument(f"device_id must be text of 1..{MAX_DEVICE_ID} characters")
    if not device_id.isascii() or not device_id.isprintable():
        raise MalformedDocument("device_id must be printable ASCII")
    site = body.get("site")
    if site is not None and (not isinstance(site, str) or not 0 < len(site) <= MAX_SITE_ID):
        raise MalformedDocument(f"site must be null or text of 1..{MAX_SITE_ID} characters")
    if body.get("site_secret") is not None and not isinstance(body["site_secret"], bytes):
        raise MalformedDocument("site_secret must be null or bytes")
    issued_at = body.get("issued_at")
    if type(issued_at) is not int or issued_at < 0:
        raise MalformedDocument("issued_at must be a non-negative integer")
    device_key = _bytes_field(body, "device_key", 32)
    portal_key = _bytes_field(body, "portal_key", 32)
    seal_key = _bytes_field(body, "seal_key", 32)
    for name, key in (("device_key", device_key), ("portal_key", portal_key)):
        try:
            nacl.signing.VerifyKey(key)
        except nacl.exceptions.CryptoError:
            raise MalformedDocument(f"{name} is not an Ed25519 public key") from None
    return Enrolment(device_id, device_key, portal_key, seal_key, site, issued_at, raw)
