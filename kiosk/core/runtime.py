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
from typing import TYPE_CHECKING, TextIO

from kiosk.core.config import Config
from kiosk.core.decode.decoder import Decoder
from kiosk.core.demo_data import load_demo
from kiosk.core.events import ScanEvent
from kiosk.core.gate.action import (
    ActionRequest,
    ActionResult,
    GateActuator,
    action_from_config,
)
from kiosk.core.journal.export import Keep
from kiosk.core.journal.records import Action
from kiosk.core.outage import Outage
from kiosk.core.paths import private_data_dir, trust_dir
from kiosk.core.pipeline import FrameDecoder, Pipeline, ScanSettings, policy_from_config
from kiosk.core.recorder import Detail, GateSnapshot, Recorder, StorageDown
from kiosk.core.runtime_messages import (
    OutOfService,
    RuntimeMessage,
    ShownScan,
    SiteSummary,
    SourceChanged,
    StatusSnapshot,
)
from kiosk.core.site.lane import SiteLane
from kiosk.core.site.setup import SiteSetupError, build_lane
from kiosk.core.sources import Source, SourceError, make_source
from kiosk.core.sources.base import Capture, SourceKind, SourceState
from kiosk.core.sources.choice import choose_source
from kiosk.core.sync.loop import SyncLoop
from kiosk.core.technician.badge import is_badge
from kiosk.core.technician.badge_sightings import BadgeSightings, read_badge
from kiosk.core.technician.pin import HashCost, PinVault
from kiosk.core.trust.anchor import demo_anchor_warning, resolve_anchor
from kiosk.core.trust.freshness import Freshness, StaleNotes, freshness
from kiosk.core.trust.summary import trust_summary
from portal_sync.errors import NotEnrolled, SyncError
from verifier import Outcome, TrustState, TrustStore, TrustStoreError
from verifier.trust_store import ANCHOR_FILE

if TYPE_CHECKING:  # the sync client (and requests) load only when a kiosk syncs
    from portal_sync.sync_round import RoundReport, SyncRunner

log = logging.getLogger(__name__)

Listener = Callable[[RuntimeMessage], None]
STATUS_INTERVAL_S = 1.0
# How often the journal is asked whether retention is due; the journal itself purges only
# every journal.purge_interval_s, so this is cheap (docs/journal.md: "every minute").
JOURNAL_TICK_S = 60.0
WEDGE_SOURCE = "wedge"
DEMO_GATE_OFF = "gate action off: demo"


