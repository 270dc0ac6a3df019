"""Image retries for frames the first pass cannot read, and the crops they work on.

Each retry is a cheap image transform followed by one zxing-cpp call. Why each exists, and the
order, come from the decoder benchmark (docs/decoder.md): a blur removes sensor noise and a
phone screen's pixel grid (moiré), upscaling gives zxing's local binarizer more pixels per module,
a contrast stretch lifts codes whose contrast is under the binarizer's minimum range, and
sharpening restores edges lost to defocus.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
import zxingcpp

from kiosk.core.decode_backends import Gray, Quad


def blurred(sigma: float) -> Callable[[Gray], Gray]:
    return lambda gray: cv2.GaussianBlur(gray, (0, 0), sigma)


def resized(factor: float) -> Callable[[Gray], Gray]:
    interpolation = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
    return lambda gray: cv2.resize(gray, None, fx=factor, fy=factor, interpolation=interpolation)


def stretched(gray: Gray) -> Gray:
    """Maps the 1st..99th percentile to 0..255: for a crop holding little but the code."""
    lo, hi = np.percentile(gray, (1, 99))
    if hi - lo < 2:
        return gray
    scale = 255.0 / (hi - lo)
    return cv2.convertScaleAbs(gray, alpha=scale, beta=-lo * scale)


_CLAHE = cv2.createCLAHE(clipLimit=4.0, tileGridSize=(16, 16))


def equalized(gray: Gray) -> Gray:
    """Local histogram equalisation (CLAHE): faint codes beside dark bezels or bright glare."""
    return _CLAHE.apply(gray)


def sharpened(gray: Gray) -> Gray:
    """Unsharp mask: steeper module edges after defocus or motion blur."""
    soft = cv2.GaussianBlur(gray, (0, 0), 2.0)
    return cv2.addWeighted(gray, 2.0, soft, -1.0, 0)


@dataclass(frozen=True)
class Retry:
    """One transform, the factor by which it scales the image (to map positions back), and the
    zxing-cpp binarizer to read it with: the global one survives uneven print the local misses."""

    name: str
    transform: Callable[[Gray], Gray]
    scale: float = 1.0
    binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage


@dataclass(frozen=True)
class Crop:
    image: Gray
    x: int
    y: int


def crop_around(gray: Gray, quad: Quad, margin: float = 0.2) -> Crop | None:
    """The axis-aligned box around quad, grown by margin of its size each side; None if empty."""
    lo, hi = quad.min(0), quad.max(0)
    pad = (hi - lo).max() * margin + 4
    h, w = gray.shape
    x0, y0 = int(max(lo[0] - pad, 0)), int(max(lo[1] - pad, 0))
    x1, y1 = int(min(hi[0] + pad, w)), int(min(hi[1] + pad, h))
    if x1 - x0 < 16 or y1 - y0 < 16:
        return None
    return Crop(gray[y0:y1, x0:x1], x0, y0)
