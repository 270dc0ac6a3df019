"""Which sightings are new presentations: the kiosk's one debouncer.

A camera sees a code held up in 30 frames a second; a person presents it once. A sighting is a
repeat while its code is inside its window, and every sighting held in view extends the window
(it runs from the last sighting, however long the code is held up). The window depends on what
the code is:

- a credential: `scan.repeat_window_s`. One credential, not one text: a signed credential is
  known by its verified cti (its revocation hash), so another encoding of it (tag 18 or not,
  another compression) is the same presentation;
- a code that is no credential (a poster, a web link): `scan.other_quiet_s`, longer, so a far
  poster decoded now and then does not beep at each sighting;
- a technician badge: `BADGE_QUIET_S`.

A text already seen is known by its digest before any check, so a code held in view costs one
hash per frame; a new text is checked once to learn which credential it is.

A sighting counts as a presentation only once it was kept (`remember`, after the journal
committed it): a scan lost to a storage fault was never shown, so the same code still held up
is tried again on its next frame rather than waiting out the window.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import Enum

from kiosk.core.config import Config

_DIGEST_BYTES = 16
BADGE_QUIET_S = 5.0  # a badge held in view is one presentation
_MEMORY = 256  # past this many codes, those out of their window are forgotten


def text_digest(text: str) -> bytes:
    """Tells repeats apart without keeping the text (ScanEvent.text_digest)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=_DIGEST_BYTES).digest()


class Kind(Enum):
    CREDENTIAL = "credential"
    OTHER = "other"  # no credential at all
    BADGE = "badge"


@dataclass(frozen=True, slots=True)
class RepeatWindows:
    """Seconds a code stays one presentation after its last sighting, by kind."""

    repeat_window_s: float = 3.0  # a credential
    other_quiet_s: float = 10.0  # no credential at all
    badge_quiet_s: float = BADGE_QUIET_S

    @classmethod
    def from_config(cls, config: Config) -> RepeatWindows:
        return cls(config.scan.repeat_window_s, config.scan.other_quiet_s)

    def of(self, kind: Kind) -> float:
        if kind is Kind.CREDENTIAL:
            return self.repeat_window_s
        return self.other_quiet_s if kind is Kind.OTHER else self.badge_quiet_s


class Repeats:
    """Not thread-safe: the scan pipeline's worker is its one user.

    Windows are kept per presentation key (a credential's identity, or a text's digest); each
    text digest seen is remembered with the key it resolved to."""

    def __init__(self, windows: RepeatWindows | None = None) -> None:
        self.windows = windows or RepeatWindows()
        self._seen: dict[bytes, tuple[float, float]] = {}  # key -> (last seen, window)
        self._key_of: dict[bytes, bytes] = {}  # text digest -> its presentation key

    def key_of(self, digest: bytes) -> bytes:
        """The presentation key a text resolved to when last checked (its digest if new)."""
        return self._key_of.get(digest, digest)

    def is_repeat(self, key: bytes, t: float) -> bool:
        """True while the code is inside its window; a repeat extends the window to `t`.
        `t` is monotonic seconds (the capture's)."""
        entry = self._seen.get(key)
        if entry is None or t - entry[0] > entry[1]:
            return False
        self._seen[key] = (t, entry[1])
        return True

    def alias(self, digest: bytes, key: bytes) -> None:
        """A new text turned out to be a credential already known: known by it from now on."""
        if digest != key:
            self._key_of[digest] = key

    def remember(self, key: bytes, t: float, kind: Kind, digest: bytes | None = None) -> None:
        """A presentation was kept: sightings within its window from `t` are repeats."""
        self._seen[key] = (t, self.windows.of(kind))
        if digest is not None:
            self.alias(digest, key)
        if len(self._seen) > _MEMORY:  # forget what has left its window, so memory stays flat
            self._seen = {k: e for k, e in self._seen.items() if t - e[0] <= e[1]}
            self._key_of = {d: k for d, k in self._key_of.items() if k in self._seen}
