"""Keyboard-wedge scanners through the real app-wide filter, the preview, and out of service."""

from __future__ import annotations

import contextlib
import time
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from tests.faults import SHORT_BUSY, journal_locked
from tests.ui.conftest import code
from verifier import Outcome


def _type_with_timestamps(
    target: QWidget, text: str, gap_ms: int, stall_after: int = -1, stall_s: float = 0.0
) -> None:
    """Keys as a window system delivers a scanner's: each stamped with when it was typed."""
    stamp = 1_000_000
    for i, ch in enumerate([*text, "\r"]):
        key = Qt.Key.Key_Return if ch == "\r" else Qt.Key.Key_unknown
        event = QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, ch)
        event.setTimestamp(stamp)
        QApplication.sendEvent(target, event)
        if i == stall_after:
            time.sleep(stall_s)  # the screen's thread busy: the keys behind wait in the queue
        stamp += gap_ms


def test_a_burst_at_2_ms_per_key_is_a_scan(make_kiosk: Any) -> None:
    k = make_kiosk()
    target = k.window.scan_view
    assert not target.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
    target.setFocus()
    _type_with_timestamps(target, code("valid"), gap_ms=2)
    k.wait(lambda: k.window.current_verdict is not None)
    shown = k.window.current_verdict
    assert shown.event.source == "wedge" and shown.event.verdict.outcome is Outcome.ACCEPT


def test_a_pause_of_the_screen_mid_scan_does_not_split_it(make_kiosk: Any) -> None:
    # Timed on arrival, the keys after a 200 ms pause would be a new run and the scan lost.
    k = make_kiosk()
    target = k.window.scan_view
    target.setFocus()
    _type_with_timestamps(target, code("valid"), gap_ms=8, stall_after=40, stall_s=0.2)
    k.wait(lambda: k.window.current_verdict is not None)
    assert k.window.current_verdict.event.verdict.outcome is Outcome.ACCEPT


def test_keys_with_no_timestamp_are_timed_on_arrival(make_kiosk: Any) -> None:
    k = make_kiosk()
    target = k.window.scan_view
    target.setFocus()
    k.qtbot.keyClicks(target, code("valid"))  # synthesised (timestamp 0), back to back
    k.qtbot.keyClick(target, Qt.Key.Key_Return)
    k.wait(lambda: k.window.current_verdict is not None)
    assert k.window.current_verdict.event.source == "wedge"


def test_typing_at_120_ms_per_key_is_not_a_scan(make_kiosk: Any) -> None:
    k = make_kiosk()
    target = k.window.scan_view
    target.setFocus()
    k.qtbot.keyClicks(target, code("valid")[:12], delay=120)
    k.qtbot.keyClick(target, Qt.Key.Key_Return, delay=120)
    k.qtbot.wait(400)
    assert k.window.current_verdict is None
    assert k.runtime.pipeline is not None and k.runtime.pipeline.stats.texts_in == 0


def test_the_preview_shows_frames_while_scanning(make_kiosk: Any) -> None:
    k = make_kiosk(demo_source=True)
    k.wait(lambda: k.window.scan_view.frames_shown >= 5)
    assert k.window.scan_view.image is not None
    assert k.window.scan_view.image.width() == 960
    assert "CHẠY THỬ" in k.window.scan_view.demo_note  # the demo says it is one
    k.wait(lambda: k.window.current_verdict is not None)  # the demo's first code: valid


def test_a_storage_fault_is_out_of_service_never_a_verdict(make_kiosk: Any) -> None:
    k = make_kiosk(overrides=SHORT_BUSY)
    with journal_locked(k.data_dir):
        k.runtime.submit_text(code("valid"))
        k.wait(lambda: k.window.stack.currentWidget() is k.window.oos)
        assert k.window.oos.title.text() == "TẠM NGỪNG HOẠT ĐỘNG"
        assert k.window.oos.why.text() == "Lỗi lưu trữ: không ghi được sự kiện"
        assert k.window.current_verdict is None and k.app.tones.played == []
    # The lock is gone: the status loop's probe writes again and the screen is back in service.
    k.wait(lambda: k.window.stack.currentWidget() is not k.window.oos)


def test_a_worker_crash_is_out_of_service(make_kiosk: Any) -> None:
    k = make_kiosk()
    k.runtime.technician = None  # the action worker now fails on a PIN check
    k.window.pin_check.emit("123456")
    k.wait(lambda: k.window.stack.currentWidget() is k.window.oos)
    assert k.window.out_of_service == "internal"


