"""The admission rules in force through the composed runtime: a saved rule for unsigned ID cards
applies to the next scan, without a restart (kiosk.core.settings_in_force)."""

from __future__ import annotations

import queue
from pathlib import Path

from kiosk.core.config import load_config
from kiosk.core.demo_data import load_demo
from kiosk.core.runtime import Runtime
from kiosk.core.runtime_messages import RuntimeMessage, ShownScan
from kiosk.core.technician.pin import MIN_COST
from verifier import Outcome


def test_a_saved_id_card_rule_applies_to_the_next_scan(tmp_path: Path) -> None:
    demo = load_demo()
    card = next(c.text for c in demo.codes if c.name == "idcard")
    another_card = card.replace("048095006789", "048095006790", 1)  # not a repeat of the first
    assert another_card != card
    rt = Runtime(load_config(), tmp_path, source="images:/nonexistent", trust=demo.trust_state(),
                 pin_cost=MIN_COST, sync=False)  # fmt: skip
    shown: queue.Queue[ShownScan] = queue.Queue()

    def listen(message: RuntimeMessage) -> None:
        if isinstance(message, ShownScan):
            shown.put(message)

    rt.add_listener(listen)
    rt.start()
    try:
        rt.submit_text(card)
        refused = shown.get(timeout=10)
        rt.apply_settings(load_config(overrides={"ui.unverified_id_card": "admit"}))
        rt.submit_text(another_card)
        admitted = shown.get(timeout=10)
    finally:
        rt.close()
    assert refused.event.verdict.outcome is Outcome.UNVERIFIED
    assert admitted.event.verdict.outcome is Outcome.UNVERIFIED
    assert (refused.recording.outcome, refused.admitted) == ("refused", False)
    assert (admitted.recording.outcome, admitted.admitted) == ("admitted", True)
