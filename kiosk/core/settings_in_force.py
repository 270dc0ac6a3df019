"""Which saved settings the running kiosk applies at once, and which wait for the next start.

A setting is live only where something reads it again after the start: the screen (language,
window, preview, verdict time, sounds), the admission rules for each scan
(`ui.unverified_id_card`, read by kiosk.core.journal.admission from the settings in force) and
the counter's file drop (`counter.handoff_dir`, read at each hand-off). Everything else is read
once when the kiosk starts, so the technician's page says a restart is needed.
"""

from __future__ import annotations

from collections.abc import Iterable

LIVE = frozenset(
    {
        "kiosk.language",
        "ui.fullscreen",
        "ui.show_preview",
        "ui.verdict_seconds",
        "ui.sounds",
        "ui.unverified_id_card",
        "counter.handoff_dir",
    }
)


def applies_live(key: str) -> bool:
    return key in LIVE


def waiting_for_restart(changed: Iterable[str]) -> tuple[str, ...]:
    """The changed settings that take effect at the next start, in the order given."""
    return tuple(key for key in changed if key not in LIVE)
