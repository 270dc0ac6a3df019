"""The status line's words and colours for the states the core reports."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.core.recorder import GateSnapshot
from kiosk.core.runtime_messages import SiteSummary, SourceChanged, StatusSnapshot, TrustSummary
from kiosk.ui.app import qapplication
from kiosk.ui.i18n import Languages
from kiosk.ui.widgets.status_line import StatusLine
from kiosk.ui.widgets.style import LEVEL_COLOUR

NOW = 1_800_000_000.0


def _snapshot(**changes: Any) -> StatusSnapshot:
    values: dict[str, Any] = {
        "wall_time": NOW,
        "kiosk_name": "Cổng A",
        "mode": "gate",
        "source": SourceChanged("camera:0", "camera", "live"),
        "trust": TrustSummary("ok", 3, int(NOW - 7200), int(NOW + 3600)),
        "gate": GateSnapshot("gate", "entry"),
        "backlog": 12,
        "sync_state": "ok",
        "last_sync": NOW - 300,
    }
    values.update(changes)
    return StatusSnapshot(**values)


@pytest.fixture
def line(qtbot: Any) -> Any:
    langs = Languages(qapplication())
    langs.use("vi")
    widget = StatusLine()
    qtbot.addWidget(widget)
    yield widget
    langs.uninstall()


def _colour(line: StatusLine, name: str) -> str:
    return line.labels[name].styleSheet()


def test_a_healthy_gate(line: StatusLine) -> None:
    line.update_status(_snapshot())
    assert line.labels["kiosk"].text() == "Cổng A · Cổng"
    assert line.labels["place"].text() == "→ Lối vào"
    assert line.labels["camera"].text() == "Camera hoạt động"
    assert line.labels["trust"].text() == "Danh sách khóa đã cập nhật"
    assert line.labels["sync"].text() == "Đồng bộ lần cuối 5 phút trước · 12 chờ gửi"
    assert _colour(line, "trust") == "" and _colour(line, "sync") == ""


def test_a_list_issued_a_month_ago_is_up_to_date_while_the_policy_says_so(
    line: StatusLine,
) -> None:
    month_old = TrustSummary("ok", 3, int(NOW - 31 * 86400), int(NOW + 86400))
    line.update_status(_snapshot(trust=month_old, last_sync=NOW - 20))
    assert line.labels["trust"].text() == "Danh sách khóa đã cập nhật"
    assert _colour(line, "trust") == ""
    assert line.labels["sync"].text() == "Đồng bộ lần cuối vừa xong · 12 chờ gửi"


@pytest.mark.parametrize(
    ("level", "words", "colour"),
    [("stale", "Danh sách khóa đã cũ: cần đồng bộ", "warn"),
     ("expired", "Danh sách khóa hết hạn: cần đồng bộ", "bad")],
)  # fmt: skip
def test_lists_turn_amber_then_red_when_the_policy_says_stale(
    line: StatusLine, level: str, words: str, colour: str
) -> None:
    line.update_status(_snapshot(trust=TrustSummary(level, 3, int(NOW - 9 * 86400), int(NOW))))
    assert line.labels["trust"].text() == words
    assert LEVEL_COLOUR[colour] in _colour(line, "trust")


def test_lost_camera_scanner_words_no_list_offline(line: StatusLine) -> None:
    line.update_status(_snapshot(source=SourceChanged("camera:0", "camera", "reopening"),
                                 trust=TrustSummary("none"), sync_state="failing"))  # fmt: skip
    assert line.labels["camera"].text() == "Đang kết nối lại camera"
    assert LEVEL_COLOUR["bad"] in _colour(line, "camera")
    assert line.labels["trust"].text() == "Chưa có danh sách khóa"
    assert line.labels["sync"].text() == "Mất kết nối · Đồng bộ lần cuối 5 phút trước · 12 chờ gửi"
    assert LEVEL_COLOUR["warn"] not in _colour(line, "sync")  # offline alone is no alarm
    line.update_status(_snapshot(source=SourceChanged("serial:/dev/ttyACM0", "serial", "live")))
    assert line.labels["camera"].text() == "Máy quét sẵn sàng"


def test_the_demo_says_so(line: StatusLine) -> None:
    line.update_status(_snapshot(source=SourceChanged("demo", "demo", "live", True, "no_camera")))
    assert line.labels["camera"].text() == "CHẠY THỬ (không có camera)"


def test_the_site_lanes_and_people_inside_or_deciding_alone(line: StatusLine) -> None:
    line.update_status(_snapshot())
    assert line.labels["site"].text() == ""  # a lane alone says nothing of a site
    line.update_status(_snapshot(site=SiteSummary("bv-c", "online", 2, 2, 14)))
    assert line.labels["site"].text() == "Khu: 2/2 lối · 14 người bên trong"
    line.update_status(_snapshot(site=SiteSummary("bv-c", "offline", 1, 2, 14)))
    assert line.labels["site"].text() == "Mất kết nối khu · tự quyết định"
    assert LEVEL_COLOUR["warn"] in _colour(line, "site")
    line.update_status(_snapshot(site=SiteSummary("", "error", detail="no_site: ...")))
    assert LEVEL_COLOUR["bad"] in _colour(line, "site")


def test_a_long_name_is_shortened_while_narrow_and_whole_again_once_wide(
    line: StatusLine, qtbot: Any
) -> None:
    """The line is fitted when its words or width change, not at each refresh: a shortened name
    stays shortened through refreshes that say the same, and comes back whole when there is room."""
    name = "Cổng phía Bắc khu khám bệnh ngoại trú tầng một, gần nhà thuốc"
    line.show()
    line.resize(1000, 60)
    line.update_status(_snapshot(kiosk_name=name))
    shortened = line.labels["kiosk"].text()
    assert "…" in shortened and line.labels["kiosk"].toolTip() == f"{name} · Cổng"
    for _ in range(3):
        line.update_status(_snapshot(kiosk_name=name))
        assert line.labels["kiosk"].text() == shortened
    line.resize(2400, 60)
    qtbot.waitUntil(lambda: line.labels["kiosk"].text() == f"{name} · Cổng")
    assert line.labels["kiosk"].toolTip() == ""
    line.update_status(_snapshot(kiosk_name="Cổng A"))
    assert line.labels["kiosk"].text() == "Cổng A · Cổng"
