"""The technician's door: a badge or a PIN opens the pages, and who opened them is named on
every technician row until they close. Every badge attempt is journaled before it is shown: an
unrecorded unlock must not open the door.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from kiosk.core.journal.records import Action
from kiosk.core.recorder import Detail
from kiosk.core.runtime_messages import BadgeSeen
from kiosk.core.technician.badge_reading import read_badge
from kiosk.core.trust.in_force import TrustInForce

log = logging.getLogger(__name__)

TECHNICIAN = "technician"  # the operator of a PIN session: a PIN names nobody

Journal = Callable[[Action, Detail, str | None], None]


class TechnicianDoor:
    def __init__(
        self,
        data_dir: Path,
        trust: TrustInForce,
        journal: Journal,
        tell: Callable[[BadgeSeen], None],
    ) -> None:
        self._data_dir = data_dir
        self._trust = trust
        self._journal = journal
        self._tell = tell
        self._badge_holder: str | None = None  # while a badge session lasts

    def badge(self, text: str) -> None:
        """A badge presented (once per presentation: kiosk.core.repeats): checked, journaled,
        then told."""
        revocations = self._trust.state().revocations
        seen, bid = read_badge(
            text, self._trust.anchor(), self._data_dir, revocations, int(time.time())
        )
        try:
            if seen.ok:
                self._journal(Action.TECHNICIAN_UNLOCK, {"method": "badge", "badge": bid},
                              seen.technician)  # fmt: skip
            else:
                self._journal(Action.TECHNICIAN_BADGE_REFUSED, {"why": seen.refusal},
                              seen.technician)  # fmt: skip
        except Exception:
            log.exception("a badge attempt was not journaled")
            return
        if seen.ok:
            self._badge_holder = seen.technician  # the rows of this session name them
        self._tell(seen)

    def journaled(self, action: Action, detail: Mapping[str, object]) -> None:
        """Any row just journaled: a PIN unlock starts a session that names no badge holder."""
        if action is Action.TECHNICIAN_UNLOCK and detail.get("method") == "pin":
            self._badge_holder = None

    @property
    def operator(self) -> str:
        """Who the technician rows of the open session name: the badge holder, or
        `technician` for a PIN session."""
        return self._badge_holder or TECHNICIAN

    def lock(self, why: str) -> None:
        """The pages closed: journaled under the session's operator, and the session ends.
        Raises StorageDown (the door is shut either way)."""
        operator, self._badge_holder = self.operator, None
        self._journal(Action.TECHNICIAN_LOCK, {"why": why}, operator)
