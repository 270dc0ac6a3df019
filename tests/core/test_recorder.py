"""The recorder over the real journal: actions are the journal's names, never relabelled."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from kiosk.core.config import load_config
from kiosk.core.journal.records import Action
from kiosk.core.recorder import Recorder


def _rows(recorder: Recorder) -> list[dict[str, object]]:
    out = io.StringIO()
    recorder.export(0, 2**62, out, "jsonl")
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_an_unknown_action_is_a_bug_not_a_settings_change(tmp_path: Path) -> None:
    recorder = Recorder.open(tmp_path, load_config())
    try:
        before = len(_rows(recorder))
        with pytest.raises(ValueError):
            recorder.record_system("pin.sett", {})  # type: ignore[arg-type]
        assert len(_rows(recorder)) == before  # nothing written under another name
        recorder.record_system(Action.PIN_SET, {}, operator="technician")
        recorder.record_system(Action.TECHNICIAN_BADGE_REFUSED, {"why": "expired"})
        actions = [r["action"] for r in _rows(recorder)][-2:]
        assert actions == ["pin.set", "technician.badge_refused"]
    finally:
        recorder.close()
