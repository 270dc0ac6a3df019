"""Readers for the two unsigned QR texts every citizen carries. Their data is read, never proof.

- chip ID card (CCCD, Circular 06/2021/TT-BCA): `<12-digit id>|<old 9-digit id or empty>|
  <full name>|<dob ddmmyyyy>|<Nam/Nữ>|<address>|<issue date ddmmyyyy>`
- national personal QR (Decision 1405/QĐ-BTTTT, 2021):
  `<id>|<NAME IN CAPITALS, NO DIACRITICS>|<dob YYYY-MM-DD>|<0 or 1>|<QID>|<EXT>`,
  EXT holding `<`-separated optional fields: declarer QID, sex 0/1/2, insurance number,
  phone, signature.
"""

from __future__ import annotations

import re
from datetime import date

from verifier.claims import valid_partial_date
from verifier.verdict import CodeKind, Subject

_ID12 = re.compile(r"[0-9]{12}")
_OLD_ID = re.compile(r"[0-9]{9}")
_DDMMYYYY = re.compile(r"([0-9]{2})([0-9]{2})([0-9]{4})")
_NAME_1405 = re.compile(r"[A-Z]+(?: [A-Z]+)*")
_SEX_CCCD = {"Nam": "M", "Nữ": "F"}
_SEX_1405 = {"1": "M", "2": "F"}  # 0: not stated


def _ddmmyyyy(text: str) -> str | None:
    m = _DDMMYYYY.fullmatch(text)
    if not m:
        return None
    day, month, year = (int(g) for g in m.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def read_cccd(text: str) -> Subject | None:
    fields = text.split("|")
    if len(fields) != 7:
        return None
    id_number, old_id, name, dob, sex, address, issued = fields
    if not _ID12.fullmatch(id_number) or (old_id and not _OLD_ID.fullmatch(old_id)):
        return None
    if not name.strip() or sex not in _SEX_CCCD:
        return None
    dob_iso, issued_iso = _ddmmyyyy(dob), _ddmmyyyy(issued)
    if dob_iso is None or issued_iso is None:
        return None
    return Subject(
        id_number=id_number,
        name=name.strip(),
        dob=dob_iso,
        sex=_SEX_CCCD[sex],
        address=address.strip() or None,
        old_id_number=old_id or None,
        issue_date=issued_iso,
    )


def read_1405(text: str) -> Subject | None:
    fields = text.split("|")
    if len(fields) != 6:
        return None
    id_number, name, dob, _flag, _qid, ext = fields
    if not _ID12.fullmatch(id_number) or not _NAME_1405.fullmatch(name):
        return None
    if _flag not in ("0", "1") or len(dob) != 10 or not valid_partial_date(dob):
        return None
    ext_fields = ext.split("<")
    sex = _SEX_1405.get(ext_fields[1]) if len(ext_fields) > 1 else None
    return Subject(id_number=id_number, name=name, dob=dob, sex=sex)


def read_unsigned(text: str) -> tuple[CodeKind, Subject] | None:
    """The kind and subject of an ID-card or Decision-1405 text, or None for anything else."""
    if "|" not in text:
        return None
    subject = read_cccd(text)
    if subject is not None:
        return CodeKind.CCCD, subject
    subject = read_1405(text)
    if subject is not None:
        return CodeKind.QR1405, subject
    return None
