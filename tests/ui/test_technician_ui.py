"""The technician's door and pages: PIN (none by default, failures, lockout), settings, self-test,
language switch, closing."""

from __future__ import annotations

import csv
import io
import json
import re
import stat
import sys
import time
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel

from kiosk.cli.main import main
from kiosk.core.camera_list import list_cameras
from kiosk.core.config import load_config, read_file
from kiosk.core.paths import settings_override_path
from kiosk.core.technician.pin import MAX_FAILURES


def _type_pin(k: Any, pin: str) -> None:
    page = k.window.pin_page
    page.entry.setText(pin)
    k.qtbot.keyClick(page.entry, Qt.Key.Key_Return)


def _unlock(k: Any, pin: str = "246810") -> None:
    k.runtime.technician.set_pin(pin)
    k.window.pin_is_set = True
    k.qtbot.mouseClick(k.window.status_line.gear, Qt.MouseButton.LeftButton)
    _type_pin(k, pin)
    k.wait(lambda: k.window.stack.currentWidget() is k.window.technician)


def test_a_fresh_kiosk_lets_no_one_choose_the_pin_at_the_screen(
    make_kiosk: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """No default PIN, and ⚙ on a fresh kiosk is no PIN-choosing dialog (at a gate, the first to
    press it would be the public): it says how a technician sets one. Once the install command
    has set it, the running screen asks for it."""
    k = make_kiosk()
    k.qtbot.mouseClick(k.window.status_line.gear, Qt.MouseButton.LeftButton)
    page = k.window.pin_page
    assert k.window.stack.currentWidget() is page and page.not_set_up
    assert page.title.text() == "Chưa thiết lập quyền kỹ thuật viên"
    assert "sudo kiosk technician set-pin" in page.message.text()
    assert "thẻ kỹ thuật viên" in page.message.text()
    assert not page.entry.isVisible() and not any(b.isVisible() for b in page.keys)
    for _ in range(2):  # what the old first-start dialog took: nothing happens now
        _type_pin(k, "135790")
    k.qtbot.wait(300)
    assert not k.runtime.technician.is_set and not k.system_rows("pin.set")

    monkeypatch.setattr(sys, "stdin", io.StringIO("135790\n135790\n"))
    assert main(["--data-dir", str(k.data_dir), "technician", "set-pin"]) == 0
    assert "PIN set" in capsys.readouterr().out
    k.qtbot.mouseClick(page.cancel, Qt.MouseButton.LeftButton)
    k.qtbot.mouseClick(k.window.status_line.gear, Qt.MouseButton.LeftButton)
    assert not page.not_set_up and page.entry.isVisible()
    assert page.title.text() == "Mã PIN kỹ thuật viên"
    _type_pin(k, "135790")
    k.wait(lambda: k.window.technician_unlocked)
    assert len(k.system_rows("technician.unlock")) == 1
    assert [json.loads(r["detail"]) for r in k.system_rows("pin.set")] == [{"via": "command"}]


def test_five_wrong_pins_lock_and_every_attempt_is_journaled(make_kiosk: Any) -> None:
    k = make_kiosk()
    k.runtime.technician.set_pin("246810")
    k.window.pin_is_set = True
    k.window.open_technician()
    for i in range(1, MAX_FAILURES):
        _type_pin(k, "000000")
        k.wait(lambda i=i: k.window.pin_page.message.text() == f"Sai mã PIN (lần {i}/5)")
    _type_pin(k, "000000")
    k.wait(lambda: "Tạm khóa 30 giây" in k.window.pin_page.message.text())
    _type_pin(k, "246810")  # the right PIN, but the door is locked
    k.wait(lambda: len(k.system_rows("pin.failure")) == MAX_FAILURES + 1)
    assert not k.window.technician_unlocked
    lockouts = k.system_rows("pin.lockout")
    assert [json.loads(r["detail"])["seconds"] for r in lockouts] == [30]


def test_a_settings_change_is_saved_journaled_and_applied(make_kiosk: Any) -> None:
    k = make_kiosk()
    _unlock(k)
    page = k.window.technician.settings
    page.editors["ui.verdict_seconds"].setValue(7.0)
    page.editors["kiosk.name"].setText("Cổng B")
    k.qtbot.mouseClick(page.save, Qt.MouseButton.LeftButton)
    k.wait(lambda: page.result.text().startswith("Đã lưu và ghi nhật ký"))
    # The kiosk's own layer in its data dir, and the page says so (not ~/.config, not /etc).
    layer = settings_override_path(k.data_dir)
    assert f"Đã ghi vào {layer}" in page.result.text()
    saved = load_config(system_file=k.data_dir / "none.toml", user_file=k.data_dir / "none.toml",
                        data_dir=k.data_dir)  # fmt: skip
    assert saved.ui.verdict_seconds == 7.0 and saved.kiosk.name == "Cổng B"
    assert saved.sources["kiosk.name"] == str(layer)
    assert stat.S_IMODE(layer.stat().st_mode) == 0o600
    assert sorted(read_file(layer)) == ["kiosk.name", "ui.verdict_seconds"]  # only what changed
    assert k.window.config.sync.enabled is False  # the reload kept --config under the layer
    changed = {json.loads(r["detail"])["key"]: json.loads(r["detail"])
               for r in k.system_rows("settings.changed")}  # fmt: skip
    assert changed["ui.verdict_seconds"]["old"] == "4.0"
    assert changed["ui.verdict_seconds"]["new"] == "7.0"
    assert changed["kiosk.name"]["new"] == "Cổng B"
    assert k.window.config.ui.verdict_seconds == 7.0


def test_a_refused_value_names_its_key_and_writes_nothing(make_kiosk: Any) -> None:
    k = make_kiosk()
    _unlock(k)
    page = k.window.technician.settings
    page.editors["trust.anchor"].setText("not hex")
    k.qtbot.mouseClick(page.save, Qt.MouseButton.LeftButton)
    k.wait(lambda: page.result.text().startswith("Chưa lưu"))
    said = page.result.text()  # the setting by its label, the rule in Vietnamese
    assert said == (
        "Chưa lưu: «Khóa gốc tin cậy» không phải là khóa hợp lệ (64 ký tự thập lục phân)"
    )
    assert not settings_override_path(k.data_dir).exists()
    page.editors["trust.anchor"].setText("")
    page.editors["journal.services"].setText("Y tế, xét nghiệm!")
    k.qtbot.mouseClick(page.save, Qt.MouseButton.LeftButton)
    k.wait(lambda: "mã dịch vụ" in page.result.text())
    assert page.result.text() == (
        "Chưa lưu: «Dịch vụ tại quầy»: mã dịch vụ chỉ gồm chữ, số, - và _"
    )
    assert not settings_override_path(k.data_dir).exists()


def test_language_switch_takes_effect_at_once(make_kiosk: Any) -> None:
    k = make_kiosk()
    assert k.window.scan_view.hint == "Đưa mã QR vào khung"
    _unlock(k)
    page = k.window.technician.settings
    combo = page.editors["kiosk.language"]
    combo.setCurrentIndex(combo.findData("en"))
    k.qtbot.mouseClick(page.save, Qt.MouseButton.LeftButton)
    k.wait(lambda: k.window.languages.current == "en")
    k.wait(lambda: k.window.scan_view.hint == "Hold the QR code inside the frame")
    assert k.window.technician.tabs.tabText(0) == "Settings"
    k.qtbot.mouseClick(k.window.technician.lock, Qt.MouseButton.LeftButton)
    k.scan("expired")
    assert (k.window.verdict.lines.title, k.window.verdict.lines.note) == ("NOT VALID", "Expired")
    assert k.window.status_line.labels["place"].text() == "→ Entry"


def test_self_test_page_runs_when_opened(make_kiosk: Any) -> None:
    k = make_kiosk()
    _unlock(k)
    page = k.window.technician.selftest
    assert page.results == ()
    k.window.technician.tabs.setCurrentWidget(page)  # no button pressed
    k.wait(lambda: len(page.results) == 8)
    levels = {r.check: str(r.level) for r in page.results}
    assert levels["decoder"] == "pass" and levels["journal"] == "pass" and levels["disk"] == "pass"


def test_journal_page_fills_when_opened_and_exports_what_the_search_shows(
    make_kiosk: Any,
) -> None:
    k = make_kiosk()
    k.scan("valid")
    valid_at = k.window.current_verdict.event.wall_time
    k.scan("revoked")
    _unlock(k)
    journal = k.window.technician.journal
    k.window.technician.tabs.setCurrentWidget(journal)  # no button pressed: it fills on open
    k.wait(lambda: journal.table.rowCount() > 0)
    journal.search.setText("thu hồi")  # the words the screen shows, not the stored code
    assert journal.table.rowCount() == 1
    assert journal.table.item(0, 4).text() == "Mã đã bị thu hồi"
    journal.search.setText("THU HOI")  # without diacritics, as a keyboard without Telex types
    assert journal.table.rowCount() == 1
    journal.search.setText("revoked")
    assert journal.table.rowCount() == 0
    journal.search.setText("hợp lệ · cho qua")
    assert journal.table.rowCount() == 1
    when = journal.table.item(0, 0).text()
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", when)
    assert when == time.strftime("%d/%m/%Y %H:%M", time.localtime(valid_at))
    journal.table.selectRow(0)
    assert journal.whole.text().startswith(when) and "Hợp lệ · cho qua" in journal.whole.text()
    headers = [journal.table.horizontalHeaderItem(c).text() for c in range(5)]
    assert headers == ["Thời gian", "Sự kiện", "Hướng hoặc dịch vụ", "Kết quả", "Lý do"]
    journal.search.setText("thu hoi")  # the export writes what the search shows
    k.qtbot.mouseClick(journal.export, Qt.MouseButton.LeftButton)
    k.wait(lambda: journal.message.text().startswith("Đã xuất"))
    (exported,) = (k.data_dir / "exports").glob("journal-*.csv")
    with exported.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["reason"] for r in rows] == ["revoked"]
    assert journal.message.text().startswith("Đã xuất 1 ")


