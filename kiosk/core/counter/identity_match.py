"""Do an ID-card code and a signed credential name the same person?

At a counter the citizen shows the chip ID card's QR (unsigned) and the Công dân số code
(signed), one after the other. They name the same person when the ID number, the date of birth
and the name agree; names are compared without diacritics, case or spacing, because the
national personal QR (Decision 1405) writes names in capitals without diacritics and printers
differ in how they compose Vietnamese letters.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from verifier import Subject


class Match(StrEnum):
    SAME = "same"
    DIFFERENT = "different"


@dataclass(frozen=True, slots=True)
class MatchResult:
    match: Match
    id_number: bool
    name: bool
    dob: bool

    @property
    def same(self) -> bool:
        return self.match is Match.SAME


def fold_name(name: str) -> str:
    """Upper case, no diacritics (đ → D as well), single spaces: `Võ Thị Hằng` → `VO THI HANG`."""
    decomposed = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(bare.upper().split())


def _dob_agrees(a: str, b: str) -> bool:
    """Equal, or one is a partly known date (YYYY or YYYY-MM) the other one extends."""
    short, long = sorted((a, b), key=len)
    return long.startswith(short) and bool(short)


def compare(a: Subject, b: Subject) -> MatchResult:
    same_id = a.id_number.strip() == b.id_number.strip() and bool(a.id_number.strip())
    same_name = fold_name(a.name) == fold_name(b.name) and bool(fold_name(a.name))
    same_dob = _dob_agrees(a.dob, b.dob)
    match = Match.SAME if same_id and same_name and same_dob else Match.DIFFERENT
    return MatchResult(match, same_id, same_name, same_dob)
