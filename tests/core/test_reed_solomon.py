"""The block decoder against an independent codec (reedsolo, which encodes the blocks here):
every block damaged within e + 2t <= c is corrected exactly; past that, none is "corrected" into
anything but a codeword, and whatever it returns changed no more than the check symbols allow."""

from __future__ import annotations

import random

import numpy as np
import pytest
import reedsolo

from kiosk.core.decode import reed_solomon

# Check symbols a block has in QR Code versions 1-40, every level.
QR_CHECK_SYMBOLS = (7, 10, 13, 15, 16, 17, 18, 20, 22, 24, 26, 28, 30)


def _block(rng: random.Random, check: int) -> list[int]:
    data = bytearray(rng.randbytes(rng.randint(1, 255 - check)))
    return list(reedsolo.RSCodec(check, nsize=255).encode(data))


def _damaged(
    rng: random.Random, block: list[int], erasures: int, errors: int
) -> tuple[list[int], list[int]]:
    places = rng.sample(range(len(block)), erasures + errors)
    received = list(block)
    for p in places[:erasures]:
        received[p] = rng.randrange(256)  # an erased codeword's value is anything, right or not
    for p in places[erasures:]:
        received[p] ^= rng.randrange(1, 256)
    return received, places[:erasures]


@pytest.mark.parametrize("check", QR_CHECK_SYMBOLS)
def test_damage_within_capacity_is_corrected_exactly(check: int) -> None:
    rng = random.Random(check)
    for _ in range(60):
        block = _block(rng, check)
        erasures = rng.randint(0, min(check, len(block)))
        errors = rng.randint(0, min((check - erasures) // 2, len(block) - erasures))
        received, erased = _damaged(rng, block, erasures, errors)
        decoded = reed_solomon.decode(received, check, erased)
        assert decoded is not None, (erasures, errors)
        corrected, changed = decoded
        assert corrected == block
        assert set(changed) >= {p for p in range(len(block)) if received[p] != block[p]}


def test_a_clean_block_is_returned_unchanged() -> None:
    block = _block(random.Random(7), 26)
    assert reedsolo.RSCodec(26, nsize=255).check(bytearray(block))[0]
    assert reed_solomon.decode(block, 26) == (block, [])


def test_damage_past_capacity_is_refused_or_lands_on_a_codeword() -> None:
    """Beyond e + 2t <= c a decoder cannot tell; it must never hand back a non-codeword, nor
    claim more corrections than the check symbols allow (the erasure read's spare symbols rest
    on that claim)."""
    rng = random.Random(2026)
    refused = landed = 0
    for _ in range(400):
        check = rng.choice(QR_CHECK_SYMBOLS)
        block = _block(rng, check)
        erasures = rng.randint(0, min(check, len(block) - 1))
        errors = min((check - erasures) // 2 + rng.randint(1, 4), len(block) - erasures)
        received, erased = _damaged(rng, block, erasures, errors)
        decoded = reed_solomon.decode(received, check, erased)
        if decoded is None:
            refused += 1
            continue
        corrected, changed = decoded
        assert reedsolo.RSCodec(check, nsize=255).check(bytearray(corrected))[0]
        assert len(erased) + 2 * len(set(changed) - set(erased)) <= check
        assert all(corrected[p] == received[p] for p in range(len(block)) if p not in changed)
        landed += 1
    assert refused > 300 and landed > 0  # both outcomes happen, and refusal is the common one


@pytest.mark.parametrize("erasures", [[-1], [300], list(range(31))])
def test_erasures_outside_the_block_or_past_its_check_symbols_are_refused(
    erasures: list[int],
) -> None:
    block = _block(random.Random(3), 30)
    assert reed_solomon.decode(block[:100], 30, erasures) is None


def test_the_field_is_qr_codes() -> None:
    """2 generates GF(256) modulo x^8 + x^4 + x^3 + x^2 + 1, the field of ISO/IEC 18004."""
    powers = [int(reed_solomon._EXP[i]) for i in range(255)]
    assert sorted(powers) == list(range(1, 256))
    assert powers[8] == 0x1D
    assert np.array_equal(reed_solomon._EXP[255:510], reed_solomon._EXP[:255])
