"""Module decisions from a linear equalizer trained on the symbol's own function patterns.

At two pixels a module the lens, the Bayer demosaic and JPEG's 4:2:0 chroma mix each module's
sample with its neighbours': a light module among dark ones reads grey, and a threshold
against the local mean gets it wrong (3-6% of the data modules of the held-out corpus's
small-module frames, on a grid refined on its alignment patterns). But a symbol carries
hundreds of modules whose values are known before anything is decoded: the finders,
separators, timing and alignment patterns, and, once the format is read, the format and
version bits. A linear filter over each module's 3x3 neighbourhood of local contrasts, fitted
by least squares to give those known modules their values, undoes most of the mixing; fitted
again on every module, with its own decisions as the labels of the data modules (as a modem's
equalizer adapts to the data it decides), it learns the channel from the whole symbol.
"""

from __future__ import annotations

import numpy as np

from kiosk.core.decode import qr_layout

REACH = 1  # the filter's neighbourhood: (2 * REACH + 1)^2 modules
DECISION_ROUNDS = 2  # fits on the whole symbol after the first, on the known modules only
RIDGE = 1e-3  # keeps the fit solvable where a symbol's samples are all alike (a flat crop)


def _neighbourhoods(contrast: np.ndarray) -> np.ndarray:
    """(n * n) x (taps + 1), row-major: each module's neighbours' contrasts and a constant."""
    n = contrast.shape[0]
    padded = np.pad(contrast, REACH, mode="edge")
    span = range(-REACH, REACH + 1)
    taps = [padded[REACH + dr : REACH + dr + n, REACH + dc : REACH + dc + n] for dr in span
            for dc in span]  # fmt: skip
    return np.stack([*taps, np.ones_like(contrast)], axis=-1).reshape(n * n, -1)


def _fit(features: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Least squares by its normal equations: ten unknowns and a few thousand rows."""
    gram = features.T @ features + np.float32(RIDGE) * np.eye(features.shape[1], dtype=np.float32)
    return np.linalg.solve(gram, features.T @ labels)


def equalized(
    contrast: np.ndarray, clipped: np.ndarray, version: int, level: str, mask: int
) -> tuple[np.ndarray, np.ndarray]:
    """(dark, certainty) for every module, in the symbol's terms (True: a dark module; the fit
    learns a dark-mode code's polarity with the rest).

    contrast: n x n, each module's sample against its neighbourhood; clipped modules (no value
    under glare) are neither used nor trusted. certainty: the filter's output's distance from
    the decision, in units of a known module's value."""
    n = contrast.shape[0]
    usable = ~clipped.ravel()
    known = qr_layout.function_modules(version).ravel() & usable
    target = np.where(qr_layout.symbol(version, level, mask, []).ravel(), 1, -1).astype(np.float32)
    features = _neighbourhoods(np.where(clipped, 0, contrast).astype(np.float32))
    output = features @ _fit(features[known], target[known])
    for _ in range(DECISION_ROUNDS):
        labels = np.where(known, target, np.where(output > 0, 1, -1).astype(np.float32))
        output = features @ _fit(features[usable], labels[usable])
    return (output > 0).reshape(n, n), np.abs(output).reshape(n, n)
