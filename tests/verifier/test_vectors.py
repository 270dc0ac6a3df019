"""The published vectors give their expected verdicts, through the library and the command line."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.cli.main import main
from verifier import Policy, TrustState, anchor_from_hex, check, parse_revocations, parse_trust_list

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
INDEX = json.loads((VECTORS / "vectors.json").read_text(encoding="utf-8"))


def test_there_is_a_vector_for_every_outcome_and_most_reasons() -> None:
    verdicts = {v["verdict"] for v in INDEX["vectors"]}
    reasons = {v["reason"] for v in INDEX["vectors"]} - {None}
    assert verdicts == {"accept", "reject", "unverified"}
    assert len(reasons) >= 8


@pytest.mark.parametrize("vector", INDEX["vectors"], ids=lambda v: v["file"])
def test_vector(vector: dict[str, str]) -> None:
    anchor = anchor_from_hex(INDEX["anchor"])
    trust = TrustState(
        parse_trust_list((VECTORS / INDEX["trust_list"]).read_bytes(), anchor),
        parse_revocations((VECTORS / INDEX["revocations"]).read_bytes(), anchor),
    )
    text = (VECTORS / vector["file"]).read_text(encoding="utf-8").removesuffix("\n")
    verdict = check(text, trust, INDEX["checked_at"], Policy(clock_skew_s=INDEX["clock_skew_s"]))
    assert str(verdict.outcome) == vector["verdict"]
    assert (str(verdict.reason) if verdict.reason else None) == vector["reason"]


def test_vectors_through_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(VECTORS / v["file"]) for v in INDEX["vectors"]]
    at = datetime.fromtimestamp(INDEX["checked_at"], UTC).isoformat()
    status = main(
        [
            "verify",
            "--json",
            "--anchor",
            INDEX["anchor"],
            "--trust-list",
            str(VECTORS / "trust-list.cose"),
            "--revocations",
            str(VECTORS / "revocations.cose"),
            "--at",
            at,
            *files,
        ]
    )
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert status == 1  # some vectors are rejects
    assert [line["input"] for line in lines] == files
    for line, vector in zip(lines, INDEX["vectors"], strict=True):
        assert (line["verdict"], line["reason"]) == (vector["verdict"], vector["reason"])
