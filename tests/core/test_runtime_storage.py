"""The runtime at the storage edges: a full disk at shutdown, back in service once space
returns (no restart), one log line per outage rather than one per refused scan, and the
low-space warning in the status and the heartbeat. Real SQLite files on a size-limited tmpfs."""

from __future__ import annotations

import logging
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from kiosk.core.config import load_config
from kiosk.core.demo_data import load_demo
from kiosk.core.journal.journal import journal_path
from kiosk.core.recorder import StorageDown
from kiosk.core.runtime import Runtime
from kiosk.core.runtime_messages import OutOfService
from kiosk.core.technician.pin import MIN_COST
from tests.faults import SHORT_BUSY, fill, journal_locked, small_filesystem

from .test_runtime import Collector, _codes


def _runtime(data_dir: Path, **overrides: object) -> Runtime:
    return Runtime(load_config(overrides=overrides), data_dir, source="images:/nonexistent",
                   trust=load_demo().trust_state(), pin_cost=MIN_COST, sync=False,
                   status_interval_s=0.1)  # fmt: skip


def _fill_until_down(rt: Runtime) -> None:
    assert rt.recorder is not None
    for i in range(10_000):
        try:
            rt.recorder.record_system("settings.changed", {"key": "k", "old": i, "new": i + 1})
        except StorageDown:
            return
    raise AssertionError("the disk never filled")


def test_shutdown_on_a_full_disk_closes_the_journal(tmp_path: Path) -> None:
    with small_filesystem(tmp_path / "card", "1m") as card:
        rt = _runtime(card / "data")
        rt.start()
        fill(card)
        _fill_until_down(rt)
        recorder = rt.recorder
        assert recorder is not None
        rt.close()  # app.stop cannot be written: no exception, the file is closed anyway
        with pytest.raises(sqlite3.ProgrammingError):
            recorder.journal._conn.execute("SELECT 1")


def test_back_in_service_within_a_second_of_space_returning(tmp_path: Path) -> None:
    with small_filesystem(tmp_path / "card", "2m") as card:
        rt = _runtime(card / "data")
        rt.start()
        try:
            filler = fill(card)
            _fill_until_down(rt)
            rt.submit_text(_codes()["valid"])
            deadline = time.monotonic() + 5
            while rt.status().out_of_service != "storage" and time.monotonic() < deadline:
                time.sleep(0.02)
            assert rt.status().out_of_service == "storage"
            assert rt.status().storage_space == "full"
            filler.unlink()
            freed = time.monotonic()
            while rt.status().out_of_service is not None:
                assert time.monotonic() - freed < 1.0, (
                    "still out of service 1 s after space returned"
                )
                time.sleep(0.02)
        finally:
            rt.close()


def test_an_outage_is_logged_once_not_once_per_scan(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rt = _runtime(tmp_path, **SHORT_BUSY)
    seen = Collector()
    rt.add_listener(seen)
    rt.start()
    caplog.set_level(logging.INFO, logger="kiosk.core.runtime")
    try:
        with journal_locked(tmp_path):
            for _ in range(12):  # a code held up to the camera is tried again and again
                rt.submit_text(_codes()["valid"])
                assert rt.pipeline is not None and rt.pipeline.wait_idle(5)
        deadline = time.monotonic() + 5
        while rt.status().out_of_service is not None and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        rt.close()
    said = [r.getMessage() for r in caplog.records if "service" in r.getMessage()]
    assert len([m for m in said if m.startswith("out of service")]) == 1
    back = [m for m in said if m.startswith("back in service")]
    assert len(back) == 1 and "12 scan(s) not taken" in back[0]
    refusals = seen.received(OutOfService)
    assert len(refusals) == 1  # the screen is told once; the status says how it goes on


def test_low_space_is_in_the_status_and_the_heartbeat(tmp_path: Path) -> None:
    free_mb = shutil.disk_usage(tmp_path).free // 2**20
    rt = _runtime(tmp_path, **{"journal.low_space_mb": free_mb + 10_000})
    rt.start()
    try:
        status = rt.status()
        assert status.storage_space == "low" and status.out_of_service is None
        assert status.disk_free_bytes is not None and status.disk_free_bytes > 0
        assert rt.heartbeat_extra() == {"storage_space": "low", "storage": "ok"}
    finally:
        rt.close()
    roomy = _runtime(tmp_path / "roomy", **{"journal.low_space_mb": 1})
    roomy.start()
    try:
        assert roomy.status().storage_space == "ok"
    finally:
        roomy.close()
    assert journal_path(tmp_path).is_file()


def test_the_heartbeat_carries_the_low_space_warning_to_the_portal(tmp_path: Path) -> None:
    from devportal.server import PortalServer
    from devportal.store import now_s
    from portal_sync.client import PortalClient
    from portal_sync.enrolment import request_enrolment

    data = tmp_path / "kiosk"
    free_mb = shutil.disk_usage(tmp_path).free // 2**20
    with PortalServer(tmp_path / "portal", seed="demo") as portal:
        with PortalClient(portal.base_url) as client:
            code = portal.store.create_enrolment_code(now_s())
            request_enrolment(client, code, name="small card", site="T1").commit(
                data, data / "trust"
            )
        config = load_config(overrides={"journal.low_space_mb": free_mb + 10_000})
        rt = Runtime(config, data, source="images:/nonexistent", pin_cost=MIN_COST,
                     status_interval_s=0.1)  # fmt: skip
        rt.start()
        try:
            deadline = time.monotonic() + 15
            while not (beat := portal.store.devices()[0]["heartbeat"]):
                assert time.monotonic() < deadline, "no heartbeat reached the portal"
                time.sleep(0.05)
        finally:
            rt.close()
    assert beat["extra"]["storage_space"] == "low" and beat["extra"]["storage"] == "ok"
