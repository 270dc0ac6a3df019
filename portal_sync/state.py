"""What the sync client remembers across restarts: backoff, ETags, the portal's clock offset.

A small JSON file in the data dir, replaced atomically, so a kiosk that restarts in a loop
does not hammer a portal that asked it to wait, and does not download unchanged lists again.
A missing or unreadable file is a fresh start (it holds nothing that cannot be learnt again).
"""

from __future__ import annotations

import json
import logging
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from portal_sync.outbox import Checkpoint
from verifier.durable_write import write_atomically

log = logging.getLogger(__name__)

STATE_FILE = "sync-state.json"
BACKOFF_BASE_S = 2.0
BACKOFF_CAP_S = 900.0


@dataclass
class SyncState:
    failures: int = 0  # consecutive failed rounds
    not_before: float = 0.0  # wall-clock seconds: no round before this
    etags: dict[str, str] = field(default_factory=dict)
    clock_offset_s: float | None = None  # portal clock minus ours, from Date headers
    last_success: float | None = None
    last_error: str | None = None
    last_error_code: str | None = None  # the error's code (SyncError.code), for the screen
    drift_reported_s: float | None = None
    refusals: dict[str, str] = field(default_factory=dict)  # kind -> the refusal last reported
    # The batch last sent and the checkpoint it went with, until a later batch replaces it: a
    # resend after a restart must be the same body under the same key (portal_sync/upload.py).
    sent_batch: dict[str, Any] | None = None

    @classmethod
    def load(cls, path: Path) -> SyncState:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(raw, dict):
                raise TypeError("not a JSON object")
            known = {k: v for k, v in raw.items() if k in cls.__dataclass_fields__}
            state = cls(**known)
            kinds_hold = (
                isinstance(state.failures, int)
                and isinstance(state.not_before, int | float)
                and isinstance(state.etags, dict)
                and isinstance(state.refusals, dict)
            )
            if not kinds_hold:
                raise TypeError("a field of the wrong kind")
            return state
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError, TypeError) as e:
            log.warning("sync state %s unreadable, starting afresh: %s", path, e)
            return cls()

    def save(self, path: Path) -> None:
        write_atomically(path, json.dumps(asdict(self), indent=1).encode())

    def record_failure(
        self,
        now: float,
        error: str,
        retry_after: float | None,
        rng: random.Random | None = None,
        code: str | None = None,
    ) -> float:
        """Count a failed round and set when the next may start; returns the delay."""
        self.failures += 1
        self.last_error, self.last_error_code = error, code
        delay = backoff_delay(self.failures, retry_after, rng or random.Random())
        self.not_before = now + delay
        return delay

    def record_success(self, now: float) -> None:
        self.failures, self.not_before, self.last_error = 0, 0.0, None
        self.last_error_code = None
        self.last_success = now

    def wait_s(self, now: float) -> float:
        """Seconds until a round may start. A not_before far beyond the cap (the clock was
        set back) is not obeyed."""
        wait = self.not_before - now
        return 0.0 if wait <= 0 or wait > 2 * 86_400 else wait

    def checkpoint_of(self, batch: str) -> Checkpoint | None:
        held = self.sent_batch
        if not isinstance(held, dict) or held.get("batch") != batch:
            return None
        seq, row_hash = held.get("seq"), held.get("row_hash")
        if type(seq) is not int or not isinstance(row_hash, str):
            return None
        return Checkpoint(seq, row_hash)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def backoff_delay(failures: int, retry_after: float | None, rng: random.Random) -> float:
    """Exponential backoff with equal jitter; a Retry-After is honoured, plus a little jitter
    so a fleet told the same time does not return in one wave."""
    ceiling = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2.0 ** min(failures - 1, 20))
    delay = ceiling / 2 + rng.uniform(0, ceiling / 2)
    if retry_after is not None:
        delay = retry_after + rng.uniform(0, min(retry_after * 0.1, 30.0))
    return delay
