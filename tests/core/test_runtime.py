"""The composed runtime: the demo source through the real pipeline into the journal, then out."""

from __future__ import annotations

import json
import queue
import sqlite3
import threading
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import nacl.public
import pytest

import kiosk.core.runtime as runtime_module
from kiosk.core.config import load_config
from kiosk.core.demo_data import load_demo
from kiosk.core.journal import export
from kiosk.core.journal.journal import journal_path
from kiosk.core.recorder import Recorder
from kiosk.core.runtime import Runtime
from kiosk.core.runtime_messages import OutOfService, ShownScan, SourceChanged, StatusSnapshot
from kiosk.core.sources import parse_spec
from kiosk.core.sources.choice import choose_source
from kiosk.core.technician.pin import MIN_COST
from portal_sync.enrolment import seal_key_path
from tests.faults import SHORT_BUSY, journal_locked
from verifier import Outcome, Reason

FAST_DEMO = {"scan.file_fps": 20.0, "scan.demo_hold_s": 0.3, "scan.demo_gap_s": 0.2}


def _codes() -> dict[str, str]:
    return {c.name: c.text for c in load_demo().codes}


class Collector:
    """Every message a listener got, in order; `next` waits for one kind without losing the
    others, so a test can still ask what came before it."""

    def __init__(self) -> None:
        self.q: queue.Queue[Any] = queue.Queue()
        self.messages: list[Any] = []  # everything delivered, skipped by `next` or not

    def __call__(self, message: Any) -> None:
        self.messages.append(message)
        self.q.put(message)

    def received(self, kind: type) -> list[Any]:
        return [m for m in list(self.messages) if isinstance(m, kind)]

    def next(self, kind: type, timeout: float = 10.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                m = self.q.get(timeout=deadline - time.monotonic())
            except queue.Empty:
                break
            if isinstance(m, kind):
                return m
        raise AssertionError(f"no {kind.__name__} within {timeout} s")


def test_the_collector_keeps_what_next_skips() -> None:
    """A verdict delivered before a fault is still there to disprove 'never a verdict'."""
    seen = Collector()
    seen("a verdict")
    seen(OutOfService("storage", "journal locked"))
    assert isinstance(seen.next(OutOfService, timeout=1), OutOfService)
    assert seen.received(str) == ["a verdict"]


@pytest.fixture
def runtime(tmp_path: Path):
    config = load_config(overrides=FAST_DEMO)
    rt = Runtime(config, tmp_path, demo=True, pin_cost=MIN_COST, status_interval_s=0.2)
    yield rt
    rt.close()


def test_demo_source_flows_into_the_journal_before_listeners(runtime: Runtime) -> None:
    seen = Collector()
    runtime.add_listener(seen)
    runtime.start()
    assert isinstance(runtime.recorder, Recorder)
    shown = seen.next(ShownScan)
    assert shown.event.verdict.outcome is Outcome.ACCEPT  # the demo starts with the valid code
    assert shown.recording.event_id
    assert shown.admitted and shown.direction == "entry"
    status = seen.next(StatusSnapshot)
    assert status.source.demo and status.source.demo_reason == "asked"
    assert status.trust.demo and status.trust.level in ("ok", "stale")
    assert status.gate.entries >= 1 and status.backlog


def test_wedge_text_is_checked_like_a_frame(tmp_path: Path) -> None:
    rt = Runtime(load_config(), tmp_path, source="images:" + str(tmp_path),
                 trust=load_demo().trust_state(), pin_cost=MIN_COST, sync=False)  # fmt: skip
    seen = Collector()
    rt.add_listener(seen)
    rt.start()
    try:
        rt.submit_text(_codes()["forged"])
        shown = seen.next(ShownScan)
        assert shown.event.verdict.reason is Reason.BAD_SIGNATURE
        assert shown.event.source == "wedge" and not shown.admitted
    finally:
        rt.close()


def test_storage_down_means_out_of_service_never_a_verdict(tmp_path: Path) -> None:
    rt = Runtime(load_config(overrides=SHORT_BUSY), tmp_path, source="images:/nonexistent",
                 trust=load_demo().trust_state(), pin_cost=MIN_COST, sync=False)  # fmt: skip
    seen = Collector()
    rt.add_listener(seen)
    rt.start()
    try:
        with journal_locked(tmp_path):
            rt.submit_text(_codes()["valid"])
            fault = seen.next(OutOfService)
            assert fault.reason == "storage" and "locked" in fault.detail
            assert rt.status().out_of_service == "storage"
        assert not seen.received(ShownScan)  # not after the fault, nor before it
        assert rt.status().out_of_service is None  # the probe wrote again: back in service
    finally:
        rt.close()


def test_a_code_not_recorded_is_tried_again_at_once(tmp_path: Path) -> None:
    """A scan lost to a storage fault was never shown: the same code presented again right
    after the fault is a new presentation, not a repeat inside the window."""
    rt = Runtime(load_config(overrides=SHORT_BUSY), tmp_path, source="images:/nonexistent",
                 trust=load_demo().trust_state(), pin_cost=MIN_COST, sync=False)  # fmt: skip
    seen = Collector()
    rt.add_listener(seen)
    rt.start()
    try:
        with journal_locked(tmp_path):
            rt.submit_text(_codes()["valid"])
            assert seen.next(OutOfService).reason == "storage"
        rt.submit_text(_codes()["valid"])  # well inside scan.repeat_window_s
        shown = seen.next(ShownScan)
        assert shown.event.verdict.outcome is Outcome.ACCEPT and shown.recording.event_id
    finally:
        rt.close()


def test_a_missing_default_camera_falls_back_to_the_demo_and_says_why(tmp_path: Path) -> None:
    config = load_config(overrides={})
    choice = choose_source(config, None, demo=False)
    if choice.spec.kind == "camera":
        pytest.skip("this machine has a camera")
    assert choice.demo and choice.demo_reason == "no_camera"


def test_a_configured_camera_never_falls_back(tmp_path: Path) -> None:
    config = load_config(overrides={"scan.source": "camera:/dev/v4l/by-id/none"})
    choice = choose_source(config, None, demo=False)
    assert not choice.demo and choice.spec == parse_spec("camera:/dev/v4l/by-id/none")


def test_a_failed_source_is_reported(tmp_path: Path) -> None:
    rt = Runtime(load_config(), tmp_path, source="images:/nonexistent", pin_cost=MIN_COST,
                 sync=False)  # fmt: skip
    seen = Collector()
    rt.add_listener(seen)
    rt.start()
    try:
        changed = seen.next(SourceChanged)
        assert changed.state == "failed" and "nonexistent" in (changed.error or "")
        assert rt.status().trust.level == "none"  # no anchor in this data dir
    finally:
        rt.close()


def test_self_test_on_the_demo(runtime: Runtime) -> None:
    from kiosk.core.technician.selftest import Level, run_checks

    runtime.start()
    results = {r.check: r for r in run_checks(runtime)}
    assert list(results) == ["camera", "decoder", "trust_list", "revocations", "clock", "portal",
                             "disk", "journal"]  # fmt: skip
    assert results["decoder"].level is Level.PASS
    assert results["journal"].level is Level.PASS and "intact" in results["journal"].detail
    assert results["camera"].level is Level.WARN and results["camera"].advice == "camera_demo"
    assert results["clock"].level is Level.WARN  # never compared with a portal


def test_an_enrolled_kiosk_checks_the_demo_codes_against_its_own_lists(tmp_path: Path) -> None:
    from verifier.trust_store import write_anchor

    write_anchor(tmp_path / "trust", load_demo().anchor)  # enrolled, no list synced yet
    rt = Runtime(load_config(overrides=FAST_DEMO), tmp_path, demo=True, pin_cost=MIN_COST,
                 sync=False)  # fmt: skip
    seen = Collector()
    rt.add_listener(seen)
    rt.start()
    try:
        shown = seen.next(ShownScan)
        assert shown.event.verdict.reason is Reason.NO_TRUST_LIST
        assert rt.status().trust.level == "none" and not rt.status().trust.demo
    finally:
        rt.close()


def test_an_admitted_scan_runs_the_gate_action_after_the_commit(tmp_path: Path) -> None:
    marker = tmp_path / "opened"
    config = load_config(overrides={"gate.action": "command",
                                    "gate.command": ["touch", str(marker)]})  # fmt: skip
    rt = Runtime(config, tmp_path, source="images:/nonexistent", trust=load_demo().trust_state(),
                 pin_cost=MIN_COST, sync=False)  # fmt: skip
    rt.start()
    try:
        rt.submit_text(_codes()["forged"])  # refused: nothing opens
        rt.submit_text(_codes()["valid"])
        deadline = time.monotonic() + 10
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert marker.exists()
    finally:
        rt.close()
    import io
    import json

    out = io.StringIO()
    now = int(time.time() * 1000)
    Recorder.open(tmp_path, config).export(now - 60_000, now + 60_000, out, "jsonl")
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    actions = [json.loads(r["detail"]) for r in rows if r["action"] == "gate.action"]
    scans = {r["event_id"]: r["verdict"] for r in rows if r["kind"] == "scan"}
    assert [(scans[a["scan"]], a["kind"], a["ok"]) for a in actions] == [
        ("accept", "command", True)
    ]


def _rows(data_dir: Path) -> list[dict[str, Any]]:
    """The journal as exported, read on a connection of its own (never a second writer)."""
    with closing(sqlite3.connect(journal_path(data_dir))) as conn:
        return list(export.rows(conn, 0, 2**62))


def _personal(data_dir: Path, event_id: str) -> tuple[Any, Any]:
    with closing(sqlite3.connect(journal_path(data_dir))) as conn:
        row = conn.execute(
            "SELECT sealed, pseudonym FROM events WHERE event_id = ?", (event_id,)
        ).fetchone()
    return row[0], row[1]


def test_retention_runs_from_the_status_loop_and_survives_a_storage_fault(tmp_path: Path) -> None:
    # Enrolled far enough to seal: personal data is kept, so there is something to purge.
    seal_key_path(tmp_path).parent.mkdir(parents=True)
    seal_key_path(tmp_path).write_text(bytes(nacl.public.PrivateKey.generate().public_key).hex())
    config = load_config(overrides={**SHORT_BUSY, "journal.retention_days": 0})
    first = Runtime(config, tmp_path, source="images:/nonexistent",
                    trust=load_demo().trust_state(), pin_cost=MIN_COST, sync=False)  # fmt: skip
    seen = Collector()
    first.add_listener(seen)
    first.start()
    try:
        first.submit_text(_codes()["valid"])
        scan_id = seen.next(ShownScan).recording.event_id
        assert first.recorder is not None
        first.recorder.journal.acknowledge([scan_id])  # as the portal would: now purgeable
    finally:
        first.close()
    assert all(v is not None for v in _personal(tmp_path, scan_id))

    rt = Runtime(config, tmp_path, source="images:/nonexistent", trust=load_demo().trust_state(),
                 pin_cost=MIN_COST, sync=False, status_interval_s=0.05,
                 journal_tick_s=0.1)  # fmt: skip
    seen = Collector()
    rt.add_listener(seen)
    rt.start()
    try:
        with journal_locked(tmp_path):  # ticks fail with BUSY; the loop keeps reporting
            deadline = time.monotonic() + 10
            while seen.next(StatusSnapshot).out_of_service != "storage":
                assert time.monotonic() < deadline
            time.sleep(0.3)  # a few ticks inside the fault
            assert seen.next(StatusSnapshot).out_of_service == "storage"
            assert _personal(tmp_path, scan_id)[0] is not None  # nothing purged meanwhile
        deadline = time.monotonic() + 10
        while not [r for r in _rows(tmp_path) if r["action"] == "retention.purge"]:
            assert time.monotonic() < deadline, "retention never ran"
            time.sleep(0.05)
        assert _personal(tmp_path, scan_id) == (None, None)
        assert rt.status().out_of_service is None
    finally:
        rt.close()


def test_lists_the_sync_loop_installs_are_in_force_for_the_next_scan(tmp_path: Path) -> None:
    """The sync loop installs into the runtime's own trust store: no reload, no second copy."""
    from devportal.server import PortalServer
    from devportal.store import now_s
    from portal_sync.client import PortalClient
    from portal_sync.enrolment import request_enrolment

    data = tmp_path / "kiosk"
    with PortalServer(tmp_path / "portal", seed="demo") as portal:
        with PortalClient(portal.base_url) as client:
            code = portal.store.create_enrolment_code(now_s())
            offer = request_enrolment(client, code, name="test kiosk", site="T1")
            offer.commit(data, data / "trust")  # the anchor only: no list yet
        rt = Runtime(load_config(), data, source="images:/nonexistent", pin_cost=MIN_COST,
                     status_interval_s=0.1)  # fmt: skip
        seen = Collector()
        rt.add_listener(seen)
        rt.start()
        try:
            deadline = time.monotonic() + 15
            while (status := seen.next(StatusSnapshot)).sync_state != "ok":
                assert time.monotonic() < deadline, status.sync_error
            assert rt.status().trust.level == "ok"
            rt.submit_text(_codes()["valid"])
            shown = seen.next(ShownScan)
            assert shown.event.verdict.outcome is Outcome.ACCEPT
            runner = rt._sync._runner
            assert runner is not None and _pooled(runner.client.session) > 0
        finally:
            rt.close()
        assert _pooled(runner.client.session) == 0  # the HTTP session is closed with the kiosk


def _pooled(session: Any) -> int:
    """Connection pools a requests session holds open (close() clears them)."""
    return sum(len(adapter.poolmanager.pools) for adapter in session.adapters.values())


def test_close_waits_for_a_scan_under_way_before_the_journal_closes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(runtime_module, "STOP_WAIT_S", 0.1)
    rt = Runtime(load_config(overrides=SHORT_BUSY), tmp_path, source="images:/nonexistent",
                 trust=load_demo().trust_state(), pin_cost=MIN_COST, sync=False)  # fmt: skip
    entered, release = threading.Event(), threading.Event()

    def stuck(message: Any) -> None:  # the scan's worker held inside its delivery
        if isinstance(message, ShownScan):
            entered.set()
            release.wait(10)

    rt.add_listener(stuck)
    rt.start()
    rt.submit_text(_codes()["valid"])
    assert entered.wait(10)
    closer = threading.Thread(target=rt.close)
    closer.start()
    time.sleep(0.6)
    assert closer.is_alive()  # waiting, not closing the journal under the pipeline
    assert rt.recorder is not None and rt.recorder.journal.backlog() >= 2  # still open
    release.set()
    closer.join(10)
    assert not closer.is_alive()
    assert "the scan pipeline has not stopped" in caplog.text
    assert _rows(tmp_path)[-1]["action"] == "app.stop"  # journaled last, after the scan


def test_settings_are_put_in_force_by_the_runtime_alone(runtime: Runtime) -> None:
    fresh = load_config(overrides={**FAST_DEMO, "kiosk.name": "Cổng B"})
    with pytest.raises(AttributeError):
        runtime.config = fresh  # type: ignore[misc]
    runtime.apply_settings(fresh)
    assert runtime.config is fresh and runtime.status().kiosk_name == "Cổng B"


def test_a_demo_run_never_arms_the_gate_action(tmp_path: Path) -> None:
    """Demo codes are signed with public seeds: a demo "valid" must not fire the relay."""
    import json

    marker = tmp_path / "opened"
    config = load_config(overrides={**FAST_DEMO, "gate.action": "command",
                                    "gate.command": ["touch", str(marker)]})  # fmt: skip
    rt = Runtime(config, tmp_path, demo=True, pin_cost=MIN_COST, sync=False)
    seen = Collector()
    rt.add_listener(seen)
    rt.start()
    try:
        shown = seen.next(ShownScan)
        assert shown.admitted and shown.event.verdict.outcome is Outcome.ACCEPT
        time.sleep(0.5)  # a command action would have run by now
        assert not marker.exists()
        assert "gate action off: demo" in rt.status().notes
    finally:
        rt.close()
    starts = [json.loads(r["detail"]) for r in _rows(tmp_path) if r["action"] == "app.start"]
    assert starts[-1]["gate_action"] == "off: demo"


def test_badges_from_the_wedge_and_a_serial_scanner_are_checked_on_the_pipeline(
    tmp_path: Path,
) -> None:
    """submit_text only queues (the GUI thread calls it); a serial scanner's badge is one too."""
    import threading

    from kiosk.core.runtime_messages import BadgeSeen
    from kiosk.core.sources.base import Capture, SourceKind
    from tests.core.test_badge import ANCHOR, make_badge, write_identity

    write_identity(tmp_path)
    config = load_config(overrides={"kiosk.name": "Cổng A"})
    rt = Runtime(config, tmp_path, source="images:/nonexistent", trust=load_demo().trust_state(),
                 anchor=ANCHOR, pin_cost=MIN_COST, sync=False)  # fmt: skip
    seen = Collector()
    where: list[threading.Thread] = []
    rt.add_listener(lambda m: where.append(threading.current_thread()) if isinstance(m, BadgeSeen)
                    else None)  # fmt: skip
    rt.add_listener(seen)
    rt.start()
    try:
        now = int(time.time())
        rt.submit_text(make_badge(nbf=now - 60, exp=now + 3600))
        assert seen.next(BadgeSeen).ok
        serial = make_badge(tech="kt-08", nbf=now - 60, exp=now + 3600)
        rt._deliver(Capture("serial:/dev/ttyACM0", SourceKind.SCANNER, time.time(),
                            time.monotonic(), text=serial))  # fmt: skip
        badge = seen.next(BadgeSeen)
        assert badge.ok and badge.technician == "kt-08"
        assert rt.pipeline is not None and rt.pipeline.wait_idle(5)
        assert not seen.received(ShownScan)  # not after the fault, nor before it
        assert where and threading.main_thread() not in where
    finally:
        rt.close()
    unlocks = [r["operator"] for r in _rows(tmp_path) if r["action"] == "technician.unlock"]
    assert unlocks == ["kt-07", "kt-08"]


def test_a_badge_opens_by_device_id_is_revocable_and_names_its_holder_for_the_session(
    tmp_path: Path,
) -> None:
    """Issue 11 point 9: the enrolled device id decides (kiosk.name does not), the revocation
    list held refuses a revoked badge, and the rows of a badge session name the badge holder."""
    import dataclasses

    from kiosk.core.journal.records import Action
    from kiosk.core.runtime_messages import BadgeSeen
    from tests.core.test_badge import ANCHOR, BID, DEVICE, make_badge, write_identity
    from verifier.documents import revocation_hash

    demo = load_demo().trust_state()
    assert demo.revocations is not None
    revoked = dataclasses.replace(
        demo.revocations, entries=demo.revocations.entries | {revocation_hash(bytes(16))}
    )
    trust = dataclasses.replace(demo, revocations=revoked)
    config = load_config(overrides={"kiosk.name": "Kiosk"})  # the default, on many kiosks
    rt = Runtime(config, tmp_path, source="images:/nonexistent", trust=trust, anchor=ANCHOR,
                 pin_cost=MIN_COST, sync=False)  # fmt: skip
    seen = Collector()
    rt.add_listener(seen)
    rt.start()
    try:
        now = int(time.time())
        rt.submit_text(make_badge(device="Kiosk", nbf=now - 60, exp=now + 3600))
        assert seen.next(BadgeSeen).refusal == "wrong_place"  # not enrolled, and not a name
        write_identity(tmp_path, DEVICE)
        rt.submit_text(make_badge(bid=bytes(16), nbf=now - 60, exp=now + 3600))
        assert seen.next(BadgeSeen).refusal == "revoked"
        assert rt.operator == "technician"
        rt.submit_text(make_badge(tech="kt-09", nbf=now - 60, exp=now + 3600))
        assert seen.next(BadgeSeen).ok
        assert rt.operator == "kt-09"
        rt.report(Action.SETTINGS_CHANGED, {"key": "kiosk.name", "old": "a", "new": "b"},
                  operator=rt.operator)  # fmt: skip
        rt.lock_technician("button")
        assert rt.operator == "technician"  # the next session is a PIN's until a badge opens it
    finally:
        rt.close()
    rows = {r["action"]: r for r in _rows(tmp_path)}
    assert json.loads(rows["technician.unlock"]["detail"]) == {
        "method": "badge",
        "badge": BID.hex(),
    }
    assert [rows[a]["operator"] for a in ("technician.unlock", "settings.changed",
            "technician.lock")] == ["kt-09"] * 3  # fmt: skip
