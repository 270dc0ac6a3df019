"""Decoder benchmark: our strategy against plain zxing-cpp and plain pyzbar, in one run.

    python -m bench.decoder_bench [--quick] [--per-cell N] [--held-out-per-cell N]
        [--photos DIR] [--dcc DIR] [--json FILE] [--show-misses] [--save-misses DIR]

Two synthetic corpora, by two generators written apart (docs/decoder.md): the decoder's retries
are tuned on the first, `tuning` (bench/qr_corpus.py), and judged on the second, `held-out`
(bench/camera_corpus.py), which no retry was chosen on. Then the zxing black-box photographs, the
EU DCC test codes (bench/dcc_samples, or a dgc-testdata checkout with --dcc), and the stream
benchmark (bench/stream_bench.py). Printed per category and resolution and pooled: success rate
(every expected text read exactly), wrong texts (a text that is not in the frame), median and
p95 milliseconds per frame. All contenders get the same BGR frame, as a camera delivers it, and
are timed on one core. "ours" has the camera's per-frame budget; "ours-still" has none, as
`kiosk decode` without --budget-ms.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import cv2
import numpy as np
import zxingcpp
from pyzbar import pyzbar

from bench import camera_corpus, qr_corpus, stream_bench
from kiosk.core.decode.decoder import DEFAULT_BUDGET_MS, Decoder

REPO = Path(__file__).resolve().parents[1]
# shared/ sits beside the main checkout; a git worktree is one level further down.
DEFAULT_PHOTOS = next(
    (
        root / "shared" / "corpus" / "zxing-blackbox-qrcode"
        for root in (REPO.parent, REPO.parent.parent)
        if (root / "shared" / "corpus" / "zxing-blackbox-qrcode").is_dir()
    ),
    REPO.parent / "shared" / "corpus" / "zxing-blackbox-qrcode",
)
DCC_SAMPLES = REPO / "bench" / "dcc_samples"
# multi-qrcode-1/1.png ships without a text file; its four texts are the ones zxing's own
# MultiQRCodeTestCase expects.
MULTI_QRCODE_TEXTS = (
    "You earned the class a 5 MINUTE DANCE PARTY!!  Awesome!  Way to go!  Let's boogie!",
    "You earned the class 5 EXTRA MINUTES OF RECESS!!  Fabulous!!  Way to go!!",
    "You get to SIT AT MRS. SIGMON'S DESK FOR A DAY!!  Awesome!!  Way to go!! "
    "Guess I better clean up! :)",
    "You get to CREATE OUR JOURNAL PROMPT FOR THE DAY!  Yay!  Way to go!  ",
)
# Two faults in the photo set's expectations, found because our decoder read these images and
# then confirmed by reading each one many ways (blurs, scales, both binarizers) with both
# libraries: every read agreed.
# - qrcode-2/13.png holds the same text as 12.png; 13.txt drops the final "y" of "photography".
# - qrcode-2/16.png is a "double QR": a second, smaller code printed inside the first. The .txt
#   names the outer one; the inner one is really there, so reading it is not a wrong text.
PHOTO_EXPECTED_FIX = {
    "qrcode-2/13.png": "The 2005 USGS aerial photography of the Washington Monument is censored.",
}
PHOTO_ALSO_PRESENT = {
    "qrcode-2/16.png": "[内側QRコード]\r\n\r\n*ダブルQR*\r\nhttp://d-qr.net/ex/",
}

# Three Spanish test files whose picture holds another credential than their PREFIX text (the
# texts part at character 64-67): every library here reads the same other text from each, so
# the fault is the file's, and they are left out rather than counted as misses and wrong texts.
DCC_PICTURE_IS_ANOTHER_CODE = frozenset(
    ("ES/2DCode/raw/501.json", "ES/2DCode/raw/502.json", "ES/2DCode/raw/503.json")
)

ReadTexts = Callable[[np.ndarray], Sequence[str]]


def plain_zxing(frame: np.ndarray) -> list[str]:
    """zxing-cpp as its documentation shows it: QR only, default options, its own text."""
    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY) if frame.ndim == 3 else frame
    return [r.text for r in zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormat.QRCode)]


def plain_pyzbar(frame: np.ndarray) -> list[str]:
    """pyzbar as its documentation shows it: QR only, its UTF-8 output."""
    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY) if frame.ndim == 3 else frame
    found = pyzbar.decode(gray, symbols=[pyzbar.ZBarSymbol.QRCODE])
    return [s.data.decode("utf-8", errors="replace") for s in found]


def ours(budget_ms: float | None) -> ReadTexts:
    # The frames are unrelated, so the position of the last code read would only mislead.
    # The budget is counted in this thread's CPU time: on the shared development machine other
    # processes would otherwise spend it, and the target is one core's.
    decoder = Decoder(budget_ms=budget_ms, remember=False, clock=time.thread_time)
    return lambda frame: decoder.decode(frame).texts


@dataclass(frozen=True)
class Case:
    group: str  # corpus and resolution ("tuning 720p", "held-out 1080p"), "photos" or "dcc"
    category: str
    frame: np.ndarray
    expected: tuple[str, ...]  # every one must be read
    also_present: tuple[str, ...] = ()  # may be read, is not wrong


@dataclass
class Tally:
    frames: int = 0
    read: int = 0
    wrong: int = 0  # texts returned that are not in the frame
    ms: list[float] = field(default_factory=list)

    def add(self, case: Case, found: Sequence[str], ms: float) -> None:
        self.frames += 1
        self.read += set(case.expected) <= set(found)
        self.wrong += sum(text not in case.expected + case.also_present for text in found)
        self.ms.append(ms)

    def merge(self, other: Tally) -> None:
        self.frames += other.frames
        self.read += other.read
        self.wrong += other.wrong
        self.ms += other.ms

    @property
    def rate(self) -> float:
        return self.read / self.frames if self.frames else 0.0

    def percentile(self, q: float) -> float:
        return float(np.percentile(self.ms, q)) if self.ms else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "frames": self.frames,
            "read": self.read,
            "wrong": self.wrong,
            "rate": round(self.rate, 4),
            "median_ms": round(self.percentile(50), 2),
            "p95_ms": round(self.percentile(95), 2),
        }


Results = dict[str, dict[str, dict[str, Tally]]]  # contender -> group -> category -> tally


def timed(read: ReadTexts, frame: np.ndarray) -> tuple[list[str], float]:
    """The texts and this thread's CPU milliseconds: one core's time, whatever else runs."""
    start = time.thread_time()
    texts = list(read(frame))
    return texts, (time.thread_time() - start) * 1000


def run_cases(
    contenders: dict[str, ReadTexts],
    cases: Iterable[Case],
    results: Results,
    on_miss: Callable[[str, Case, list[str]], None] | None = None,
) -> None:
    for case in cases:
        for name, read in contenders.items():
            texts, ms = timed(read, case.frame)
            by_group = results.setdefault(name, {}).setdefault(case.group, {})
            by_group.setdefault(case.category, Tally()).add(case, texts, ms)
            if on_miss and not set(case.expected) <= set(texts):
                on_miss(name, case, texts)


def synthetic_cases(seed: int, per_cell: int) -> Iterable[Case]:
    for sample in qr_corpus.generate(seed=seed, per_cell=per_cell):
        yield Case(f"tuning {sample.resolution}", sample.category, sample.frame, sample.expected)


def held_out_cases(seed: int, per_cell: int) -> Iterable[Case]:
    for frame in camera_corpus.generate(seed=seed, per_cell=per_cell):
        yield Case(f"held-out {frame.resolution}", frame.category, frame.image, frame.expected)


def dcc_cases(root: Path) -> Iterable[Case]:
    """The EU DCC test codes: PNG + .txt pairs (bench/dcc_samples), or a dgc-testdata checkout,
    whose test files each hold the code's picture (2DCODE, base64 PNG) and its text (PREFIX)."""
    for png in sorted(root.glob("*.png")):
        frame = cv2.imread(str(png), cv2.IMREAD_COLOR)
        yield Case("dcc", "samples", frame, (png.with_suffix(".txt").read_text().strip(),))
    for test_file in sorted(root.glob("**/*.json")):
        try:
            test = json.loads(test_file.read_text(encoding="utf-8-sig"))
        except (ValueError, UnicodeDecodeError):
            continue  # the set holds a few files that are not test cases
        if not isinstance(test, dict) or not {"2DCODE", "PREFIX"} <= test.keys():
            continue
        if test.get("EXPECTEDRESULTS", {}).get("EXPECTEDPICTUREDECODE") is False:
            continue  # a deliberately broken picture
        if test_file.relative_to(root).as_posix() in DCC_PICTURE_IS_ANOTHER_CODE:
            continue
        data = np.frombuffer(base64.b64decode(test["2DCODE"]), np.uint8)
        frame = cv2.imdecode(data, cv2.IMREAD_COLOR)
        if frame is not None:
            country = test_file.relative_to(root).parts[0]
            yield Case("dcc", country, frame, (test["PREFIX"],))


