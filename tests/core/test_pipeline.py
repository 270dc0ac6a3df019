"""The scan pipeline: verdicts, the repeat window, quiet non-credentials, latest-frame-wins."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from kiosk.core.decode.decoder import Decoder, DecodeResult
from kiosk.core.demo_data import load_demo
from kiosk.core.events import ScanEvent
from kiosk.core.pipeline import Pipeline
from kiosk.core.repeats import RepeatWindows, text_digest
from kiosk.core.sources import Capture, SourceKind
from kiosk.core.sources.demo import render_qr
from tests.verifier.encodings import encodings_of
from verifier import Reason, TrustState

DEMO = load_demo()
CODES = {c.name: c for c in DEMO.codes}
TRUST = DEMO.trust_state()
NOW = float(DEMO.checked_at)  # the instant every demo verdict holds


class FakeClock:
    def __init__(self, t: float = 1000.0) -> None:
        self.t = t

    def monotonic(self) -> float:
        return self.t


class Events(list[ScanEvent]):
    """The sink: keeps every scan (as the journal does when it can write)."""

    def __call__(self, event: ScanEvent) -> bool:
        self.append(event)
        return True


def frame_with(*texts: str, size: tuple[int, int] = (960, 540)) -> np.ndarray:
    frame = np.full((size[1], size[0], 3), 180, np.uint8)
    x = 20
    for text in texts:
        qr = render_qr(text, scale=3)
        frame[20 : 20 + qr.shape[0], x : x + qr.shape[1]] = qr[:, :, None]
        x += qr.shape[1] + 20
    return frame


def capture(at: float, *, text: str | None = None, frame: np.ndarray | None = None) -> Capture:
    kind = SourceKind.SCANNER if text is not None else SourceKind.CAMERA
    source = "serial:/dev/ttyACM0" if text is not None else "camera:0"
    return Capture(source, kind, NOW + at, at, frame=frame, text=text)


def make(
    clock: FakeClock | None = None, trust: TrustState = TRUST, **settings: float
) -> tuple[Pipeline, Events]:
    events = Events()
    pipeline = Pipeline(
        decoder=Decoder(),
        trust=lambda: trust,
        on_event=events,
        windows=RepeatWindows(**settings),
        clock=clock or FakeClock(),
    )
    return pipeline, events


@pytest.mark.parametrize("code", DEMO.codes, ids=lambda c: c.name)
def test_a_frame_becomes_one_event_with_the_verdict_and_latency(code: object) -> None:
    clock = FakeClock(5.025)
    pipeline, events = make(clock)
    c = CODES[code.name]  # type: ignore[attr-defined]
    returned = pipeline.process(capture(5.0, frame=frame_with(c.text)))
    assert returned == events and len(events) == 1
    e = events[0]
    assert str(e.verdict.outcome) == c.expected_verdict
    assert (str(e.verdict.reason) if e.verdict.reason else None) == c.expected_reason
    assert (e.source, e.source_kind) == ("camera:0", "camera")
    assert e.wall_time == NOW + 5.0 and e.monotonic_time == 5.0
    assert e.latency_ms == pytest.approx(25.0)
    assert e.text_digest == text_digest(c.text)
    assert e.public_json()["latency_ms"] == 25.0


def test_a_frame_without_a_code_is_no_event() -> None:
    pipeline, events = make()
    assert pipeline.process(capture(0, frame=np.zeros((480, 640, 3), np.uint8))) == []
    assert events == [] and pipeline.stats.frames_decoded == 1


def test_the_same_code_held_in_view_is_one_event() -> None:
    pipeline, events = make(repeat_window_s=3.0)
    valid = CODES["valid"].text
    for t in (0.0, 0.5, 1.0, 2.0, 4.5, 7.0):  # never 3 s between sightings: still in view
        pipeline.process(capture(t, text=valid))
    assert len(events) == 1
    pipeline.process(capture(10.1, text=valid))  # away for 3.1 s: shown again
    assert len(events) == 2
    assert pipeline.stats.repeats == 5


def test_one_credential_in_many_texts_is_one_presentation() -> None:
    """23 re-encodings of one credential (tag, compression) are one presentation, not 23."""
    pipeline, events = make(repeat_window_s=3.0)
    texts = encodings_of(CODES["valid"].text)[:23]
    assert len(set(texts)) == 23
    for i, text in enumerate(texts):
        pipeline.process(capture(i * 0.1, text=text))
    assert len(events) == 1 and events[0].verdict.accepted
    assert pipeline.stats.repeats == 22
    key = events[0].credential_key
    assert key is not None and key == events[0].verdict.credential.revocation_hash  # type: ignore[union-attr]
    pipeline.process(capture(2.3, text=texts[5]))  # a text already seen: known without a check
    pipeline.process(capture(2.4, text=CODES["expired"].text))  # another credential: its own
    assert [e.verdict.reason for e in events] == [None, Reason.EXPIRED]
    pipeline.process(capture(6.0, text=texts[-1]))  # away for 3.6 s: shown again
    assert len(events) == 3 and events[2].credential_key == key


def test_texts_that_are_no_credential_are_known_by_their_text() -> None:
    pipeline, events = make(repeat_window_s=3.0)
    variants = encodings_of(CODES["forged"].text)[:3]  # signature fails: no verified cti
    for i, text in enumerate(variants):
        pipeline.process(capture(i * 0.1, text=text))
    assert len(events) == 3 and all(e.credential_key is None for e in events)


def test_different_codes_are_each_their_own_event() -> None:
    pipeline, events = make()
    for t, name in enumerate(["valid", "expired", "valid", "revoked", "expired"]):
        pipeline.process(capture(t * 0.1, text=CODES[name].text))
    assert [str(e.verdict.reason) for e in events] == ["None", "expired", "revoked"]


def test_a_non_credential_gives_one_event_then_is_quiet() -> None:
    pipeline, events = make(repeat_window_s=3.0, other_quiet_s=600.0)
    url = CODES["url"].text
    pipeline.process(capture(0.0, text=url))
    pipeline.process(capture(100.0, text=url))  # a poster seen now and then: quiet
    pipeline.process(capture(650.0, text=url))  # 550 s after its last sighting: still quiet
    assert len(events) == 1 and str(events[0].verdict.reason) == "not_a_credential"
    pipeline.process(capture(1251.0, text=url))  # 601 s later: one more event
    assert len(events) == 2
    # A credential is not held to the poster's long quiet.
    pipeline.process(capture(1300.0, text=CODES["valid"].text))
    pipeline.process(capture(1304.0, text=CODES["valid"].text))
    assert len(events) == 4


def test_the_trust_state_is_read_at_each_check() -> None:
    held = [TrustState()]
    events = Events()
    pipeline = Pipeline(
        decoder=Decoder(), trust=lambda: held[0], on_event=events, clock=FakeClock()
    )
    valid = CODES["valid"].text
    pipeline.process(capture(0.0, text=valid))
    held[0] = TRUST  # the trust store installs its lists
    pipeline.process(capture(10.0, text=valid))
    assert [str(e.verdict.reason) for e in events] == ["no_trust_list", "None"]
    assert events[1].verdict.accepted


def test_two_codes_in_one_frame_credential_first() -> None:
    pipeline, events = make()
    pipeline.process(capture(0.0, frame=frame_with(CODES["url"].text, CODES["valid"].text)))
    assert [str(e.verdict.outcome) for e in events] == ["accept", "reject"]


class BrokenDecoder:
    def decode(self, frame: np.ndarray) -> DecodeResult:
        raise RuntimeError("a decoder bug")


def test_a_decoder_failure_loses_the_frame_not_the_pipeline(
    caplog: pytest.LogCaptureFixture,
) -> None:
    events = Events()
    pipeline = Pipeline(decoder=BrokenDecoder(), trust=lambda: TRUST, on_event=events)
    assert pipeline.process(capture(0.0, frame=np.zeros((8, 8, 3), np.uint8))) == []
    assert pipeline.stats.errors == 1 and events == []
    assert "decoder failed" in caplog.text
    caplog.clear()  # the logged error was expected


def test_a_failing_sink_does_not_stop_the_pipeline(caplog: pytest.LogCaptureFixture) -> None:
    def sink(event: ScanEvent) -> bool:
        raise OSError("disk full")

    pipeline = Pipeline(decoder=Decoder(), trust=lambda: TRUST, on_event=sink, clock=FakeClock())
    assert len(pipeline.process(capture(0.0, text=CODES["valid"].text))) == 1
    assert len(pipeline.process(capture(0.1, text=CODES["expired"].text))) == 1
    assert pipeline.stats.errors == 2
    caplog.clear()


class GatedSink:
    """A sink that holds the worker on its first event until released, like a slow journal."""

    def __init__(self) -> None:
        self.events: list[ScanEvent] = []
        self.entered = threading.Event()
        self.release = threading.Event()

    def __call__(self, event: ScanEvent) -> bool:
        self.events.append(event)
        self.entered.set()
        assert self.release.wait(5)
        return True


def test_latest_frame_wins_and_submit_never_blocks() -> None:
    sink = GatedSink()
    pipeline = Pipeline(decoder=Decoder(), trust=lambda: TRUST, on_event=sink)
    names = ["valid", "expired", "revoked", "forged"]
    frames = {n: frame_with(CODES[n].text) for n in names}
    pipeline.start()
    try:
        pipeline.submit(capture(time.monotonic(), frame=frames["valid"]))
        assert sink.entered.wait(5)  # the worker is now held inside the sink
        started = time.perf_counter()
        for n in names[1:]:
            pipeline.submit(capture(time.monotonic(), frame=frames[n]))
        assert time.perf_counter() - started < 0.05  # the source was never held up
        sink.release.set()
        assert pipeline.wait_idle(5)
    finally:
        sink.release.set()
        pipeline.close()
    # The stale frames (expired, revoked) were replaced, never decoded; the newest was.
    assert [str(e.verdict.reason) for e in sink.events] == ["None", "bad_signature"]
    assert pipeline.stats.frames_in == 4 and pipeline.stats.frames_dropped == 2
    assert pipeline.stats.frames_decoded == 2


def test_texts_are_queued_not_replaced_and_go_before_frames() -> None:
    sink = GatedSink()
    pipeline = Pipeline(decoder=Decoder(), trust=lambda: TRUST, on_event=sink)
    pipeline.start()
    try:
        pipeline.submit(capture(time.monotonic(), text=CODES["valid"].text))
        assert sink.entered.wait(5)
        pipeline.submit(capture(time.monotonic(), frame=frame_with(CODES["forged"].text)))
        pipeline.submit(capture(time.monotonic(), text=CODES["expired"].text))
        pipeline.submit(capture(time.monotonic(), text=CODES["revoked"].text))
        sink.release.set()
        assert pipeline.wait_idle(5)
    finally:
        sink.release.set()
        pipeline.close()
    reasons = [str(e.verdict.reason) for e in sink.events]
    assert reasons == ["None", "expired", "revoked", "bad_signature"]
    assert all(e.latency_ms >= 0 for e in sink.events)


def test_close_joins_an_idle_worker() -> None:
    pipeline, _ = make()
    pipeline.start()
    assert pipeline.wait_idle(1)
    pipeline.close()
    assert pipeline._thread is not None and not pipeline._thread.is_alive()


def test_a_web_link_is_quiet_in_view_and_answered_again_after_it_came_back() -> None:
    from kiosk.core.config import load_config

    settings = RepeatWindows.from_config(load_config(overrides={}))  # the defaults
    pipeline, events = make(
        repeat_window_s=settings.repeat_window_s, other_quiet_s=settings.other_quiet_s
    )
    url = CODES["url"].text
    for i in range(600):  # held in view for a minute, seen ten times a second
        pipeline.process(capture(i * 0.1, text=url))
    assert len(events) == 1
    pipeline.process(capture(60.0 + settings.other_quiet_s + 1, text=url))  # gone, then back
    assert len(events) == 2 and str(events[1].verdict.reason) == "not_a_credential"


class Journal:
    """A sink whose storage can fail: a scan it could not keep was never shown."""

    def __init__(self) -> None:
        self.kept: list[ScanEvent] = []
        self.down = False

    def __call__(self, event: ScanEvent) -> bool:
        if not self.down:
            self.kept.append(event)
        return not self.down


def test_a_scan_the_sink_did_not_keep_is_tried_again_on_its_next_sighting() -> None:
    journal = Journal()
    pipeline = Pipeline(decoder=Decoder(), trust=lambda: TRUST, on_event=journal,
                        windows=RepeatWindows(repeat_window_s=3.0), clock=FakeClock())  # fmt: skip
    valid = CODES["valid"].text
    journal.down = True
    pipeline.process(capture(0.0, text=valid))
    pipeline.process(capture(0.2, text=valid))  # not a repeat: the first was never kept
    assert pipeline.stats.events == 2 and pipeline.stats.repeats == 0 and not journal.kept
    journal.down = False
    pipeline.process(capture(0.4, text=valid))
    pipeline.process(capture(0.6, text=valid))  # kept at 0.4: now a repeat
    assert len(journal.kept) == 1 and pipeline.stats.repeats == 1


class Badges(list[str]):
    def __call__(self, text: str) -> None:
        self.append(text)


def test_a_badge_held_in_view_is_one_presentation_until_it_leaves() -> None:
    badges, events = Badges(), Events()
    pipeline = Pipeline(decoder=Decoder(), trust=lambda: TRUST, on_event=events,
                        windows=RepeatWindows(badge_quiet_s=5.0), on_badge=badges)  # fmt: skip
    for t, text in [(100.0, "A"), (104.0, "A"), (108.5, "A"), (108.6, "B"), (114.0, "A")]:
        pipeline.process(capture(t, text=f"CDSTECH1:{text}"))
    # still in view at 104, each sighting extends the window (108.5), another badge is its
    # own presentation, away for the quiet window: shown again
    assert badges == ["CDSTECH1:A", "CDSTECH1:B", "CDSTECH1:A"]
    assert not events  # a badge is never a scan


def test_while_paused_codes_are_counted_not_checked_and_a_badge_still_opens() -> None:
    badges = Badges()
    pipeline, events = make()
    pipeline.on_badge = badges
    pipeline.paused = True
    pipeline.process(capture(0.0, text=CODES["valid"].text))
    pipeline.process(capture(0.1, text="CDSTECH1:A"))
    assert not events and badges == ["CDSTECH1:A"] and pipeline.stats.read_while_paused == 1
    pipeline.paused = False
    pipeline.process(capture(0.2, text=CODES["valid"].text))  # still in view: now a scan
    assert len(events) == 1 and events[0].verdict.accepted


def test_a_failing_badge_check_loses_the_badge_not_the_pipeline(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(text: str) -> None:
        raise RuntimeError("bug")

    pipeline, events = make()
    pipeline.on_badge = broken
    pipeline.process(capture(0.0, text="CDSTECH1:A"))
    pipeline.process(capture(0.1, text=CODES["valid"].text))
    assert pipeline.stats.errors == 1 and len(events) == 1
    caplog.clear()
