"""Reed-Solomon decoding with errors and erasures over QR Code's field, GF(2^8) mod 0x11d.

A QR Code block is a codeword of a Reed-Solomon code with generator roots 2^0 .. 2^(c-1),
c its check symbols; the first codeword is the highest power. `decode` corrects e erasures
(codewords known to be bad) and t unknown errors whenever e + 2t <= c. The syndromes, the
search for the error locator's roots and Forney's values are numpy table lookups over the
whole block: about 0.3 ms a block, where reedsolo's pure Python took 0.7-1 ms (the erasure
read decodes several blocks a try, several tries a frame; `python -m bench.erasure_costs`).

The steps: syndromes; Berlekamp-Massey started from the erasures' locator (Blahut's
errors-and-erasures form); the locator's roots among the block's own positions (a root
outside them, or fewer roots than its degree, means more damage than the code can correct);
Forney's values; and the syndromes again of the corrected block, which must all be zero.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_PRIMITIVE = 0x11D


def _tables() -> tuple[np.ndarray, np.ndarray]:
    exp = np.zeros(512, np.int64)
    log = np.zeros(256, np.int64)
    x = 1
    for i in range(255):
        exp[i] = x
        log[x] = i
        x <<= 1
        if x & 0x100:
            x ^= _PRIMITIVE
    exp[255:510] = exp[:255]  # exp[a + b] without a modulo for a, b < 255
    return exp, log


_EXP, _LOG = _tables()
# The same tables as lists, for the scalar steps: indexing a list is several times quicker
# than indexing a numpy array one element at a time.
_EXP_LIST: list[int] = _EXP.tolist()
_LOG_LIST: list[int] = _LOG.tolist()


def _poly_mul(p: list[int], q: list[int]) -> list[int]:
    """Product of two polynomials in ascending powers."""
    exp, log = _EXP_LIST, _LOG_LIST
    out = [0] * (len(p) + len(q) - 1)
    for i, a in enumerate(p):
        if a:
            log_a = log[a]
            for j, b in enumerate(q):
                if b:
                    out[i + j] ^= exp[log_a + log[b]]
    return out


def _evaluations(coefficients: np.ndarray, powers: np.ndarray) -> np.ndarray:
    """sum_k coefficients[k] * 2^(powers[k, j]) for every column j: a polynomial evaluated at
    many points at once, XOR being the field's addition."""
    nonzero = coefficients != 0
    logs = _LOG[coefficients[nonzero]][:, None] + powers[nonzero] % 255
    return (
        np.bitwise_xor.reduce(_EXP[logs % 255], axis=0)
        if logs.size
        else np.zeros(powers.shape[1], np.int64)
    )


def _syndromes(block: np.ndarray, check_symbols: int) -> np.ndarray:
    """S_j = block(2^j), j = 0 .. check_symbols - 1; block[0] is the highest power."""
    n = len(block)
    degree = np.arange(n - 1, -1, -1)[:, None]
    return _evaluations(block, degree * np.arange(check_symbols)[None, :])


def decode(
    received: Sequence[int], check_symbols: int, erasures: Sequence[int] = ()
) -> tuple[list[int], list[int]] | None:
    """The corrected block and the positions changed, or None when the damage is past what
    check_symbols can correct with these erasures (positions into `received`)."""
    block = np.asarray(received, np.int64)
    n = len(block)
    erased = sorted(set(erasures))
    if len(erased) > check_symbols or any(not 0 <= p < n for p in erased):
        return None
    syndromes = _syndromes(block, check_symbols)
    if not syndromes.any():
        return list(received), []
    s = [int(v) for v in syndromes]
    # The erasures' locator: prod (1 + X x), X = 2^(power of the position).
    locator = [1]
    for p in erased:
        locator = _poly_mul(locator, [1, _EXP_LIST[n - 1 - p]])
    previous = list(locator)  # B(x), the locator before the last length change
    length = len(erased)
    exp, log = _EXP_LIST, _LOG_LIST  # the field's products inline: this loop is the cost
    for r in range(len(erased), check_symbols):
        discrepancy = 0
        for i in range(min(len(locator), r + 1)):
            c, v = locator[i], s[r - i]
            if c and v:
                discrepancy ^= exp[log[c] + log[v]]
        shifted = [0, *previous]
        if discrepancy == 0:
            previous = shifted
            continue
        updated = locator + [0] * (len(shifted) - len(locator))
        log_d = log[discrepancy]
        for i, c in enumerate(shifted):
            if c:
                updated[i] ^= exp[log_d + log[c]]
        if 2 * length <= r + len(erased):
            length = r + 1 + len(erased) - length
            log_scale = 255 - log_d
            previous = [exp[log[c] + log_scale] if c else 0 for c in locator]
        else:
            previous = shifted
        locator = updated
    while len(locator) > 1 and locator[-1] == 0:
        locator.pop()
    degree = len(locator) - 1
    if degree != length or 2 * (length - len(erased)) + len(erased) > check_symbols:
        return None
    # Roots among the block's positions: position p has X = 2^(n-1-p), a root at X^-1.
    powers = (n - 1) - np.arange(n)
    positions = np.flatnonzero(_at_inverses(locator, powers) == 0).tolist()
    if len(positions) != degree:
        return None
    # Forney: the value at X is X * omega(X^-1) / locator'(X^-1), omega = S(x) locator(x) mod x^c.
    omega = _poly_mul(s, locator)[:check_symbols]
    derivative = [c if i % 2 == 0 else 0 for i, c in enumerate(locator[1:])]
    found = powers[positions]  # X = 2^found
    numerators = _at_inverses(omega, found)
    denominators = _at_inverses(derivative, found)
    if not denominators.all():
        return None
    corrected = block.tolist()
    for p, power, top, bottom in zip(positions, found.tolist(), numerators.tolist(),
                                     denominators.tolist(), strict=True):  # fmt: skip
        if top:
            corrected[p] ^= _EXP_LIST[(power + _LOG_LIST[top] - _LOG_LIST[bottom]) % 255]
    if _syndromes(np.asarray(corrected, np.int64), check_symbols).any():
        return None
    return corrected, positions


def _at_inverses(poly: list[int], powers: np.ndarray) -> np.ndarray:
    """poly (ascending powers) at 2^-power for each of powers."""
    return _evaluations(
        np.asarray(poly, np.int64), -(powers[None, :] * np.arange(len(poly))[:, None])
    )
