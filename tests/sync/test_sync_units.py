"""The small parts: error mapping, Retry-After, backoff and its persisted state."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import requests
import urllib3.exceptions
from hypothesis import given, settings
from hypothesis import strategies as st

from portal_sync.answers import MalformedAnswer, check_encoding, check_length, parse_json
from portal_sync.errors import (
    EnrolmentRefused,
    Rejected,
    SyncError,
    Transient,
    Unauthorised,
    parse_retry_after,
)
from portal_sync.http_errors import check_response, mapped
from portal_sync.state import BACKOFF_CAP_S, SyncState, backoff_delay


def _response(
    status: int, body: bytes = b"", headers: dict[str, str] | None = None
) -> requests.Response:
    r = requests.Response()
    r.status_code = status
    r._content = body
    r.headers.update(headers or {})
    return r


@pytest.mark.parametrize(
    ("status", "body", "cls", "code"),
    [
        (500, b"", Transient, "http_error"),
        (503, b'{"error": "busy"}', Transient, "busy"),
        (429, b"", Transient, "http_error"),
        (401, b'{"error": "bad_signature"}', Unauthorised, "bad_signature"),
        (401, b'{"error": "stale_created"}', Transient, "stale_created"),
        (403, b'{"error": "device_revoked"}', Unauthorised, "device_revoked"),
        (403, b'{"error": "enrolment_code_expired"}', EnrolmentRefused, "enrolment_code_expired"),
        (400, b'{"error": "bad_batch"}', Rejected, "bad_batch"),
        (409, b"<html>proxy page</html>", Rejected, "http_error"),
    ],
)
def test_statuses_map_into_the_tree(
    status: int, body: bytes, cls: type[SyncError], code: str
) -> None:
    with pytest.raises(cls) as raised:
        check_response(_response(status, body))
    assert type(raised.value) is cls and raised.value.code == code
    assert raised.value.status == status


def test_success_and_not_modified_pass() -> None:
    check_response(_response(200))
    check_response(_response(304))


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (requests.exceptions.ConnectTimeout("x"), "timeout"),
        (requests.exceptions.ReadTimeout("x"), "timeout"),
        (requests.exceptions.ConnectionError(ConnectionResetError(104, "reset")), "network"),
        (requests.exceptions.ChunkedEncodingError("cut"), "network"),
        (requests.exceptions.SSLError("fingerprints did not match"), "tls"),
        (urllib3.exceptions.ProtocolError("x"), "network"),
    ],
)
def test_library_errors_map_to_transient(exc: Exception, code: str) -> None:
    with pytest.raises(Transient) as raised, mapped("testing"):
        raise exc
    assert raised.value.code == code and str(raised.value).startswith("testing:")


def test_retry_after_forms() -> None:
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=lambda: 1445412470.0) == 10.0
    assert parse_retry_after("in a while") is None
    assert parse_retry_after(None) is None
    assert parse_retry_after("999999999") == 86_400.0  # capped


def test_backoff_grows_with_jitter_and_honours_retry_after() -> None:
    rng = random.Random(5)
    delays = [backoff_delay(n, None, rng) for n in range(1, 15)]
    assert 1.0 <= delays[0] <= 2.0
    assert all(d <= BACKOFF_CAP_S for d in delays)
    assert delays[-1] >= BACKOFF_CAP_S / 2
    assert 30.0 <= backoff_delay(1, 30.0, rng) <= 33.0


def test_state_round_trip_and_a_damaged_file(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    state = SyncState(etags={"trust-list": '"abc"'})
    state.record_failure(1000.0, "boom", retry_after=60.0)
    state.save(path)
    loaded = SyncState.load(path)
    assert loaded.failures == 1 and loaded.etags == {"trust-list": '"abc"'}
    assert 59 < loaded.wait_s(1001.0) <= 66
    loaded.record_success(2000.0)
    assert loaded.wait_s(2000.0) == 0 and loaded.failures == 0
    path.write_text("{broken")
    assert SyncState.load(path) == SyncState()


def test_a_clock_set_back_does_not_freeze_syncing() -> None:
    state = SyncState(not_before=10_000_000.0)
    assert state.wait_s(1000.0) == 0.0


def test_parse_json_bounds() -> None:
    assert parse_json(b'{"a": [1, -9223372036854775807, 2.5, "x", null]}') == {
        "a": [1, -9223372036854775807, 2.5, "x", None]
    }
    assert parse_json(b"[" * 32 + b"]" * 32) is not None
    for bad, why in [
        (b"[" * 33 + b"]" * 33, "nested over 32"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b"12345678901234567890", "20 digits"),
        (b"[NaN]", "NaN is not JSON"),
        (b"[-Infinity]", "-Infinity is not JSON"),
        (b"[1e400]", "out of range"),
        (b'["\xff"]', "not JSON"),
        (b"", "not JSON"),
    ]:
        with pytest.raises(MalformedAnswer, match=why):
            parse_json(bad)


JSONISH = st.text(alphabet='[]{}:,"0123456789.eE-+ntruefalsNI\\', max_size=200).map(str.encode)


@settings(max_examples=3000, deadline=None)
@given(st.binary(max_size=200) | JSONISH)
def test_parse_json_raises_nothing_but_malformed_answer(body: bytes) -> None:
    try:
        value = parse_json(body)
    except MalformedAnswer:
        return
    # What it returns is plain, finite JSON that the kiosk can safely print or send back.
    json.dumps(value, allow_nan=False)


@pytest.mark.parametrize("value", ["gzip", "br", "deflate", "identity, gzip", "x-anything"])
def test_only_the_identity_encoding_is_read(value: str) -> None:
    check_encoding(None)
    check_encoding("identity")
    check_encoding(" Identity ")
    with pytest.raises(MalformedAnswer, match="only identity"):
        check_encoding(value)


def test_a_declared_length_past_the_cap_is_refused() -> None:
    check_length(None, 10)
    check_length("10", 10)
    for bad in ("11", "-1", "1e3", "10, 10", "9" * 30):
        with pytest.raises(MalformedAnswer):
            check_length(bad, 10)


def test_a_sync_state_file_of_the_wrong_shape_starts_afresh(tmp_path: Path) -> None:
    from portal_sync.state import SyncState

    path = tmp_path / "sync-state.json"
    for text in ("[1, 2]", "7", '{"failures": "x"}', '{"etags": []}'):
        path.write_text(text, encoding="utf-8")
        assert SyncState.load(path) == SyncState(), text  # never a crash at start