def photo_cases(root: Path) -> Iterable[Case]:
    for png in sorted(root.glob("qrcode-*/*.png")):
        name = f"{png.parent.name}/{png.name}"
        expected = PHOTO_EXPECTED_FIX.get(name) or png.with_suffix(".txt").read_bytes().decode()
        also = tuple(t for t in [PHOTO_ALSO_PRESENT.get(name)] if t)
        frame = cv2.imread(str(png), cv2.IMREAD_COLOR)
        yield Case("photos", png.parent.name, frame, (expected,), also)
    multi = root / "multi-qrcode-1" / "1.png"
    if multi.is_file():
        frame = cv2.imread(str(multi), cv2.IMREAD_COLOR)
        yield Case("photos", multi.parent.name, frame, MULTI_QRCODE_TEXTS)


def pooled(by_category: dict[str, Tally]) -> Tally:
    total = Tally()
    for tally in by_category.values():
        total.merge(tally)
    return total


def print_group(results: Results, group: str, names: Sequence[str]) -> None:
    header = f"{group:<15}" + "".join(f"| {n:<31}" for n in names)
    print(header)
    print(f"{'category':<15}" + "| ok%    n/N     wrong  med   p95  " * len(names))
    categories = list(results[names[0]][group])
    rows = [(c, [results[n][group][c] for n in names]) for c in categories]
    rows.append(("POOLED", [pooled(results[n][group]) for n in names]))
    for category, tallies in rows:
        cells = "".join(
            f"| {100 * t.rate:5.1f} {t.read:>4}/{t.frames:<4} {t.wrong:>3} "
            f"{t.percentile(50):5.1f} {t.percentile(95):5.1f} "
            for t in tallies
        )
        print(f"{category:<15}{cells}")
    print()


