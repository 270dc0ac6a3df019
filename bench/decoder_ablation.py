"""What each of the decoder's strategies gains: the decoder with one strategy taken out.

    python -m bench.decoder_ablation [--quick] [--per-cell N] [--corpus held-out|tuning]
        [--stream-clips N] [--only WORDS] [--budget-ms MS] [--seed N] [--categories A,B]

For still frames (no budget unless --budget-ms, so the answer does not depend on the machine's
load; with it, the budget is counted in this thread's CPU time, as in the decoder benchmark):
frames read
by the whole decoder, and by the decoder without each strategy in turn, per category; the
difference is that strategy's gain, counting only what no other strategy would read instead.
For the stream (bench/stream_bench.py, the camera's budget in CPU time): clips and frames to
first read with and without frame fusion. Wrong texts are counted throughout.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import ModuleType

import cv2

import kiosk.core.decode.decoder as decoder_module
from bench import camera_corpus, qr_corpus, stream_bench
from kiosk.core.decode.backends import Gray, zxing_scan
from kiosk.core.decode.decoder import Decoder
from kiosk.core.decode.strategies import RunningMean


def _owner(name: str) -> tuple[ModuleType, str]:
    """The decoder's module, or with "module.NAME" that module of kiosk.core.decode."""
    if "." not in name:
        return decoder_module, name
    module, attribute = name.rsplit(".", 1)
    return importlib.import_module(f"kiosk.core.decode.{module}"), attribute


