"""A hostile portal (tests/sync/hostile_server.py, a real HTTP server on loopback) against the
kiosk's real sync round: bombs, endless and dripped bodies, a black hole, JSON built to break
parsers, a shifted Date. Every round ends, by its deadlines, with `bad_response` or a timeout
named in its report, nothing escaping as an exception and nothing marked acknowledged."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from devportal.server import PortalServer
from kiosk.core.journal.records import Action
from kiosk.core.sync.journal_rows import journal_rows
from kiosk.core.sync.loop import SyncLoop
from portal_sync.answers import JSON_LIMIT, REVOCATIONS_LIMIT, TRUST_LIST_LIMIT
from portal_sync.client import PortalClient, Timeouts
from portal_sync.sync_round import RoundReport, SyncRunner
from tests.sync.conftest import JOURNAL_OWN_ROWS, Kiosk, enrol_kiosk, portal_event_ids
from tests.sync.hostile_server import Behaviour, HostileServer, deep_json

READ_S = 0.5
DEADLINE_S = 2.0
FAST = Timeouts(connect_s=1.0, read_s=READ_S, deadline_s=DEADLINE_S)
EVENTS = "/api/v1/events"
HEARTBEAT = "/api/v1/heartbeat"
DOCUMENTS = "/api/v1/documents/"


@pytest.fixture
def enrolled(tmp_path: Path) -> Iterator[tuple[PortalServer, Kiosk]]:
    """A kiosk enrolled with the real portal, holding events to send."""
    with PortalServer(tmp_path / "portal", seed="demo") as portal:
        k = enrol_kiosk(portal, portal.base_url, tmp_path / "kiosk")
        k.record(5)
        try:
            yield portal, k
        finally:
            k.client.close()
            k.journal.close()


_clients: list[PortalClient] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while _clients:
        _clients.pop().close()


def runner_for(
    kiosk: Kiosk, url: str, *, timeouts: Timeouts = FAST, round_deadline_s: float = 300.0
) -> SyncRunner:
    """The kiosk's runner, talking to `url` instead (its client closed after the test)."""
    client = PortalClient(url, timeouts=timeouts)
    _clients.append(client)
    return SyncRunner(
        client,
        kiosk.identity,
        kiosk.store,
        kiosk.journal,
        kiosk.data_dir,
        batch_size=2,
        round_deadline_s=round_deadline_s,
    )


def timed_round(runner: SyncRunner, within_s: float) -> tuple[RoundReport, float]:
    """Run a round in a thread; fail (rather than hang) if it is not over within `within_s`."""
    out: list[RoundReport | BaseException] = []

    def run() -> None:
        try:
            out.append(runner.run_round())
        except BaseException as e:  # handed to the test below
            out.append(e)

    started = time.monotonic()
    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(within_s)
    elapsed = time.monotonic() - started
    assert not t.is_alive(), f"the round was still running after {within_s} s"
    result = out[0]
    if isinstance(result, BaseException):
        raise AssertionError(f"the round raised {result!r}") from result
    return result, elapsed


def codes(report: RoundReport) -> list[str]:
    return [e.code for e in report.errors]


def assert_nothing_marked(kiosk: Kiosk) -> None:
    assert kiosk.acknowledged_ids() == set()
    assert kiosk.journal.backlog() == 5 + JOURNAL_OWN_ROWS


# --- point 1: a hostile portal cannot exhaust the kiosk ---


def test_a_gzip_bomb_is_refused_and_never_inflated(enrolled: tuple[PortalServer, Kiosk]) -> None:
    _, kiosk = enrolled
    with HostileServer(Behaviour("gzip_bomb", bomb_mib=64)) as hostile:
        report, _ = timed_round(runner_for(kiosk, hostile.base_url), 10)
        asked = [s.headers.get("accept-encoding") for s in hostile.seen]
    assert set(asked) == {"identity"}
    assert codes(report) == ["bad_response"] * 4  # both lists, the upload, the heartbeat
    assert all("gzip-encoded" in str(e) for e in report.errors)
    assert report.documents == []  # nothing reached the trust store
    assert_nothing_marked(kiosk)