def test_systemd_hears_ready_and_watchdog_pings_from_the_gui_thread(
    make_kiosk: Any, monkeypatch: Any, tmp_path: Any
) -> None:
    import socket

    path = str(tmp_path / "notify.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(path)
    server.setblocking(False)
    monkeypatch.setenv("NOTIFY_SOCKET", path)
    monkeypatch.setenv("WATCHDOG_USEC", "1000000")
    messages: list[str] = []

    def heard_two() -> bool:
        with contextlib.suppress(BlockingIOError):
            messages.append(server.recv(256).decode())
        return len(messages) >= 2

    try:
        k = make_kiosk()
        k.wait(heard_two, 5000)  # the GUI thread's event loop runs while we wait
    finally:
        server.close()
    assert messages[0].startswith("READY=1")
    assert messages[1] == "WATCHDOG=1"


def test_a_pin_typed_fast_is_a_pin_not_a_scan(make_kiosk: Any) -> None:
    k = make_kiosk()
    k.runtime.technician.set_pin("246810")
    k.window.pin_is_set = True
    k.window.open_technician()
    entry = k.window.pin_page.entry
    entry.setFocus()
    for delay_ms in (50, 5):  # a quick technician, and faster than any hand
        entry.clear()
        k.qtbot.keyClicks(entry, "000000", delay=delay_ms)
        k.qtbot.keyClick(entry, Qt.Key.Key_Return, delay=delay_ms)
        k.wait(lambda: "Sai mã PIN" in k.window.pin_page.message.text())
        k.window.pin_page.message.setText("")
    k.qtbot.keyClicks(entry, "246810", delay=5)
    k.qtbot.keyClick(entry, Qt.Key.Key_Return, delay=5)
    k.wait(lambda: k.window.technician_unlocked)
    assert k.runtime.pipeline is not None and k.runtime.pipeline.stats.texts_in == 0
    assert [r for r in k.journal() if r["kind"] == "scan"] == []
    assert len(k.system_rows("pin.failure")) == 2


def test_a_counter_reference_typed_fast_stays_in_its_field(make_kiosk: Any) -> None:
    k = make_kiosk(mode="counter")
    field = k.window.counter.reference
    field.setFocus()
    k.qtbot.keyClicks(field, "HD-2026-42", delay=3)
    k.qtbot.keyClick(field, Qt.Key.Key_Return, delay=3)
    k.qtbot.wait(300)
    assert field.text() == "HD-2026-42"
    assert k.runtime.pipeline is not None and k.runtime.pipeline.stats.texts_in == 0


def test_a_camera_that_does_not_open_is_out_of_service_saying_so(make_kiosk: Any) -> None:
    k = make_kiosk(source="camera:/dev/v4l/by-id/usb-none-video-index0")
    w = k.window
    k.wait(lambda: w.stack.currentWidget() is w.oos)
    assert w.oos.reason == "camera_failed"
    assert w.oos.why.text() == "Camera không hoạt động: hãy kiểm tra dây cáp"
    k.scan("valid")  # a keyboard-wedge or serial scan still works, and shows over it
    assert w.is_showing_verdict()
    assert [r["verdict"] for r in k.journal() if r["kind"] == "scan"] == ["accept"]
    w.show_scanning()  # the verdict's time is up: back to saying what is wrong
    assert w.stack.currentWidget() is w.oos
    w.technician_unlocked = True
    w.open_technician()  # the technician's pages open over it, and closing them returns to it
    assert w.stack.currentWidget() is w.technician
    w.lock_technician()
    assert w.stack.currentWidget() is w.oos


def test_a_camera_lost_then_back_leaves_and_ends_the_out_of_service_screen(
    make_kiosk: Any,
) -> None:
    from kiosk.core.runtime_messages import SourceChanged

    k = make_kiosk()
    w = k.window
    # What the runtime says when a live camera stops delivering, then comes back.
    w.on_message(SourceChanged("camera:0", "camera", "reopening"))
    assert w.stack.currentWidget() is w.oos
    assert w.oos.why.text() == "Mất kết nối camera: đang kết nối lại…"
    w.on_message(SourceChanged("camera:0", "camera", "live"))
    assert w.stack.currentWidget() is w.work


def test_a_lost_journal_is_an_out_of_service_screen_that_says_so(make_kiosk: Any) -> None:
    from kiosk.core.journal.journal import journal_path

    k = make_kiosk()
    k.scan("valid")
    k.app.close()
    journal_path(k.data_dir).unlink()  # the journal this kiosk had is gone
    again = make_kiosk(data_dir=k.data_dir, ready=False)
    again.wait(lambda: again.window.stack.currentWidget() is again.window.oos)
    assert again.window.oos.why.text() == (
        "Nhật ký bị mất hoặc bị thay: cần kỹ thuật viên kiểm tra kiosk này"
    )
    assert again.window.current_verdict is None
