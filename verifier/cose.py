"""COSE_Sign1 (RFC 9052) with EdDSA/Ed25519, strictly shaped.

`parse_sign1` reads the envelope and returns an `UnverifiedSign1`: nothing in it may be trusted.
`verify_sign1` is the only way to the payload bytes.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import cbor2
import nacl.exceptions
import nacl.signing

from verifier.cbor_shape import ShapeError, check_shape
from verifier.limits import MAX_CBOR_DEPTH

ALG_EDDSA = -8
_HDR_ALG = 1
_HDR_CRIT = 2
_HDR_KID = 4
_TAG_SIGN1 = 18
KID_LENGTH = 8


class CoseFormatError(ValueError):
    """The bytes are not a COSE_Sign1 of the documented shape."""


class UnsupportedAlgorithm(ValueError):
    """The protected header names an algorithm other than EdDSA (-8)."""


class BadSignature(ValueError):
    """The signature does not verify."""


def kid_for(public_key: bytes) -> bytes:
    """The key id: the first 8 bytes of SHA-256 over the raw 32-byte Ed25519 public key."""
    return hashlib.sha256(public_key).digest()[:KID_LENGTH]


def loads_strict(data: bytes) -> Any:
    """One CBOR item, definite lengths, no duplicate keys, depth-capped, nothing after it."""
    fp = io.BytesIO(data)
    decoder = cbor2.CBORDecoder(
        fp, max_depth=MAX_CBOR_DEPTH, allow_indefinite=False, allow_duplicate_keys=False
    )
    try:
        item = decoder.decode()
    except (cbor2.CBORDecodeError, RecursionError, ValueError, TypeError, OverflowError) as e:
        raise CoseFormatError(f"bad CBOR: {e}") from None
    if fp.tell() != len(data):
        raise CoseFormatError("bytes after the end of the CBOR item")
    return item


@dataclass(frozen=True, slots=True)
class UnverifiedSign1:
    protected: bytes  # the protected header bucket, exactly as signed
    kid: bytes
    payload: bytes
    signature: bytes


def parse_sign1(data: bytes) -> UnverifiedSign1:
    """Read the envelope. Raises CoseFormatError or UnsupportedAlgorithm, nothing else."""
    try:
        return _parse_sign1(data)
    except (CoseFormatError, UnsupportedAlgorithm):
        raise
    except Exception as e:  # whatever a decoder trips on in hostile bytes is a format error
        raise CoseFormatError(f"bad COSE envelope: {type(e).__name__}") from None


def _parse_sign1(data: bytes) -> UnverifiedSign1:
    # The envelope is not signed: its shape is walked before any decoder sees it (cbor_shape),
    # so it is in the one shortest, definite-length form and one credential has one text.
    try:
        check_shape(data, allow_sign1_tag=True)
    except ShapeError as e:
        raise CoseFormatError(str(e)) from None
    item = loads_strict(data)
    if isinstance(item, cbor2.CBORTag):
        item = item.value
    if not isinstance(item, Sequence) or isinstance(item, str | bytes) or len(item) != 4:
        raise CoseFormatError("COSE_Sign1 must be an array of four items")
    protected, unprotected, payload, signature = item
    if not isinstance(protected, bytes):
        raise CoseFormatError("protected header must be a byte string")
    if not isinstance(unprotected, Mapping):
        raise CoseFormatError("unprotected header must be a map")
    if not isinstance(payload, bytes):
        raise CoseFormatError("payload must be a byte string")
    if not isinstance(signature, bytes) or len(signature) != 64:
        raise CoseFormatError("signature must be 64 bytes")
    if protected:
        try:
            check_shape(protected)
        except ShapeError as e:
            raise CoseFormatError(f"protected header: {e}") from None
    headers = loads_strict(protected) if protected else {}
    if not isinstance(headers, Mapping):
        raise CoseFormatError("protected header must hold a map")
    _check_headers(headers, unprotected)
    # A kid found only in the unprotected map is accepted, as HC1 verifiers do; the protected
    # wins. Its shape is part of the outer format, checked before the algorithm.
    kid = headers.get(_HDR_KID, unprotected.get(_HDR_KID))
    if not isinstance(kid, bytes) or len(kid) != KID_LENGTH:
        raise CoseFormatError("kid must be an 8-byte string")
    alg = headers.get(_HDR_ALG)
    if type(alg) is not int or alg != ALG_EDDSA:
        raise UnsupportedAlgorithm(f"alg {alg!r} is not EdDSA (-8)")
    return UnverifiedSign1(protected, kid, payload, signature)


def _check_headers(protected: Mapping[Any, Any], unprotected: Mapping[Any, Any]) -> None:
    """What the headers may hold (credential-format.md), so one credential has one text.

    Labels are integers: type() and not isinstance(), since a CBOR true is a Python bool, equal
    to 1, and `{true: -8}` would otherwise be read as alg. `crit` is not supported, so a header
    naming it is refused rather than half-understood. The unprotected map is not signed: it is
    empty or holds only the kid, or anyone could pad one credential into many texts.
    """
    for where, headers in (("protected", protected), ("unprotected", unprotected)):
        if any(type(label) is not int for label in headers):
            raise CoseFormatError(f"{where} header labels must be integers")
        if _HDR_CRIT in headers:
            raise CoseFormatError(f"{where} header carries crit, which is not supported")
    if any(label != _HDR_KID for label in unprotected):
        raise CoseFormatError("unprotected header may hold only the kid")
    for where, headers in (("protected", protected), ("unprotected", unprotected)):
        kid = headers.get(_HDR_KID)
        if kid is not None and (not isinstance(kid, bytes) or len(kid) != KID_LENGTH):
            raise CoseFormatError(f"{where} kid must be an 8-byte string")


def sig_structure(protected: bytes, payload: bytes) -> bytes:
    return cbor2.dumps(["Signature1", protected, b"", payload])


def verify_sign1(message: UnverifiedSign1, key: nacl.signing.VerifyKey) -> bytes:
    """The payload bytes, once the signature verifies under `key`. Raises BadSignature."""
    try:
        key.verify(sig_structure(message.protected, message.payload), message.signature)
    except nacl.exceptions.BadSignatureError:
        raise BadSignature("signature does not verify") from None
    return message.payload
