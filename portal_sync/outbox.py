"""What the sync client needs from the journal: events waiting for the portal, and a way to
mark the ones the portal acknowledged. The journal (kiosk.core.journal) implements it.

Only what the portal acknowledged is ever marked; an event it did not acknowledge stays pending
and is sent again (the portal de-duplicates by device and event id).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class OutboxItem:
    event_id: str  # unique and sortable (time-ordered)
    body: Mapping[str, Any]  # the event as the portal stores it; JSON-serialisable


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """The journal's chain head, so the portal can check the chain it received is unbroken."""

    seq: int
    row_hash: str  # hex


class Outbox(Protocol):
    def pending(self, limit: int) -> Sequence[OutboxItem]:
        """Up to `limit` unacknowledged events, oldest first."""
        ...

    def acknowledge(self, event_ids: Sequence[str]) -> int:
        """Mark these as stored by the portal; returns how many were newly marked."""
        ...

    def backlog(self) -> int:
        """How many events wait for the portal."""
        ...

    def checkpoint(self) -> Checkpoint: ...
