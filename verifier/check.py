"""The ordered checks: QR text in, a verdict out. Offline; the clock is an argument.

Order (the first failure names the reason): not_a_credential, format (outer layers),
unsupported_alg, no_trust_list, unknown_key, bad_signature, format (claims), key_not_valid,
not_yet_valid, expired, revoked, stale_trust_list.
"""

from __future__ import annotations

import logging
import zlib
from dataclasses import dataclass
from enum import StrEnum

from verifier import base45
from verifier.claims import parse_claims
from verifier.cose import (
    BadSignature,
    CoseFormatError,
    UnsupportedAlgorithm,
    parse_sign1,
    verify_sign1,
)
from verifier.documents import RevocationList, TrustList, revocation_hash
from verifier.idcard import read_unsigned
from verifier.limits import DEFAULT_CLOCK_SKEW_S, MAX_DECOMPRESSED_BYTES, MAX_QR_TEXT_CHARS
from verifier.verdict import (
    CodeKind,
    CredentialInfo,
    Outcome,
    Reason,
    StaleList,
    Verdict,
    reject,
)

PREFIX = "CDS1:"
_ZLIB_FIRST_BYTE = 0x78
log = logging.getLogger(__name__)


class StaleAction(StrEnum):
    """What a check does with a credential when the trust data is stale: the trust list or the
    revocation list past its next_update plus the grace, or no revocation list held."""

    ACCEPT = "accept"  # accept, and say so in the verdict's warnings
    REJECT = "reject"


@dataclass(frozen=True, slots=True)
class Policy:
    clock_skew_s: int = DEFAULT_CLOCK_SKEW_S
    # A trust list or a revocation list past its next_update plus this grace is stale.
    stale_grace_s: int = 2 * 24 * 3600
    on_stale_trust_list: StaleAction = StaleAction.ACCEPT


@dataclass(frozen=True, slots=True)
class TrustState:
    """The verified documents a check runs against. Either may be missing on a new kiosk."""

    trust_list: TrustList | None = None
    revocations: RevocationList | None = None

    def signed_now(self, now: int) -> int:
        """`now`, or later: the newest `issued_at` the held lists were signed at. A list is never
        fresher than its sibling says time has moved on, so a clock set back, or a revocation
        list withheld while the trust list moved on, does not make old data look current."""
        held = [d.issued_at for d in (self.trust_list, self.revocations) if d is not None]
        return max([now, *held])

    def stale_lists(self, now: int, policy: Policy) -> tuple[StaleList, ...]:
        """The lists that make this trust data stale (credential-format.md: the revocation list is
        held to the trust list's rule, and holding none is stale). A missing trust list is not
        stale: it is `no_trust_list`, checked first."""
        at = self.signed_now(now)
        stale = []
        if self.trust_list is not None and past_grace(self.trust_list.next_update, at, policy):
            stale.append(StaleList.TRUST_LIST)
        rl = self.revocations
        if rl is None or past_grace(rl.next_update, at, policy):
            stale.append(StaleList.REVOCATIONS)
        return tuple(stale)


def past_grace(next_update: int, now: int, policy: Policy) -> bool:
    """The freshness rule of both lists: stale once past next_update plus the grace."""
    return now > next_update + policy.stale_grace_s


def stale_detail(lists: tuple[StaleList, ...], trust: TrustState) -> str:
    words = []
    for which in lists:
        if which is StaleList.TRUST_LIST:
            words.append("trust list is stale")
        elif trust.revocations is None:
            words.append("no revocation list held: revocation not checked")
        else:
            words.append("revocation list is stale")
    return "; ".join(words)


class _Rejected(Exception):
    def __init__(self, reason: Reason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def _inflate(data: bytes) -> bytes:
    if not data or data[0] != _ZLIB_FIRST_BYTE:
        if len(data) > MAX_DECOMPRESSED_BYTES:
            raise _Rejected(Reason.FORMAT, "uncompressed body over the size limit")
        return data
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_DECOMPRESSED_BYTES + 1)
    except zlib.error as e:
        raise _Rejected(Reason.FORMAT, f"zlib: {e}") from None
    if len(out) > MAX_DECOMPRESSED_BYTES:
        raise _Rejected(Reason.FORMAT, "decompressed body over the size limit")
    if not inflater.eof:
        raise _Rejected(Reason.FORMAT, "zlib stream is truncated")
    if inflater.unused_data:
        raise _Rejected(Reason.FORMAT, "bytes after the end of the zlib stream")
    return out


