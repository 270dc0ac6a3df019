"""Writes the kiosk's short verdict tones (kiosk/ui/assets/sounds/*.wav) with the standard library.

accept: two rising notes; reject: a low double buzz; caution: one mid note. 16-bit mono 22.05 kHz,
short fades so nothing clicks. Run `python scripts/make_tones.py` after changing a tone.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22_050
OUT = Path(__file__).resolve().parents[1] / "kiosk" / "ui" / "assets" / "sounds"
TONES = {
    "accept": [(880.0, 0.09), (0.0, 0.03), (1320.0, 0.14)],
    "reject": [(220.0, 0.16), (0.0, 0.06), (220.0, 0.22)],
    "caution": [(660.0, 0.25)],
}


def samples(freq: float, seconds: float, volume: float = 0.45) -> list[int]:
    n = int(RATE * seconds)
    fade = max(1, int(RATE * 0.01))
    out = []
    for i in range(n):
        envelope = min(1.0, i / fade, (n - i) / fade)
        value = math.sin(2 * math.pi * freq * i / RATE) if freq else 0.0
        if freq and freq < 300:  # a buzz: add odd harmonics so small speakers carry it
            value = (value + 0.3 * math.sin(6 * math.pi * freq * i / RATE)) / 1.3
        out.append(int(32767 * volume * envelope * value))
    return out


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, notes in TONES.items():
        data = [s for freq, secs in notes for s in samples(freq, secs)]
        with wave.open(str(OUT / f"{name}.wav"), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(RATE)
            w.writeframes(struct.pack(f"<{len(data)}h", *data))
        print(OUT / f"{name}.wav")


if __name__ == "__main__":
    main()
