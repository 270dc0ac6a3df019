"""What an admitted scan does at this kiosk's gate: which action runs (none at a counter, in a
self-test or on demo codes), and what it did, journaled (a turnstile's answer is the passage row).

Demo codes are signed with keys derived from public seeds: anyone can make a "valid" one, so a
demo run (asked for, or the no-camera fallback) opens nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from kiosk.core.config import Config
from kiosk.core.gate.action import ActionRequest, ActionResult, GateActuator, action_from_config
from kiosk.core.journal.records import Action
from kiosk.core.recorder import Detail, Recorder, Recording, StorageDown

log = logging.getLogger(__name__)

DEMO_GATE_OFF = "gate action off: demo"


class GateOutput:
    """The gate action wired to the journal. `on_passage` is told after a passage row commits;
    `on_storage_down` when a result could not be journaled (the scan row holds the admission)."""

    def __init__(
        self,
        recorder: Recorder,
        *,
        on_passage: Callable[[], None],
        on_storage_down: Callable[[StorageDown], None],
    ) -> None:
        self._recorder = recorder
        self._on_passage = on_passage
        self._on_storage_down = on_storage_down
        self._actuator: GateActuator | None = None
        self.problem: str | None = None  # why admitted scans open nothing, for the status

    def start(self, config: Config, *, demo: bool, scanning: bool) -> None:
        if config.kiosk.mode != "gate" or not scanning:
            return
        if demo:
            self.problem = DEMO_GATE_OFF
            log.warning("%s (admitted demo scans open nothing)", DEMO_GATE_OFF)
            return
        try:
            action = action_from_config(config)
        except ValueError as e:
            self.problem = f"gate action: {e}"
            log.error("gate action not configured: %s (admitted scans open nothing)", e)
            return
        self._actuator = GateActuator(action, self._done)

    @property
    def state(self) -> str:
        """For the app.start row: the action's kind, "off: demo" or "none"."""
        if self._actuator is not None:
            return str(self._actuator.action.kind)
        return "off: demo" if self.problem == DEMO_GATE_OFF else "none"

    def open_for(self, recording: Recording, direction: str | None) -> None:
        """A committed scan row: open the gate when the journal admitted it."""
        if self._actuator is None or not recording.admitted or not direction:
            return
        if recording.event_id:
            self._actuator.trigger(ActionRequest(recording.event_id, direction))

    def _done(self, request: ActionRequest, result: ActionResult) -> None:
        detail: Detail = {
            "scan": request.event_id,
            "kind": result.kind,
            "ok": result.ok,
            "passed": result.passed,
            "detail": result.detail,
            "ms": round(result.ms),
        }
        try:
            self._recorder.record_system(Action.GATE_ACTION, detail)
            if result.passed is not None:
                self._recorder.record_passage(request.event_id, bool(result.passed))
                self._on_passage()
        except StorageDown as e:
            self._on_storage_down(e)

    def close(self, timeout: float) -> bool:
        """After the action under way; False while it still runs."""
        return self._actuator.close(timeout) if self._actuator is not None else True
