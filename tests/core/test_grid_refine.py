"""The located grid refined on the symbol's alignment patterns."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import segno

from bench.erasure_safety import SCALE, drawn, true_place
from kiosk.core.decode.erasure_read import read_with_erasures, sample
from kiosk.core.decode.grid_refine import refined, refined_quad
from tests.core.test_erasure_read import CREDENTIAL


def _camera(image: np.ndarray) -> np.ndarray:
    """A camera's noise: flat white at the image's ceiling would read as clipped (glare)."""
    noise = np.random.default_rng(7).normal(0, 2.5, image.shape)
    return np.clip(image + noise, 0, 255).astype(np.uint8)


def test_a_far_corner_a_module_and_a_half_out_is_put_back() -> None:
    """A perspective the finders do not see moves the far corner: on a grid that puts it 1.5
    modules out the blocks do not correct; refined on the alignment patterns they do."""
    qr = segno.make_qr(CREDENTIAL, error="m", boost_error=False)
    frame, true = _camera(drawn(qr)), true_place(qr)
    off = true.quad.copy()
    off[2] += (1.5 * SCALE, 1.0 * SCALE)  # bottom right
    assert qr.version >= 7  # six alignment patterns or more to fit to
    wrong = replace(true, quad=off)
    taken = sample(frame, wrong)
    assert taken is not None and read_with_erasures(taken) is None
    found = refined(frame, wrong)
    assert np.abs(found.quad - true.quad).max() < 0.25 * SCALE
    again = sample(frame, found)
    assert again is not None and read_with_erasures(again) == CREDENTIAL


def test_a_version_1_symbol_has_no_pattern_and_keeps_its_quad() -> None:
    qr = segno.make_qr("KIOSK", version=1, error="m", boost_error=False)
    frame, true = drawn(qr), true_place(qr)
    off = true.quad + np.float32([[0, 0], [0, 0], [3, 3], [0, 0]])
    assert (refined_quad(frame, off, 1) == off).all()


def test_a_symbol_with_its_patterns_missing_keeps_its_quad() -> None:
    """Nothing to match where the patterns should be (the whole symbol blank paper with a
    camera's noise): the quad is not moved on the strength of noise."""
    qr = segno.make_qr(CREDENTIAL, error="m", boost_error=False)
    true = true_place(qr)
    frame = _camera(np.full_like(drawn(qr), 235))
    assert (refined_quad(frame, true.quad, true.version) == true.quad).all()


def test_a_report_no_qr_code_could_make_is_passed_on_untouched() -> None:
    """zxing-cpp's report is a claim: a version past 40 (no alignment table) or corners that
    enclose nothing are not refined (which would fail) but left for the sample to refuse."""
    qr = segno.make_qr(CREDENTIAL, error="m", boost_error=False)
    frame, true = _camera(drawn(qr)), true_place(qr)
    for wrong in (replace(true, version=41), replace(true, quad=np.repeat(true.quad[:1], 4, 0))):
        assert refined(frame, wrong) is wrong
        assert sample(frame, wrong) is None
