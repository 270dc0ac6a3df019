"""The chip ID card (CCCD) and Decision-1405 readers: read, never proof."""

from __future__ import annotations

import pytest

from tests.verifier.conftest import NOW, World
from verifier import CodeKind, Outcome, TrustState, check
from verifier.idcard import read_unsigned

CCCD = (
    "048095006789|201234567|Võ Thị Thanh Hằng|21091995|Nữ|12 Bạch Đằng, Hải Châu, Đà Nẵng|10042021"
)
QR1405 = "048090001234|NGUYEN VAN AN|1990-05-17|1|VNM.048.0001234|<1<0123456789<0905123456<"


def test_cccd_is_read_as_unverified_identity() -> None:
    verdict = check(CCCD, TrustState(), NOW)
    assert (verdict.outcome, verdict.reason, verdict.kind) == (
        Outcome.UNVERIFIED,
        None,
        CodeKind.CCCD,
    )
    s = verdict.subject
    assert s is not None
    assert (s.id_number, s.name, s.dob, s.sex) == (
        "048095006789",
        "Võ Thị Thanh Hằng",
        "1995-09-21",
        "F",
    )
    assert (s.old_id_number, s.issue_date) == ("201234567", "2021-04-10")
    assert s.address == "12 Bạch Đằng, Hải Châu, Đà Nẵng"
    assert verdict.credential is None


def test_cccd_without_old_id() -> None:
    found = read_unsigned("048090001234||Nguyễn Văn An|17051990|Nam|Đà Nẵng|01012022")
    assert found is not None and found[0] is CodeKind.CCCD
    assert found[1].old_id_number is None and found[1].sex == "M"


def test_decision_1405_code() -> None:
    found = read_unsigned(QR1405)
    assert found is not None
    kind, s = found
    assert kind is CodeKind.QR1405
    assert (s.id_number, s.name, s.dob, s.sex) == (
        "048090001234",
        "NGUYEN VAN AN",
        "1990-05-17",
        "M",
    )


@pytest.mark.parametrize(
    "text",
    [
        "04809500678|201234567|Võ Thị Thanh Hằng|21091995|Nữ|addr|10042021",  # 11 digits
        "048095006789|20123456|Võ Thị Thanh Hằng|21091995|Nữ|addr|10042021",  # old id 8 digits
        "048095006789|201234567|Võ Thị Thanh Hằng|31021995|Nữ|addr|10042021",  # 31 February
        "048095006789|201234567|Võ Thị Thanh Hằng|21091995|Nu|addr|10042021",  # sex word
        "048095006789|201234567||21091995|Nữ|addr|10042021",  # no name
        "048095006789|201234567|Võ Thị Thanh Hằng|21091995|Nữ|addr",  # six fields
        "048090001234|Nguyen Van An|1990-05-17|1|Q|",  # 1405 name not capitals
        "048090001234|NGUYEN VAN AN|1990-5-17|1|Q|",  # 1405 date shape
        "048090001234|NGUYEN VAN AN|1990-05-17|2|Q|",  # 1405 flag
    ],
)
def test_near_misses_are_not_credentials(world: World, text: str) -> None:
    verdict = check(text, world.trust(), NOW)
    assert verdict.outcome is Outcome.REJECT and verdict.kind is CodeKind.OTHER
