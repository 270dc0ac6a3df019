"""`kiosk decode`: what the decoder reads from images."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kiosk.cli.common import EXIT_NOT_ACCEPTED, EXIT_OK, UsageError
from kiosk.core.decode.decoder import DEFAULT_BUDGET_MS, Decoder, ImageReadError, load_gray

NAME = "decode"
HELP = "print the QR texts found in images"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("images", nargs="+", type=Path, metavar="IMAGE")
    p.add_argument("--json", action="store_true", help="one JSON object per image")
    p.add_argument(
        "--budget-ms",
        type=_budget,
        metavar="MS",
        help="give each image only this many milliseconds of retries, as a camera frame gets "
        f"(the camera's is {DEFAULT_BUDGET_MS:g}); default: every retry runs",
    )


def _budget(value: str) -> float:
    try:
        ms = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of milliseconds: {value!r}") from None
    if not 0 <= ms < 10_000:
        raise argparse.ArgumentTypeError(f"must be 0 to 10000 milliseconds, not {value}")
    return ms


def run(args: argparse.Namespace) -> int:
    # Still images: unrelated to each other, so no position carries over from one to the next.
    # Without --budget-ms they are not on a camera's clock and every retry runs (the same
    # answer on a busy machine); with it, each gets what one camera frame would.
    decoder = Decoder(budget_ms=args.budget_ms, remember=False)
    try:
        frames = [(path, load_gray(path)) for path in args.images]
    except ImageReadError as e:
        raise UsageError(str(e)) from None
    found_all = True
    for path, frame in frames:
        result = decoder.decode(frame)
        found_all &= bool(result.texts)
        if args.json:
            record = {"input": str(path), "texts": list(result.texts), "ms": round(result.ms, 2)}
            print(json.dumps(record, ensure_ascii=False), flush=True)
        elif result.texts:
            for text in result.texts:
                print(f"{path}: {text}")
        else:
            print(f"{path}: (no QR code found)")
    return EXIT_OK if found_all else EXIT_NOT_ACCEPTED
