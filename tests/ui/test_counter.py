"""The counter as a clerk works it: either order of codes, what is recorded, the hand-off."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from kiosk.core.presentation import Tone

# The chip ID card of the demo's valid credential holder (Nguyễn Văn An), unsigned.
AN_CARD = "048090001234|201111111|Nguyễn Văn An|17051990|Nam|5 Lê Lợi, Hải Châu, Đà Nẵng|01022022"
WATER = {"journal.services": ["water", "electricity"]}


def _counter_rows(k: Any) -> list[dict[str, Any]]:
    return [r for r in k.journal() if r["kind"] == "counter"]


def _scan_row_id(k: Any, code_kind: str) -> str:
    rows = [r for r in k.journal() if r["kind"] == "scan" and r["code_kind"] == code_kind]
    return str(rows[-1]["event_id"])


def _record(k: Any) -> None:
    counter = k.window.counter
    before = len(_counter_rows(k))
    k.qtbot.mouseClick(counter.record_button, Qt.MouseButton.LeftButton)
    k.wait(lambda: counter.feedback.text().startswith(("Đã ghi nhận", "Recorded")))
    assert len(_counter_rows(k)) == before + 1


def test_credential_then_card_records_the_credential(make_kiosk: Any) -> None:
    k = make_kiosk(mode="counter", overrides=WATER)
    counter = k.window.counter
    counter.service.setCurrentIndex(counter.service.findData("water"))
    k.scan("valid")
    k.scan_text(AN_CARD)
    assert counter.match_label.text() == "✓ CCCD và mã Công dân số: cùng một người"
    assert counter.values["status"].text() == "Đã xác thực (Công dân số)"  # not the card's
    assert counter.record_button.text() == "Ghi nhận Nước cho Nguyễn Văn An"
    assert counter.record_button.isEnabled()
    _record(k)
    (row,) = _counter_rows(k)
    assert row["ref"] == _scan_row_id(k, "cds1") and row["service"] == "water"
    assert counter.record_button.text() == "Đã ghi nhận" and not counter.record_button.isEnabled()


def test_card_then_credential_records_the_credential(make_kiosk: Any) -> None:
    k = make_kiosk(mode="counter", overrides=WATER)
    counter = k.window.counter
    counter.service.setCurrentIndex(counter.service.findData("water"))
    k.scan_text(AN_CARD)
    assert counter.values["status"].text() == "Đọc từ CCCD — chưa xác thực"
    assert counter.record_button.text() == "Quét mã Công dân số để ghi nhận"
    assert not counter.record_button.isEnabled()  # a card alone proves nothing here
    k.scan("valid")
    assert counter.match_label.text().startswith("✓")
    _record(k)
    (row,) = _counter_rows(k)
    assert row["ref"] == _scan_row_id(k, "cds1")


def test_a_card_alone_is_recorded_only_where_allowed_and_marked(make_kiosk: Any) -> None:
    k = make_kiosk(mode="counter", overrides={**WATER, "journal.counter_allow_unverified": True})
    counter = k.window.counter
    counter.service.setCurrentIndex(counter.service.findData("water"))
    k.scan_text(AN_CARD)
    assert counter.record_button.text() == "Ghi nhận Nước cho Nguyễn Văn An (CHƯA xác thực)"
    _record(k)
    assert _counter_rows(k)[0]["ref"] == _scan_row_id(k, "cccd")


def test_different_people_cannot_be_recorded_or_handed_off(make_kiosk: Any) -> None:
    k = make_kiosk(mode="counter", overrides=WATER)
    counter = k.window.counter
    counter.service.setCurrentIndex(counter.service.findData("water"))
    k.scan("idcard")
    k.scan("valid")
    text = counter.match_label.text()
    assert text == "✕ KHÔNG cùng một người: khác họ tên, số định danh, ngày sinh"
    assert counter.record_button.text() == "Không cùng một người: không thể ghi nhận"
    assert not counter.record_button.isEnabled() and not counter.copy_text.isEnabled()


def test_services_come_from_the_counter_kind(make_kiosk: Any) -> None:
    hospital = make_kiosk(mode="counter", overrides={"counter.kind": "hospital"})
    picker = hospital.window.counter.service
    assert [picker.itemData(i) for i in range(picker.count())] == ["health"]
    assert picker.currentText() == "Y tế"
    hospital.scan("valid")
    assert hospital.window.counter.record_button.text() == "Ghi nhận Y tế cho Nguyễn Văn An"
    general = make_kiosk(mode="counter")
    counter = general.window.counter
    assert counter.selected_service() is None  # a one-stop desk: the clerk picks
    general.scan("valid")
    assert counter.record_button.text() == "Chọn dịch vụ để ghi nhận"
    assert not counter.record_button.isEnabled()
    counter.service.setCurrentIndex(counter.service.findData("electricity"))
    assert counter.record_button.isEnabled()
    assert general.window.status_line.labels["place"].text() == "→ Điện"


def test_copied_text_is_in_the_screen_language_and_marks_an_unsigned_card(
    make_kiosk: Any,
) -> None:
    k = make_kiosk(mode="counter", overrides={"counter.kind": "hospital"})
    counter = k.window.counter
    assert counter.copy_text.text() == "Sao chép thông tin"
    k.scan_text(AN_CARD)
    counter.reference.setText("BN-0042")
    k.qtbot.mouseClick(counter.copy_text, Qt.MouseButton.LeftButton)
    lines = QGuiApplication.clipboard().text().splitlines()
    assert lines == [
        "Nguyễn Văn An",
        "Số định danh: 048090001234",
        "Ngày sinh: 17/05/1990",
        "Dịch vụ: Y tế",
        "Số tham chiếu: BN-0042",
        "CHƯA XÁC THỰC: đọc từ thẻ CCCD không có chữ ký",
    ]
    k.scan("valid")  # the same person's credential: the copy is now the verified one
    k.qtbot.mouseClick(counter.copy_text, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text().splitlines()[-1] == "Đã xác thực (Công dân số)"


def test_hand_off_file_carries_the_verified_identity(make_kiosk: Any, tmp_path: Any) -> None:
    drop = tmp_path / "handoff"
    drop.mkdir()
    k = make_kiosk(mode="counter", overrides={"counter.handoff": "file",
                                              "counter.handoff_dir": str(drop)})  # fmt: skip
    counter = k.window.counter
    k.scan_text(AN_CARD)
    k.scan("valid")
    k.qtbot.mouseClick(counter.copy_text, Qt.MouseButton.LeftButton)
    assert counter.feedback.text() == "Đã sao chép và gửi sang phần mềm của quầy"
    k.wait(lambda: list(drop.glob("identity-*.json")))
    (path,) = drop.glob("identity-*.json")
    handed = json.loads(path.read_text(encoding="utf-8"))
    assert (handed["verified"], handed["kind"], handed["name"]) == (True, "cds1", "Nguyễn Văn An")


def test_reference_is_shown_when_recorded_journaled_and_cleared_for_the_next_citizen(
    make_kiosk: Any,
) -> None:
    k = make_kiosk(mode="counter", overrides=WATER)
    counter = k.window.counter
    counter.service.setCurrentIndex(counter.service.findData("water"))
    k.scan("valid")
    assert k.window.verdict.presentation.tone is Tone.GO
    assert k.window.left.currentWidget() is k.window.verdict  # the card stays in view
    assert counter.values["dob"].text() == "17/05/1990"
    counter.reference.setText("HD-2026-42")
    _record(k)
    assert counter.feedback.text().splitlines() == [
        "Đã ghi nhận: Nước · số tham chiếu HD-2026-42",
        "Số tham chiếu không được lưu: kiosk chưa đăng ký với cổng dịch vụ",
    ]
    assert counter.reference.text() == ""
    (row,) = _counter_rows(k)
    # Not enrolled: no portal key to seal it to, so the row says it was not kept.
    assert json.loads(row["detail"]) == {"reference": "not_kept"}
    counter.reference.setText("typed for the last citizen, not recorded")
    k.scan("idcard")  # the next citizen
    assert counter.reference.text() == "" and counter.feedback.text() == ""
    assert counter.values["name"].text() == "Võ Thị Thanh Hằng"


def test_show_full_id_turns_into_hide(make_kiosk: Any) -> None:
    k = make_kiosk(mode="counter")
    counter = k.window.counter
    k.scan("valid")
    assert counter.show_id.text() == "Hiện đầy đủ số định danh"
    assert counter.values["id"].text() == "********1234"
    k.qtbot.mouseClick(counter.show_id, Qt.MouseButton.LeftButton)
    assert counter.values["id"].text() == "048090001234"
    assert counter.show_id.text() == "Ẩn số định danh"
    k.qtbot.mouseClick(counter.show_id, Qt.MouseButton.LeftButton)
    assert counter.values["id"].text() == "********1234"
    assert counter.show_id.text() == "Hiện đầy đủ số định danh"


def test_a_transaction_the_journal_cannot_hold_says_so_and_can_be_tried_again(
    make_kiosk: Any,
) -> None:
    from tests.faults import SHORT_BUSY, journal_locked

    k = make_kiosk(mode="counter", overrides={**WATER, **SHORT_BUSY})
    counter = k.window.counter
    counter.service.setCurrentIndex(counter.service.findData("water"))
    k.scan("valid")
    with journal_locked(k.data_dir):
        k.qtbot.mouseClick(counter.record_button, Qt.MouseButton.LeftButton)
        k.wait(lambda: counter.feedback.text() == "Chưa ghi nhận: nhật ký không ghi được lúc này")
    assert counter.record_button.isEnabled()  # nothing was recorded: the clerk may try again
    k.wait(lambda: k.window.out_of_service is None)
    _record(k)


def test_an_enrolled_counter_seals_the_reference_for_the_portal(
    make_kiosk: Any, tmp_path: Any
) -> None:
    import nacl.public

    from portal_sync.enrolment import seal_key_path

    data = tmp_path / "enrolled"
    portal = nacl.public.PrivateKey.generate()
    key_file = seal_key_path(data)
    key_file.parent.mkdir(parents=True)
    key_file.write_text(bytes(portal.public_key).hex(), encoding="ascii")
    k = make_kiosk(mode="counter", overrides=WATER, data_dir=data)  # enrolled: a portal key
    counter = k.window.counter
    counter.service.setCurrentIndex(counter.service.findData("water"))
    k.scan("valid")
    counter.reference.setText("HD-7")
    _record(k)
    assert counter.feedback.text() == "Đã ghi nhận: Nước · số tham chiếu HD-7"
    (row,) = _counter_rows(k)
    assert json.loads(row["detail"]) == {"reference": "sealed"}
