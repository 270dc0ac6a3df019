"""Module decisions from the equalizer trained on the symbol's own function patterns."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import segno

from kiosk.core.decode import erasure_read, module_equalizer, qr_layout
from kiosk.core.decode.backends import LocatedSymbol, zxing_scan
from kiosk.core.decode.decoder import Decoder
from tests.core.test_erasure_read import CREDENTIAL

DRAW_PX = 8  # the symbol drawn this fine, then averaged down to the camera's pixels
MARGIN_PX = 20


def _small(pixels_per_module: float, blur_px: float, seed: int) -> tuple[np.ndarray, LocatedSymbol]:
    """The credential at a camera's 1.6-2.4 px a module: drawn fine, averaged down (each
    pixel sees parts of up to four modules), blurred by the lens, with sensor noise; and
    where the symbol truly is."""
    qr = segno.make_qr(CREDENTIAL, error="m", boost_error=False)
    n = len(qr.matrix)
    ink = np.where(np.array(qr.matrix, bool), 30, 220).astype(np.float32)
    fine = cv2.resize(np.pad(ink, 4, constant_values=220), None, fx=DRAW_PX, fy=DRAW_PX,
                      interpolation=cv2.INTER_NEAREST)  # fmt: skip
    side = round(fine.shape[0] * pixels_per_module / DRAW_PX)
    image = cv2.GaussianBlur(cv2.resize(fine, (side, side), interpolation=cv2.INTER_AREA),
                             (0, 0), blur_px)  # fmt: skip
    image += np.random.default_rng(seed).normal(0, 3, image.shape).astype(np.float32)
    frame = np.pad(np.clip(image, 0, 255).astype(np.uint8), MARGIN_PX, constant_values=220)
    scale = side / fine.shape[0]
    lo, hi = MARGIN_PX + 4 * DRAW_PX * scale, MARGIN_PX + (4 + n) * DRAW_PX * scale
    quad = np.array([[lo, lo], [hi, lo], [hi, hi], [lo, hi]], np.float32)
    return frame, LocatedSymbol(quad, int(qr.version), str(qr.error).upper(), int(qr.mask))


def _data_errors(dark: np.ndarray, version: int) -> float:
    qr = segno.make_qr(CREDENTIAL, error="m", boost_error=False)
    data = ~qr_layout.function_modules(version)
    return float(np.mean((dark != np.array(qr.matrix, bool))[data]))


@pytest.mark.parametrize("seed", [0, 1])
def test_modules_a_threshold_misreads_at_two_pixels_a_module_are_decided(seed: int) -> None:
    frame, symbol = _small(1.8, 0.9, seed)
    taken = erasure_read.sample(frame, symbol)
    assert taken is not None
    modules = taken.modules
    dark, _ = module_equalizer.equalized(
        modules.contrast, modules.clipped, symbol.version, symbol.level, symbol.mask
    )
    thresholded, equalized = (
        _data_errors(modules.dark, symbol.version),
        _data_errors(dark, symbol.version),
    )
    assert thresholded > 0.02  # past what the blocks correct
    assert equalized < thresholded / 4


def test_the_decoder_reads_such_a_code_only_with_the_equalizer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """zxing-cpp locates the code and reads its format but not its codewords; the erasure
    read on thresholded modules does not correct them, on equalized ones it does."""
    frame, _ = _small(1.8, 0.9, 0)
    scan = zxing_scan(frame)
    assert scan.texts == () and scan.uncorrected
    assert Decoder(budget_ms=None, remember=False).decode(frame).texts == (CREDENTIAL,)
    monkeypatch.setattr(erasure_read, "EQUALIZE", False)
    assert Decoder(budget_ms=None, remember=False).decode(frame).texts == ()


def test_an_inverted_code_is_decided_in_its_own_terms() -> None:
    """A dark-mode code (light modules on dark): the decisions are the symbol's, not the
    image's (the fit to the known modules learns the polarity)."""
    frame, symbol = _small(2.2, 0.6, 3)
    taken = erasure_read.sample(255 - frame, symbol)
    assert taken is not None and taken.modules.inverted
    modules = taken.modules
    dark, _ = module_equalizer.equalized(
        modules.contrast, modules.clipped, symbol.version, symbol.level, symbol.mask
    )
    assert _data_errors(dark, symbol.version) < 0.01
