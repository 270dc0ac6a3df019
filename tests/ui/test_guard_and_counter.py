"""Guard controls: direction (buttons and keys), counts, recent events."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt

from kiosk.core.presentation import Tone
from kiosk.ui import texts
from kiosk.ui.widgets.guard_panel import FULL_TEXT, TONE
from verifier import Reason


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


def test_after_a_restart_the_recent_list_shows_the_days_last_scans(make_kiosk: Any) -> None:
    k = make_kiosk()
    for name in ("valid", "forged", "idcard"):
        k.scan(name)
    k.wait(lambda: k.window.last_status.gate.entries == 1)
    k.app.close()
    again = make_kiosk(data_dir=k.data_dir)
    guard = again.window.guard
    again.wait(lambda: guard.recent_list.count() == 3)
    rows = [guard.recent_list.item(i) for i in range(3)]
    items = [str(r.data(FULL_TEXT)) for r in rows]
    tones = [r.data(TONE) for r in rows]
    assert tones == [Tone.CAUTION, Tone.STOP, Tone.GO]  # the ID card, the forgery, the valid one
    assert items[0].endswith("Lối vào") and items[2].endswith("Lối vào")
    assert items[1].endswith(texts.reason(Reason.BAD_SIGNATURE))
    assert all("Nguyễn" not in i and "1234" not in i for i in items)  # the journal has no names
    assert "Đang ở trong: 1" in guard.counts.text()
    again.scan("expired")  # a new scan goes on top of them
    assert guard.recent_list.item(0).data(TONE) == Tone.STOP
    assert guard.recent_list.count() == 4
