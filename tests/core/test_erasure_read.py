"""The erasure-aware read: the symbol layout against segno's encoder, glare read as erasures,
and never a wrong text from a symbol damaged past what its check symbols can correct."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import reedsolo
import segno

from kiosk.core.decode import qr_layout
from kiosk.core.decode.backends import LocatedSymbol, zxing_scan
from kiosk.core.decode.decoder import Decoder
from kiosk.core.decode.erasure_read import read_with_erasures

CREDENTIAL = (
    "CDS1:6BFOXN*TS0BI$ZDFRH0YSQ-KFHZ5C9V11D2VFQJ5:Q5OHQG4RR8XZDMKW6+TS2I8.:M6BVZE4FP$7*4-93A%D9"
    "ZC8D-6DKQ8SBWEC*O4UH56Z77:6O1G34N*EC:3J.6QS7NCF.90J10FFWTWGSLK/-4389:KTIZ4I6MQLD:7BV%KM"
)
SCALE, PAD = 4, 40  # pixels a module; background round the 4-module quiet zone


def _drawn(qr: segno.QRCode, background: int = 120) -> np.ndarray:
    modules = np.array(qr.matrix, bool)
    image = np.pad(np.where(modules, 20, 235).astype(np.uint8), 4, constant_values=235)
    image = cv2.resize(image, None, fx=SCALE, fy=SCALE, interpolation=cv2.INTER_NEAREST)
    return np.pad(image, PAD, constant_values=background)


def _where(qr: segno.QRCode) -> LocatedSymbol:
    """The symbol's true place in `_drawn(qr)`, as zxing would report it."""
    n = len(qr.matrix)
    lo, hi = PAD + 4 * SCALE, PAD + (4 + n) * SCALE
    quad = np.array([[lo, lo], [hi, lo], [hi, hi], [lo, hi]], np.float32)
    return LocatedSymbol(quad, int(qr.version), str(qr.error).upper(), int(qr.mask))


def _glared(image: np.ndarray, centre: tuple[float, float], radius: float, level: int = 255):
    side = image.shape[0] - 2 * PAD
    glared = image.copy()
    at = (int(PAD + centre[0] * side), int(PAD + centre[1] * side))
    cv2.circle(glared, at, int(radius * side), level, -1)
    return glared


@pytest.mark.parametrize("version", [1, 2, 6, 7, 10, 15, 27, 40])
def test_the_layout_reads_and_redraws_what_segno_encodes(version: int) -> None:
    for level in "LMQH":
        for mask in (0, 4, 7):
            qr = segno.make_qr("KIOSK 42", version=version, error=level, mask=mask,
                               boost_error=False)  # fmt: skip
            dark = np.array(qr.matrix, bool)
            codewords = qr_layout.codewords_of(dark, version, mask)
            parts = qr_layout.blocks(version, level)
            blocks = [[0] * p.total for p in parts]
            for (b, i), word in zip(qr_layout.codeword_order(version, level), codewords,
                                    strict=True):  # fmt: skip
                blocks[b][i] = word
            for part, block in zip(parts, blocks, strict=True):
                assert reedsolo.RSCodec(part.total - part.data).check(bytearray(block))[0]
            assert (qr_layout.symbol(version, level, mask, codewords) == dark).all()


@pytest.mark.parametrize("ceiling", [255, 245])  # clipped white, or clipped and white-balanced
def test_glare_past_what_zxing_corrects_is_read_as_erasures(ceiling: int) -> None:
    """Clipped light is flat; the paper's white (235) under it has a camera's noise."""
    qr = segno.make_qr(CREDENTIAL, error="m", boost_error=False)
    noise = np.random.default_rng(4).normal(0, 2.5, _drawn(qr).shape)
    frame = np.clip(_drawn(qr) + noise, 0, 255).astype(np.uint8)
    frame = _glared(frame, (0.5, 0.45), 0.17, ceiling)
    scan = zxing_scan(frame)
    assert scan.texts == () and scan.uncorrected  # located, format read, codewords failed
    assert read_with_erasures(frame, scan.uncorrected[0]) == CREDENTIAL
    assert Decoder(budget_ms=None, remember=False).decode(frame).texts == (CREDENTIAL,)


def test_a_symbol_damaged_past_its_check_symbols_gives_no_text() -> None:
    """Glare spots and flipped modules at random, many past what the check symbols can
    correct: every read is the true text or none; some are read, so the check can fail."""
    rng = np.random.default_rng(18004)
    read = none = 0
    for trial in range(60):
        text = f"CDS1:{trial:03d}" + "".join(rng.choice(list("0123456789ABCDEF"), 120))
        qr = segno.make_qr(text, error=str(rng.choice(["l", "m", "q"])), boost_error=False)
        frame = _drawn(qr)
        for _ in range(int(rng.integers(1, 4))):
            frame = _glared(frame, tuple(rng.uniform(0.15, 0.85, 2)), rng.uniform(0.05, 0.12))
        n = len(qr.matrix)
        for r, c in rng.integers(0, n, (int(rng.integers(0, 30)), 2)):
            y, x = PAD + (4 + r) * SCALE, PAD + (4 + c) * SCALE
            frame[y : y + SCALE, x : x + SCALE] = 255 - frame[y + 1, x + 1]
        got = read_with_erasures(frame, _where(qr))
        assert got in (text, None)
        read += got == text
        none += got is None
    assert read >= 10 and none >= 10, (read, none)
