"""The burst detector on timed key sequences (no Qt)."""

from __future__ import annotations

import pytest

from kiosk.core.wedge import ENTER, WedgeDetector, WedgeSettings


def _type(detector: WedgeDetector, text: str, gap_ms: float, start: float = 0.0) -> str | None:
    t = start
    for ch in text:
        assert detector.key(ch, t) is None
        t += gap_ms
    return detector.key(ENTER, t)


@pytest.mark.parametrize("gap_ms", [2, 7, 16, 25])
def test_scanner_speed_is_a_scan(gap_ms: float) -> None:
    assert _type(WedgeDetector(), "CDS1:6BF-ABC 123", gap_ms) == "CDS1:6BF-ABC 123"


@pytest.mark.parametrize("gap_ms", [70, 120, 250])
def test_typing_speed_is_not_a_scan(gap_ms: float) -> None:
    assert _type(WedgeDetector(), "123456", gap_ms) is None


def test_fast_person_below_the_gap_limit_is_still_typing() -> None:
    assert _type(WedgeDetector(), "123456", 45) is None


def test_a_pause_starts_a_new_run_so_typed_keys_do_not_join_a_scan() -> None:
    d = WedgeDetector()
    d.key("x", 0.0)
    d.key("y", 150.0)
    assert _type(d, "CDS1:ABCD", 5, start=400.0) == "CDS1:ABCD"


def test_a_clock_that_goes_back_starts_a_new_run() -> None:
    d = WedgeDetector()
    for i, ch in enumerate("JUNK"):
        d.key(ch, 4_294_967_000.0 + 5 * i)  # a window system's 32-bit milliseconds, then a wrap
    assert _type(d, "CDS1:ABCD", 5, start=3.0) == "CDS1:ABCD"


def test_too_short_a_burst_is_not_a_code() -> None:
    assert _type(WedgeDetector(), "ab", 2) is None


def test_enter_alone_and_after_a_scan_resets() -> None:
    d = WedgeDetector()
    assert d.key(ENTER, 0.0) is None
    assert _type(d, "ABCDEF", 3, start=10.0) == "ABCDEF"
    assert d.pending == 0


def test_vietnamese_text_from_an_id_card_survives() -> None:
    text = "001099012345||Võ Thị Thanh Hằng|21091995|Nữ|Đà Nẵng|01012021"
    assert _type(WedgeDetector(), text, 3) == text


def test_length_is_capped() -> None:
    d = WedgeDetector(WedgeSettings(max_chars=10))
    assert _type(d, "A" * 50, 1) == "A" * 10
