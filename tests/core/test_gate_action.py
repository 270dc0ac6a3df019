"""Gate actions against real things: a script, a loopback HTTP server, a pseudo-terminal."""

from __future__ import annotations

import json
import os
import pty
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from kiosk.core.config import load_config
from kiosk.core.gate.action import (
    MAX_QUEUED,
    ActionRequest,
    ActionResult,
    CommandAction,
    GateActuator,
    HttpAction,
    LogOnly,
    SerialAction,
    action_from_config,
)

REQUEST = ActionRequest("01JD0000000000000000000000", "entry")


def script(tmp_path: Path, body: str) -> list[str]:
    path = tmp_path / "relay.py"
    path.write_text("import sys\n" + body)
    return [sys.executable, str(path), "{event_id}", "{direction}"]


def test_command_gets_the_event_and_direction(tmp_path: Path) -> None:
    out = tmp_path / "seen"
    argv = script(tmp_path, f"open({str(out)!r}, 'w').write(' '.join(sys.argv[1:]))\n")
    result = CommandAction(argv, 5, reports_passage=False).run(REQUEST)
    assert (result.ok, result.passed, result.kind) == (True, None, "command")
    assert out.read_text() == f"{REQUEST.event_id} entry"


@pytest.mark.parametrize(
    ("body", "ok", "passed"),
    [
        ("sys.exit(0)\n", True, True),
        ("sys.exit(10)\n", True, False),
        ("sys.stderr.write('relay jammed\\n'); sys.exit(2)\n", False, False),
    ],
)
def test_command_exit_status_tells_the_passage(
    tmp_path: Path, body: str, ok: bool, passed: bool
) -> None:
    result = CommandAction(script(tmp_path, body), 5, reports_passage=True).run(REQUEST)
    assert (result.ok, result.passed) == (ok, passed)
    if not ok:
        assert "exit 2" in result.detail and "relay jammed" in result.detail


def test_command_that_hangs_times_out_as_failed(tmp_path: Path) -> None:
    argv = script(tmp_path, "import time; time.sleep(30)\n")
    start = time.monotonic()
    result = CommandAction(argv, 0.5, reports_passage=True).run(REQUEST)
    assert time.monotonic() - start < 5
    assert (result.ok, result.passed) == (False, False) and "no answer" in result.detail


def test_missing_command_is_a_failed_result(tmp_path: Path) -> None:
    result = CommandAction([str(tmp_path / "nope")], 1, reports_passage=False).run(REQUEST)
    assert not result.ok and "FileNotFoundError" in result.detail


