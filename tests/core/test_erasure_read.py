"""The erasure-aware read: the symbol layout against segno's encoder, glare read as erasures,
and never a wrong text from a symbol damaged past what its check symbols can correct."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import reedsolo
import segno

from bench.erasure_safety import drawn, glared, tally, true_place
from kiosk.core.decode import qr_layout
from kiosk.core.decode.backends import zxing_scan
from kiosk.core.decode.decoder import Decoder
from kiosk.core.decode.erasure_read import read_with_erasures, sample

CREDENTIAL = (
    "CDS1:6BFOXN*TS0BI$ZDFRH0YSQ-KFHZ5C9V11D2VFQJ5:Q5OHQG4RR8XZDMKW6+TS2I8.:M6BVZE4FP$7*4-93A%D9"
    "ZC8D-6DKQ8SBWEC*O4UH56Z77:6O1G34N*EC:3J.6QS7NCF.90J10FFWTWGSLK/-4389:KTIZ4I6MQLD:7BV%KM"
)


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
    noise = np.random.default_rng(4).normal(0, 2.5, drawn(qr).shape)
    frame = np.clip(drawn(qr) + noise, 0, 255).astype(np.uint8)
    frame = glared(frame, (0.5, 0.45), 0.17, ceiling)
    scan = zxing_scan(frame)
    assert scan.texts == () and scan.uncorrected  # located, format read, codewords failed
    taken = sample(frame, scan.uncorrected[0])
    assert taken is not None and taken.glared
    assert read_with_erasures(taken) == CREDENTIAL
    assert Decoder(budget_ms=None, remember=False).decode(frame).texts == (CREDENTIAL,)


def test_a_symbol_damaged_past_its_check_symbols_gives_no_text() -> None:
    """Glare spots and flipped modules at random, many past what the check symbols can
    correct (bench/erasure_safety.py): every read is the true text or none; some are read
    and some not, so the check can fail either way."""
    counts = tally(60)
    assert counts["wrong"] == 0
    assert counts["read"] >= 10 and counts["none"] >= 10, counts


def test_a_format_no_symbol_has_or_a_degenerate_quad_is_not_sampled() -> None:
    """zxing's report is a claim about the image: a mask, level or version outside the
    standard, or corners that enclose no area, give no sample rather than an error."""
    qr = segno.make_qr(CREDENTIAL, error="m", boost_error=False)
    frame, true = drawn(qr), true_place(qr)
    assert sample(frame, true) is not None
    for wrong in (
        replace(true, mask=8),
        replace(true, level="X"),
        replace(true, version=41),
        replace(true, quad=np.repeat(true.quad[:1], 4, axis=0)),
    ):
        assert sample(frame, wrong) is None
