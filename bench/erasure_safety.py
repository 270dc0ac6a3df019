"""Never a wrong text from the erasure read: symbols damaged at random, many past capacity.

    python -m bench.erasure_safety [--trials N] [--seed N]

Each trial draws a random `CDS1:` text at level L, M or Q, puts one to three clipped glare
spots (5-12% of the side in radius) and up to 30 flipped modules on it, and reads it with
`read_with_erasures` given the symbol's true place. Counted: read (the true text), none, and
wrong (any other text), which must stay 0; the read and none counts show the damage spans
both sides of what the check symbols can correct.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
import segno

from kiosk.core.decode.backends import LocatedSymbol
from kiosk.core.decode.erasure_read import read_with_erasures, sample

SCALE, PAD = 4, 40  # pixels a module; background round the 4-module quiet zone


@dataclass(frozen=True)
class Damaged:
    frame: np.ndarray
    symbol: LocatedSymbol  # where the symbol truly is
    text: str


def drawn(qr: segno.QRCode, background: int = 120) -> np.ndarray:
    """The symbol at SCALE px a module, its quiet zone, PAD px of background."""
    modules = np.array(qr.matrix, bool)
    image = np.pad(np.where(modules, 20, 235).astype(np.uint8), 4, constant_values=235)
    image = cv2.resize(image, None, fx=SCALE, fy=SCALE, interpolation=cv2.INTER_NEAREST)
    return np.pad(image, PAD, constant_values=background)


def true_place(qr: segno.QRCode) -> LocatedSymbol:
    """The symbol's place in `drawn(qr)`, as zxing would report it."""
    n = len(qr.matrix)
    lo, hi = PAD + 4 * SCALE, PAD + (4 + n) * SCALE
    quad = np.array([[lo, lo], [hi, lo], [hi, hi], [lo, hi]], np.float32)
    return LocatedSymbol(quad, int(qr.version), str(qr.error).upper(), int(qr.mask))


def glared(
    image: np.ndarray, centre: Sequence[float], radius: float, level: int = 255
) -> np.ndarray:
    """A clipped disk at `centre` (shares of the drawing's side, quiet zone included)."""
    side = image.shape[0] - 2 * PAD
    out = image.copy()
    cv2.circle(out, (int(PAD + centre[0] * side), int(PAD + centre[1] * side)),
               int(radius * side), level, -1)  # fmt: skip
    return out


def damaged(rng: np.random.Generator, trial: int) -> Damaged:
    text = f"CDS1:{trial:05d}" + "".join(rng.choice(list("0123456789ABCDEF"), 120))
    qr = segno.make_qr(text, error=str(rng.choice(["l", "m", "q"])), boost_error=False)
    frame = drawn(qr)
    for _ in range(int(rng.integers(1, 4))):
        frame = glared(frame, rng.uniform(0.15, 0.85, 2), rng.uniform(0.05, 0.12))
    n = len(qr.matrix)
    for r, c in rng.integers(0, n, (int(rng.integers(0, 30)), 2)):
        y, x = PAD + (4 + r) * SCALE, PAD + (4 + c) * SCALE
        frame[y : y + SCALE, x : x + SCALE] = 255 - frame[y + 1, x + 1]
    return Damaged(frame, true_place(qr), text)


def tally(trials: int, seed: int = 18004) -> dict[str, int]:
    rng = np.random.default_rng(seed)
    counts = {"read": 0, "none": 0, "wrong": 0}
    for trial in range(trials):
        case = damaged(rng, trial)
        taken = sample(case.frame, case.symbol)
        got = None if taken is None else read_with_erasures(taken)
        counts["read" if got == case.text else "none" if got is None else "wrong"] += 1
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.erasure_safety", description=__doc__)
    parser.add_argument("--trials", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=18004)
    args = parser.parse_args(argv)
    cv2.setNumThreads(1)
    start = time.perf_counter()
    counts = tally(args.trials, args.seed)
    print(f"{args.trials} damaged symbols, seed {args.seed}: read {counts['read']}, "
          f"none {counts['none']}, wrong {counts['wrong']} "
          f"({time.perf_counter() - start:.0f} s)")  # fmt: skip
    return 1 if counts["wrong"] else 0


if __name__ == "__main__":
    sys.exit(main())
