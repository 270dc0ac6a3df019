"""Where a counter's hand-off goes (kiosk.core.counter.handoff_route): the route from the
settings in force, the loopback server started only when asked for, a file drop to the folder
set at the moment of the hand-off."""

from __future__ import annotations

import http.client
import json
import socket
import time
from pathlib import Path

from kiosk.core.config import load_config
from kiosk.core.counter.handoff import Handoff, handoff_token, make_handoff
from kiosk.core.counter.handoff_route import HandoffOutlet, Route, handoff_route, serves_loopback
from verifier import CodeKind, Outcome, Subject, Verdict

AN = Subject("001099012345", "Nguyễn Văn An", "1990-05-17", "M")


def _handoff() -> Handoff:
    made = make_handoff(Verdict(Outcome.ACCEPT, None, CodeKind.CDS1, AN),
                        service="water", reference=None, now=time.time())  # fmt: skip
    assert made is not None
    return made


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_hand_off_routes() -> None:
    assert handoff_route(load_config(overrides={}), False) is Route.CLIPBOARD
    file_without_folder = load_config(overrides={"counter.handoff": "file"})
    assert handoff_route(file_without_folder, False) is Route.UNAVAILABLE
    http = load_config(overrides={"counter.handoff": "http"})
    assert handoff_route(http, True) is Route.HTTP
    assert handoff_route(http, False) is Route.UNAVAILABLE


def test_only_a_counter_that_asks_for_http_serves_loopback(tmp_path: Path) -> None:
    gate = load_config(overrides={"kiosk.mode": "gate", "counter.handoff": "http"})
    counter_file = load_config(overrides={"kiosk.mode": "counter", "counter.handoff": "file"})
    assert not serves_loopback(gate) and not serves_loopback(counter_file)
    outlet = HandoffOutlet()
    outlet.open(gate, tmp_path)
    assert outlet.server is None and outlet.route(gate) is Route.UNAVAILABLE
    assert not (tmp_path / "handoff" / "token").exists()  # no token made for nothing
    outlet.close()


def test_an_http_counter_offers_each_hand_off_to_the_token_holder(tmp_path: Path) -> None:
    port = _free_port()
    config = load_config(overrides={"kiosk.mode": "counter", "counter.handoff": "http",
                                    "counter.handoff_port": port})  # fmt: skip
    outlet = HandoffOutlet()
    outlet.open(config, tmp_path)
    try:
        assert outlet.server is not None and outlet.route(config) is Route.HTTP
        handoff = _handoff()
        assert outlet.send(handoff, config) is None  # offered, no thread
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/identity",
                     headers={"Authorization": f"Bearer {handoff_token(tmp_path)}"})  # fmt: skip
        response = conn.getresponse()
        assert response.status == 200 and json.loads(response.read())["service"] == "water"
        conn.close()
    finally:
        outlet.close()


def test_a_busy_port_leaves_the_clipboard(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        config = load_config(overrides={"kiosk.mode": "counter", "counter.handoff": "http",
                                        "counter.handoff_port": port})  # fmt: skip
        outlet = HandoffOutlet()
        outlet.open(config, tmp_path)
    assert outlet.server is None and outlet.route(config) is Route.UNAVAILABLE
    assert outlet.send(_handoff(), config) is None
    outlet.close()


def test_a_file_drop_goes_to_the_folder_in_force_at_the_hand_off(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    outlet = HandoffOutlet()
    at_start = load_config(overrides={"kiosk.mode": "counter", "counter.handoff": "file",
                                      "counter.handoff_dir": str(first)})  # fmt: skip
    outlet.open(at_start, tmp_path)
    assert outlet.server is None and outlet.route(at_start) is Route.FILE
    saved = load_config(overrides={"kiosk.mode": "counter", "counter.handoff": "file",
                                   "counter.handoff_dir": str(second)})  # fmt: skip
    writer = outlet.send(_handoff(), saved)
    assert writer is not None
    writer.join(10)
    assert not list(first.iterdir())
    (dropped,) = second.glob("identity-*.json")
    assert json.loads(dropped.read_text(encoding="utf-8"))["name"] == AN.name
    outlet.close()


def test_the_way_out_is_the_one_opened_until_a_restart(tmp_path: Path) -> None:
    """counter.handoff waits for a restart (the settings page says so): a saved "file" does not
    start writing files, and a saved "off" does not stop them, before the kiosk restarts."""
    folder = tmp_path / "drops"
    folder.mkdir()
    off = load_config(overrides={"kiosk.mode": "counter", "counter.handoff_dir": str(folder)})
    to_file = load_config(overrides={"kiosk.mode": "counter", "counter.handoff": "file",
                                     "counter.handoff_dir": str(folder)})  # fmt: skip
    outlet = HandoffOutlet()
    outlet.open(off, tmp_path)
    assert outlet.route(to_file) is Route.CLIPBOARD and outlet.send(_handoff(), to_file) is None
    assert not list(folder.iterdir())
    outlet.close()
    reopened = HandoffOutlet()
    reopened.open(to_file, tmp_path)
    assert reopened.route(off) is Route.FILE
    reopened.close()
