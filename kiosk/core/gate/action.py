"""What the gate does on an admitted scan: open a relay or turnstile, or only log (the default).

An action is a configured command, a line on a serial port, or an HTTP call. It runs on its own
worker thread, so a slow or failing device never delays the next scan, and its outcome is
handed back to be journaled. When the journal waits for passages (journal.turnstile), the
action's reply says whether the person went through:

- command: exit 0 = opened and passed; exit 10 = opened, not passed; anything else = failed.
  `{event_id}` and `{direction}` in its arguments are replaced.
- serial: writes the line (CR LF), then reads one reply line when passages are reported:
  `PASSED` or anything else (not passed).
- http: POSTs {"event_id", "direction"} as JSON; a 2xx answer is success, and a JSON
  {"passed": true|false} in it is the passage.

A failed action, or no reply in time, counts as not passed.
"""

from __future__ import annotations

import logging
import queue
import subprocess
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kiosk.core.config import Config

log = logging.getLogger(__name__)

EXIT_NOT_PASSED = 10
MAX_QUEUED = 16  # a gate opens for one person at a time; more than this waiting is a fault


@dataclass(frozen=True, slots=True)
class ActionRequest:
    event_id: str
    direction: str


@dataclass(frozen=True, slots=True)
class ActionResult:
    kind: str  # log | command | serial | http
    ok: bool
    passed: bool | None  # None: the action does not report passages
    detail: str  # for the journal: no personal data
    ms: float


class GateAction(ABC):
    kind = "log"

    def __init__(self, timeout_s: float, reports_passage: bool) -> None:
        self.timeout_s = timeout_s
        self.reports_passage = reports_passage

    def run(self, request: ActionRequest) -> ActionResult:
        """Never raises: a failure is a result."""
        start = time.perf_counter()
        try:
            ok, passed, detail = self._act(request)
        except Exception as e:  # a device or network failure must not stop the gate
            ok, passed, detail = False, None, f"{type(e).__name__}: {e}"
        if self.reports_passage and passed is None:
            passed = False  # no answer about the passage is "not passed", never "passed"
        if not self.reports_passage:
            passed = None
        ms = (time.perf_counter() - start) * 1000
        return ActionResult(self.kind, ok, passed, detail[:200], ms)

    @abstractmethod
    def _act(self, request: ActionRequest) -> tuple[bool, bool | None, str]: ...


class LogOnly(GateAction):
    kind = "log"

    def _act(self, request: ActionRequest) -> tuple[bool, bool | None, str]:
        return True, None, "log only"


