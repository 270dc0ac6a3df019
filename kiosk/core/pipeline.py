"""The scan pipeline: capture → decode → verifier.check → ScanEvent → the sink.

Sources push captures with `submit`, which never blocks: a frame replaces any frame still
waiting (latest-frame-wins, so there is never a backlog of stale frames), a scanned text joins a
short queue (a text is one deliberate scan, not one frame of many). One worker thread takes the
newest frame or the oldest text and runs `process`, which tests may also call directly.

Repeats are policy, kept here so the sink stays a plain callable (the journal will sit in front
of the screen there): a code seen again within `repeat_window_s` of its last sighting is the
same presentation and gives no new event; a code that is no credential at all (a poster, a web
link) gives one event and is quiet while it stays in view, however long, then answered again
once it has been out of view for `other_quiet_s` (longer than the repeat window: a far poster
is decoded only now and then, and should not beep at each sighting). A repeat is one
credential, not one text: a signed credential is known by its verified cti (its revocation
hash), so another encoding of it (tag 18 or not, another compression) is the same presentation.
A text already seen is known by its digest before any check, so a code held in view costs one
hash per frame; a new text is checked once to learn which credential it is.

Times come from the capture (when the light or the text arrived) and from a clock passed in,
so tests drive the windows and the latency with a fake clock.
"""

from __future__ import annotations

import hashlib
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
from kiosk.core.sources.base import Capture, Frame
from verifier import PREFIX, Policy, Reason, StaleAction, TrustState, Verdict, check

log = logging.getLogger(__name__)

MAX_PENDING_TEXTS = 64  # a scanner cannot outrun this; past it the oldest text is dropped, loudly
_DIGEST_BYTES = 16


class Clock(Protocol):
    def monotonic(self) -> float: ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()


class FrameDecoder(Protocol):
    def decode(self, frame: Frame) -> DecodeResult: ...


Sink = Callable[[ScanEvent], None]
# Takes a text that is not a scan (a technician badge) out of the flow: True when it did.
Divert = Callable[[str], bool]


def text_digest(text: str) -> bytes:
    """Tells repeats apart without keeping the text (ScanEvent.text_digest)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=_DIGEST_BYTES).digest()


@dataclass(frozen=True, slots=True)
class ScanSettings:
    repeat_window_s: float = 3.0
    other_quiet_s: float = 10.0

    @classmethod
    def from_config(cls, config: Config) -> ScanSettings:
        return cls(config.scan.repeat_window_s, config.scan.other_quiet_s)


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


class RepeatFilter:
    """Which sightings are new presentations. Not thread-safe: the worker alone uses it.

    Windows are kept per presentation key (a credential's identity, or a text's digest); each
    text digest seen is remembered with the key it resolved to, so a text held in view needs
    no check to be known as a repeat."""

    def __init__(self, settings: ScanSettings) -> None:
        self.settings = settings
        self._seen: dict[bytes, tuple[float, float]] = {}  # key -> (last seen, window)
        self._key_of: dict[bytes, bytes] = {}  # text digest -> its presentation key

    def key_of(self, digest: bytes) -> bytes:
        """The presentation key a text resolved to when last checked (its digest if new)."""
        return self._key_of.get(digest, digest)

    def is_repeat(self, key: bytes, t: float) -> bool:
        """True when the code is still in its window; either way the sighting counts as seen."""
        entry = self._seen.get(key)
        if entry is None or t - entry[0] > entry[1]:
            return False
        self._seen[key] = (t, entry[1])  # held in view: the window runs from the last sighting
        return True

    def alias(self, digest: bytes, key: bytes) -> None:
        """A new text turned out to be a credential already in view: known by it from now on."""
        if digest != key:
            self._key_of[digest] = key

    def forget(self, key: bytes) -> None:
        """The next sighting of this code is a new presentation (its last one was not kept)."""
        self._seen.pop(key, None)

    def record(self, key: bytes, t: float, *, other: bool, digest: bytes | None = None) -> None:
        s = self.settings
        self._seen[key] = (t, s.other_quiet_s if other else s.repeat_window_s)
        if digest is not None:
            self.alias(digest, key)
        if len(self._seen) > 256:  # forget what has left its window, so memory stays flat
            self._seen = {d: e for d, e in self._seen.items() if t - e[0] <= e[1]}
            self._key_of = {d: k for d, k in self._key_of.items() if k in self._seen}


@dataclass
class PipelineStats:
    frames_in: int = 0
    frames_dropped: int = 0  # replaced by a newer frame before the worker took them
    frames_decoded: int = 0
    texts_in: int = 0
    texts_dropped: int = 0
    repeats: int = 0
    events: int = 0
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
        settings: ScanSettings | None = None,
        policy: Policy | None = None,
        clock: Clock | None = None,
        divert: Divert | None = None,
    ) -> None:
        self.decoder = decoder
        # Called on the worker for every text, scanned or decoded, so the one place that
        # recognises badges (COSE + Ed25519, a journal commit) never runs on a caller's thread.
        self.divert = divert
        self.trust = trust  # read once per check, so a trust store can swap its lists live
        self.on_event = on_event
        self.settings = settings or ScanSettings()
        self.policy = policy or Policy()
        self.clock = clock or SystemClock()
        self.stats = PipelineStats()
        self.repeats = RepeatFilter(self.settings)
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
        if self.divert is not None:
            texts = [t for t in texts if not self._diverted(t)]
        return [e for text in texts if (e := self._one(capture, text)) is not None]

    def _diverted(self, text: str) -> bool:
        assert self.divert is not None
        try:
            return self.divert(text)
        except Exception:  # a bug there loses this text, never the kiosk; and never a scan
            self.stats.errors += 1
            log.exception("diverting a text failed")
            return True

    def _one(self, capture: Capture, text: str) -> ScanEvent | None:
        digest = text_digest(text)
        t = capture.monotonic_time
        if self.repeats.is_repeat(self.repeats.key_of(digest), t):
            self.stats.repeats += 1
            return None
        verdict = check(text, self.trust(), int(capture.wall_time), self.policy)
        key = credential_key(verdict)
        if key is not None and self.repeats.is_repeat(key, t):  # another text, same credential
            self.repeats.alias(digest, key)
            self.stats.repeats += 1
            return None
        other = verdict.reason is Reason.NOT_A_CREDENTIAL
        self.repeats.record(key or digest, t, other=other, digest=digest)
        if other:
            log.debug("not a credential (from %s): one event, then quiet", capture.source)
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
            self.on_event(event)
        except Exception:
            self.stats.errors += 1
            log.exception("the event sink failed")
        return event

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
