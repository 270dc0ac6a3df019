"""What every source shares: the capture it hands on, its state, its errors, its thread.

A source is a device or file that produces captures: camera frames or scanner texts, each with
the wall time and monotonic time at which it was captured. It pushes each capture to a
`deliver` callable that must not block (the pipeline's `submit`), from a thread of its own, so
a slow consumer never stalls the device and a stalled device never freezes the consumer.

    SourceError            a source cannot be opened or read: the message says which and why
     └─ SpecError          a SPEC string that names no known source
"""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

Frame = np.ndarray
log = logging.getLogger(__name__)

# How long close() waits for a source's thread. A device read that never returns must not
# hang shutdown: the thread is a daemon and is left behind with a warning.
JOIN_TIMEOUT_S = 3.0


class SourceError(Exception):
    """The source cannot be opened or read."""


class SpecError(SourceError, ValueError):
    """Not a source SPEC."""


class SourceState(StrEnum):
    STARTING = "starting"
    LIVE = "live"  # delivering
    LOST = "lost"  # a device stopped delivering (unplugged, stalled)
    REOPENING = "reopening"  # trying to open the device again, with backoff
    ENDED = "ended"  # a file source delivered everything it holds
    FAILED = "failed"  # stopped on an error; see Source.error
    CLOSED = "closed"


class SourceKind(StrEnum):
    """As in ScanEvent.source_kind."""

    CAMERA = "camera"
    SCANNER = "scanner"
    FILE = "file"
    DEMO = "demo"


@dataclass(frozen=True, slots=True, eq=False)
class Capture:
    """One frame or one scanned text, stamped when it was captured. Exactly one of frame/text."""

    source: str  # the SPEC it came from: "camera:0", "serial:/dev/ttyACM0", "demo"
    source_kind: SourceKind
    wall_time: float  # time.time() at capture
    monotonic_time: float  # time.monotonic() at capture: latency and repeat windows
    frame: Frame | None = None
    text: str | None = None


Deliver = Callable[[Capture], None]
StateListener = Callable[[SourceState], None]


class Source(ABC):
    """A device or file that pushes captures from its own thread.

    `start(deliver)` opens the device in the caller's thread, raising SourceError when it cannot
    (a missing file or device is a clear error at once, never a wait), then delivers from a
    thread until the source ends, fails or is closed. `close()` is idempotent and joins.
    """

    def __init__(self, name: str, kind: SourceKind) -> None:
        self.name = name
        self.kind = kind
        self.error: SourceError | None = None
        self._state = SourceState.STARTING
        self._state_lock = threading.Lock()
        self._listener: StateListener | None = None
        self._deliver: Deliver | None = None
        self._stop = threading.Event()
        self._done = threading.Event()  # set when the thread has stopped, for whatever reason
        self._thread: threading.Thread | None = None

    @property
    def state(self) -> SourceState:
        return self._state

    @property
    def finished(self) -> bool:
        """The source delivers nothing more: ended, failed or closed."""
        return self._done.is_set()

    def wait_finished(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)

    def start(self, deliver: Deliver, on_state: StateListener | None = None) -> None:
        if self._thread is not None:
            raise RuntimeError(f"{self.name}: already started")
        self._deliver, self._listener = deliver, on_state
        self._open()
        self._thread = threading.Thread(target=self._main, name=f"source {self.name}", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(JOIN_TIMEOUT_S)
            if thread.is_alive():
                log.warning("%s: its thread did not stop within %.0f s", self.name, JOIN_TIMEOUT_S)
        self._release()
        if self._state not in (SourceState.ENDED, SourceState.FAILED):
            self._set_state(SourceState.CLOSED)
        self._done.set()

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- for subclasses ---

    @abstractmethod
    def _open(self) -> None:
        """Open the device or file; raise SourceError naming the problem."""

    @abstractmethod
    def _run(self) -> None:
        """Deliver until the end or until self._stop is set. Raise SourceError on failure."""

    def _release(self) -> None:  # noqa: B027 (a hook; most sources hold nothing to free)
        """Free what _open took, if the thread has not already (called after the join)."""

    def _emit(self, capture: Capture) -> None:
        assert self._deliver is not None
        try:
            self._deliver(capture)
        except Exception:  # a consumer's bug must not kill the device thread
            log.exception("%s: the consumer failed on a capture", self.name)

    def _set_state(self, state: SourceState) -> None:
        with self._state_lock:
            if state is self._state:
                return
            self._state = state
        log.info("%s: %s", self.name, state)
        if self._listener is not None:
            try:
                self._listener(state)
            except Exception:
                log.exception("%s: the state listener failed", self.name)

    def _main(self) -> None:
        try:
            self._run()
            if not self._stop.is_set():
                self._set_state(SourceState.ENDED)
        except SourceError as e:
            self.error = e
            log.error("%s: %s", self.name, e)
            self._set_state(SourceState.FAILED)
        except Exception as e:  # fail closed: a bug stops the source and says so
            self.error = SourceError(f"{self.name}: unexpected error: {e!r}")
            log.exception("%s: unexpected error", self.name)
            self._set_state(SourceState.FAILED)
        finally:
            self._done.set()
