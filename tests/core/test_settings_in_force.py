"""Which saved settings apply at once (kiosk.core.settings_in_force), without Qt."""

from __future__ import annotations

from kiosk.core.config import BY_KEY
from kiosk.core.settings_in_force import LIVE, applies_live, waiting_for_restart


def test_every_live_setting_is_a_declared_one() -> None:
    assert LIVE and set(BY_KEY) >= LIVE


def test_what_waits_for_the_next_start_keeps_the_order_it_was_saved_in() -> None:
    changed = ("kiosk.name", "ui.sounds", "journal.antipassback", "kiosk.language", "scan.source")
    assert waiting_for_restart(changed) == ("kiosk.name", "journal.antipassback", "scan.source")
    assert waiting_for_restart(("ui.sounds", "counter.handoff_dir")) == ()
    assert waiting_for_restart(()) == ()


def test_the_mode_the_source_and_the_journal_wait_for_a_restart() -> None:
    """Read once at the start: changing them live would half-apply them (the journal's gate,
    the source thread)."""
    for key in ("kiosk.mode", "scan.source", "journal.antipassback", "journal.gate_direction",
                "counter.handoff", "counter.handoff_port", "portal.url"):  # fmt: skip
        assert key in BY_KEY and not applies_live(key)
    for key in ("kiosk.language", "ui.unverified_id_card", "counter.handoff_dir"):
        assert applies_live(key)
