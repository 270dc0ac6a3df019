"""The headless gate from config: an admitted scan opens the (demo) relay, a refused one does not,
and the relay's outcome is in the journal next to the scan. The codes come as images checked
against lists given on the command line (as `make demo-gate` does): the built-in demo source
never opens a gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devportal import demo
from kiosk.cli.main import main

REPO = Path(__file__).resolve().parents[2]
RELAY = REPO / "packaging" / "examples" / "demo-relay.sh"


def gate_config(tmp_path: Path) -> Path:
    example = (REPO / "config" / "examples" / "gate-relay.toml").read_text(encoding="utf-8")
    config = tmp_path / "gate.toml"
    config.write_text(
        example.replace('"packaging/examples/demo-relay.sh"', json.dumps(str(RELAY)))
        + "\n[scan]\nimage_hold_s = 0.3\n",
        encoding="utf-8",
    )
    return config


def test_the_example_gate_opens_the_relay_for_admitted_scans_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    relay_log = tmp_path / "relay.log"
    monkeypatch.setenv("RELAY_LOG", str(relay_log))
    data, minted = tmp_path / "data", tmp_path / "minted"
    bundle = demo.build("demo")
    demo.write(bundle, minted, images=True)
    status = main(["--config", str(gate_config(tmp_path)), "--data-dir", str(data),
                   "run", "--headless", "--max-events", "6", "--duration", "30",
                   "--source", f"images:{minted / 'credentials'}", "--anchor", bundle.anchor_hex,
                   "--trust-list", str(minted / "trust-list.cose"),
                   "--revocations", str(minted / "revocations.cose")])  # fmt: skip
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert status == 0 and len(events) == 6
    admitted = [e["event_id"] for e in events if e["outcome"] == "admitted"]
    assert len(admitted) == 1 and events[0]["verdict"] == "accept"

    assert main(["--data-dir", str(data), "journal", "export", "--from", "2000-01-01",
                 "--to", "2100-01-01", "--format", "jsonl"]) == 0  # fmt: skip
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.startswith("{")]
    actions = [json.loads(r["detail"]) for r in rows if r["action"] == "gate.action"]
    assert [(a["scan"], a["kind"], a["ok"]) for a in actions] == [(admitted[0], "command", True)]
    assert relay_log.read_text().count("relay open: entry") == 1
    assert admitted[0] in relay_log.read_text()