@pytest.mark.parametrize("kind", ["endless", "huge_length"])
def test_a_body_past_its_cap_is_cut_off(kind: str, enrolled: tuple[PortalServer, Kiosk]) -> None:
    _, kiosk = enrolled
    with HostileServer(Behaviour(kind)) as hostile:
        report, _ = timed_round(runner_for(kiosk, hostile.base_url), 20)
        sent = {s.path: s.sent_bytes for s in hostile.seen}
    assert codes(report) == ["bad_response"] * 4
    assert all("allowed" in str(e) for e in report.errors)
    if kind == "endless":
        # Read up to each cap and no further (loopback buffers hold a few MiB more, unread).
        slack = 16 * 1024 * 1024
        assert sent[DOCUMENTS + "trust-list"] < TRUST_LIST_LIMIT + slack
        assert sent[DOCUMENTS + "revocations"] < REVOCATIONS_LIMIT + slack
        assert sent[EVENTS] < JSON_LIMIT + slack
    else:  # refused on its Content-Length, before a byte of body is read
        assert all("1,099,511,627,776 bytes" in str(e) for e in report.errors)
    assert_nothing_marked(kiosk)


@pytest.mark.parametrize("kind", ["drip", "drip_headers"])
def test_a_dripped_answer_ends_at_the_request_deadline(
    kind: str, enrolled: tuple[PortalServer, Kiosk]
) -> None:
    _, kiosk = enrolled
    # A byte every 0.2 s: the 0.5 s read timeout never fires; only the deadline can end it.
    with HostileServer(Behaviour(kind, interval_s=0.2)) as hostile:
        report, elapsed = timed_round(runner_for(kiosk, hostile.base_url), 15)
        paths = hostile.paths()
    assert codes(report) == ["deadline"]
    assert "no complete answer by the 2 s request deadline" in str(report.errors[0])
    assert DEADLINE_S <= elapsed < DEADLINE_S + 2 * READ_S + 1.0
    # The portal is not answering: the round stops asking.
    assert paths == [DOCUMENTS + "trust-list"]
    assert report.cut_short == "the portal did not answer in time"
    assert_nothing_marked(kiosk)


MALFORMED = {
    "deep-nesting": deep_json(),
    "5000-digit-int": b'{"acknowledged": [], "server_time": 1' + b"0" * 5000 + b"}",
    "20-digit-int": b'{"acknowledged": [], "server_time": 12345678901234567890}',
    "not-json": b'{"acknowledged": [',
    "nan": b'{"acknowledged": [], "server_time": NaN}',
    "huge-float": b'{"acknowledged": [], "server_time": 1e999}',
    "bad-utf8": b'{"acknowledged": ["\xff\xfe"]}',
    "wrong-type": b"[1, 2, 3]",
}


@pytest.mark.parametrize("body", MALFORMED.values(), ids=MALFORMED.keys())
def test_every_malformed_json_answer_is_bad_response(
    body: bytes, enrolled: tuple[PortalServer, Kiosk]
) -> None:
    portal, kiosk = enrolled
    routes = {EVENTS: Behaviour("answer", body=body), HEARTBEAT: Behaviour("answer", body=body)}
    with HostileServer(Behaviour("relay"), routes, upstream=("127.0.0.1", portal.port)) as hostile:
        report, _ = timed_round(runner_for(kiosk, hostile.base_url), 10)
    assert [d.status for d in report.documents] == ["installed", "installed"]  # relayed
    assert codes(report) == ["bad_response", "bad_response"]  # the upload, the heartbeat
    assert_nothing_marked(kiosk)


@pytest.mark.parametrize("body", [deep_json(), b"9" * 5000], ids=["deep-nesting", "huge-int"])
def test_a_malformed_error_answer_is_still_its_status(
    body: bytes, enrolled: tuple[PortalServer, Kiosk]
) -> None:
    _, kiosk = enrolled
    with HostileServer(Behaviour("answer", status=500, body=body)) as hostile:
        report, _ = timed_round(runner_for(kiosk, hostile.base_url), 10)
    assert {(e.code, e.status) for e in report.errors} == {("http_error", 500)}
    assert_nothing_marked(kiosk)


# --- point 5: the portal's Date does not set the signed `created` ---


