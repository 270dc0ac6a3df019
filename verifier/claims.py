"""CWT claims (RFC 8392) of a citizen credential, type-checked.

Read only after the signature verifies.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from verifier.cose import CoseFormatError, loads_strict
from verifier.verdict import Subject

CLAIM_ISS = 1
CLAIM_EXP = 4
CLAIM_NBF = 5
CLAIM_IAT = 6
CLAIM_CTI = 7
CLAIM_CDS = -65537
CDS_SCHEMA_VERSION = 1
CTI_LENGTH = 16

_ID_RE = re.compile(r"[0-9]{12}")
_DOB_RE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
# Unix seconds up to the year 9999: anything larger is a malformed claim, not a far future.
_MAX_TIME = 253_402_300_799


class ClaimsError(CoseFormatError):
    """The claims do not type-check."""


@dataclass(frozen=True, slots=True)
class Claims:
    iss: str
    iat: int
    exp: int
    nbf: int | None
    cti: bytes
    subject: Subject


def _time(claims: Mapping[Any, Any], key: int, name: str) -> int:
    value = claims.get(key)
    # type() rather than isinstance(): CBOR true/false decode to bool, a subclass of int.
    if type(value) is not int or not 0 <= value <= _MAX_TIME:
        raise ClaimsError(f"{name} must be Unix seconds")
    return value


def _text(cds: Mapping[Any, Any], key: str) -> str:
    value = cds.get(key)
    if not isinstance(value, str) or not value or value != value.strip():
        raise ClaimsError(f"cds.{key} must be non-empty text")
    return value


def valid_partial_date(text: str) -> bool:
    """`YYYY-MM-DD`, `YYYY-MM` or `YYYY`, each part in range."""
    m = _DOB_RE.fullmatch(text)
    if not m:
        return False
    year, month, day = m.groups()
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return False
    return int(year) >= 1850


def parse_claims(payload: bytes) -> Claims:
    claims = loads_strict(payload)
    if not isinstance(claims, Mapping):
        raise ClaimsError("claims must be a map")
    iss = claims.get(CLAIM_ISS)
    if not isinstance(iss, str) or not iss:
        raise ClaimsError("iss must be non-empty text")
    iat = _time(claims, CLAIM_IAT, "iat")
    exp = _time(claims, CLAIM_EXP, "exp")
    nbf = _time(claims, CLAIM_NBF, "nbf") if CLAIM_NBF in claims else None
    cti = claims.get(CLAIM_CTI)
    if not isinstance(cti, bytes) or len(cti) != CTI_LENGTH:
        raise ClaimsError("cti must be 16 bytes")
    cds = claims.get(CLAIM_CDS)
    if not isinstance(cds, Mapping):
        raise ClaimsError("cds must be a map")
    if type(cds.get("v")) is not int or cds.get("v") != CDS_SCHEMA_VERSION:
        raise ClaimsError("cds.v must be 1")
    id_number = _text(cds, "id")
    if not _ID_RE.fullmatch(id_number):
        raise ClaimsError("cds.id must be 12 digits")
    name = _text(cds, "name")
    if unicodedata.normalize("NFC", name) != name:
        raise ClaimsError("cds.name must be NFC")
    dob = _text(cds, "dob")
    if not valid_partial_date(dob):
        raise ClaimsError("cds.dob must be YYYY-MM-DD, YYYY-MM or YYYY")
    sex = cds.get("sex")
    if sex not in ("M", "F"):
        raise ClaimsError("cds.sex must be M or F")
    return Claims(
        iss, iat, exp, nbf, cti, Subject(id_number=id_number, name=name, dob=dob, sex=sex)
    )
