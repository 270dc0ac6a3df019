"""The counter's same-person check, diacritic-insensitive."""

from __future__ import annotations

import unicodedata

from kiosk.core.counter.identity_match import Match, compare, fold_name
from verifier import Subject


def _s(id_number: str = "001099012345", name: str = "Võ Thị Thanh Hằng", dob: str = "1995-09-21"):
    return Subject(id_number=id_number, name=name, dob=dob)


def test_fold_name() -> None:
    assert fold_name("  Đặng   Thị Ánh ") == "DANG THI ANH"
    assert fold_name(unicodedata.normalize("NFD", "Hằng")) == fold_name("Hằng") == "HANG"


def test_same_person_across_diacritics_and_capitals() -> None:
    result = compare(_s(), _s(name="VO THI THANH HANG"))
    assert result.match is Match.SAME and result.same


def test_partly_known_birth_date_agrees_with_the_full_one() -> None:
    assert compare(_s(dob="1995-09"), _s()).same
    assert not compare(_s(dob="1996"), _s()).same


def test_each_field_can_differ() -> None:
    other_id = compare(_s(), _s(id_number="001099012346"))
    assert (other_id.match, other_id.id_number, other_id.name, other_id.dob) == (
        Match.DIFFERENT,
        False,
        True,
        True,
    )
    assert not compare(_s(), _s(name="Võ Thị Thanh Hương")).name
    assert not compare(_s(), _s(dob="1995-09-22")).dob


def test_empty_fields_never_match() -> None:
    assert not compare(_s(id_number="", name=""), _s(id_number="", name="")).same