def test_camera_page_says_when_no_camera_is_found(make_kiosk: Any, tmp_path: Any) -> None:
    k = make_kiosk()
    _unlock(k)
    page = k.window.technician.camera
    page.lister = lambda: list_cameras(by_id=tmp_path / "by-id", dev=tmp_path)  # an empty /dev
    k.window.technician.tabs.setCurrentWidget(page)
    assert page.cameras.count() == 0 and not page.use.isEnabled()
    assert page.none_found.isVisible()
    assert page.none_found.text().startswith("Không tìm thấy camera nào")
    (tmp_path / "video0").touch()
    k.qtbot.mouseClick(page.rescan, Qt.MouseButton.LeftButton)
    assert page.cameras.count() == 1 and page.use.isEnabled() and not page.none_found.isVisible()


def test_closing_is_refused_unless_a_technician_is_unlocked(make_kiosk: Any) -> None:
    k = make_kiosk()
    event = QCloseEvent()
    k.window.closeEvent(event)
    assert not event.isAccepted() and k.window.isVisible()
    _unlock(k)
    event = QCloseEvent()
    k.window.closeEvent(event)
    assert event.isAccepted()


def test_a_technician_badge_opens_the_door_and_a_foreign_one_does_not(make_kiosk: Any) -> None:
    from tests.core.test_badge import ANCHOR, make_badge, write_identity

    k = make_kiosk(anchor=ANCHOR, overrides={"kiosk.name": "Cổng A"})
    write_identity(k.data_dir)
    k.runtime.submit_text(make_badge(device="kd-another"))
    k.wait(lambda: k.window.pin_page.message.text() == "Thẻ dành cho kiosk hoặc địa điểm khác")
    assert not k.window.technician_unlocked
    now = int(time.time())  # the runtime checks badges against the real clock
    k.runtime.submit_text(make_badge(nbf=now - 60, exp=now + 3600))
    k.wait(lambda: k.window.technician_unlocked)
    assert k.window.stack.currentWidget() is k.window.technician
    unlocks = k.system_rows("technician.unlock")
    assert [(json.loads(r["detail"])["method"], r["operator"]) for r in unlocks] == [
        ("badge", "kt-07")
    ]
    refused = k.system_rows("technician.badge_refused")
    assert [(json.loads(r["detail"])["why"], r["operator"]) for r in refused] == [
        ("wrong_place", "kt-07")
    ]
    assert not k.system_rows("pin.failure")  # a badge is not a PIN attempt
    assert not [r for r in k.journal() if r["kind"] == "scan"]  # a badge is never a scan
    k.qtbot.mouseClick(k.window.technician.lock, Qt.MouseButton.LeftButton)
    k.wait(lambda: bool(k.system_rows("technician.lock")))
    assert [r["operator"] for r in k.system_rows("technician.lock")] == ["kt-07"]


