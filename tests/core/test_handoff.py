"""Counter hand-off: payload, file drop, loopback HTTP."""

from __future__ import annotations

import http.client
import json
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.core.counter.handoff import (
    MAX_AGE_S,
    LoopbackServer,
    Refusal,
    drop_file,
    handoff_token,
    make_handoff,
    sweep_drops,
    token_path,
)
from verifier import CodeKind, Outcome, Reason, Subject, Verdict

SUBJECT = Subject("001099012345", "Nguyễn Văn An", "1990-05-17", "M")
ACCEPT = Verdict(Outcome.ACCEPT, None, CodeKind.CDS1, SUBJECT)


def test_payload_and_text() -> None:
    h = make_handoff(ACCEPT, service="water", reference="HD-42", now=1000.0)
    assert h is not None
    assert h.payload["verified"] and h.payload["id_number"] == "001099012345"
    assert h.as_text().splitlines() == ["Nguyễn Văn An", "001099012345", "1990-05-17", "water",
                                        "HD-42"]  # fmt: skip
    assert make_handoff(Verdict(Outcome.REJECT, Reason.EXPIRED, CodeKind.CDS1, SUBJECT),
                        service=None, reference=None, now=0) is None  # fmt: skip


def test_file_drop(tmp_path: Path) -> None:
    h = make_handoff(ACCEPT, service=None, reference=None, now=time.time())
    assert h is not None
    path = drop_file(tmp_path, h)
    assert json.loads(path.read_text(encoding="utf-8"))["name"] == "Nguyễn Văn An"


TOKEN = "ab" * 32


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    s = LoopbackServer(0, TOKEN)
    s.start()
    yield s
    s.close()


def _get(
    server: LoopbackServer, headers: dict[str, str], path: str = "/identity"
) -> tuple[int, bytes]:
    """A real HTTP client on loopback; `Host` and the rest exactly as given."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _offer(server: LoopbackServer) -> None:
    h = make_handoff(ACCEPT, service=None, reference=None, now=time.time())
    assert h is not None
    server.offer(h)


def _counter(server: LoopbackServer, **extra: str) -> dict[str, str]:
    """What the counter's software sends."""
    return {"Host": f"127.0.0.1:{server.port}", "Authorization": f"Bearer {TOKEN}", **extra}


def test_loopback_serves_the_token_holder_once(server: LoopbackServer) -> None:
    _offer(server)
    status, body = _get(server, _counter(server))
    assert status == 200 and json.loads(body)["dob"] == "1990-05-17"
    assert _get(server, _counter(server)) == (204, b"")
    _offer(server)
    localhost = _counter(server, Host=f"localhost:{server.port}")
    assert _get(server, localhost)[0] == 200


@pytest.mark.parametrize(
    ("change", "status", "why"),
    [
        ({"Authorization": ""}, 401, Refusal.TOKEN),  # no token
        ({"Authorization": "Bearer " + "cd" * 32}, 401, Refusal.TOKEN),  # another install's
        ({"Authorization": "Basic " + TOKEN}, 401, Refusal.TOKEN),
        ({"Host": "attacker.example"}, 421, Refusal.HOST),  # DNS rebinding: the page's own name
        ({"Host": "attacker.example:{port}"}, 421, Refusal.HOST),
        ({"Host": ""}, 421, Refusal.HOST),
        ({"Origin": "http://attacker.example"}, 403, Refusal.BROWSER),  # a page's script
        ({"Origin": "null"}, 403, Refusal.BROWSER),
        ({"Sec-Fetch-Site": "same-origin"}, 403, Refusal.BROWSER),
    ],
)
def test_anyone_but_the_counter_software_gets_nothing(
    server: LoopbackServer, change: dict[str, str], status: int, why: Refusal
) -> None:
    """The attack seen: `Host: attacker.example` with an Origin returned the name, ID number and
    date of birth. Each refused request gets an empty answer, and the hand-off stays for the
    counter's software."""
    _offer(server)
    headers = _counter(server)
    for name, value in change.items():
        if value:
            headers[name] = value.replace("{port}", str(server.port))
        else:
            headers.pop(name)
    assert _get(server, headers) == (status, b"")
    assert list(server.refused) == [why]
    assert _get(server, _counter(server))[0] == 200  # not consumed by the refused request


def test_a_refused_request_learns_nothing_from_the_path(server: LoopbackServer) -> None:
    assert _get(server, {"Host": "attacker.example"}, "/other")[0] == 421
    assert _get(server, _counter(server), "/other")[0] == 404


def test_the_token_is_made_once_and_private_whatever_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        token = handoff_token(tmp_path)
    finally:
        os.umask(previous)
    assert len(token) == 64 and handoff_token(tmp_path) == token  # kept across restarts
    assert stat.S_IMODE(token_path(tmp_path).stat().st_mode) == 0o600
    assert stat.S_IMODE(token_path(tmp_path).parent.stat().st_mode) == 0o700
    assert handoff_token(tmp_path / "other") != token  # per install
    token_path(tmp_path).write_text("guessable\n")
    with pytest.raises(ValueError, match="not a hand-off token"):
        handoff_token(tmp_path)


def test_stale_drop_files_are_swept(tmp_path: Path) -> None:
    """A file holding a name and ID number lives no longer than MAX_AGE_S."""
    old = tmp_path / "identity-1.json"
    old.write_text("{}")
    past = time.time() - MAX_AGE_S - 5
    os.utime(old, (past, past))
    fresh = tmp_path / "identity-2.json"
    fresh.write_text("{}")
    unrelated = tmp_path / "notes.txt"
    unrelated.write_text("x")
    os.utime(unrelated, (past, past))
    assert sweep_drops(tmp_path) == 1
    assert not old.exists() and fresh.exists() and unrelated.exists()