class _Handler(BaseHTTPRequestHandler):
    answers: ClassVar[list[tuple[int, dict[str, object]]]] = []
    seen: ClassVar[list[dict[str, object]]] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        self.seen.append(json.loads(self.rfile.read(length)))
        status, body = self.answers.pop(0)
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def relay_server() -> Iterator[tuple[str, type[_Handler]]]:
    handler = type("Handler", (_Handler,), {"answers": [], "seen": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/open", handler
    server.shutdown()
    server.server_close()
    thread.join()


def test_http_action(relay_server: tuple[str, type[_Handler]]) -> None:
    url, handler = relay_server
    handler.answers += [(200, {"passed": True}), (200, {"passed": False}), (503, {})]
    action = HttpAction(url, 2, reports_passage=True)
    passed, not_passed, failed = (action.run(REQUEST) for _ in range(3))
    assert (passed.ok, passed.passed) == (True, True)
    assert (not_passed.ok, not_passed.passed) == (True, False)
    assert (failed.ok, failed.passed, failed.detail) == (False, False, "HTTP 503")
    assert handler.seen[0] == {"event_id": REQUEST.event_id, "direction": "entry"}


def test_http_action_with_nothing_listening() -> None:
    result = HttpAction("http://127.0.0.1:9/open", 1, reports_passage=False).run(REQUEST)
    assert not result.ok and result.passed is None and "ConnectionError" in result.detail


def test_serial_action_over_a_pseudo_terminal() -> None:
    controller, device = pty.openpty()
    try:
        os.set_blocking(controller, True)
        port = os.ttyname(device)
        action = SerialAction(port, "OPEN", 2, reports_passage=True)
        result: list[ActionResult] = []
        worker = threading.Thread(target=lambda: result.append(action.run(REQUEST)))
        worker.start()
        received = b""
        while not received.endswith(b"\r\n"):
            received += os.read(controller, 64)
        os.write(controller, b"PASSED\r\n")
        worker.join(5)
        assert received == b"OPEN\r\n"
        assert (result[0].ok, result[0].passed) == (True, True)
    finally:
        os.close(controller)
        os.close(device)


def test_actuator_never_blocks_and_reports_each_outcome(tmp_path: Path) -> None:
    argv = script(tmp_path, "import time; time.sleep(0.3)\n")
    done: list[tuple[ActionRequest, ActionResult]] = []
    finished = threading.Event()

    def on_done(request: ActionRequest, result: ActionResult) -> None:
        done.append((request, result))
        if len(done) == 2:
            finished.set()

    actuator = GateActuator(CommandAction(argv, 5, reports_passage=False), on_done)
    try:
        start = time.monotonic()
        assert actuator.trigger(REQUEST) and actuator.trigger(ActionRequest("E2", "exit"))
        assert time.monotonic() - start < 0.1
        assert finished.wait(10)
        assert [r.event_id for r, _ in done] == [REQUEST.event_id, "E2"]
        assert all(result.ok for _, result in done)
    finally:
        actuator.close()


def test_closing_behind_a_full_queue_returns_and_journals_what_waited(tmp_path: Path) -> None:
    """A stuck gate with a full queue: close waits only for the action under way."""
    release, started = tmp_path / "release", tmp_path / "started"
    argv = script(tmp_path, f"import os, time\nopen({str(started)!r}, 'a').close()\n"
                  f"while not os.path.exists({str(release)!r}): time.sleep(0.02)\n")  # fmt: skip
    done: list[tuple[ActionRequest, ActionResult]] = []
    action = CommandAction(argv, 30, reports_passage=False)
    actuator = GateActuator(action, lambda q, r: done.append((q, r)))
    assert actuator.trigger(ActionRequest("E0", "entry"))
    deadline = time.monotonic() + 10
    while not started.exists() and time.monotonic() < deadline:  # the first is under way
        time.sleep(0.02)
    queued = [ActionRequest(f"E{n}", "entry") for n in range(1, MAX_QUEUED + 1)]
    assert all(actuator.trigger(r) for r in queued)  # the queue full behind it
    assert not actuator.trigger(ActionRequest("late", "entry"))
    closer = threading.Thread(target=actuator.close, kwargs={"timeout": 30})
    began = time.monotonic()
    closer.start()
    time.sleep(0.3)
    release.touch()  # the action under way ends
    closer.join(10)
    assert not closer.is_alive() and time.monotonic() - began < 10
    details = {request.event_id: result.detail for request, result in done}
    assert len(done) == MAX_QUEUED + 2  # every scan's outcome, none lost, none run twice
    assert details["late"] == "gate action busy"
    assert sum(d == "kiosk stopping" for d in details.values()) == MAX_QUEUED
    assert [r.ok for q, r in done if q.event_id == "E0"] == [True]


def test_config_chooses_the_action(tmp_path: Path) -> None:
    assert isinstance(action_from_config(load_config(None)), LogOnly)  # the safe default
    path = tmp_path / "k.toml"
    path.write_text('[gate]\naction = "command"\n')
    with pytest.raises(ValueError, match=r"gate\.command is empty"):
        action_from_config(load_config(path))
    path.write_text('[gate]\naction = "http"\nhttp_url = "ftp://x"\n')
    with pytest.raises(ValueError, match=r"gate\.http_url"):
        action_from_config(load_config(path))
