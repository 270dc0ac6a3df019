"""The site secret and the pseudonym key of each rotation epoch.

The portal makes one secret per site and seals it to each lane at enrolment (docs/site.md);
`portal_sync.enrolment` opens it into `portal/site-secret.key`. Pseudonyms are never keyed
with it directly: each epoch (a week of local days, from a Thursday's midnight) has
its own key, BLAKE2b(epoch, key=site secret), so a journal's pseudonyms from two weeks cannot
be linked without the secret. Every lane derives the same key for the same instant, so they
agree without talking. Across a change the lane matches a person under the keys of every
epoch the anti-passback window reaches back into (`aliases`), so anti-passback holds across it.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from pathlib import Path

from kiosk.core.journal.gate import local_day
from kiosk.core.journal.sealing import Pseudonyms
from portal_sync.enrolment import site_secret_path

EPOCH_DAYS = 7
_EPOCH_PERSON = b"cds-site-epoch-1"


def _local_offset_min(wall: float) -> int:
    return time.localtime(wall).tm_gmtoff // 60


def epoch_of(ts_ms: int, offset_min: int) -> int:
    """Weeks of local days (from a Thursday, the Unix epoch's weekday): the key changes at local
    midnight, like the day's counts, so no one is "inside" under two pseudonyms."""
    return local_day(ts_ms, offset_min) // EPOCH_DAYS


def read_site_secret(data_dir: Path) -> bytes | None:
    """The secret enrolment provisioned, or None (enrolled without a site, or not at all)."""
    path = site_secret_path(data_dir)
    try:
        with path.open("rb") as f:
            secret = f.read(33)  # 32 bytes, and one more to tell a longer file
    except FileNotFoundError:
        return None
    if len(secret) != 32:
        raise ValueError(f"{path} must hold 32 bytes")
    return secret


class SitePseudonyms(Pseudonyms):
    """Pseudonyms keyed per epoch with the site's secret: the same on every lane of the site."""

    def __init__(
        self,
        site_secret: bytes,
        window_ms: int,
        wall: Callable[[], float] = time.time,
        utc_offset_min: Callable[[float], int] = _local_offset_min,
    ) -> None:
        if len(site_secret) != 32:
            raise ValueError("the site secret must be 32 bytes")
        self._site_secret = site_secret
        self._window_ms = window_ms
        self._wall = wall
        self._offset = utc_offset_min
        self._epochs: dict[int, Pseudonyms] = {}
        super().__init__(self._epoch_key(0))

    def _epoch_key(self, epoch: int) -> bytes:
        return hashlib.blake2b(
            epoch.to_bytes(8, "big"), key=self._site_secret, digest_size=32, person=_EPOCH_PERSON
        ).digest()

    def at(self, epoch: int) -> Pseudonyms:
        held = self._epochs.get(epoch)
        if held is None:
            held = self._epochs[epoch] = Pseudonyms(self._epoch_key(epoch))
            while len(self._epochs) > 8:
                del self._epochs[min(self._epochs)]
        return held

    def _now_ms(self) -> int:
        return round(self._wall() * 1000)

    def epoch_at(self, ts_ms: int) -> int:
        return epoch_of(ts_ms, self._offset(ts_ms / 1000))

    def of(self, id_number: str, at_ms: int | None = None) -> bytes:
        return self.at(self.epoch_at(self._now_ms() if at_ms is None else at_ms)).of(id_number)

    def of_credential(self, revocation_hash: bytes, at_ms: int | None = None) -> bytes:
        epoch = self.epoch_at(self._now_ms() if at_ms is None else at_ms)
        return self.at(epoch).of_credential(revocation_hash)

    def aliases(self, id_number: str, at_ms: int | None = None) -> tuple[bytes, ...]:
        """The person's pseudonyms in the earlier epochs the anti-passback window reaches."""
        now = self._now_ms() if at_ms is None else at_ms
        first, last = self.epoch_at(now - self._window_ms), self.epoch_at(now)
        return tuple(self.at(e).of(id_number) for e in range(first, last))
