"""The fuzz harness itself (quick): its oracle passes the genuine seeds and catches what it must.

The long run is `make fuzz`; these keep its oracle honest, so a million clean inputs mean
something: an escape or a wrong accept injected into the parsers under test is caught.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.fuzz.fuzz_main import main
from tests.fuzz.targets import MODES, Escape, Oracle, corpus, load_world
from verifier import Outcome, Verdict, check

WORLD = load_world()


def test_every_seed_passes_and_the_genuine_ones_are_accepted() -> None:
    oracle = Oracle(WORLD)
    for seed in corpus(WORLD):
        oracle.run_one(seed)
    tally = oracle.tally
    assert tally.runs == len(corpus(WORLD)) and set(tally.by_mode) == set(MODES)
    # The vectors' accepted texts, both lists and the badge, each seen under its own mode.
    assert tally.outcomes["trust_list.installed"] == 1
    assert tally.outcomes["revocations.installed"] == 1
    assert tally.outcomes["badge.ok"] == 2  # its COSE (badge_b45) and its text (badge)
    assert tally.accepted_exact >= len(WORLD.valid_texts) + 3


def test_an_exception_from_a_parser_is_an_escape() -> None:
    oracle = Oracle(WORLD)

    def broken(*args: object, **kwargs: object) -> Verdict:
        raise KeyError("bug")

    oracle.check = broken
    with pytest.raises(Escape, match="raised KeyError"):
        oracle.run_one(bytes([MODES.index("utf8")]) + b"CDS1:ABC")


def test_the_internal_error_fallback_is_an_escape() -> None:
    oracle = Oracle(WORLD)
    oracle.check = lambda *a, **k: replace(check("x", *a[1:]), detail="internal error")
    with pytest.raises(Escape, match="internal-error"):
        oracle.run_one(bytes([MODES.index("utf8")]) + b"CDS1:ABC")


def test_an_accept_of_anything_not_genuine_is_an_escape() -> None:
    oracle = Oracle(WORLD)
    genuine = next(iter(WORLD.valid_texts))
    trust, now = WORLD.trust, WORLD.now

    def credulous(text: str, *a: object) -> Verdict:
        return replace(check(genuine, trust, now), outcome=Outcome.ACCEPT)

    oracle.check = credulous
    oracle.run_one(bytes([MODES.index("utf8")]) + genuine.encode())  # genuine: fine
    with pytest.raises(Escape, match="not genuinely signed"):
        oracle.run_one(bytes([MODES.index("utf8")]) + genuine[:-2].encode())


def test_the_hypothesis_engine_runs_and_tallies(tmp_path: Path) -> None:
    assert main(["--engine", "hypothesis", "--runs", "30", "--out", str(tmp_path)]) == 0
    assert '"runs": 30' in (tmp_path / "tally.json").read_text(encoding="utf-8")
