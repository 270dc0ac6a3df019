"""The notify protocol over a real Unix datagram socket, as systemd listens."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.core.sd_notify import Notifier


@pytest.fixture
def listener(tmp_path: Path) -> Iterator[socket.socket]:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(tmp_path / "notify"))
    sock.settimeout(2)
    yield sock
    sock.close()


def test_ready_status_and_watchdog(
    tmp_path: Path, listener: socket.socket, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOTIFY_SOCKET", str(tmp_path / "notify"))
    monkeypatch.setenv("WATCHDOG_USEC", "20000000")
    notifier = Notifier()
    assert notifier.enabled and notifier.interval_s == 10
    notifier.ready("scanning")
    assert listener.recv(1024) == b"READY=1\nSTATUS=scanning"
    notifier.watchdog()
    notifier.watchdog()  # within half the period: not sent again
    notifier.status("camera lost")
    assert listener.recv(1024) == b"WATCHDOG=1"
    assert listener.recv(1024) == b"STATUS=camera lost"


def test_outside_systemd_it_does_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    monkeypatch.delenv("WATCHDOG_USEC", raising=False)
    notifier = Notifier()
    assert not notifier.enabled and notifier.send("READY=1") is False
    notifier.watchdog()


def test_a_dead_socket_is_logged_not_raised(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert Notifier(str(tmp_path / "gone")).send("READY=1") is False
    assert "sd_notify 'READY' failed" in caplog.text
