"""The site's roster as a lane uses it: which device key speaks for which lane.

The roster is fetched and judged by the sync client (portal_sync/roster.py, anchor-signed);
this reads it again whenever the file changes, so a lane enrolled later (or revoked) is known
without a restart.
"""

from __future__ import annotations

import threading
from pathlib import Path

from portal_sync.roster import ROSTER_FILE, read_roster
from verifier.documents import SiteRoster


class RosterView:
    def __init__(self, data_dir: Path, anchor: bytes) -> None:
        self._path = Path(data_dir) / ROSTER_FILE
        self._data_dir, self._anchor = Path(data_dir), anchor
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._roster: SiteRoster | None = None

    def current(self) -> SiteRoster | None:
        try:
            st = self._path.stat()
            stamp: tuple[int, int] | None = (st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            stamp = None
        with self._lock:
            if stamp != self._stamp:
                self._stamp = stamp
                self._roster = read_roster(self._data_dir, self._anchor) if stamp else None
            return self._roster

    def lane_key(self, device_id: str) -> bytes | None:
        roster = self.current()
        return roster.lanes.get(device_id) if roster else None