@contextmanager
def _patched(**values: object) -> Iterator[None]:
    saved = {name: getattr(*_owner(name)) for name in values}
    for name, value in values.items():
        setattr(*_owner(name), value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(*_owner(name), value)


def _frame_retries_without(prefix: str) -> tuple[object, ...]:
    return tuple(r for r in decoder_module.FRAME_RETRIES if not r.name.startswith(prefix))


class _NoMean(RunningMean):
    """A running mean that never has one: the decoder without that strategy."""

    def add(self, gray: Gray) -> Gray | None:
        return None


ABLATIONS: dict[str, Callable[[], dict[str, object]]] = {
    "crop retries (stretch, blur, sharpen)": lambda: {"CROP_RETRIES": ()},
    "crop deconvolution (Wiener)": lambda: {"DECONVOLUTIONS": ()},
    "crop kernels from the cepstrum": lambda: {
        "DECONVOLUTIONS": tuple(
            k for k in decoder_module.DECONVOLUTIONS if k[0] not in ("streak", "cepstrum-disk")
        )
    },
    "whole-frame streaks from the cepstrum": lambda: {
        "FRAME_RETRIES": _frame_retries_without("deblur-streak")
    },
    "whole-frame disks from the cepstrum": lambda: {
        "FRAME_RETRIES": _frame_retries_without("deblur-disk")
    },
    "detail-region deconvolution": lambda: {"REGION_KERNELS": ()},
    "whole-frame deconvolution": lambda: {"FRAME_RETRIES": _frame_retries_without("deblur")},
    "all whole-frame retries": lambda: {"FRAME_RETRIES": ()},
    "erasure read": lambda: {"read_with_erasures": lambda *_: None},
    "locator from finder patterns": lambda: {"located_symbols": lambda *_: iter(())},
    "glared frames to the locator first": lambda: {"EARLY_FINDERS": False},
    # The library's pyramid in full on every scan: what stopping at a full-size read saves
    # shows as time (bench.decoder_bench's medians), and here as what the budget then affords.
    "downscaled layers only on a miss": lambda: {"zxing_scan_full_size_first": zxing_scan},
    "deconvolution in linear light": lambda: {"strategies.DECONVOLUTION_GAMMA": None},
    "linear light at 1.6 (2.2, the sRGB value, instead)": lambda: {
        "strategies.DECONVOLUTION_GAMMA": 2.2
    },
    "located grid refined on its alignment patterns": lambda: {"REFINE_LOCATED": False},
    "module equalizer": lambda: {"erasure_read.EQUALIZE": False},
    "small-module codes read with erasures at once": lambda: {"SMALL_MODULE_PX": 0.0},
    "whole-frame disk at 1.07 of the cepstrum's": lambda: {
        "FRAME_RETRIES": _frame_retries_without("deblur-disk-1.07")
    },
}

Frames = list[tuple[str, object, tuple[str, ...]]]  # (category, BGR frame, expected texts)


def _frames(corpus: str, per_cell: int, seed: int | None, categories: str | None) -> Frames:
    if corpus == "held-out":
        chosen = tuple(categories.split(",")) if categories else camera_corpus.CATEGORIES
        return [
            (f"{f.resolution} {f.category}", f.image, f.expected)
            for f in camera_corpus.generate(
                seed=515 if seed is None else seed, per_cell=per_cell, categories=chosen
            )
        ]
    chosen = tuple(categories.split(",")) if categories else qr_corpus.CATEGORIES
    return [
        (f"{s.resolution} {s.category}", s.frame, s.expected)
        for s in qr_corpus.generate(
            seed=2024 if seed is None else seed, per_cell=per_cell, categories=chosen,
            resolutions=("720p", "1080p"),
        )
    ]  # fmt: skip


def _reads(frames: Frames, budget_ms: float | None) -> tuple[dict[str, int], int]:
    decoder = Decoder(budget_ms=budget_ms, remember=False, clock=time.thread_time)
    read: dict[str, int] = {}
    wrong = 0
    for cell, frame, expected in frames:
        texts = decoder.decode(frame).texts  # type: ignore[arg-type]
        read[cell] = read.get(cell, 0) + (set(expected) <= set(texts))
        wrong += sum(t not in expected for t in texts)
    return read, wrong


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.decoder_ablation", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="2 frames a cell, 2 clips a kind")
    parser.add_argument("--per-cell", type=int, default=16)
    parser.add_argument("--corpus", choices=("held-out", "tuning"), default="held-out")
    parser.add_argument("--stream-clips", type=int, default=10, help="clips per kind (0: none)")
    parser.add_argument("--only", help="only the strategies whose name holds these words")
    parser.add_argument("--budget-ms", type=float, help="the camera's budget, in CPU time")
    parser.add_argument("--seed", type=int, help="the corpus's seed (held-out 515, tuning 2024)")
    parser.add_argument("--categories", help="only these, comma-separated")
    args = parser.parse_args(argv)
    per_cell = 2 if args.quick else args.per_cell
    cv2.setNumThreads(1)
    frames = _frames(args.corpus, per_cell, args.seed, args.categories)
    full, wrong = _reads(frames, args.budget_ms)
    total = len(frames)
    budget = f"a budget of {args.budget_ms:g} ms" if args.budget_ms else "no budget"
    seed = "" if args.seed is None else f" seed {args.seed}"
    print(f"{args.corpus} corpus{seed}, {per_cell} frames a cell, {budget}: whole decoder reads "
          f"{sum(full.values())}/{total}, {wrong} wrong")  # fmt: skip
    print("  " + ", ".join(f"{cell} {n}" for cell, n in full.items()))
    for name, patch in ABLATIONS.items():
        if args.only and args.only not in name:
            continue
        with _patched(**patch()):
            without, wrong = _reads(frames, args.budget_ms)
        lost = {c: full[c] - without[c] for c in full if full[c] != without[c]}
        gain = sum(full.values()) - sum(without.values())
        print(f"  without {name:<40} {sum(without.values()):>4}/{total}  gain {gain:+d}  "
              f"wrong {wrong}  {lost}")  # fmt: skip
    clips = 2 if args.quick else args.stream_clips
    if not clips:
        return 0
    print()
    print(f"stream, {clips} clips a kind at 1080p: with frame fusion")
    stream_bench.print_table(stream_bench.run(clips_per_kind=clips))
    print("without frame fusion")
    with _patched(FUSE_FRAMES=1):
        stream_bench.print_table(stream_bench.run(clips_per_kind=clips))
    print("without the running mean")
    with _patched(RunningMean=_NoMean):
        stream_bench.print_table(stream_bench.run(clips_per_kind=clips))
    return 0


if __name__ == "__main__":
    sys.exit(main())
