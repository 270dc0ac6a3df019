"""Guard controls (direction, counts) and the counter (hand-off, transaction, same person)."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from kiosk.core.presentation import Tone
from kiosk.ui.widgets.guard_panel import FULL_TEXT, TONE


def test_direction_switch_by_button_and_key_is_journaled(make_kiosk: Any) -> None:
    k = make_kiosk()
    guard = k.window.guard
    k.qtbot.mouseClick(guard.exit_button, Qt.MouseButton.LeftButton)
    k.wait(lambda: k.window.last_status.gate.direction == "exit")
    assert guard.exit_button.isChecked() and not guard.entry_button.isChecked()
    k.scan("valid")
    assert k.window.verdict.lines.action == "RA"
    assert k.window.status_line.labels["place"].text() == "→ Lối ra"
    k.window.show_scanning()
    k.qtbot.keyClick(k.window, Qt.Key.Key_F1)
    k.wait(lambda: k.window.last_status.gate.direction == "entry")
    changes = [json.loads(r["detail"]) for r in k.system_rows("gate.direction")]
    assert changes == [{"old": "entry", "new": "exit"}, {"old": "exit", "new": "entry"}]
    scans = [r for r in k.journal() if r["kind"] == "scan"]
    assert [(r["direction"], r["outcome"]) for r in scans] == [("exit", "admitted")]


def test_counts_and_recent_events_are_masked(make_kiosk: Any) -> None:
    k = make_kiosk()
    k.scan("valid")
    k.scan("forged")
    k.wait(lambda: k.window.last_status.gate.entries == 1)
    assert "1 vào" in k.window.guard.counts.text()
    assert "Đang ở trong: 1" in k.window.guard.counts.text()
    rows = [k.window.guard.recent_list.item(i) for i in range(2)]
    whole = [r.data(FULL_TEXT) for r in rows]
    assert [r.data(TONE) for r in rows] == [Tone.STOP, Tone.GO]
    assert "giả mạo" in whole[0]
    assert "********1234" in whole[1] and "Nguyễn" not in whole[1]


def test_a_shortened_recent_row_is_whole_a_tap_away(make_kiosk: Any) -> None:
    k = make_kiosk()
    k.window.resize(1024, 600)
    k.scan("forged")
    guard = k.window.guard
    k.wait(lambda: guard.recent_list.count() == 1)
    row = guard.recent_list.item(0)
    assert row.text().endswith("…") and "giả mạo" not in row.text()  # too long for the panel
    k.qtbot.mouseClick(
        guard.recent_list.viewport(),
        Qt.MouseButton.LeftButton,
        pos=guard.recent_list.visualItemRect(row).center(),
    )
    assert guard.recent_whole.text() == row.data(FULL_TEXT)
    assert guard.recent_whole.text().endswith("Chữ ký không hợp lệ — mã giả mạo")


def test_counter_hand_off_to_the_clipboard_and_a_transaction(make_kiosk: Any) -> None:
    k = make_kiosk(mode="counter")
    counter = k.window.counter
    k.scan("valid")
    assert k.window.verdict.presentation.tone is Tone.GO
    assert k.window.left.currentWidget() is k.window.verdict  # the card stays in view
    assert counter.values["name"].text() == "Nguyễn Văn An"
    assert counter.values["id"].text() == "********1234"
    k.qtbot.mouseClick(counter.show_id, Qt.MouseButton.LeftButton)
    assert counter.values["id"].text().endswith("1234") and "*" not in counter.values["id"].text()
    counter.service.setCurrentIndex(counter.service.findData("water"))
    counter.reference.setText("HD-2026-42")
    k.qtbot.mouseClick(counter.copy_json, Qt.MouseButton.LeftButton)
    handed = json.loads(QGuiApplication.clipboard().text())
    assert handed["name"] == "Nguyễn Văn An" and handed["verified"] is True
    assert (handed["service"], handed["reference"]) == ("water", "HD-2026-42")
    k.qtbot.mouseClick(counter.copy_text, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text().splitlines()[0] == "Nguyễn Văn An"
    k.qtbot.mouseClick(counter.record_button, Qt.MouseButton.LeftButton)
    k.wait(lambda: counter.feedback.text() == "Đã ghi nhận")
    rows = [r for r in k.journal() if r["kind"] == "counter"]
    assert [(r["service"], r["ref"]) for r in rows] == [
        ("water", k.window.current_verdict.recording.event_id)
    ]
    assert not counter.record_button.isEnabled()  # one transaction per presentation


def test_counter_tells_different_people_apart(make_kiosk: Any) -> None:
    k = make_kiosk(mode="counter")
    k.scan("idcard")
    k.scan("valid")
    text = k.window.counter.match_label.text()
    assert text.startswith("✕ KHÔNG cùng một người") and "họ tên" in text
