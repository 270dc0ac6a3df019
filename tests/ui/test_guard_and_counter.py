"""Guard controls: direction (buttons and keys), counts, recent events."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt


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
    items = [k.window.guard.recent_list.item(i).text() for i in range(2)]
    assert items[0].startswith("✕") and "giả mạo" in items[0]
    assert items[1].startswith("✓") and "********1234" in items[1] and "Nguyễn" not in items[1]