def test_camera_page_meters_the_decoder_live(make_kiosk: Any) -> None:
    k = make_kiosk(demo_source=True)
    _unlock(k)
    page = k.window.technician.camera
    k.window.technician.tabs.setCurrentWidget(page)
    k.wait(lambda: page.rates[1] >= 5 and page.picture.pixmap() is not None
           and not page.picture.pixmap().isNull())  # fmt: skip
    assert "khung hình/giây" in page.meter.text()
    assert page.current.text() == "Đang dùng: mã thử có sẵn (Camera hoạt động)"


def test_a_change_the_journal_cannot_hold_is_not_written(make_kiosk: Any) -> None:
    from tests.faults import SHORT_BUSY, journal_locked

    k = make_kiosk(overrides=SHORT_BUSY)
    _unlock(k)
    page = k.window.technician.settings
    page.editors["kiosk.name"].setText("Cổng C")
    with journal_locked(k.data_dir):
        k.qtbot.mouseClick(page.save, Qt.MouseButton.LeftButton)
        k.wait(lambda: page.result.text().startswith("Chưa lưu"))
    assert page.result.text() == (
        "Chưa lưu: nhật ký không ghi được thay đổi, nên chưa có gì được lưu"
    )
    assert not settings_override_path(k.data_dir).exists()
    assert not k.system_rows("settings.changed") and k.window.config.kiosk.name != "Cổng C"


