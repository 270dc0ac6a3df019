"""The reference portal under hostile clients (issue 11 point 12): the body limit at the server,
400 for any malformed JSON, one rate-limited answer for every refused enrolment code, private
files, and retired issuer keys listed only while what they signed can live."""

from __future__ import annotations

import json
import logging
import os
import socket
import stat
import time
from pathlib import Path

import pytest
import requests

from devportal.app import ENROL_FAILURE_BURST, MAX_BODY_BYTES, FailureLimiter
from devportal.issuer import Citizen
from devportal.server import PortalServer
from devportal.store import DB_FILE, PortalStore, now_s
from verifier.documents import parse_trust_list


def _raw_request(port: int, head: bytes, timeout_s: float) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout_s) as conn:
        conn.sendall(head)
        return conn.recv(4096)


def test_an_oversized_body_is_refused_from_its_headers(portal: PortalServer) -> None:
    """waitress buffered bodies up to its 1 GiB default before the app saw the request: a
    client announcing 9 MiB and sending nothing held the request open. Now the server answers
    413 from the headers alone."""
    head = (
        f"POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: application/json\r\nContent-Length: {MAX_BODY_BYTES + 1}\r\n\r\n"
    ).encode()
    started = time.monotonic()
    answer = _raw_request(portal.port, head, timeout_s=5)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:80]
    assert time.monotonic() - started < 3


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[" * 100_000 + b"]" * 100_000,  # past the recursion limit
        b'{"code": ' + b"9" * 5000 + b"}",  # past int's digit limit
        b'{"code": "\\ud800", "device_public_key": "00", "proof": "00"}',  # a lone surrogate
        '{"code": "ABCD"}'.encode("utf-16"),
        b"\xff\xfe\x00",
        b'"just a string"',
        b"",
    ],
    ids=["cut", "deep", "huge_int", "surrogate_code", "utf16", "bytes", "string", "empty"],
)
def test_malformed_json_on_enrol_is_a_400_not_a_traceback(
    body: bytes, portal: PortalServer, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        response = requests.post(portal.api_url + "/enrol", data=body, timeout=10)
    assert response.status_code == 400, response.text
    assert response.json()["error"] in ("bad_json", "bad_request", "bad_proof")
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


def _enrol(portal: PortalServer, code: str, **extra: str) -> requests.Response:
    from nacl.signing import SigningKey

    key = SigningKey.generate()
    body = {
        "code": code,
        "device_public_key": bytes(key.verify_key).hex(),
        "proof": key.sign(b"cds-enrol-v1:" + code.encode()).signature.hex(),
        **extra,
    }
    return requests.post(portal.api_url + "/enrol", json=body, timeout=10)


def test_a_name_that_cannot_be_stored_is_a_400(
    portal: PortalServer, caplog: pytest.LogCaptureFixture
) -> None:
    """A valid code and proof with a lone surrogate in the name reached SQLite: a 500."""
    code = portal.store.create_enrolment_code(now_s())
    with caplog.at_level(logging.ERROR):
        response = _enrol(portal, code, name="\udfff")
    assert response.status_code == 400 and response.json()["error"] == "bad_json"
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert _enrol(portal, code).status_code == 201  # the code was not spent


def test_refused_codes_get_one_answer_and_are_rate_limited(portal: PortalServer) -> None:
    """16,917 wrong codes in 10 s, with distinct answers for unknown, used and expired. Now one
    answer for all three, and after a burst of refusals the client waits (429)."""
    # A slow refill, so a loaded machine cannot earn a token back while the test runs.
    portal.app.enrol_limiter = FailureLimiter(ENROL_FAILURE_BURST, 60.0)
    used = portal.store.create_enrolment_code(now_s(), uses=1)
    assert _enrol(portal, used).status_code == 201
    expired = portal.store.create_enrolment_code(now_s() - 7200, ttl_s=3600)
    answers = [_enrol(portal, c) for c in ("AAAA-BBBB-CCCC", used, expired)]
    assert {a.status_code for a in answers} == {403}
    assert len({a.text for a in answers}) == 1  # indistinguishable
    assert answers[0].json()["error"] == "enrolment_code_refused"
    for _ in range(ENROL_FAILURE_BURST - 3):
        assert _enrol(portal, "AAAA-BBBB-CCCC").status_code == 403
    limited = _enrol(portal, "AAAA-BBBB-CCCC")
    assert limited.status_code == 429 and limited.json()["error"] == "enrolment_rate_limited"
    assert 0 < int(limited.headers["Retry-After"]) <= 60
    # While limited, even a good code waits: the limit is on the client, not the guess.
    assert _enrol(portal, portal.store.create_enrolment_code(now_s())).status_code == 429


def test_the_limiter_refills_one_failure_per_period() -> None:
    now = [0.0]
    limiter = FailureLimiter(3, 6.0, clock=lambda: now[0])
    for _ in range(3):
        assert limiter.wait_s("a") == 0
        limiter.failed("a")
    assert limiter.wait_s("a") == 6 and limiter.wait_s("b") == 0  # per client
    now[0] = 5.0
    assert limiter.wait_s("a") == 1
    now[0] = 6.0
    assert limiter.wait_s("a") == 0  # one more try
    limiter.failed("a")
    assert limiter.wait_s("a") == 6


def test_a_fleet_enrolling_with_one_code_is_not_limited(portal: PortalServer) -> None:
    code = portal.store.create_enrolment_code(now_s(), uses=50)
    assert [_enrol(portal, code).status_code for _ in range(3 * ENROL_FAILURE_BURST)] == [201] * (
        3 * ENROL_FAILURE_BURST
    )


def test_the_portal_database_is_private_whatever_the_umask(tmp_path: Path) -> None:
    """portal.db holds every private key and was created 0644."""
    old = os.umask(0o022)
    try:
        with PortalServer(tmp_path / "p", seed="demo") as server:
            requests.get(server.api_url + "/health", timeout=5)
            files = [tmp_path / "p" / n for n in (DB_FILE, DB_FILE + "-wal", DB_FILE + "-shm")]
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in files if p.exists()}
    finally:
        os.umask(old)
    assert modes[DB_FILE] == 0o600 and set(modes.values()) == {0o600}, modes
    assert stat.S_IMODE((tmp_path / "p").stat().st_mode) == 0o700
    # An existing database made readable by others is closed up again on open.
    os.chmod(tmp_path / "p" / DB_FILE, 0o644)
    PortalStore(tmp_path / "p").close()
    assert stat.S_IMODE((tmp_path / "p" / DB_FILE).stat().st_mode) == 0o600