def test_a_shifted_date_is_journaled_and_not_applied_to_signatures(
    enrolled: tuple[PortalServer, Kiosk],
) -> None:
    portal, kiosk = enrolled
    day = 86_400.0
    # A relay in front of the real portal sets every Date a day ahead, to collect signed
    # requests that the real portal would accept tomorrow.
    with HostileServer(
        Behaviour("relay", date_shift_s=day), upstream=("127.0.0.1", portal.port)
    ) as hostile:
        runner = runner_for(kiosk, hostile.base_url)
        report, _ = timed_round(runner, 10)
        signed = [s.headers["signature-input"] for s in hostile.seen if s.method == "POST"]
    assert signed, "the round signed nothing"
    for params in signed:
        created = int(re.search(r";created=(\d+)", params).group(1))  # type: ignore[union-attr]
        assert abs(created - time.time()) < 10, "a signature dated by the shifted Date"
    # Dated by the kiosk's own (right) clock, the requests passed the real portal.
    assert report.ok, report.summary()
    assert len(portal_event_ids(portal, kiosk.identity.device_id)) == 5 + JOURNAL_OWN_ROWS
    drift = [n for n in report.notices if n.kind == "clock_drift"]
    assert len(drift) == 1 and drift[0].detail["applied_to_signatures"] is False
    assert day - 5 < float(drift[0].detail["offset_s"]) < day + 5
    rows = [action for action, _ in journal_rows(report)]
    assert rows.count(Action.CLOCK_DRIFT) == 1


# --- issue 15, point 8: sync behaviour after faults ---


def test_a_black_hole_portal_ends_the_round_within_a_few_read_timeouts(
    enrolled: tuple[PortalServer, Kiosk],
) -> None:
    _, kiosk = enrolled
    # Accepts the connection, never answers. Before, each of the round's requests (and
    # urllib3's and the client's retries of each GET) waited out a read timeout in turn.
    with HostileServer(Behaviour("black_hole")) as hostile:
        runner = runner_for(kiosk, hostile.base_url, timeouts=Timeouts(1.0, READ_S, 30.0))
        report, elapsed = timed_round(runner, 20)
        paths = hostile.paths()
    assert codes(report) == ["timeout"]
    assert paths == [DOCUMENTS + "trust-list"]  # one read timeout, then no more requests
    assert elapsed < 2 * READ_S + 1.0
    assert report.cut_short == "the portal did not answer in time"
    assert report.next_round_in_s is not None and report.next_round_in_s > 0
    assert_nothing_marked(kiosk)


def test_a_round_has_a_deadline_of_its_own(enrolled: tuple[PortalServer, Kiosk]) -> None:
    portal, kiosk = enrolled
    kiosk.record(40)
    # Each answer comes after 0.3 s, well within the read timeout and the request deadline:
    # a slow portal, not a dead one. The round's own deadline is what ends it.
    slow = Behaviour("relay", delay_s=0.3)
    with HostileServer(slow, upstream=("127.0.0.1", portal.port)) as hostile:
        # A read timeout far from the answers' 0.3 s, so a loaded machine does not turn a slow
        # answer into a timed-out one: the round's deadline must be what ends it.
        patient = Timeouts(connect_s=1.0, read_s=2.0, deadline_s=4.0)
        runner = runner_for(kiosk, hostile.base_url, timeouts=patient, round_deadline_s=1.5)
        report, elapsed = timed_round(runner, 10)
    assert "round_deadline" in codes(report)
    assert report.cut_short == "the round's 1.5 s deadline passed"
    assert elapsed < 1.5 + 0.3 + 1.0
    assert report.upload is not None and 0 < report.upload.marked < 45 + JOURNAL_OWN_ROWS
    # What was acknowledged is on the portal; the rest waits, nothing lost or half-marked.
    on_portal = set(portal_event_ids(portal, kiosk.identity.device_id))
    assert kiosk.acknowledged_ids() <= on_portal
    assert kiosk.journal.backlog() == len(kiosk.journal_ids()) - len(kiosk.acknowledged_ids())
    # It moved events: the next round comes soon, not after a long backoff.
    assert report.next_round_in_s is not None and report.next_round_in_s <= 2.0


def test_stopping_the_loop_cuts_the_request_in_flight(
    enrolled: tuple[PortalServer, Kiosk],
) -> None:
    _, kiosk = enrolled
    # A read timeout of 30 s: before, stop() waited it out (the kiosk exited late).
    with HostileServer(Behaviour("black_hole")) as hostile:
        runner = runner_for(kiosk, hostile.base_url, timeouts=Timeouts(1.0, 30.0, 60.0))
        loop = SyncLoop(runner, interval_s=3600, close=runner.client.close)
        loop.start()
        deadline = time.monotonic() + 5
        while not hostile.seen and time.monotonic() < deadline:
            time.sleep(0.02)
        assert hostile.seen, "the loop made no request"
        started = time.monotonic()
        assert loop.stop(timeout=5.0)
        assert time.monotonic() - started < 1.0
    assert loop.last_report is not None and codes(loop.last_report) == ["stopped"]
    # Stopping is not the portal's failure: no backoff is counted for it.
    assert runner.state.failures == 0
