"""Variants of the retries under the camera budget: the detail-region deconvolution's kernels,
side and place in the whole-frame retries, and where a located crop's deconvolution comes.

    python -m bench.region_variants [--per-cell N] [--budget-ms MS] [--corpus tuning|held-out]
        [--seed N] [--categories A,B|all] [--only WORDS]

Decodes the defocus, motion, low contrast and small modules frames (720p and 1080p; or the
categories named) once per variant, the budget counted in this thread's CPU time. Variants are
chosen on the tuning corpus (the default) or on a held-out seed the benchmark does not judge
on (docs/decoder.md says which).
"""

from __future__ import annotations

import argparse
import dataclasses

import cv2

import kiosk.core.decode.decoder as decoder_module
from bench.decoder_ablation import _frames, _patched, _reads
from kiosk.core.decode.backends import Gray
from kiosk.core.decode.strategies import (
    Retry,
    deblurred_disk,
    deblurred_streak,
    equalized,
    resized,
)

CATEGORIES = ("defocus", "motion", "low_contrast", "small_modules")
MORE_KERNELS = (
    Retry("streak-0.8+6", deblurred_streak(0.8, 6.0)),
    Retry("streak-0.8-6", deblurred_streak(0.8, -6.0)),
    Retry("streak-1.0", deblurred_streak(1.0)),
    Retry("disk-0.85", deblurred_disk(0.85)),
)


def _whole_frame_at(rows: int) -> tuple[Retry, ...]:
    return tuple(
        dataclasses.replace(r, max_height=rows) if r.name.startswith("deblur") else r
        for r in decoder_module.FRAME_RETRIES
    )


def _with_small_whole_frame_passes(rows: int) -> tuple[Retry, ...]:
    """A streak and a disk from the frame's cepstrum at `rows` rows, right after "half"."""
    retries = list(decoder_module.FRAME_RETRIES)
    at = [r.name for r in retries].index("half") + 1
    small = [
        dataclasses.replace(r, name=f"{r.name}@{rows}", max_height=rows)
        for r in retries
        if r.name in ("deblur-streak-0.9", "deblur-disk-1.0")
    ]
    return tuple(retries[:at] + small + retries[at:])


def _with_after(
    after: str, retry: Retry, retries: tuple[Retry, ...] | None = None
) -> tuple[Retry, ...]:
    """The whole-frame retries with `retry` just after the one named `after`."""
    listed = list(decoder_module.FRAME_RETRIES if retries is None else retries)
    at = [r.name for r in listed].index(after) + 1
    return (*listed[:at], retry, *listed[at:])


def _moved_after(name: str, after: str) -> tuple[Retry, ...]:
    """The whole-frame retries with the one named `name` moved to just after `after`."""
    moved = next(r for r in decoder_module.FRAME_RETRIES if r.name == name)
    rest = tuple(r for r in decoder_module.FRAME_RETRIES if r.name != name)
    return _with_after(after, moved, rest)


def _equalized_half(gray: Gray) -> Gray:
    return equalized(resized(0.5)(gray))


VARIANTS: dict[str, dict[str, object]] = {
    "as set": {},
    "crop deconvolution after the crop retries (before 2026-12)": {"DECONVOLVE_FIRST": False},
    "region kernels at 10 ms (the old estimate)": {
        "REGION_ESTIMATE_MS": 0.0,
        "REGION_KERNEL_MS": 10.0,
    },
    "4 more region kernels (streak 0.8 turned ±6°, 1.0; disk 0.85)": {
        "REGION_KERNELS": decoder_module.REGION_KERNELS + MORE_KERNELS
    },
    "region side 400 px": {"REGION_SIDE_PX": 400},
    "region side 256 px": {"REGION_SIDE_PX": 256},
    "region after half": {"REGION_AFTER": "half"},
    "region before the whole-frame retries": {"REGION_AFTER": None},
    "region after half, 4 more kernels": {
        "REGION_AFTER": "half",
        "REGION_KERNELS": decoder_module.REGION_KERNELS + MORE_KERNELS,
    },
    "region after half, side 400 px": {"REGION_AFTER": "half", "REGION_SIDE_PX": 400},
    "region after half, side 400 px, 4 more kernels": {
        "REGION_AFTER": "half",
        "REGION_SIDE_PX": 400,
        "REGION_KERNELS": decoder_module.REGION_KERNELS + MORE_KERNELS,
    },
    "equalize after half, the region after equalize": {
        "FRAME_RETRIES": _moved_after("equalize", "half"),
        "REGION_AFTER": "equalize",
    },
    "equalize after half, the region after it": {
        "FRAME_RETRIES": _moved_after("equalize", "half"),
        "REGION_AFTER": "half",
    },
    "equalize at half size after half, the region after it": {
        "FRAME_RETRIES": _with_after("half", Retry("equalize-half", _equalized_half, 0.5)),
        "REGION_AFTER": "equalize-half",
    },
    "region disk at 1.0 instead of 1.07 (before linear light)": {
        "REGION_KERNELS": tuple(
            Retry("disk-1.0", deblurred_disk(1.0)) if r.name == "disk-1.07" else r
            for r in decoder_module.REGION_KERNELS
        )
    },
    "region streaks at 1.0 and 0.9 instead of 0.9 and 0.8": {
        "REGION_KERNELS": tuple(
            Retry("streak-1.0", deblurred_streak(1.0))
            if r.name == "streak-0.9"
            else Retry("streak-0.9", deblurred_streak(0.9))
            if r.name == "streak-0.8"
            else r
            for r in decoder_module.REGION_KERNELS
        )
    },
    "whole-frame deconvolution at 480 rows": {"FRAME_RETRIES": _whole_frame_at(480)},
    "a whole-frame streak and disk at 360 rows after half": {
        "FRAME_RETRIES": _with_small_whole_frame_passes(360)
    },
    "a whole-frame streak and disk at 480 rows after half": {
        "FRAME_RETRIES": _with_small_whole_frame_passes(480)
    },
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-cell", type=int, default=20)
    parser.add_argument("--budget-ms", type=float, default=25.0)
    parser.add_argument("--corpus", choices=("tuning", "held-out"), default="tuning")
    parser.add_argument("--only", help="only the variants whose name holds these words")
    parser.add_argument("--seed", type=int, help="the corpus's seed (held-out 515, tuning 2024)")
    parser.add_argument("--categories", default=",".join(CATEGORIES), help="A,B or all")
    args = parser.parse_args()
    cv2.setNumThreads(1)
    categories = None if args.categories == "all" else args.categories
    frames = _frames(args.corpus, args.per_cell, args.seed, categories)
    for name, patch in VARIANTS.items():
        if args.only and args.only not in name and patch:
            continue  # "as set" always runs: each variant is read against it, the same hour
        with _patched(**patch):
            read, wrong = _reads(frames, args.budget_ms)
        cells = ", ".join(f"{cell} {n}" for cell, n in read.items() if n < args.per_cell)
        print(f"{name:<64} {sum(read.values()):>4}/{len(frames)} wrong {wrong}; short: {cells}")


if __name__ == "__main__":
    main()