def test_a_new_trust_anchor_and_the_lock_are_journaled_as_such(make_kiosk: Any) -> None:
    from kiosk.core.demo_data import load_demo

    k = make_kiosk()
    _unlock(k)
    page = k.window.technician.settings
    page.editors["trust.anchor"].setText(load_demo().anchor.hex())
    k.qtbot.mouseClick(page.save, Qt.MouseButton.LeftButton)
    k.wait(lambda: page.result.text().startswith("Đã lưu"))
    changed = [json.loads(r["detail"]) for r in k.system_rows("trust_anchor.changed")]
    assert changed == [{"key": "trust.anchor", "old": "", "new": load_demo().anchor.hex()}]
    assert not k.system_rows("settings.changed")
    k.qtbot.mouseClick(k.window.technician.lock, Qt.MouseButton.LeftButton)
    k.wait(lambda: k.system_rows("technician.lock"))
    assert [json.loads(r["detail"])["why"] for r in k.system_rows("technician.lock")] == ["button"]


def test_the_right_pin_with_the_journal_down_keeps_the_door_shut(make_kiosk: Any) -> None:
    from tests.faults import SHORT_BUSY, journal_locked

    k = make_kiosk(overrides=SHORT_BUSY)
    k.runtime.technician.set_pin("246810")
    k.window.pin_is_set = True
    k.window.open_technician()
    with journal_locked(k.data_dir):
        _type_pin(k, "246810")
        k.wait(lambda: k.window.pin_page.message.text() == "Nhật ký không ghi được: cửa vẫn khóa")
    assert not k.window.technician_unlocked and k.window.pin_is_set
    assert not k.system_rows("technician.unlock")


def test_scans_pause_while_the_technician_pages_are_open(make_kiosk: Any) -> None:
    from tests.ui.conftest import code

    k = make_kiosk()
    pipeline = k.runtime.pipeline
    assert pipeline is not None
    k.window.open_technician()  # the PIN page: scanning already paused
    k.runtime.submit_text(code("valid"))
    _unlock(k)
    k.runtime.submit_text(code("forged"))
    k.wait(lambda: pipeline.stats.texts_in == 2 and pipeline.wait_idle(0.05))
    assert [r for r in k.journal() if r["kind"] == "scan"] == []  # neither checked nor journaled
    assert k.window.current_verdict is None and pipeline.stats.events == 0
    k.wait(lambda: k.window.last_status.events == 2)  # the camera page's meter still counts them
    k.qtbot.mouseClick(k.window.technician.lock, Qt.MouseButton.LeftButton)
    k.scan("valid")  # back on the scanning screen: scans count again, and show
    assert k.window.is_showing_verdict()
    assert [r["verdict"] for r in k.journal() if r["kind"] == "scan"] == ["accept"]


def test_a_mode_change_says_a_restart_is_needed_and_offers_it(make_kiosk: Any) -> None:
    k = make_kiosk()
    _unlock(k)
    restart = k.window.technician.restart
    assert not restart.isVisible()
    page = k.window.technician.settings
    mode = page.editors["kiosk.mode"]
    mode.setCurrentIndex(mode.findData("counter"))
    k.qtbot.mouseClick(page.save, Qt.MouseButton.LeftButton)
    k.wait(lambda: page.result.text().startswith("Đã lưu và ghi nhật ký"))
    assert restart.isVisible()
    assert restart.text() == "Khởi động lại ứng dụng kiosk ngay để áp dụng thay đổi đã lưu"
    k.wait(lambda: k.window.last_status.wall_time > time.time() - 0.5)
    assert k.window.status_line.labels["kiosk"].text().endswith("· Cổng")  # still a gate
    k.qtbot.mouseClick(restart, Qt.MouseButton.LeftButton)
    assert k.app.restart_after_close  # run() starts the program again once all is closed


