"""What a check returns: a verdict, one reason code, and the verified subject."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"
    UNVERIFIED = "unverified"  # read, but nothing proves it (ID-card codes)


class Reason(StrEnum):
    """Stable reason codes, shared by the screen, the journal, the CLI and the portal.

    Declared in the order in which the checks run.
    """

    NOT_A_CREDENTIAL = "not_a_credential"
    FORMAT = "format"
    UNSUPPORTED_ALG = "unsupported_alg"
    NO_TRUST_LIST = "no_trust_list"
    UNKNOWN_KEY = "unknown_key"
    BAD_SIGNATURE = "bad_signature"
    KEY_NOT_VALID = "key_not_valid"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    REVOKED = "revoked"
    STALE_TRUST_LIST = "stale_trust_list"


class StaleList(StrEnum):
    """Which signed list made the trust data stale (with `stale_trust_list`)."""

    TRUST_LIST = "trust_list"
    REVOCATIONS = "revocations"  # held none, or past its next_update plus the grace


class CodeKind(StrEnum):
    """Which kind of QR text was read."""

    CDS1 = "cds1"  # the signed citizen credential
    CCCD = "cccd"  # chip ID card (Circular 06/2021/TT-BCA), unsigned
    QR1405 = "qr1405"  # national personal QR (Decision 1405/QĐ-BTTTT), unsigned
    OTHER = "other"  # a URL, a payment code, anything else


def mask_id(id_number: str) -> str:
    """Every digit but the last four hidden: `********1234`."""
    if len(id_number) <= 4:
        return "*" * len(id_number)
    return "*" * (len(id_number) - 4) + id_number[-4:]


@dataclass(frozen=True, slots=True)
class Subject:
    """The person a code names: verified only when the verdict is a CDS1 accept."""

    id_number: str
    name: str
    dob: str  # YYYY-MM-DD, or YYYY-MM / YYYY when partly unknown
    sex: str | None = None  # "M" or "F"
    address: str | None = None  # ID-card codes only
    old_id_number: str | None = None  # ID-card codes only
    issue_date: str | None = None  # ID-card codes only, YYYY-MM-DD

    @property
    def id_masked(self) -> str:
        return mask_id(self.id_number)

    @property
    def birth_year(self) -> str:
        return self.dob[:4]

    def public_view(self) -> dict[str, str]:
        """What a screen or a log line may show: the ID masked."""
        return {"name": self.name, "id_masked": self.id_masked, "dob": self.dob}


@dataclass(frozen=True, slots=True)
class CredentialInfo:
    """Facts about a signed credential that the journal and the portal need, none personal."""

    kid: bytes
    issuer: str
    issued_at: int
    expires_at: int
    revocation_hash: bytes  # first 16 bytes of SHA-256(cti): what a revocation list names


@dataclass(frozen=True, slots=True)
class Verdict:
    outcome: Outcome
    reason: Reason | None
    kind: CodeKind
    subject: Subject | None = None
    credential: CredentialInfo | None = None
    # Conditions that did not decide the outcome but must be shown, e.g. a stale trust list
    # under a policy that still accepts.
    warnings: tuple[Reason, ...] = ()
    # With stale_trust_list (the reason or a warning): which lists are stale, in list order.
    stale_lists: tuple[StaleList, ...] = ()
    # One line for logs and technicians when the reason alone is not enough (never personal data).
    detail: str = ""

    @property
    def accepted(self) -> bool:
        return self.outcome is Outcome.ACCEPT


def reject(reason: Reason, kind: CodeKind = CodeKind.CDS1, detail: str = "") -> Verdict:
    return Verdict(Outcome.REJECT, reason, kind, detail=detail)
