"""The demo source: the built-in demo codes shown to the "camera" in turn, no hardware needed.

Each code appears on a phone-like card for `hold_s`, then the card is taken away for `gap_s`
(so the same code shown again on the next round is a new presentation), round after round.
Every frame says DEMO in its corner and the source is named `demo`, so nothing it produces can
pass for a real scan. QR images are made here with segno from the texts in kiosk/core/demo.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence

import cv2
import numpy as np
import segno

from kiosk.core.demo_data import load_demo
from kiosk.core.sources.base import Frame, SourceKind
from kiosk.core.sources.files import _hold_count, _PacedSource

log = logging.getLogger(__name__)

FRAME_SIZE = (1280, 720)  # width, height: a 720p camera
_BACKGROUND = 96  # a grey room
_CARD = 245  # a bright phone screen


def render_qr(text: str, *, scale: int = 6, border: int = 4) -> Frame:
    """A QR code as 8-bit grey pixels, dark modules 0 on 255. Byte mode UTF-8 (no ECI) for
    non-ASCII text, as the ID-card QR is written; segno picks alphanumeric mode for CDS1 texts."""
    qr = segno.make_qr(text, error="m", encoding=None if text.isascii() else "utf-8")
    modules = np.array([list(row) for row in qr.matrix], dtype=bool)
    modules = np.pad(modules, border, constant_values=False)
    image = np.where(modules, 0, 255).astype(np.uint8)
    return np.repeat(np.repeat(image, scale, axis=0), scale, axis=1)


def _label(frame: Frame, text: str, org: tuple[int, int], scale: float) -> None:
    cv2.putText(frame, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 255), 2, cv2.LINE_AA)


def demo_frame(text: str | None, caption: str, size: tuple[int, int] = FRAME_SIZE) -> Frame:
    """A BGR frame: the code on a card in the middle (none when text is None), marked DEMO."""
    width, height = size
    frame = np.full((height, width, 3), _BACKGROUND, dtype=np.uint8)
    if text is not None:
        qr = render_qr(text)
        side = min(height - 80, qr.shape[0])
        if qr.shape[0] > side:
            qr = cv2.resize(qr, (side, side), interpolation=cv2.INTER_AREA)
        top, left = (height - side) // 2, (width - side) // 2
        pad = 24
        frame[top - pad : top + side + pad, left - pad : left + side + pad] = _CARD
        frame[top : top + side, left : left + side] = qr[:, :, None]
    _label(frame, "DEMO", (24, 48), 1.4)
    _label(frame, caption, (24, height - 24), 0.8)
    return frame


class DemoSource(_PacedSource):
    """`demo`: the demo codes (valid, expired, revoked, forged, ID card, URL), round after round."""

    def __init__(
        self,
        *,
        fps: float,
        hold_s: float,
        gap_s: float,
        rounds: int = 0,  # 0: until closed
        codes: Sequence[tuple[str, str]] | None = None,  # (caption, text); default: built-in
    ) -> None:
        super().__init__("demo", fps, SourceKind.DEMO)
        self.hold = _hold_count(hold_s, fps)
        self.gap = round(gap_s * fps)
        self.rounds = rounds
        self._codes = codes
        self._cards: list[Frame] = []
        self._blank: Frame | None = None

    def _open(self) -> None:
        codes = self._codes
        if codes is None:  # no caption: the screen says in its own language what this is
            codes = [("", c.text) for c in load_demo().codes]
        self._cards = [demo_frame(text, caption) for caption, text in codes]
        self._blank = demo_frame(None, "")
        log.warning("demo source: built-in demo codes, not a camera; nothing it shows is real")

    def _frames(self) -> Iterator[Frame]:
        assert self._blank is not None
        done = 0
        while self.rounds == 0 or done < self.rounds:
            for card in self._cards:
                yield from [card] * self.hold
                yield from [self._blank] * self.gap
            done += 1
