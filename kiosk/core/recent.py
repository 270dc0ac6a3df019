"""The guard's list of recent events: from scans as they are shown, and after a restart from
the day's rows in the journal (which keeps no name or ID number: those rows show none).

Decided here, without Qt; the guard panel words each entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk.core.journal.records import admits
from kiosk.core.presentation import Tone, decide, present
from kiosk.core.runtime_messages import ShownScan
from verifier import Outcome, Reason


@dataclass(frozen=True, slots=True)
class RecentEntry:
    event_id: str
    wall_time: float
    tone: Tone
    direction: str | None
    reason: Reason | None = None
    id_masked: str | None = None  # only while the scan is in memory: the journal holds none


def from_shown(shown: ShownScan) -> RecentEntry:
    v = shown.event.verdict
    return RecentEntry(
        shown.recording.event_id,
        shown.event.wall_time,
        present(shown).tone,
        shown.direction,
        v.reason,
        v.subject.id_masked if v.subject else None,
    )


def from_row(row: Mapping[str, Any]) -> RecentEntry | None:
    """A journal export row of kind `scan` as an entry; None for any other row or a row this
    version cannot read (a newer verdict or reason code)."""
    if row.get("kind") != "scan":
        return None
    try:
        outcome = Outcome(row["verdict"])
        reason = Reason(row["reason"]) if row.get("reason") else None
        wall = datetime.fromisoformat(str(row["time"])).timestamp()
    except (KeyError, ValueError):
        return None
    flags = tuple(f for f in str(row.get("flags") or "").split(",") if f)
    warnings = str(row.get("warnings") or "").split(",")
    tone = decide(
        outcome,
        reason,
        flags=flags,
        admitted=admits(row.get("outcome")),
        stale=str(Reason.STALE_TRUST_LIST) in warnings,
        mode=str(row.get("mode") or "gate"),
    ).tone
    return RecentEntry(str(row["event_id"]), wall, tone, row.get("direction"), reason)


def latest(entries: Iterable[RecentEntry], limit: int) -> list[RecentEntry]:
    """The newest `limit` entries, newest first, each event once."""
    unique = {e.event_id: e for e in sorted(entries, key=lambda e: e.id_masked is not None)}
    return sorted(unique.values(), key=lambda e: e.wall_time, reverse=True)[:limit]
