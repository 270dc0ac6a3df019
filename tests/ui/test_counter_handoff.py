"""The counter's loopback hand-off as the app runs it: started with the install's token, so the
counter's software gets the identity and a page in a browser on the same machine does not."""

from __future__ import annotations

import http.client
import json
import socket
import time
from typing import Any

from kiosk.core.counter.handoff import handoff_token, make_handoff
from verifier import CodeKind, Outcome, Subject, Verdict


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int, headers: dict[str, str]) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", "/identity", headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_the_running_counter_serves_its_token_holder_only(make_kiosk: Any) -> None:
    port = _free_port()
    k = make_kiosk(mode="counter", overrides={"counter.handoff": "http",
                                              "counter.handoff_port": port})  # fmt: skip
    server = k.app.handoff.server
    assert server is not None and server.port == port
    subject = Subject("001099012345", "Nguyễn Văn An", "1990-05-17", "M")
    handoff = make_handoff(Verdict(Outcome.ACCEPT, None, CodeKind.CDS1, subject),
                           service=None, reference=None, now=time.time())  # fmt: skip
    k.window.handoff_made.emit(handoff)  # what the counter panel does; offered at once
    page = {"Host": f"127.0.0.1:{port}", "Origin": "http://attacker.example"}
    assert _get(port, page)[0] == 403
    assert _get(port, {"Host": f"127.0.0.1:{port}"})[0] == 401
    token = handoff_token(k.data_dir)  # what `kiosk technician handoff-token` prints
    status, body = _get(port, {"Authorization": f"Bearer {token}"})
    assert status == 200 and json.loads(body)["id_number"] == "001099012345"
