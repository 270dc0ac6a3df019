"""The scan pipeline: capture → decode → verifier.check → ScanEvent → the sink.

Sources push captures with `submit`, which never blocks: a frame replaces any frame still
waiting (latest-frame-wins, so there is never a backlog of stale frames), a scanned text joins a
short queue (a text is one deliberate scan, not one frame of many). One worker thread takes the
newest frame or the oldest text and runs `process`, which tests may also call directly.

Each text is one of three things, told apart on the worker before anything else: a technician
badge (handed to `on_badge`, whatever else is going on), a scan while scanning is paused (counted,
dropped unchecked), or a scan. Which sightings are new presentations is decided by the one
debouncer, kiosk.core.repeats; the sink says whether it kept the scan (the journal committed
it), and only a kept scan starts its repeat window.

Times come from the capture (when the light or the text arrived) and from a clock passed in,
so tests drive the windows and the latency with a fake clock.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from kiosk.core.config import Config
from kiosk.core.decode.decoder import DecodeResult
from kiosk.core.events import ScanEvent
from kiosk.core.repeats import Kind, Repeats, RepeatWindows, text_digest
from kiosk.core.sources.base import Capture, Frame
from kiosk.core.technician.badge import is_badge
from verifier import PREFIX, Policy, Reason, StaleAction, TrustState, Verdict, check

log = logging.getLogger(__name__)

MAX_PENDING_TEXTS = 64  # a scanner cannot outrun this; past it the oldest text is dropped, loudly


class Clock(Protocol):
    def monotonic(self) -> float: ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()


class FrameDecoder(Protocol):
    def decode(self, frame: Frame) -> DecodeResult: ...


# Records a scan (the journal, then the screen): True when it was kept. A scan not kept was
# never shown, so the same code still in view is tried again on its next sighting.
Sink = Callable[[ScanEvent], bool]
# Checks a technician badge, journals the attempt and tells the screen.
BadgeSink = Callable[[str], None]


def policy_from_config(config: Config) -> Policy:
    return Policy(
        clock_skew_s=config.verify.clock_skew_s,
        stale_grace_s=config.verify.stale_grace_s,
        on_stale_trust_list=StaleAction(config.verify.on_stale_trust_list),
    )


def credential_key(verdict: Verdict) -> bytes | None:
    """A signed credential's identity: the hash of its cti, known once the signature verified
    (ScanEvent.credential_key). None for anything unsigned, unverified or unreadable."""
    return verdict.credential.revocation_hash if verdict.credential is not None else None


@dataclass
class PipelineStats:
    frames_in: int = 0
    frames_dropped: int = 0  # replaced by a newer frame before the worker took them
    frames_decoded: int = 0
    texts_in: int = 0
    texts_dropped: int = 0
    repeats: int = 0
    events: int = 0
    read_while_paused: int = 0  # codes read while scanning was paused (the camera meter's)
    errors: int = 0  # decoder or sink failures (logged)


def _ordered(texts: tuple[str, ...]) -> list[str]:
    """Credentials first, so two codes in one frame show the credential before a poster."""
    return sorted(dict.fromkeys(texts), key=lambda t: not t.startswith(PREFIX))


class Pipeline:
    def __init__(
        self,
        *,
        decoder: FrameDecoder,
        trust: Callable[[], TrustState],
        on_event: Sink,
        windows: RepeatWindows | None = None,
        policy: Policy | None = None,
        clock: Clock | None = None,
        on_badge: BadgeSink | None = None,
    ) -> None:
        self.decoder = decoder
        # Called on the worker, so checking a badge (COSE + Ed25519, a journal commit) never
        # runs on a caller's thread. Without one, a badge is a code like any other.
        self.on_badge = on_badge
        self.trust = trust  # read once per check, so a trust store can swap its lists live
        self.on_event = on_event
        self.policy = policy or Policy()
        self.clock = clock or SystemClock()
        self.stats = PipelineStats()
        self.repeats = Repeats(windows)
        # While a technician's pages are open nothing becomes a scan; a badge still opens them.
        self.paused = False
        self._lock = threading.Condition()
        self._frame: Capture | None = None
        self._texts: deque[Capture] = deque()
        self._busy = False
        self._closed = False
        self._thread: threading.Thread | None = None

    # --- the synchronous core ---

    def process(self, capture: Capture) -> list[ScanEvent]:
        """Decode, check and emit one capture; the events it gave. Never raises."""
        if capture.text is not None:
            texts: list[str] = [capture.text]
        elif capture.frame is not None:
            try:
                texts = _ordered(self.decoder.decode(capture.frame).texts)
            except Exception:  # a decoder bug loses this frame, never the kiosk
                self.stats.errors += 1
                log.exception("decoder failed on a frame from %s", capture.source)
                return []
            self.stats.frames_decoded += 1
        else:
            return []
        return [e for text in texts if (e := self._one(capture, text)) is not None]

    def _one(self, capture: Capture, text: str) -> ScanEvent | None:
        digest = text_digest(text)
        t = capture.monotonic_time
        if self.on_badge is not None and is_badge(text):
            self._badge(text, digest, t)
            return None
        if self.paused:  # taken out of the flow before any check
            self.stats.read_while_paused += 1
            return None
        if self.repeats.is_repeat(self.repeats.key_of(digest), t):
            self.stats.repeats += 1
            return None
        verdict = check(text, self.trust(), int(capture.wall_time), self.policy)
        key = credential_key(verdict)
        if key is not None and self.repeats.is_repeat(key, t):  # another text, same credential
            self.repeats.alias(digest, key)
            self.stats.repeats += 1
            return None
        kind = Kind.OTHER if verdict.reason is Reason.NOT_A_CREDENTIAL else Kind.CREDENTIAL
        event = ScanEvent(
            verdict=verdict,
            source=capture.source,
            source_kind=str(capture.source_kind),
            wall_time=capture.wall_time,
            monotonic_time=capture.monotonic_time,
            latency_ms=(self.clock.monotonic() - capture.monotonic_time) * 1000,
            text_digest=digest,
            credential_key=key,
        )
        self.stats.events += 1
        try:
            kept = self.on_event(event)
        except Exception:  # recorded or not is unknown: tried again on the next sighting
            kept = False
            self.stats.errors += 1
            log.exception("the event sink failed")
        if kept:
            self.repeats.remember(key or digest, t, kind, digest)
        elif key is not None:
            self.repeats.alias(digest, key)
        return event

    def _badge(self, text: str, digest: bytes, t: float) -> None:
        assert self.on_badge is not None
        if self.repeats.is_repeat(digest, t):
            return
        # Refused or not, journaled or not, it is one presentation: a badge held up is one try.
        self.repeats.remember(digest, t, Kind.BADGE)
        try:
            self.on_badge(text)
        except Exception:  # a bug there loses this badge, never the kiosk; and never a scan
            self.stats.errors += 1
            log.exception("checking a badge failed")

    # --- the threaded front ---

    def submit(self, capture: Capture) -> None:
        """Hand on a capture; returns at once, whatever the worker is doing. Thread-safe."""
        with self._lock:
            if capture.text is not None:
                self.stats.texts_in += 1
                if len(self._texts) >= MAX_PENDING_TEXTS:
                    self._texts.popleft()
                    self.stats.texts_dropped += 1
                    log.warning("scanned texts arrive faster than they are checked: one dropped")
                self._texts.append(capture)
            else:
                self.stats.frames_in += 1
                if self._frame is not None:
                    self.stats.frames_dropped += 1
                self._frame = capture
            self._lock.notify_all()

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("pipeline already started")
        self._thread = threading.Thread(target=self._work, name="scan pipeline", daemon=True)
        self._thread.start()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until nothing is pending or being processed; False on timeout."""
        with self._lock:
            return self._lock.wait_for(
                lambda: not self._busy and self._frame is None and not self._texts, timeout
            )

    def close(self, timeout: float = 5.0) -> bool:
        """Stop taking frames and wait for the scan under way; False if it is still running."""
        with self._lock:
            self._closed = True
            self._lock.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("the scan pipeline did not stop within %.0f s", timeout)
                return False
        return True

    def _take(self) -> Capture | None:
        with self._lock:
            self._busy = False
            self._lock.notify_all()
            self._lock.wait_for(
                lambda: self._closed or self._frame is not None or bool(self._texts)
            )
            if self._closed:
                return None
            self._busy = True
            if self._texts:  # a scanned text is rare and deliberate: it goes first
                return self._texts.popleft()
            capture, self._frame = self._frame, None
            return capture

    def _work(self) -> None:
        while (capture := self._take()) is not None:
            self.process(capture)
        with self._lock:
            self._busy = False
            self._lock.notify_all()