class CommandAction(GateAction):
    kind = "command"

    def __init__(self, argv: Sequence[str], timeout_s: float, reports_passage: bool) -> None:
        if not argv:
            raise ValueError("gate.command is empty")
        super().__init__(timeout_s, reports_passage)
        self.argv = list(argv)

    def _act(self, request: ActionRequest) -> tuple[bool, bool | None, str]:
        args = [a.format(event_id=request.event_id, direction=request.direction) for a in self.argv]
        try:
            done = subprocess.run(
                args,
                capture_output=True,
                timeout=self.timeout_s,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            return False, None, f"no answer in {self.timeout_s:g} s"
        if done.returncode == 0:
            return True, True, "exit 0"
        if done.returncode == EXIT_NOT_PASSED:
            return True, False, f"exit {EXIT_NOT_PASSED}: not passed"
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        return False, None, f"exit {done.returncode} {tail[0]}".strip()


class SerialAction(GateAction):
    kind = "serial"

    def __init__(self, port: str, line: str, timeout_s: float, reports_passage: bool) -> None:
        if not port:
            raise ValueError("gate.serial_port is empty")
        super().__init__(timeout_s, reports_passage)
        self.port, self.line = port, line

    def _act(self, request: ActionRequest) -> tuple[bool, bool | None, str]:
        import serial  # pyserial: only a gate with a serial relay needs it loaded

        with serial.Serial(self.port, 9600, timeout=self.timeout_s) as link:
            link.write(self.line.encode("ascii") + b"\r\n")
            link.flush()
            if not self.reports_passage:
                return True, None, f"sent {self.line}"
            reply = link.readline().decode("ascii", "replace").strip()
        if not reply:
            return True, None, f"sent {self.line}, no reply in {self.timeout_s:g} s"
        return True, reply.upper() == "PASSED", f"reply {reply[:40]}"


class HttpAction(GateAction):
    kind = "http"

    def __init__(self, url: str, timeout_s: float, reports_passage: bool) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError("gate.http_url must be an http:// or https:// URL")
        super().__init__(timeout_s, reports_passage)
        self.url = url

    def _act(self, request: ActionRequest) -> tuple[bool, bool | None, str]:
        import requests

        body = {"event_id": request.event_id, "direction": request.direction}
        answer = requests.post(self.url, json=body, timeout=self.timeout_s)
        if not 200 <= answer.status_code < 300:
            return False, None, f"HTTP {answer.status_code}"
        passed = None
        if answer.headers.get("content-type", "").startswith("application/json"):
            value = answer.json().get("passed") if isinstance(answer.json(), dict) else None
            passed = value if isinstance(value, bool) else None
        return True, passed, f"HTTP {answer.status_code}"


def action_from_config(config: Config) -> GateAction:
    """Raises ValueError naming the setting when the chosen action is not configured."""
    kind = config.gate.action
    timeout = config.gate.timeout_s
    passages = config.journal.turnstile
    if kind == "command":
        return CommandAction(config.gate.command, timeout, passages)
    if kind == "serial":
        return SerialAction(config.gate.serial_port, config.gate.serial_line, timeout, passages)
    if kind == "http":
        return HttpAction(config.gate.http_url, timeout, passages)
    return LogOnly(timeout, passages)


Done = Callable[[ActionRequest, ActionResult], None]


class GateActuator:
    """Runs the gate action on its own thread; `trigger` never blocks the scan path."""

    def __init__(self, action: GateAction, on_done: Done) -> None:
        self.action = action
        self._on_done = on_done
        self._queue: queue.Queue[ActionRequest | None] = queue.Queue(MAX_QUEUED)
        self._closing = threading.Event()
        self._thread = threading.Thread(target=self._work, name="gate-action", daemon=True)
        self._thread.start()

    def trigger(self, request: ActionRequest) -> bool:
        """False when the action is still busy with too many earlier scans (journaled as failed)."""
        try:
            self._queue.put_nowait(request)
        except queue.Full:
            result = ActionResult(self.action.kind, False, None, "gate action busy", 0.0)
            self._report(request, result)
            return False
        return True

    def _report(self, request: ActionRequest, result: ActionResult) -> None:
        try:
            self._on_done(request, result)
        except Exception:
            log.exception("recording the gate action's outcome failed")

    def _work(self) -> None:
        while (request := self._queue.get()) is not None:
            if self._closing.is_set():  # closing: what waits is journaled as not done
                result = ActionResult(self.action.kind, False, None, "kiosk stopping", 0.0)
            else:
                result = self.action.run(request)
            self._report(request, result)

    def close(self, timeout: float = 10.0) -> bool:
        """Stop after the action under way; scans still queued are journaled as not done.
        Never waits for room in a full queue. False if the thread is still running."""
        self._closing.set()
        while True:
            try:
                self._queue.put_nowait(None)
                break
            except queue.Full:  # make room: the worker drops what is queued once closing
                try:
                    request = self._queue.get_nowait()
                except queue.Empty:
                    continue
                if request is not None:
                    failed = ActionResult(self.action.kind, False, None, "kiosk stopping", 0.0)
                    self._report(request, failed)
        self._thread.join(timeout)
        return not self._thread.is_alive()
