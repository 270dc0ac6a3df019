"""QR decoding of still images and camera frames.

`Decoder.decode(frame)` returns the texts found in a frame and the time it took. Backends:
zxing-cpp (fast, reads UTF-8 byte mode correctly) and pyzbar (QR symbols only), tried in turn.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import zxingcpp
from pyzbar import pyzbar

Frame = np.ndarray


class ImageReadError(OSError):
    """The image file cannot be read or is not an image."""


@dataclass(frozen=True, slots=True)
class DecodeResult:
    texts: tuple[str, ...]
    ms: float


def load_gray(path: Path) -> Frame:
    """An image file as an 8-bit grayscale array. Raises ImageReadError naming the problem."""
    if not path.is_file():
        raise ImageReadError(f"{path}: no such file")
    data = np.fromfile(path, dtype=np.uint8)  # imdecode, unlike imread, accepts any path
    image = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE) if data.size else None
    if image is None:
        raise ImageReadError(f"{path}: not a readable image")
    return image


def _bytes_to_text(raw: bytes) -> str | None:
    """UTF-8 when valid, else Latin-1 (the QR default). Never a guessed Shift-JIS."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _zxing(gray: Frame) -> list[str]:
    results = zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormat.QRCode)
    return [t for r in results if r.valid and (t := _bytes_to_text(bytes(r.bytes))) is not None]


def _zbar(gray: Frame) -> list[str]:
    found = pyzbar.decode(gray, symbols=[pyzbar.ZBarSymbol.QRCODE])
    return [t for s in found if (t := _bytes_to_text(s.data)) is not None]


class Decoder:
    def decode(self, frame: Frame) -> DecodeResult:
        start = time.perf_counter()
        gray = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        texts = _zxing(gray) or _zbar(gray)
        return DecodeResult(tuple(dict.fromkeys(texts)), (time.perf_counter() - start) * 1000)