TECHNICIAN = "technician"  # the operator of a PIN session: a PIN names nobody


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
        # While the technician's pages are open nothing becomes a scan (pause_scanning).
        self._paused = False
        self._read_while_paused = 0  # codes read then (the technician's camera meter counts them)
        self._status_interval_s = status_interval_s
        self._journal_tick_s = journal_tick_s
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()
        self._store: TrustStore | None = None
        self._fixed_trust = trust  # tests and benchmarks: a trust state of their own
        self._anchor = anchor  # with a fixed trust state: the anchor badges are checked under
        self._badge_sightings = BadgeSightings()
        self._session_operator: str | None = None  # the badge holder while a badge session lasts
        self.trust_problem: str | None = None
        self.anchor_problem: str | None = None  # the demo anchor outside demo mode
        self._trust_opened = False
        self._stale_notes = StaleNotes(self.policy)
        self.gate_problem: str | None = None
        self.source: Source | None = None
        self.pipeline: Pipeline | None = None
        self.technician: PinVault | None = None
        self._sync_loop: SyncLoop | None = None
        self._site: SiteLane | None = None
        self._site_error: SiteSetupError | None = None
        self._sync_runner: SyncRunner | None = None
        self._actuator: GateActuator | None = None  # at a gate
        self._sync_state = "off"
        self._sync_error: str | None = None
        self._last_sync: float | None = None
        self._source_msg = SourceChanged(
            str(self.choice.spec), "demo" if self.choice.demo else self.choice.spec.kind,
            str(SourceState.STARTING), self.choice.demo, self.choice.demo_reason,
        )  # fmt: skip
        self._latest_frame: Capture | None = None
        self._fault: OutOfService | None = None
        # The pipeline's worker and the status thread both see a fault begin and end.
        self._fault_lock = threading.Lock()
        self._outage = Outage()
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
        self._start_gate_action()
        self.report(
            Action.APP_START,
            {"source": str(self.choice.spec), "demo": self.choice.demo,
             "gate_action": self._gate_action_state()},
        )  # fmt: skip
        self.note_trust_freshness()
        self.pipeline = Pipeline(
            decoder=self._decoder,
            trust=self.trust_state,
            on_event=self._on_scan,
            settings=ScanSettings.from_config(self.config),
            policy=self.policy,
            divert=self._divert_badge,
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
        if self._actuator is not None:
            _wait_stopped("the gate action", self._actuator.close)
        if self._sync_loop is not None:
            _wait_stopped("the portal sync", self._sync_loop.stop)
            self._sync_loop = None
        if self._sync_runner is not None:
            self._sync_runner.client.close()  # its HTTP session and pooled connections
            self._sync_runner = None
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
        if self._trust_opened:
            return
        self._trust_opened = True
        if self._fixed_trust is not None:
            return
        enrolled = (trust_dir(self.data_dir) / ANCHOR_FILE).is_file() or self.config.trust.anchor
        if self.choice.demo and not enrolled:
            # The demo codes against the built-in demo lists. An enrolled kiosk (the reference
            # portal in `make run`) checks the demo codes against its own synced lists instead.
            demo = load_demo()
            self._fixed_trust, self._anchor = demo.trust_state(), demo.anchor
            return
        try:
            anchor = resolve_anchor(self.config, self.data_dir)
            if not self.choice.demo:
                self.anchor_problem = demo_anchor_warning(anchor)
                if self.anchor_problem:
                    log.error("NOT FOR SERVICE: %s", self.anchor_problem)
            self._store = TrustStore(trust_dir(self.data_dir), anchor)
            for problem in self._store.load_problems:
                log.warning("trust store: %s", problem)
        except (ValueError, TrustStoreError) as e:
            self.trust_problem = str(e)
            log.error("no trust store: %s (every credential is rejected: no_trust_list)", e)

    def trust_freshness(self, now: float | None = None) -> Freshness:
        store = self._store
        unreadable = dict(store.unreadable) if store is not None else None
        return freshness(self.trust_state(), time.time() if now is None else now, self.policy,
                         unreadable)  # fmt: skip

    def note_trust_freshness(self) -> None:
        """Stale trust data journaled once when it starts and once when it ends, never per scan:
        at start, on each status tick (a list passing its grace) and after each sync round."""
        if self.recorder is not None:
            self._stale_notes.note(self.trust_freshness(), self.report)

    def trust_state(self) -> TrustState:
        if self._fixed_trust is not None:
            return self._fixed_trust
        store = self._store
        return store.state if store is not None else TrustState(None, None)

    def _start_source(self) -> None:
        try:
            self.source = make_source(self.choice.spec, self.config)
            self.source.start(self._deliver, self._on_source_state)
        except SourceError as e:
            # The source's state carries the error to the screen or the command line's one line.
            log.info("source %s: %s", self.choice.spec, e)
            self._set_source(str(SourceState.FAILED), str(e))

    def _start_gate_action(self) -> None:
        """What an admitted scan does at a gate (a relay, a turnstile, a command; default: log)."""
        if self.config.kiosk.mode != "gate" or not self._scanning:
            return
        if self.choice.demo:
            # Demo codes are signed with keys derived from public seeds: anyone can make a
            # "valid" one, so a demo run (asked for, or the no-camera fallback) opens nothing.
            self.gate_problem = DEMO_GATE_OFF
            log.warning("%s (admitted demo scans open nothing)", DEMO_GATE_OFF)
            return

        try:
            action = action_from_config(self.config)
        except ValueError as e:
            self.gate_problem = f"gate action: {e}"
            log.error("gate action not configured: %s (admitted scans open nothing)", e)
            return
        self._actuator = GateActuator(action, self._on_gate_done)

    def _gate_action_state(self) -> str:
        if self._actuator is not None:
            return str(self._actuator.action.kind)
        return "off: demo" if self.gate_problem == DEMO_GATE_OFF else "none"

    def _on_gate_done(self, request: ActionRequest, result: ActionResult) -> None:
        """The gate action's outcome, journaled; a turnstile's answer is the passage row."""
        assert self.recorder is not None
        detail: Detail = {
            "scan": request.event_id,
            "kind": result.kind,
            "ok": result.ok,
            "passed": result.passed,
            "detail": result.detail,
            "ms": round(result.ms),
        }
        try:
            self.report(Action.GATE_ACTION, detail)
            if result.passed is not None:
                self.recorder.record_passage(request.event_id, bool(result.passed))
                self._notify(self.status())
        except StorageDown as e:  # the scan row holds the admission; the outage is said once
            self._fail(OutOfService("storage", str(e)))

    def _start_sync(self) -> None:
        if not (self._sync_wanted and self.config.sync.enabled) or self._fixed_trust is not None:
            return  # a fixed trust state (the demo bundle, a test's) never syncs
        assert self.recorder is not None
        from kiosk.core.sync.setup import build_runner  # requests loads only when a kiosk syncs

        try:
            runner = build_runner(
                self.config,
                self.data_dir,
                self.recorder.journal,
                store=self._store,
                health_extra=self.heartbeat_extra,
            )
        except NotEnrolled:
            self._sync_state = "not_enrolled"
            return
        except (SyncError, TrustStoreError, OSError, ValueError) as e:
            self._sync_state, self._sync_error = "error", str(e)
            log.error("portal sync cannot start: %s", e)
            return
        self._sync_runner = runner
        self._sync_loop = SyncLoop(
            runner, self.config.sync.interval_s, on_report=self._on_sync_report
        )
        self._sync_state = "starting"
        self._sync_loop.start()

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
            return SiteSummary("", "error", detail=f"{e.code}: {e}") if e else None
        s = lane.status()
        return SiteSummary(
            s.site, "online" if s.online else "offline", s.lanes_online, s.lanes, s.occupancy,
            s.conflicts, s.unpublished, s.detail,
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
        self._paused = paused

    def _divert_badge(self, text: str) -> bool:
        if not is_badge(text):
            if self._paused:  # taken out of the flow before any check
                self._read_while_paused += 1
            return self._paused
        self._on_badge(text)
        return True

    # --- the sink: record first, then show ---

    def _on_scan(self, event: ScanEvent) -> None:
        recorder = self.recorder
        assert recorder is not None
        admit = None
        if event.verdict.outcome is Outcome.UNVERIFIED:
            admit = self.config.ui.unverified_id_card == "admit"
        try:
            recording = recorder.record_scan(event, admit=admit)
        except StorageDown as e:
            self._forget(event)
            self._fail(OutOfService("storage", str(e)))
            return
        except Exception as e:  # a bug in recording: out of service, never a verdict unrecorded
            self._forget(event)
            log.exception("recording a scan failed")
            self._fail(OutOfService("internal", repr(e)))
            return
        self._back_in_service()
        if recording is None:  # the journal's debounce: the same presentation
            return
        gate = recorder.gate()
        admitted = recording.admitted
        self._notify(
            ShownScan(event, recording, gate.mode, gate.direction, admitted, time.monotonic())
        )
        if admitted and self._actuator is not None and recording.event_id and gate.direction:
            self._actuator.trigger(ActionRequest(recording.event_id, gate.direction))
        if self._sync_loop is not None:
            self._sync_loop.poke()
        if self._site is not None:
            self._site.poke()

    def anchor(self) -> bytes | None:
        store = self._store
        return store.anchor if store is not None else self._anchor

    def _on_badge(self, text: str) -> None:
        """Check a technician badge and tell the listeners; every attempt is journaled."""
        if not self._badge_sightings.is_new(text, time.monotonic()):
            return
        revocations = self.trust_state().revocations
        seen, bid = read_badge(text, self.anchor(), self.data_dir, revocations, int(time.time()))
        try:
            if seen.ok:
                self.report(Action.TECHNICIAN_UNLOCK, {"method": "badge", "badge": bid},
                            operator=seen.technician)  # fmt: skip
            else:
                self.report(Action.TECHNICIAN_BADGE_REFUSED, {"why": seen.refusal},
                            operator=seen.technician)  # fmt: skip
        except Exception:
            log.exception("a badge attempt was not journaled")
            return  # journaled or not shown: an unrecorded unlock must not open the door
        if seen.ok:
            self._session_operator = seen.technician  # the rows of this session name them
        self._notify(seen)

    @property
    def operator(self) -> str:
        """Who the technician rows of the open session name: the badge holder, or
        `technician` for a PIN session."""
        return self._session_operator or TECHNICIAN

    def lock_technician(self, why: str) -> None:
        """The technician's pages closed: journal it under the session's operator, and end the
        session. Raises StorageDown (the door is shut either way)."""
        operator, self._session_operator = self.operator, None
        self.report(Action.TECHNICIAN_LOCK, {"why": why}, operator=operator)

    def _forget(self, event: ScanEvent) -> None:
        """A scan that was not recorded was not shown either: a code still held up is tried
        again on its next sighting, rather than waiting out the repeat window. (The sink runs
        on the pipeline's worker, the repeat filter's only user.)"""
        if self.pipeline is not None:
            self.pipeline.repeats.forget(event.presentation_key)

    def _fail(self, fault: OutOfService) -> None:
        """Out of service. Said once when it starts (or its reason changes), then summed up
        now and then while it lasts: a camera keeps presenting the code it was refused."""
        with self._fault_lock:
            self._outage.refused += 1
            previous, self._fault = self._fault, fault
            if previous is not None and previous.reason == fault.reason:
                if (summary := self._outage.summary(time.monotonic())) is not None:
                    log.warning("still out of service: %s: %s", fault.reason, summary)
                return
            self._outage.begin(time.monotonic())
        log.error("out of service: %s: %s", fault.reason, fault.detail)
        self._notify(fault)

    def _back_in_service(self) -> None:
        with self._fault_lock:
            ended, self._fault = self._fault, None
            words = self._outage.end(time.monotonic()) if ended is not None else None
        if words is not None:
            log.warning("back in service after %s", words)

    def _on_source_state(self, state: SourceState) -> None:
        previous = self._source_msg.state
        error = str(self.source.error) if self.source and self.source.error else None
        self._set_source(str(state), error)
        if self.choice.spec.kind == "camera":
            if state is SourceState.LOST:
                self.report(Action.CAMERA_LOST, {"source": str(self.choice.spec)})
            elif state is SourceState.LIVE and previous in ("lost", "reopening"):
                self.report(Action.CAMERA_RECOVERED, {"source": str(self.choice.spec)})

    def _set_source(self, state: str, error: str | None) -> None:
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
        if action is Action.TECHNICIAN_UNLOCK and detail.get("method") == "pin":
            self._session_operator = None  # a PIN session names no badge holder

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

    # --- sync ---

    def _on_sync_report(self, report: RoundReport) -> None:
        from kiosk.core.sync.journal_rows import record_round

        try:
            record_round(report, self.report)
        except Exception:  # the round's own result stands; the journal says why elsewhere
            log.exception("could not journal the sync round")
        self.note_trust_freshness()
        if report.ok:
            self._sync_state, self._sync_error, self._last_sync = "ok", None, time.time()
        else:
            self._sync_state = "failing"
            self._sync_error = "; ".join(str(e) for e in report.errors)[:300]

    # --- status ---

    def status(self) -> StatusSnapshot:
        recorder = self.recorder
        now = time.time()
        storage = recorder.storage_problem() if recorder is not None else None
        fault = self._fault
        if storage is None and fault is not None and fault.reason == "storage":
            # The probe wrote again: back in service now, not only after the next scan.
            self._back_in_service()
            fault = None
        stats = self.pipeline.stats if self.pipeline is not None else None
        space = recorder.space() if recorder is not None else None
        out, detail = (None, "")
        if storage is not None:
            out, detail = "storage", storage
        elif fault is not None:
            out, detail = fault.reason, fault.detail
        return StatusSnapshot(
            wall_time=now,
            kiosk_name=self.config.kiosk.name,
            mode=self.mode,
            source=self._source_msg,
            trust=trust_summary(
                self.trust_state(),
                self.policy,
                now,
                self._fixed_trust is not None and self.choice.demo,
                dict(self._store.unreadable) if self._store is not None else None,
            ),
            gate=recorder.gate() if recorder is not None else _empty_gate(self.config),
            backlog=recorder.backlog() if recorder is not None else None,
            sync_state=self._sync_state,
            last_sync=self._last_sync,
            sync_error=self._sync_error,
            out_of_service=out,
            out_of_service_detail=detail,
            storage_space=str(space.level) if space else "unknown",
            disk_free_bytes=space.free_bytes if space else None,
            notes=tuple(
                p for p in (self.anchor_problem, self.trust_problem, self.gate_problem) if p
            ),
            frames_in=stats.frames_in if stats else 0,
            frames_decoded=stats.frames_decoded if stats else 0,
            events=(stats.events if stats else 0) + self._read_while_paused,
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