def test_the_window_never_grows_by_itself(make_kiosk: Any) -> None:
    for mode in ("gate", "counter"):
        k = make_kiosk(mode=mode)
        k.window.resize(1024, 600)
        k.qtbot.wait(50)
        assert (k.window.width(), k.window.height()) == (1024, 600)
        for name in ("valid", "forged", "idcard"):
            k.scan(name)
        _unlock(k)
        for i in range(k.window.technician.tabs.count()):
            k.window.technician.tabs.setCurrentIndex(i)
            k.qtbot.wait(100)
        k.window.lock_technician()
        k.qtbot.wait(50)
        assert (k.window.width(), k.window.height()) == (1024, 600), mode


def test_a_pin_page_left_open_goes_back_to_scanning(make_kiosk: Any) -> None:
    k = make_kiosk()
    k.window.pin_idle.setInterval(300)  # 60 s on a kiosk
    k.qtbot.mouseClick(k.window.status_line.gear, Qt.MouseButton.LeftButton)
    assert k.window.stack.currentWidget() is k.window.pin_page
    k.wait(lambda: k.window.stack.currentWidget() is k.window.work, timeout_ms=3000)
    k.scan("valid")  # the gate scans again
    assert k.window.is_showing_verdict()


def test_settings_read_as_words_with_units_and_save_as_declared(make_kiosk: Any) -> None:
    k = make_kiosk()
    _unlock(k)
    page = k.window.technician.settings
    assert page.labels["verify.stale_grace_s"].text() == "Gia hạn sau hạn cập nhật danh sách"
    assert page.labels["kiosk.mode"].text() == "Loại kiosk"
    grace = page.editors["verify.stale_grace_s"]
    assert grace.text() == "2 ngày"  # 172800 s
    mode = page.editors["kiosk.mode"]
    assert [mode.itemText(i) for i in range(mode.count())] == ["Cổng (vào và ra)", "Quầy dịch vụ"]
    assert page.editors["journal.gate_direction"].currentText() == "Lối vào"
    services = page.editors["journal.services"]
    assert services.text() == ""  # none named: the counter kind's own services
    assert services.placeholderText() == "Để trống: các dịch vụ theo loại quầy"
    assert page.editors["ui.verdict_seconds"].text() == "4 giây"
    grace.setValue(3.5)
    services.setText("Y tế, Nước, xet-nghiem")  # names and a site's own code
    k.qtbot.mouseClick(page.save, Qt.MouseButton.LeftButton)
    k.wait(lambda: page.result.text().startswith("Đã lưu"))
    assert "Gia hạn sau hạn cập nhật danh sách" in page.result.text()
    saved = read_file(settings_override_path(k.data_dir))
    assert saved["verify.stale_grace_s"] == 3.5 * 86400
    assert saved["journal.services"] == ["health", "water", "xet-nghiem"]


def test_self_test_details_are_worded_from_the_findings(make_kiosk: Any) -> None:
    k = make_kiosk()
    _unlock(k)
    page = k.window.technician.selftest
    k.qtbot.mouseClick(page.run, Qt.MouseButton.LeftButton)
    k.wait(lambda: len(page.results) == 8)
    by_check = {r.check: r for r in page.results}
    assert by_check["decoder"].finding == "read" and by_check["decoder"].facts["ms"] >= 0
    assert by_check["journal"].finding == "intact" and by_check["journal"].facts["rows"] > 0
    shown = {w.objectName(): w.text() for w in page.inner.findChildren(QLabel)}
    assert re.fullmatch(r"Đọc ảnh thử trong \d+ mili giây", shown["check:decoder"])
    rows = by_check["journal"].facts["rows"]
    assert shown["check:journal"] == f"{rows} dòng, chuỗi nguyên vẹn"
    assert shown["check:trust_list"].startswith("Phiên bản ")
    assert " ngày trước" in shown["check:trust_list"] or " giờ trước" in shown["check:trust_list"]


def test_a_failing_sync_is_worded_from_its_error_code(make_kiosk: Any) -> None:
    from kiosk.core.technician.selftest import CheckResult, Level
    from kiosk.ui import texts

    make_kiosk()  # the Vietnamese catalogue in use
    error = "fetching the trust-list: timed out"
    failing = CheckResult("portal", Level.FAIL, error, "portal_network", "failing",
                          {"error": error, "code": "timeout"})  # fmt: skip
    assert texts.check_detail(failing) == ("Đồng bộ lỗi: cổng thông tin không trả lời kịp")
    error = "portal answered 409 chain_gap"
    odd = CheckResult("portal", Level.FAIL, error, "portal_network", "failing",
                      {"error": error, "code": "chain_gap"})  # fmt: skip
    assert texts.check_detail(odd) == "Đồng bộ lỗi: cổng thông tin từ chối yêu cầu (chain_gap)"
