"""Keyboard-wedge scanners: telling a scanner's burst of keys from a person typing.

A handheld scanner in keyboard mode "types" the QR text a key every few milliseconds (7–16 ms
measured) and ends it with Enter; a person types a key every 100 ms or more. The detector sees
each key with its time and decides, when Enter arrives, whether the keys before it were a burst.
A gap longer than `max_gap_ms` starts a new run, so a person's keys never join a scan and a scan
never carries a person's stray keys in front of it. Qt feeds it (kiosk/ui/wedge_filter.py); the
logic stays here so it is tested without a screen.
"""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass, field

ENTER = "\r"


@dataclass(frozen=True, slots=True)
class WedgeSettings:
    max_gap_ms: float = 60.0  # a longer pause between keys: not the same burst
    max_median_gap_ms: float = 30.0  # a scanner's typical gap; people are far slower
    min_chars: int = 4  # shorter bursts are key chords, not codes
    max_chars: int = 4096


@dataclass
class WedgeDetector:
    """Feed every printable key and every Enter; `key` returns the scanned text on a burst."""

    settings: WedgeSettings = field(default_factory=WedgeSettings)
    _chars: list[str] = field(default_factory=list)
    _times: list[float] = field(default_factory=list)

    def key(self, text: str, t_ms: float) -> str | None:
        """One key (its text, or ENTER) at `t_ms` (any monotonic milliseconds).

        Returns the burst's text when this Enter ends a scanner burst, else None.
        """
        s = self.settings
        if self._times and not 0 <= t_ms - self._times[-1] <= s.max_gap_ms:
            self.reset()  # a pause, or a clock that went back (a window system's wraps)
        if text == ENTER:
            scanned = self._burst(t_ms)
            self.reset()
            return scanned
        if len(self._chars) < s.max_chars:
            self._chars.append(text)
            self._times.append(t_ms)
        return None

    @property
    def pending(self) -> int:
        """Keys held in the current run (the filter swallows none of them)."""
        return len(self._chars)

    def reset(self) -> None:
        self._chars.clear()
        self._times.clear()

    def _burst(self, enter_ms: float) -> str | None:
        s = self.settings
        if len(self._chars) < s.min_chars:
            return None
        times = [*self._times, enter_ms]
        gaps = [b - a for a, b in itertools.pairwise(times)]
        if statistics.median(gaps) > s.max_median_gap_ms:
            return None
        return "".join(self._chars)
