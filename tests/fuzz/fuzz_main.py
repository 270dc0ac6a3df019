"""`make fuzz`: a million mutated and random inputs to the verifier and the document parsers.

    python -m tests.fuzz.fuzz_main [--runs N] [--out DIR] [--engine auto|atheris|hypothesis]

Coverage-guided with atheris (libFuzzer over instrumented Python: `verifier`, the badge reader
and cbor2's Python layer) when it is installed (`requirements-fuzz.txt`); otherwise hypothesis
draws mutations of the same seeds and random bytes. Either way every input goes through
`tests.fuzz.targets.Oracle`: an escape (an undefined exception, or an accept of anything not
genuinely signed) stops the run with the input saved, and the exit status is 1. At the end it
prints the count, the time, and what the inputs came to (`OUT/tally.json`).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_RUNS = 1_000_000
TALLY_EVERY = 50_000
MAX_LEN = 8192


def _write_tally(path: Path, tally: dict[str, object], seconds: float, engine: str) -> None:
    tally = {**tally, "engine": engine, "seconds": round(seconds, 1)}
    path.write_text(json.dumps(tally, indent=1), encoding="utf-8")


def atheris_child(argv: list[str]) -> None:
    """Runs inside the libFuzzer process: argv is [tally path, runs, libFuzzer args...]."""
    import atheris

    tally_path, target = Path(argv[0]), int(argv[1])
    with atheris.instrument_imports(include=["verifier", "kiosk.core.technician.badge", "cbor2"]):
        from tests.fuzz.targets import Oracle, load_world

    oracle = Oracle(load_world())
    started = time.monotonic()

    def one(data: bytes) -> None:
        oracle.run_one(data)
        runs = oracle.tally.runs
        if runs % TALLY_EVERY == 0 or runs >= target:
            _write_tally(tally_path, oracle.tally.as_json(), time.monotonic() - started, "atheris")

    atheris.Setup([sys.argv[0], *argv[2:]], one)
    atheris.Fuzz()


def run_atheris(runs: int, out: Path) -> int:
    from tests.fuzz.targets import corpus, load_world

    seeds = out / "seeds"
    seeds.mkdir(parents=True, exist_ok=True)
    for i, seed in enumerate(corpus(load_world())):
        (seeds / f"seed-{i:03d}").write_bytes(seed)
    work = out / "corpus"  # what libFuzzer learns goes here; the seeds stay as they are
    work.mkdir(exist_ok=True)
    command = [
        sys.executable, "-m", "tests.fuzz.fuzz_main", "--atheris-child",
        str(out / "tally.json"), str(runs),
        f"-runs={runs}", f"-max_len={MAX_LEN}", "-timeout=10", "-rss_limit_mb=1024",
        f"-artifact_prefix={out}/", "-print_final_stats=1", str(work), str(seeds),
    ]  # fmt: skip
    return subprocess.run(command, check=False).returncode


def run_hypothesis(runs: int, out: Path) -> int:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st

    from tests.fuzz.targets import MODES, Escape, Oracle, corpus, load_world

    world = load_world()
    oracle = Oracle(world)
    seeds = corpus(world)
    edit = st.tuples(st.integers(0, 3), st.integers(0, 1 << 16), st.binary(max_size=8))
    mutated = st.tuples(st.sampled_from(seeds), st.lists(edit, max_size=6)).map(_mutate)
    fresh = st.tuples(st.integers(0, len(MODES) - 1), st.binary(max_size=2048))
    inputs = mutated | fresh.map(lambda m: bytes([m[0]]) + m[1])

    @settings(
        max_examples=runs,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate, Phase.shrink],
    )
    @given(inputs)
    def fuzz(data: bytes) -> None:
        oracle.run_one(data)

    started = time.monotonic()
    try:
        fuzz()
    except Escape as e:
        print(f"ESCAPE: {e}", file=sys.stderr)
        return 1
    finally:
        _write_tally(out / "tally.json", oracle.tally.as_json(), time.monotonic() - started,
                     "hypothesis")  # fmt: skip
    return 0


def _mutate(case: tuple[bytes, list[tuple[int, int, bytes]]]) -> bytes:
    """A seed (its mode byte kept) edited: overwrite, insert, delete, or flip a byte."""
    seed, edits = case
    head, data = seed[:1], bytearray(seed[1:])
    for op, at, chunk in edits:
        i = at % (len(data) + 1)
        if op == 0:
            data[i : i + len(chunk)] = chunk
        elif op == 1:
            data[i:i] = chunk
        elif op == 2:
            del data[i : i + 1 + len(chunk)]
        elif data:
            data[i % len(data)] ^= 1 << (at % 8)
    return head + bytes(data)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--atheris-child"]:
        atheris_child(argv[1:])
        return 0
    p = argparse.ArgumentParser(prog="fuzz", description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=DEFAULT_RUNS)
    p.add_argument("--out", type=Path, default=Path(".fuzz"))
    p.add_argument("--engine", choices=("auto", "atheris", "hypothesis"), default="auto")
    args = p.parse_args(argv)
    engine = args.engine
    if engine == "auto":
        try:
            import atheris  # noqa: F401
        except ImportError:
            engine = "hypothesis"
        else:
            engine = "atheris"
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "tally.json").unlink(missing_ok=True)
    print(f"fuzz: {args.runs:,} inputs with {engine} (artifacts in {args.out})", flush=True)
    started = time.monotonic()
    os.environ.setdefault("PYTHONHASHSEED", "0")
    status = (run_atheris if engine == "atheris" else run_hypothesis)(args.runs, args.out)
    seconds = time.monotonic() - started
    try:
        tally = json.loads((args.out / "tally.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        tally = {}
    done = tally.get("runs", 0)
    print(json.dumps(tally, indent=1, ensure_ascii=False))
    if status != 0 or done < args.runs:
        print(f"fuzz: FAILED after {done:,} inputs in {seconds:.0f} s (status {status}): "
              f"see the crash file in {args.out}", file=sys.stderr)  # fmt: skip
        return 1
    print(f"fuzz: {done:,} inputs in {seconds:.0f} s ({done / seconds:,.0f}/s), 0 escapes, "
          f"{tally['accepted_exact']:,} accepts of genuine texts, "
          f"{tally['reencoded']:,} of genuine content re-encoded, 0 other accepts")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