def pin_to_one_core() -> str:
    """One core, as the issue asks: OpenCV's pool off and the process pinned to one CPU.

    zxing-cpp's read_barcodes runs on the calling thread (no pool: checked by counting
    /proc/self/task during calls) and pyzbar is single-threaded, so pinning is belt and braces.
    """
    cv2.setNumThreads(1)
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity here)"


def check_targets(results: Results) -> list[tuple[str, bool]]:
    """The issue's targets, each with whether this run met it. The rates that count are the
    held-out corpus's: the tuning corpus is printed for comparison only."""
    camera, still, zx = results["ours"], results["ours-still"], results["zxing-cpp"]
    checks = []
    for res in camera_corpus.RESOLUTIONS:
        group = f"held-out {res}"
        if group in still:
            rate = pooled(still[group]).rate
            checks.append((f"held-out {res} >= 96%, no budget ({100 * rate:.1f}%)", rate >= 0.96))
        if group in camera:
            rate = pooled(camera[group]).rate
            checks.append(
                (f"held-out {res} >= 95%, camera budget ({100 * rate:.1f}%)", rate >= 0.95)
            )
    below = [
        f"{group}/{cat}"
        for name in ("ours", "ours-still")
        for group, cats in results[name].items()
        if group != "photos"
        for cat, tally in cats.items()
        if tally.rate < zx[group][cat].rate
    ]
    checks.append(
        (
            "no category below plain zxing-cpp" + (f" ({sorted(set(below))})" if below else ""),
            not below,
        )
    )
    wrong = sum(pooled(g).wrong for name in ("ours", "ours-still") for g in results[name].values())
    checks.append((f"zero wrong texts (ours: {wrong})", wrong == 0))
    if "photos" in still:
        photos = pooled(still["photos"])
        single = photos.read - still["photos"].get("multi-qrcode-1", Tally()).read
        checks.append((f"photos >= 174/179 single-code ({single})", single >= 174))
    if "held-out 1080p" in camera:
        t = pooled(camera["held-out 1080p"])
        checks.append((f"1080p median <= 5 ms ({t.percentile(50):.1f})", t.percentile(50) <= 5))
        checks.append((f"1080p p95 <= 33 ms ({t.percentile(95):.1f})", t.percentile(95) <= 33))
    return checks


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.decoder_bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a smoke run: few frames and clips")
    parser.add_argument("--per-cell", type=int, default=20, help="tuning frames per cell")
    parser.add_argument(
        "--held-out-per-cell", type=int, default=40, help="held-out frames per cell"
    )
    parser.add_argument("--seed", type=int, default=2024, help="the tuning corpus's seed")
    parser.add_argument("--held-out-seed", type=int, default=515)
    parser.add_argument("--clips", type=int, default=25, help="stream clips per kind")
    parser.add_argument("--photos", type=Path, default=DEFAULT_PHOTOS, help="zxing black-box dir")
    parser.add_argument(
        "--dcc", type=Path, default=DCC_SAMPLES, help="EU DCC test codes (a dgc-testdata checkout)"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--show-misses", action="store_true", help="list frames ours missed")
    parser.add_argument("--save-misses", type=Path, metavar="DIR", help="write them as PNGs")
    args = parser.parse_args(argv)
    per_cell = 2 if args.quick else args.per_cell
    held_out_per_cell = 2 if args.quick else args.held_out_per_cell
    clips = 1 if args.quick else args.clips

    pinning = pin_to_one_core()
    contenders: dict[str, ReadTexts] = {
        "ours": ours(DEFAULT_BUDGET_MS),
        "ours-still": ours(None),
        "zxing-cpp": plain_zxing,
        "pyzbar": plain_pyzbar,
    }
    names = list(contenders)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"decoder benchmark: tuning seed {args.seed} x {per_cell}, held-out seed "
        f"{args.held_out_seed} x {held_out_per_cell} frames per cell, {pinning}, load {load:.2f}, "
        f"zxing-cpp {version('zxing-cpp')}, OpenCV {cv2.__version__}; ours: "
        f"{DEFAULT_BUDGET_MS:g} ms budget, ours-still: none"
    )
    print()
    if args.save_misses:
        args.save_misses.mkdir(parents=True, exist_ok=True)
    missed: dict[str, int] = {}

    def show_miss(name: str, case: Case, texts: list[str]) -> None:
        if name != "ours-still":
            return
        if args.show_misses:
            print(f"  ours missed: {case.group} {case.category} found {[t[:20] for t in texts]}")
        if args.save_misses:
            key = f"{case.group}-{case.category}".replace(" ", "-").replace("/", "-")
            missed[key] = missed.get(key, 0) + 1
            cv2.imwrite(str(args.save_misses / f"{key}-{missed[key]}.png"), case.frame)

    results: Results = {}
    started = time.perf_counter()
    run_cases(contenders, synthetic_cases(args.seed, per_cell), results, show_miss)
    run_cases(contenders, held_out_cases(args.held_out_seed, held_out_per_cell), results, show_miss)
    for source, label, cases in (
        (args.photos, "photos", photo_cases),
        (args.dcc, "EU DCC codes", dcc_cases),
    ):
        if source.is_dir():
            run_cases(contenders, cases(source), results, show_miss)
        else:
            print(f"(no {label}: {source} is not a directory)", file=sys.stderr)
    for group in results["ours"]:
        print_group(results, group, names)
    stream = stream_bench.run(clips_per_kind=clips, seed=args.held_out_seed)
    stream_bench.print_table(stream)
    print(f"took {time.perf_counter() - started:.0f} s")
    print("targets:")
    checks = check_targets(results) + stream_bench.check_targets(stream)
    for text, met in checks:
        print(f"  [{'met' if met else 'NOT MET'}] {text}")
    if args.json:
        blob = {
            name: {
                group: {c: t.as_dict() for c, t in (cats | {"POOLED": pooled(cats)}).items()}
                for group, cats in groups.items()
            }
            for name, groups in results.items()
        }
        meta = {"seed": args.seed, "per_cell": per_cell, "load": load, "targets": checks}
        blob["stream"] = stream_bench.as_dict(stream)
        args.json.write_text(json.dumps({"meta": meta, "results": blob}, indent=1))
    return 0 if all(met for _, met in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
