"""Verdict tones: short WAV files played by the system's player, never blocking the screen.

QtMultimedia's QSoundEffect would need PySide6-Addons (hundreds of MB more in every build) and
libpulse; a kiosk has `aplay` (alsa-utils) or `paplay` instead, and a child process cannot
crash the app when there is no sound device. Without either player the tone is skipped (a
warning once); the colour, icon and words still carry the verdict.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

log = logging.getLogger(__name__)

SOUNDS_DIR = Path(__file__).parent / "assets" / "sounds"
TONES = ("accept", "reject", "caution")
PLAYERS = (("aplay", "-q"), ("paplay",))


def find_player() -> list[str] | None:
    for name, *args in PLAYERS:
        path = shutil.which(name)
        if path:
            return [path, *args]
    return None


class TonePlayer:
    def __init__(self, enabled: bool = True, player: list[str] | None = None) -> None:
        self.enabled = enabled
        self.player = player if player is not None else find_player()
        self.played: list[str] = []  # what was asked for, for tests and the self-test page
        self._child: subprocess.Popen[bytes] | None = None
        if self.player is None:
            log.info("no aplay or paplay: verdict tones are silent")

    def play(self, tone: str) -> None:
        if tone not in TONES or not self.enabled:
            return
        self.played.append(tone)
        if not self.player:  # none found, or [] for silence (tests, screenshots)
            return
        if self._child is not None and self._child.poll() is None:
            self._child.kill()  # a new verdict cuts the old tone short
            self._child.wait()
        try:
            self._child = subprocess.Popen(
                [*self.player, str(SOUNDS_DIR / f"{tone}.wav")],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError as e:
            log.warning("cannot play %s: %s", tone, e)
            self.player = None

    def close(self) -> None:
        if self._child is not None and self._child.poll() is None:
            self._child.kill()
            self._child.wait()
