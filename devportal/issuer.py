"""Issuer tools: keys, signed trust and revocation lists, enrolment documents, upload receipts,
credentials, QR images.

What the portal does with its private keys. Deterministic when given seeds, so demo data and
test vectors can be made again byte for byte (Ed25519 signatures are deterministic).
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cbor2
import nacl.signing
import segno

from verifier import base45
from verifier.check import PREFIX
from verifier.claims import CLAIM_CDS, CLAIM_CTI, CLAIM_EXP, CLAIM_IAT, CLAIM_ISS, CLAIM_NBF
from verifier.cose import ALG_EDDSA, kid_for, sig_structure
from verifier.documents import (
    ENROLMENT_TYPE,
    ENROLMENT_VERSION,
    REVOCATIONS_TYPE,
    TRUST_LIST_TYPE,
    revocation_hash,
)

# The receipt is the kiosk's format (portal_sync/receipts.py), written out again here because
# the portal never imports the kiosk; tests/sync/test_sync_receipts.py holds the two equal.
RECEIPT_TYPE = "cds-upload-receipt"
RECEIPT_VERSION = 1


def signing_key(seed: str | bytes | None = None) -> nacl.signing.SigningKey:
    """A new Ed25519 key; from `seed` (any text) when given, so it can be made again."""
    if seed is None:
        return nacl.signing.SigningKey.generate()
    raw = seed.encode() if isinstance(seed, str) else seed
    return nacl.signing.SigningKey(hashlib.sha256(b"cds-devportal-key:" + raw).digest())


def public_bytes(key: nacl.signing.SigningKey) -> bytes:
    return bytes(key.verify_key)


def sign1(
    payload: bytes,
    key: nacl.signing.SigningKey,
    *,
    tagged: bool = True,
    protected: dict[int, Any] | None = None,
    unprotected: dict[int, Any] | None = None,
) -> bytes:
    """A COSE_Sign1 over `payload`. `protected` replaces the default {alg: -8, kid} (for tests)."""
    header = protected if protected is not None else {1: ALG_EDDSA, 4: kid_for(public_bytes(key))}
    protected_bytes = cbor2.dumps(header) if header else b""
    signature = key.sign(sig_structure(protected_bytes, payload)).signature
    body = [protected_bytes, unprotected or {}, payload, signature]
    return cbor2.dumps(cbor2.CBORTag(18, body) if tagged else body)


@dataclass(frozen=True)
class Citizen:
    id_number: str
    name: str
    dob: str
    sex: str

    def cds(self) -> dict[str, Any]:
        return {"v": 1, "id": self.id_number, "name": self.name, "dob": self.dob, "sex": self.sex}


def claims_payload(
    citizen: Citizen,
    *,
    iss: str,
    iat: int,
    exp: int,
    cti: bytes,
    nbf: int | None = None,
    extra: dict[int, Any] | None = None,
) -> bytes:
    claims: dict[int, Any] = {CLAIM_ISS: iss, CLAIM_IAT: iat, CLAIM_EXP: exp, CLAIM_CTI: cti}
    if nbf is not None:
        claims[CLAIM_NBF] = nbf
    claims[CLAIM_CDS] = citizen.cds()
    claims.update(extra or {})
    return cbor2.dumps(claims)


def credential_text(cose: bytes, *, compress: bool = True) -> str:
    """The QR text for a signed COSE_Sign1: `CDS1:` + Base45(zlib(cose))."""
    body = zlib.compress(cose, 9) if compress else cose
    return PREFIX + base45.encode(body)


def mint_credential(
    key: nacl.signing.SigningKey,
    citizen: Citizen,
    *,
    iss: str,
    iat: int,
    exp: int,
    cti: bytes,
    nbf: int | None = None,
) -> str:
    payload = claims_payload(citizen, iss=iss, iat=iat, exp=exp, cti=cti, nbf=nbf)
    return credential_text(sign1(payload, key))


@dataclass(frozen=True)
class ListedKey:
    public_key: bytes
    iss: str
    nbf: int
    exp: int


def trust_list_payload(
    version: int, issued_at: int, next_update: int, keys: Iterable[ListedKey]
) -> bytes:
    return cbor2.dumps(
        {
            "type": TRUST_LIST_TYPE,
            "version": version,
            "issued_at": issued_at,
            "next_update": next_update,
            "keys": [
                {
                    "kid": kid_for(k.public_key),
                    "pub": k.public_key,
                    "iss": k.iss,
                    "nbf": k.nbf,
                    "exp": k.exp,
                }
                for k in keys
            ],
        }
    )


def sign_trust_list(
    anchor: nacl.signing.SigningKey,
    *,
    version: int,
    issued_at: int,
    next_update: int,
    keys: Iterable[ListedKey],
) -> bytes:
    return sign1(trust_list_payload(version, issued_at, next_update, keys), anchor)


def sign_revocations(
    anchor: nacl.signing.SigningKey,
    *,
    version: int,
    issued_at: int,
    next_update: int,
    revoked_ctis: Iterable[bytes],
) -> bytes:
    payload = {
        "type": REVOCATIONS_TYPE,
        "version": version,
        "issued_at": issued_at,
        "next_update": next_update,
        "entries": sorted(revocation_hash(c) for c in revoked_ctis),
    }
    return sign1(cbor2.dumps(payload), anchor)


def sign_enrolment(
    anchor: nacl.signing.SigningKey,
    *,
    device_id: str,
    device_key: bytes,
    portal_key: bytes,
    seal_key: bytes,
    site: str | None,
    issued_at: int,
) -> bytes:
    """The enrolment document (docs/sync.md): the keys one device relies on, anchor-signed.
    `site_secret` stays null until the site bus defines it."""
    payload = {
        "type": ENROLMENT_TYPE,
        "v": ENROLMENT_VERSION,
        "device_id": device_id,
        "device_key": device_key,
        "portal_key": portal_key,
        "seal_key": seal_key,
        "site": site,
        "site_secret": None,
        "issued_at": issued_at,
    }
    return sign1(cbor2.dumps(payload), anchor)


def sign_receipt(
    portal: nacl.signing.SigningKey,
    *,
    device_id: str,
    batch: str,
    events: Iterable[str],
    checkpoint_seq: int,
    checkpoint_hash: str,
    received_at: int,
) -> bytes:
    """An upload receipt (docs/sync.md): the events of one batch this portal holds, for one
    device, at one chain position; signed with the portal key the enrolment named."""
    payload = {
        "type": RECEIPT_TYPE,
        "v": RECEIPT_VERSION,
        "device_id": device_id,
        "batch": batch,
        "events": list(events),
        "checkpoint": {"seq": checkpoint_seq, "row_hash": checkpoint_hash},
        "received_at": received_at,
    }
    return sign1(cbor2.dumps(payload), portal)


def cccd_text(citizen: Citizen, *, old_id: str, address: str, issued: str) -> str:
    """A chip ID card QR text; dates as ddmmyyyy, as printed on the card."""

    def ddmmyyyy(iso: str) -> str:
        y, m, d = iso.split("-")
        return f"{d}{m}{y}"

    sex = "Nam" if citizen.sex == "M" else "Nữ"
    return "|".join(
        [
            citizen.id_number,
            old_id,
            citizen.name,
            ddmmyyyy(citizen.dob),
            sex,
            address,
            ddmmyyyy(issued),
        ]
    )


def write_qr_png(text: str, path: Path, *, scale: int = 4, border: int = 4) -> None:
    """A QR image: alphanumeric mode for CDS1 texts, UTF-8 byte mode (no ECI) for the rest."""
    qr = segno.make_qr(text, error="m", encoding="utf-8" if not text.isascii() else None)
    path.parent.mkdir(parents=True, exist_ok=True)
    qr.save(str(path), scale=scale, border=border)
