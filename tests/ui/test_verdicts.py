"""End to end on the real window: each demo code gives the right colour, icon, words and sound,
and the journal holds the event before the screen shows it."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.core.presentation import Tone
from kiosk.core.reason_text import REASONS
from kiosk.ui.widgets.verdict_view import VerdictView
from tests.ui.conftest import code
from verifier import Reason


def test_valid_credential_is_green_with_the_person_and_journaled(make_kiosk: Any) -> None:
    k = make_kiosk()
    k.scan("valid")
    w = k.window
    assert w.is_showing_verdict()
    verdict: VerdictView = w.verdict
    assert verdict.presentation is not None and verdict.presentation.tone is Tone.GO
    assert verdict.lines.title == "HỢP LỆ" and verdict.lines.action == "VÀO"
    assert verdict.lines.name == "Nguyễn Văn An"
    assert verdict.lines.id_line == "Số định danh ********1234 · sinh năm 1990"
    assert k.app.tones.played == ["accept"]
    shown = w.current_verdict
    scans = [r for r in k.journal() if r["kind"] == "scan"]
    assert [(r["event_id"], r["verdict"], r["direction"]) for r in scans] == [
        (shown.recording.event_id, "accept", "entry")
    ]
    assert "Nguyễn" not in str(scans) and "001099" not in str(scans)  # nothing personal readable


@pytest.mark.parametrize(
    ("name", "tone", "title", "reason"),
    [
        ("forged", Tone.STOP, "KHÔNG HỢP LỆ", Reason.BAD_SIGNATURE),
        ("expired", Tone.STOP, "KHÔNG HỢP LỆ", Reason.EXPIRED),
        ("revoked", Tone.STOP, "KHÔNG HỢP LỆ", Reason.REVOKED),
        ("url", Tone.STOP, "KHÔNG HỢP LỆ", Reason.NOT_A_CREDENTIAL),
    ],
)
def test_rejects_are_red_with_the_reason_in_plain_words(
    make_kiosk: Any, name: str, tone: Tone, title: str, reason: Reason
) -> None:
    k = make_kiosk()
    k.scan(name)
    v = k.window.verdict
    assert v.presentation.tone is tone
    assert (v.lines.title, v.lines.note) == (title, REASONS[reason][0])
    assert v.lines.action == "Không cho qua" and v.lines.name == ""
    assert k.app.tones.played == ["reject"]
    assert [r["reason"] for r in k.journal() if r["kind"] == "scan"] == [str(reason)]


def test_unverified_id_card_is_amber_and_refused_by_default(make_kiosk: Any) -> None:
    k = make_kiosk()
    k.scan("idcard")
    v = k.window.verdict
    assert v.presentation.tone is Tone.CAUTION
    assert v.lines.title == "CHƯA XÁC THỰC" and v.lines.action == "Không cho qua"
    assert v.lines.name == "Võ Thị Thanh Hằng"
    assert k.app.tones.played == ["caution"]
    assert [r["outcome"] for r in k.journal() if r["kind"] == "scan"] == ["refused"]


def test_unverified_id_card_admitted_when_the_site_says_so(make_kiosk: Any) -> None:
    k = make_kiosk(overrides={"ui.unverified_id_card": "admit"})
    k.scan("idcard")
    assert k.window.verdict.lines.action == "VÀO"
    assert [r["outcome"] for r in k.journal() if r["kind"] == "scan"] == ["admitted"]


def test_the_same_code_twice_is_one_event_one_beep(make_kiosk: Any) -> None:
    k = make_kiosk()
    k.scan("valid")
    first = k.window.current_verdict
    k.runtime.submit_text(code("valid"))
    k.qtbot.wait(600)
    assert k.window.current_verdict is first
    assert k.app.tones.played == ["accept"]
    assert len([r for r in k.journal() if r["kind"] == "scan"]) == 1


def test_the_next_scan_replaces_the_verdict_at_once_and_it_clears_itself(make_kiosk: Any) -> None:
    k = make_kiosk(overrides={"ui.verdict_seconds": 1.0})
    k.scan("valid")
    k.scan("forged")
    assert k.window.verdict.presentation.tone is Tone.STOP
    k.wait(lambda: not k.window.is_showing_verdict(), 3000)
    assert k.window.stack.currentWidget() is k.window.work


def test_english_words(make_kiosk: Any) -> None:
    k = make_kiosk(language="en")
    k.scan("revoked")
    assert (k.window.verdict.lines.title, k.window.verdict.lines.note) == ("NOT VALID", "Revoked")
    assert k.window.verdict.lines.action == "Do not let through"
