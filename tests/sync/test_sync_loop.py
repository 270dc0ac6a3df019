"""The sync loop thread: runs at start, on a poke, on its timer; obeys backoff; survives a
crashing round; stops promptly."""

from __future__ import annotations

import threading
import time

import pytest

from devportal.server import PortalServer
from kiosk.core.sync.loop import SyncLoop
from portal_sync.sync_round import RoundReport
from tests.sync.conftest import JOURNAL_OWN_ROWS, Kiosk, portal_event_ids


class FakeRunner:
    """A runner that counts rounds; `backoff` is what wait_s() answers."""

    def __init__(self, *, backoff: float = 0.0, crash: bool = False) -> None:
        self.backoff = backoff
        self.crash = crash
        self.rounds = 0
        self.aborted = False
        self.ran = threading.Event()

    def wait_s(self) -> float:
        return self.backoff

    def abort(self) -> None:
        self.aborted = True

    def run_round(self, *, stop: threading.Event | None = None) -> RoundReport:
        self.rounds += 1
        self.ran.set()
        if self.crash:
            raise RuntimeError("a bug in a round")
        return RoundReport(started=time.time())


def wait_until(condition: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


def test_runs_at_start_and_when_poked() -> None:
    runner = FakeRunner()
    loop = SyncLoop(runner, interval_s=3600)
    loop.start()
    try:
        wait_until(lambda: runner.rounds == 1)
        loop.poke()
        wait_until(lambda: runner.rounds == 2)
    finally:
        assert loop.stop(timeout=5)
    assert not loop.running


def test_runs_on_its_timer() -> None:
    runner = FakeRunner()
    loop = SyncLoop(runner, interval_s=0.1)
    loop.start()
    try:
        wait_until(lambda: runner.rounds >= 3)
    finally:
        assert loop.stop(timeout=5)


def test_pokes_do_not_cut_a_backoff_short() -> None:
    runner = FakeRunner(backoff=3600)
    loop = SyncLoop(runner, interval_s=0.05)
    loop.start()
    try:
        for _ in range(5):
            loop.poke()
            time.sleep(0.02)
        assert runner.rounds == 0
        runner.backoff = 0.0
        loop.poke()
        wait_until(lambda: runner.rounds >= 1)
    finally:
        assert loop.stop(timeout=5)


def test_a_crashing_round_is_logged_and_stop_is_still_prompt(
    caplog: pytest.LogCaptureFixture,
) -> None:
    runner = FakeRunner(crash=True)
    loop = SyncLoop(runner, interval_s=0.01)
    loop.start()
    runner.ran.wait(5)
    started = time.monotonic()
    assert loop.stop(timeout=5)
    assert time.monotonic() - started < 2
    assert "sync round failed" in caplog.text


def test_poke_never_blocks_while_a_round_runs() -> None:
    gate = threading.Event()

    class Slow(FakeRunner):
        def run_round(self, *, stop: threading.Event | None = None) -> RoundReport:
            self.ran.set()
            gate.wait(5)
            return super().run_round(stop=stop)

    runner = Slow()
    loop = SyncLoop(runner, interval_s=3600)
    loop.start()
    try:
        runner.ran.wait(5)
        started = time.monotonic()
        for _ in range(1000):
            loop.poke()
        assert time.monotonic() - started < 0.5
    finally:
        gate.set()
        assert loop.stop(timeout=5)


def test_the_real_loop_drains_the_outbox_and_reports(portal: PortalServer, kiosk: Kiosk) -> None:
    reports: list[RoundReport] = []
    closed = threading.Event()
    loop = SyncLoop(kiosk.runner, interval_s=3600, on_report=reports.append, close=closed.set)
    loop.start()
    try:
        wait_until(lambda: len(reports) >= 1)
        kiosk.record(120)
        loop.poke()
        wait_until(lambda: kiosk.journal.backlog() == 0)
    finally:
        assert loop.stop(timeout=10)
    assert closed.is_set()
    on_portal = portal_event_ids(portal, kiosk.identity.device_id)
    assert len(on_portal) == len(set(on_portal)) == 120 + JOURNAL_OWN_ROWS
    assert set(on_portal) == set(kiosk.journal_ids()) == kiosk.acknowledged_ids()
