"""The kiosk without a screen, composed: config → trust → source → pipeline → recorder → sync.

Both the GUI and the headless runner drive the kiosk through this one object. Listeners receive
frozen messages (kiosk.core.runtime_messages) from the runtime's own threads; nothing here knows
about Qt. The order that must hold: a scan is recorded (the journal commits it) before any
listener hears of it, so the screen never shows what the journal does not hold; when the
journal cannot write, listeners hear "out of service: storage" instead of the verdict.

Source choice: the SPEC asked for (or the scan.source setting). The built-in demo runs when it
is asked for, or when the camera named by the *default* setting does not exist (a developer's
machine); a kiosk whose config names its camera never falls back to demo codes. Either way
the status says DEMO and why.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from kiosk.core.config import Config
from kiosk.core.decode.decoder import Decoder
from kiosk.core.events import ScanEvent
from kiosk.core.gate.output import GateOutput
from kiosk.core.journal.export import Keep
from kiosk.core.journal.records import Action
from kiosk.core.outage import ServiceState
from kiosk.core.paths import private_data_dir
from kiosk.core.pipeline import FrameDecoder, Pipeline, policy_from_config
from kiosk.core.recorder import Detail, GateSnapshot, Recorder, StorageDown
from kiosk.core.repeats import RepeatWindows
from kiosk.core.runtime_messages import (
    OutOfService,
    OutOfServiceReason,
    RuntimeMessage,
    ShownScan,
    SiteState,
    SiteSummary,
    SourceChanged,
    StatusSnapshot,
)
from kiosk.core.site.lane import SiteLane
from kiosk.core.site.setup import SiteSetupError, build_lane
from kiosk.core.sources import Source, SourceError, make_source
from kiosk.core.sources.base import Capture, SourceKind, SourceState
from kiosk.core.sources.choice import choose_source
from kiosk.core.sync.beside_scans import SyncBesideScans
from kiosk.core.technician.door import TechnicianDoor
from kiosk.core.technician.pin import HashCost, PinVault
from kiosk.core.trust.freshness import Freshness
from kiosk.core.trust.in_force import TrustInForce
from verifier import TrustState

if TYPE_CHECKING:  # the sync client (and requests) load only when a kiosk syncs
    from portal_sync.sync_round import RoundReport

log = logging.getLogger(__name__)

Listener = Callable[[RuntimeMessage], None]
STATUS_INTERVAL_S = 1.0
_CAMERA_AWAY = (SourceState.LOST, SourceState.REOPENING)  # live again after these: recovered
# How often the journal is asked whether retention is due; the journal itself purges only
# every journal.purge_interval_s, so this is cheap (docs/journal.md: "every minute").
JOURNAL_TICK_S = 60.0
WEDGE_SOURCE = "wedge"


class Runtime:
    def __init__(
        self,
        config: Config,
        data_dir: Path,
        *,
        source: str | None = None,
        demo: bool = False,
        decoder: FrameDecoder | None = None,
        trust: TrustState | None = None,
        anchor: bytes | None = None,
        pin_cost: HashCost | None = None,
        sync: bool = True,
        scan: bool = True,
        status_interval_s: float = STATUS_INTERVAL_S,
        journal_tick_s: float = JOURNAL_TICK_S,
    ) -> None:
        self._config = config  # replaced whole by apply_settings, never edited
        # The mode this kiosk runs in until it restarts, whatever a saved setting says since.
        self.mode: str = config.kiosk.mode
        self.data_dir = Path(data_dir)
        self.choice = choose_source(config, source, demo)
        self.policy = policy_from_config(config)
        self._decoder = decoder or Decoder()
        self.recorder: Recorder | None = None
        self._pin_cost = pin_cost
        self._sync_wanted = sync
        # scan=False: the source runs (its state and picture can be checked) but no frame or
        # text becomes a scan, so a self-test leaves no scan, admission or gate action behind.
        self._scanning = scan
        self._status_interval_s = status_interval_s
        self._journal_tick_s = journal_tick_s
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()
        self.trust = TrustInForce(self.data_dir, self.policy, demo=self.choice.demo, fixed=trust,
                                  anchor=anchor)  # fmt: skip
        self.door = TechnicianDoor(self.data_dir, self.trust, self.report, self._notify)
        self.source: Source | None = None
        self.pipeline: Pipeline | None = None
        self.technician: PinVault | None = None
        self._site: SiteLane | None = None
        self._site_error: SiteSetupError | None = None
        self._gate: GateOutput | None = None
        self._sync = SyncBesideScans()
        self._source_msg = SourceChanged(
            str(self.choice.spec), "demo" if self.choice.demo else self.choice.spec.kind,
            SourceState.STARTING, self.choice.demo, self.choice.demo_reason,
        )  # fmt: skip
        self._latest_frame: Capture | None = None
        self._service = ServiceState()
        self._stop = threading.Event()
        self._status_thread: threading.Thread | None = None
        self._retention_thread: threading.Thread | None = None
        self.started = False

    # --- listeners ---

    @property
    def config(self) -> Config:
        """The settings in force. Read once per operation (one snapshot), since a technician's
        save replaces them from another thread."""
        with self._lock:
            return self._config

    def apply_settings(self, config: Config) -> None:
        """Put a technician's saved settings in force: the next operation reads them; the one
        under way finishes with the settings it started with. The runtime's only setter."""
        with self._lock:
            self._config = config

    def add_listener(self, listener: Listener) -> None:
        with self._lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def _notify(self, message: RuntimeMessage) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(message)
            except Exception:
                log.exception("a runtime listener failed on %s", type(message).__name__)

    # --- start and stop ---

    def start(self) -> None:
        """Open everything. Blocking (files, devices): call it off the GUI thread."""
        if self.started:
            raise RuntimeError("runtime already started")
        self.started = True
        private_data_dir(self.data_dir)
        self.open_trust()
        self.recorder = Recorder.open(self.data_dir, self.config)  # StorageDown: out of service
        self.technician = PinVault(self.data_dir, self.report, cost=self._pin_cost)
        self._gate = GateOutput(
            self.recorder,
            on_passage=lambda: self._notify(self.status()),
            on_storage_down=lambda e: self._fail(OutOfService(OutOfServiceReason.STORAGE, str(e))),
        )
        self._gate.start(self.config, demo=self.choice.demo, scanning=self._scanning)
        self.report(
            Action.APP_START,
            {"source": str(self.choice.spec), "demo": self.choice.demo,
             "gate_action": self._gate.state},
        )  # fmt: skip
        self.note_trust_freshness()
        self.pipeline = Pipeline(
            decoder=self._decoder,
            trust=self.trust_state,
            on_event=self._on_scan,
            windows=RepeatWindows.from_config(self.config),
            policy=self.policy,
            on_badge=self.door.badge,
        )
        self.pipeline.start()
        self._start_sync()
        self._start_site()
        self._start_source()
        self._status_thread = threading.Thread(
            target=self._status_loop, name="kiosk status", daemon=True
        )
        self._status_thread.start()
        self._retention_thread = threading.Thread(
            target=self._retention_loop, name="journal retention", daemon=True
        )
        self._retention_thread.start()

    def close(self) -> None:
        """Stop every thread that writes to the journal, then close it: a thread still running
        is logged and waited for, never left writing to a closed journal (a service manager's
        stop timeout ends a kiosk stuck here; the journal survives a kill)."""
        self._stop.set()
        if self.source is not None:
            self.source.close()
        if self.pipeline is not None:
            _wait_stopped("the scan pipeline", self.pipeline.close)
        if self._gate is not None:
            _wait_stopped("the gate action", self._gate.close)
        _wait_stopped("the portal sync", self._sync.stop)
        if self._site is not None:
            _wait_stopped("the site lane", self._site.stop)
        for thread in (self._status_thread, self._retention_thread):
            if thread is not None:
                _wait_stopped(thread.name, partial(_joined, thread))
        if self.recorder is not None:
            try:
                self.report(Action.APP_STOP, {})
            except StorageDown as e:  # a full disk: the stop goes unrecorded, the file is closed
                log.warning("app.stop not journaled: %s", e)
            finally:
                self.recorder.close()

    def open_trust(self) -> None:
        """Open the trust store (or the demo's lists) without starting anything, so a caller can
        refuse to run on `trust_problem` before any scan is taken. start() calls it if needed."""
        self.trust.open(self.config)

    @property
    def trust_problem(self) -> str | None:
        return self.trust.problem

    @property
    def anchor_problem(self) -> str | None:
        return self.trust.anchor_problem

    def trust_freshness(self, now: float | None = None) -> Freshness:
        return self.trust.freshness(now)

    def note_trust_freshness(self) -> None:
        """Stale trust data journaled once when it starts and once when it ends, never per scan:
        at start, on each status tick (a list passing its grace) and after each sync round."""
        if self.recorder is not None:
            self.trust.note_freshness(self.report)

    def trust_state(self) -> TrustState:
        return self.trust.state()

    def _start_source(self) -> None:
        try:
            self.source = make_source(self.choice.spec, self.config)
            self.source.start(self._deliver, self._on_source_state)
        except SourceError as e:
            # The source's state carries the error to the screen or the command line's one line.
            log.info("source %s: %s", self.choice.spec, e)
            self._set_source(SourceState.FAILED, str(e))

    def _start_sync(self) -> None:
        if not (self._sync_wanted and self.config.sync.enabled) or self.trust.fixed:
            return  # a fixed trust state (the demo bundle, a test's) never syncs
        assert self.recorder is not None
        self._sync.start(
            self.config, self.data_dir, self.recorder.journal, store=self.trust.store,
            health_extra=self.heartbeat_extra, on_round=self._on_sync_report,
        )  # fmt: skip

    def _start_site(self) -> None:
        """A lane of a site when a broker is configured (docs/site.md); alone otherwise."""
        assert self.recorder is not None
        try:
            self._site = build_lane(self.config, self.data_dir, self.recorder.journal)
            if self._site is not None:
                self._site.start()
        except SiteSetupError as e:
            self._site, self._site_error = None, e
            log.error("site bus: not a lane of the site (%s): %s", e.code, e)

    def site_summary(self) -> SiteSummary | None:
        lane = self._site
        if lane is None:
            e = self._site_error
            return SiteSummary("", SiteState.ERROR, detail=f"{e.code}: {e}") if e else None
        s = lane.status()
        state = SiteState.ONLINE if s.online else SiteState.OFFLINE
        return SiteSummary(
            s.site, state, s.lanes_online, s.lanes, s.occupancy, s.conflicts, s.unpublished,
            s.detail,
        )  # fmt: skip

    def heartbeat_extra(self) -> dict[str, str]:
        """What the heartbeat adds to the sync client's own health: the journal's storage."""
        recorder = self.recorder
        if recorder is None:
            return {}
        fault = recorder.journal.storage.fault
        return {"storage_space": str(recorder.space().level), "storage": str(fault or "ok")}

    # --- inputs ---

    def _deliver(self, capture: Capture) -> None:
        if capture.frame is not None:
            self._latest_frame = capture  # one reference swap: the preview reads the newest
        if not self._scanning:
            return
        assert self.pipeline is not None
        self.pipeline.submit(capture)

    def latest_frame(self) -> Capture | None:
        """The newest camera or demo frame, for a preview (never a copy: do not modify it)."""
        return self._latest_frame

    def submit_text(self, text: str, source: str = WEDGE_SOURCE) -> None:
        """A scanned text from a keyboard-wedge scanner: only queued (the GUI thread calls this);
        the pipeline's worker tells badges from scans, as for a serial scanner or the camera."""
        if self.pipeline is None:
            return
        self.pipeline.submit(
            Capture(source, SourceKind.SCANNER, time.time(), time.monotonic(), text=text)
        )

    def pause_scanning(self, paused: bool) -> None:
        """While the technician's pages are open (the screen says when), codes are still read
        but none is checked, journaled or acted on, so nothing happens behind the pages; a
        technician badge still opens them. A code still in view is a scan once they close."""
        if self.pipeline is not None:
            self.pipeline.paused = paused

    # --- the sink: record first, then show ---

    def _on_scan(self, event: ScanEvent) -> bool:
        """Record, then tell: True when the journal kept the scan."""
        recorder = self.recorder
        assert recorder is not None
        try:
            recording = recorder.record_scan(event, self.config)
        except StorageDown as e:
            self._fail(OutOfService(OutOfServiceReason.STORAGE, str(e)))
            return False
        except Exception as e:  # a bug in recording: out of service, never a verdict unrecorded
            log.exception("recording a scan failed")
            self._fail(OutOfService(OutOfServiceReason.INTERNAL, repr(e)))
            return False
        self._back_in_service()
        gate = recorder.gate()
        admitted = recording.admitted
        self._notify(
            ShownScan(event, recording, gate.mode, gate.direction, admitted, time.monotonic())
        )
        assert self._gate is not None
        self._gate.open_for(recording, gate.direction)
        self._sync.poke()
        if self._site is not None:
            self._site.poke()
        return True

    @property
    def gate_problem(self) -> str | None:
        """Why admitted scans open nothing (a demo run, an action not configured)."""
        return self._gate.problem if self._gate is not None else None

    @property
    def operator(self) -> str:
        """Who the technician rows of the open session name."""
        return self.door.operator

    def lock_technician(self, why: str) -> None:
        """The technician's pages closed. Raises StorageDown (the door is shut either way)."""
        self.door.lock(why)

    def _fail(self, fault: OutOfService) -> None:
        if self._service.fail(fault, time.monotonic()):
            self._notify(fault)

    def _back_in_service(self) -> None:
        if self._service.fault is not None:  # asked at each scan: no lock while in service
            self._service.restore(time.monotonic())

    def _on_source_state(self, state: SourceState) -> None:
        previous = self._source_msg.state
        error = str(self.source.error) if self.source and self.source.error else None
        self._set_source(state, error)
        if self.choice.spec.kind == "camera":
            if state is SourceState.LOST:
                self.report(Action.CAMERA_LOST, {"source": str(self.choice.spec)})
            elif state is SourceState.LIVE and previous in (
                SourceState.LOST,
                SourceState.REOPENING,
            ):
                self.report(Action.CAMERA_RECOVERED, {"source": str(self.choice.spec)})

    def _set_source(self, state: SourceState, error: str | None) -> None:
        m = self._source_msg
        self._source_msg = SourceChanged(m.source, m.kind, state, m.demo, m.demo_reason, error)
        self._notify(self._source_msg)

    # --- actions (call from a worker thread: each may write the journal) ---

    def report(self, action: Action, detail: Detail, operator: str | None = None) -> None:
        """A system or technician event into the journal. Raises StorageDown."""
        if self.recorder is None:
            log.info("system event before the recorder: %s %s", action, dict(detail))
            return
        self.recorder.record_system(action, detail, operator)
        self.door.journaled(action, detail)

    def set_direction(self, direction: str) -> None:
        assert self.recorder is not None
        self.recorder.set_direction(direction)
        self._notify(self.status())

    def record_transaction(self, scan_id: str, service: str, reference: str | None) -> str:
        assert self.recorder is not None
        done = self.recorder.record_transaction(scan_id, service, reference)
        self._notify(self.status())
        return done

    def export_journal(
        self, from_ms: int, to_ms: int, out: TextIO, fmt: str = "csv", keep: Keep | None = None
    ) -> int:
        if self.recorder is None:  # the runtime did not start: no journal to read
            raise StorageDown("the journal is not open")
        return self.recorder.export(from_ms, to_ms, out, fmt, keep)

    def newest_journal_rows(
        self, from_ms: int, to_ms: int, limit: int, kind: str | None = None
    ) -> list[dict[str, Any]]:
        """The newest rows of a time range as the export words them (no personal data)."""
        if self.recorder is None:
            raise StorageDown("the journal is not open")
        return self.recorder.newest(from_ms, to_ms, limit, kind)

    # --- sync ---

    def _on_sync_report(self, report: RoundReport) -> None:
        from kiosk.core.sync.journal_rows import record_round

        try:
            record_round(report, self.report)
        except Exception:  # the round's own result stands; the journal says why elsewhere
            log.exception("could not journal the sync round")
        self.note_trust_freshness()

    # --- status ---

    def status(self) -> StatusSnapshot:
        recorder = self.recorder
        now = time.time()
        storage = recorder.storage_problem() if recorder is not None else None
        fault = self._service.fault
        if storage is None and fault is not None and fault.reason is OutOfServiceReason.STORAGE:
            # The probe wrote again: back in service now, not only after the next scan.
            self._back_in_service()
            fault = None
        stats = self.pipeline.stats if self.pipeline is not None else None
        space = recorder.space() if recorder is not None else None
        out: OutOfServiceReason | None = None
        detail = ""
        if storage is not None:
            out, detail = OutOfServiceReason.STORAGE, storage
        elif fault is not None:
            out, detail = fault.reason, fault.detail
        return StatusSnapshot(
            wall_time=now,
            kiosk_name=self.config.kiosk.name,
            mode=self.mode,
            source=self._source_msg,
            trust=self.trust.summary(now),
            gate=recorder.gate() if recorder is not None else _empty_gate(self.config),
            backlog=recorder.backlog() if recorder is not None else None,
            sync_state=self._sync.state,
            last_sync=self._sync.last_sync,
            sync_error=self._sync.error,
            out_of_service=out,
            out_of_service_detail=detail,
            storage_space=str(space.level) if space else "unknown",
            disk_free_bytes=space.free_bytes if space else None,
            notes=tuple(
                p for p in (self.anchor_problem, self.trust_problem, self.gate_problem) if p
            ),
            frames_in=stats.frames_in if stats else 0,
            frames_decoded=stats.frames_decoded if stats else 0,
            events=(stats.events + stats.read_while_paused) if stats else 0,
            site=self.site_summary(),
        )

    def _status_loop(self) -> None:
        while not self._stop.wait(self._status_interval_s):
            try:
                self._notify(self.status())
                self.note_trust_freshness()  # a list passing its grace while running
            except Exception:
                log.exception("status snapshot failed")

    def _retention_loop(self) -> None:
        # Its own thread, so a first purge of a long backlog never holds up the status line;
        # the journal takes its lock per batch, so scans commit in between. The first tick
        # waits one interval so a purge never competes with start-up.
        while not self._stop.wait(self._journal_tick_s):
            self._tick_journal()

    def _tick_journal(self) -> None:
        recorder = self.recorder
        if recorder is None:
            return
        try:
            blanked = recorder.tick()
        except StorageDown as e:  # the status line already says so; retention tries again
            log.warning("retention postponed: journal storage: %s", e)
            return
        except Exception:  # a bug in retention must not stop the status loop
            log.exception("journal retention failed")
            return
        if blanked:
            log.info("retention: personal data of %d journal rows blanked", blanked)


def _empty_gate(config: Config) -> GateSnapshot:
    mode = config.kiosk.mode
    return GateSnapshot(mode, "entry" if mode == "gate" else None)


# How long close waits between its warnings that a thread has not stopped.
STOP_WAIT_S = 10.0


def _wait_stopped(what: str, stop: Callable[[float], bool]) -> None:
    """Call `stop(timeout)` until it says the thread ended, saying so at each wait."""
    waited = 0.0
    while not stop(STOP_WAIT_S):
        waited += STOP_WAIT_S
        log.warning("%s has not stopped after %.0f s: the journal stays open until it does",
                    what, waited)  # fmt: skip


def _joined(thread: threading.Thread, timeout: float) -> bool:
    thread.join(timeout)
    return not thread.is_alive()