def _check_cds1(text: str, trust: TrustState, now: int, policy: Policy) -> Verdict:
    if len(text) > MAX_QR_TEXT_CHARS:
        raise _Rejected(Reason.FORMAT, f"text over {MAX_QR_TEXT_CHARS} characters")
    try:
        compressed = base45.decode(text[len(PREFIX) :])
    except base45.Base45Error as e:
        raise _Rejected(Reason.FORMAT, f"base45: {e}") from None
    try:
        message = parse_sign1(_inflate(compressed))
    except CoseFormatError as e:
        raise _Rejected(Reason.FORMAT, str(e)) from None
    except UnsupportedAlgorithm as e:
        raise _Rejected(Reason.UNSUPPORTED_ALG, str(e)) from None

    if trust.trust_list is None:
        raise _Rejected(Reason.NO_TRUST_LIST, "no trust list installed")
    key = trust.trust_list.keys.get(message.kid)
    if key is None:
        raise _Rejected(Reason.UNKNOWN_KEY, f"kid {message.kid.hex()} is not in the trust list")
    try:
        payload = verify_sign1(message, key.verify_key)
    except BadSignature:
        raise _Rejected(
            Reason.BAD_SIGNATURE, f"signature does not verify (kid {key.kid.hex()})"
        ) from None

    # Verified from here on.
    try:
        claims = parse_claims(payload)
    except CoseFormatError as e:
        raise _Rejected(Reason.FORMAT, f"claims: {e}") from None
    if not key.nbf <= claims.iat <= key.exp:
        raise _Rejected(Reason.KEY_NOT_VALID, "issuer key was not valid when this was issued")
    if claims.iss != key.iss:
        raise _Rejected(Reason.KEY_NOT_VALID, "issuer differs from the key's issuer")

    info = CredentialInfo(
        kid=key.kid,
        issuer=claims.iss,
        issued_at=claims.iat,
        expires_at=claims.exp,
        revocation_hash=revocation_hash(claims.cti),
    )

    def signed_reject(reason: Reason, detail: str) -> Verdict:
        # The signature verified, so the subject is authentic: the screen may name whose code it is.
        return Verdict(Outcome.REJECT, reason, CodeKind.CDS1, claims.subject, info, detail=detail)

    start = claims.nbf if claims.nbf is not None else claims.iat
    if now + policy.clock_skew_s < start:
        return signed_reject(Reason.NOT_YET_VALID, "not valid yet")
    if now - policy.clock_skew_s > claims.exp:
        return signed_reject(Reason.EXPIRED, "expired")
    if trust.revocations is not None and info.revocation_hash in trust.revocations.entries:
        return signed_reject(Reason.REVOKED, "on the revocation list")
    stale = trust.stale_lists(now, policy)
    if not stale:
        return Verdict(Outcome.ACCEPT, None, CodeKind.CDS1, claims.subject, info)
    detail = stale_detail(stale, trust)
    if policy.on_stale_trust_list is StaleAction.REJECT:
        return Verdict(
            Outcome.REJECT,
            Reason.STALE_TRUST_LIST,
            CodeKind.CDS1,
            claims.subject,
            info,
            stale_lists=stale,
            detail=detail,
        )
    warnings = (Reason.STALE_TRUST_LIST,)
    return Verdict(
        Outcome.ACCEPT, None, CodeKind.CDS1, claims.subject, info, warnings, stale, detail
    )


def check(text: str, trust: TrustState, now: int, policy: Policy | None = None) -> Verdict:
    """The verdict on one QR text. Never raises: any failure is a `reject` with a reason."""
    policy = policy or Policy()
    try:
        if not isinstance(text, str):
            return reject(Reason.NOT_A_CREDENTIAL, CodeKind.OTHER, "not text")
        if text.startswith(PREFIX):
            return _check_cds1(text, trust, now, policy)
        unsigned = read_unsigned(text)
        if unsigned is None:
            return reject(Reason.NOT_A_CREDENTIAL, CodeKind.OTHER)
        kind, subject = unsigned
        return Verdict(Outcome.UNVERIFIED, None, kind, subject)
    except _Rejected as r:
        return reject(r.reason, CodeKind.CDS1, r.detail)
    except Exception:  # fail closed: a bug in a check is a reject, never a crash or an accept
        log.exception("check failed unexpectedly")
        signed = isinstance(text, str) and text.startswith(PREFIX)
        kind = CodeKind.CDS1 if signed else CodeKind.OTHER
        return reject(Reason.FORMAT if signed else Reason.NOT_A_CREDENTIAL, kind, "internal error")
