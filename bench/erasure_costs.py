"""What the erasure read costs, step by step, and our Reed-Solomon decoder against reedsolo.

    python -m bench.erasure_costs [--per-cell N] [--seed N] [--categories A,B]

Decodes held-out frames (by default the dev seed 717's low contrast, small modules and glare
frames, 12 a cell, no budget) and records, in this thread's CPU time: sampling a located code,
decoding its blocks on the located grid, and each straightening round; and, for every block the
erasure read decodes, our decoder's time and reedsolo's on the same block and erasures, and
whether the two agree (both correct it, or both refuse it). reedsolo is a test dependency.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from typing import Any

import cv2
import numpy as np
import reedsolo

import kiosk.core.decode.decoder as decoder_module
import kiosk.core.decode.erasure_read as erasure_module
from bench.decoder_ablation import _frames
from kiosk.core.decode import reed_solomon
from kiosk.core.decode.decoder import Decoder


def _timed(record: list[float], fn: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        start = time.thread_time()
        try:
            return fn(*args, **kwargs)
        finally:
            record.append((time.thread_time() - start) * 1000)

    return run


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.erasure_costs", description=__doc__)
    parser.add_argument("--per-cell", type=int, default=12)
    parser.add_argument("--seed", type=int, default=717)
    parser.add_argument("--categories", default="low_contrast,small_modules,glare")
    args = parser.parse_args(argv)
    cv2.setNumThreads(1)
    costs: dict[str, list[float]] = {"sample": [], "blocks": [], "round": []}
    ours_ms: list[float] = []
    theirs_ms: list[float] = []
    disagree = 0
    decode = reed_solomon.decode

    def compared(received: Sequence[int], check: int, erased: Sequence[int] = ()) -> Any:
        nonlocal disagree
        start = time.thread_time()
        result = decode(received, check, erased)
        ours_ms.append((time.thread_time() - start) * 1000)
        start = time.thread_time()
        try:
            _, corrected, _ = reedsolo.RSCodec(check, nsize=255).decode(
                bytearray(received), erase_pos=list(erased) or None
            )
            theirs: list[int] | None = list(corrected)
        except reedsolo.ReedSolomonError:
            theirs = None
        theirs_ms.append((time.thread_time() - start) * 1000)
        disagree += (None if result is None else result[0]) != theirs
        return result

    codewords = erasure_module._corrected_codewords
    straightened = erasure_module._straightened
    round_start: float | None = None  # a round: the flow, the modules again, their blocks

    def blocks(*a: Any) -> Any:
        nonlocal round_start
        start = time.thread_time() if round_start is None else round_start
        compared_before = sum(theirs_ms)
        out = codewords(*a)
        spent = (time.thread_time() - start) * 1000 - (sum(theirs_ms) - compared_before)
        costs["blocks" if round_start is None else "round"].append(spent)  # reedsolo's left out
        round_start = None
        return out

    def round_(*a: Any) -> Any:
        nonlocal round_start
        round_start = time.thread_time()
        return straightened(*a)

    patches = {
        (reed_solomon, "decode"): compared,
        (erasure_module, "_corrected_codewords"): blocks,
        (erasure_module, "_straightened"): round_,
        (decoder_module, "sample"): _timed(costs["sample"], decoder_module.sample),
    }
    saved = {key: getattr(*key) for key in patches}
    for (module, name), value in patches.items():
        setattr(module, name, value)
    try:
        for _, frame, _ in _frames("held-out", args.per_cell, args.seed, args.categories):
            Decoder(budget_ms=None, remember=False, clock=time.thread_time).decode(frame)  # type: ignore[arg-type]
    finally:
        for (module, name), value in saved.items():
            setattr(module, name, value)
    print(f"held-out seed {args.seed}, {args.categories}, {args.per_cell} a cell, no budget "
          "(CPU ms: median, 90th percentile)")  # fmt: skip
    for step, values in costs.items():
        if values:
            print(f"  {step:<8} {len(values):>5}  {np.median(values):6.2f} "
                  f"{np.percentile(values, 90):6.2f}")  # fmt: skip
    if ours_ms:
        print(f"  blocks decoded {len(ours_ms)}: ours {np.median(ours_ms):.2f} ms median, "
              f"reedsolo {np.median(theirs_ms):.2f} ms; answers differing: {disagree}")  # fmt: skip
    return 1 if disagree else 0


if __name__ == "__main__":
    raise SystemExit(main())