def test_a_retired_issuer_key_is_listed_only_while_its_credentials_can_live(
    tmp_path: Path,
) -> None:
    """A rotated key stayed listed for 10 years, valid for any iat: whoever kept a copy could
    mint backdated credentials. Now its window closes at retirement, and it leaves the list
    when the last credential issued before then expires."""
    start = now_s()
    store = PortalStore(tmp_path / "p")
    try:
        store.initialise(None, start)
        anchor = store.anchor()
        store.mint(Citizen("048090001234", "Lê Văn Bình", "1990-01-01", "M"), start, 10 * 86400)
        store.rotate_issuer(start + 60)
        listed = parse_trust_list(store.publish_trust_list(start + 5 * 86400).raw, anchor)
        old, new = sorted(listed.keys.values(), key=lambda k: k.nbf)
        assert old.exp == start + 60  # nothing it signs after retirement verifies
        assert new.exp > start + 365 * 86400
        later = parse_trust_list(store.publish_trust_list(start + 11 * 86400).raw, anchor)
        assert list(later.keys) == [new.kid]
    finally:
        store.close()


def test_admin_show_names_chain_flags(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from devportal.__main__ import main

    data = tmp_path / "p"
    store = PortalStore(data)
    store.initialise(None, now_s())
    device = store.enrol(store.create_enrolment_code(now_s()), bytes(32), "Cổng A", "", now_s())
    store.flag(device.device_id, "chain_gap", "seq 6..7 missing", now_s())
    store.close()
    assert main(["admin", "--data", str(data), "show"]) == 0
    assert "CHAIN chain_gap: seq 6..7 missing" in capsys.readouterr().out
    assert main(["admin", "--data", str(data), "show", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["devices"][0]["chain_flags"][0]["kind"] == "chain_gap"
