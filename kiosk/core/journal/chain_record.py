"""The chain record: which journal this kiosk keeps, and how far the portal has it.

A small JSON file beside the enrolment (`<data dir>/portal/journal-chain.json`), outside the
journal's own folder, replaced atomically. It is written when a journal is created and kept up
as the portal acknowledges rows. When the journal it names is gone, emptied, replaced by another
chain or cut below what the portal acknowledged, the kiosk refuses to start a new chain on its
own (`StorageUnavailable(lost)`: out of service, saying so); only a technician's
`kiosk journal restart-chain --confirm` does, and the new chain's first rows name the range lost.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path

from kiosk.core.journal.errors import StorageFault, StorageUnavailable
from portal_sync.enrolment import portal_dir
from verifier.durable_write import write_atomically

log = logging.getLogger(__name__)

CHAIN_FILE = "journal-chain.json"


def chain_record_path(data_dir: Path) -> Path:
    return portal_dir(data_dir) / CHAIN_FILE


@dataclass(frozen=True, slots=True)
class ChainRecord:
    journal_id: str  # the event id of the chain's first row (journal.created)
    acked_seq: int = 0  # the portal holds every row up to here
    seen_seq: int = 0  # the kiosk has seen the chain reach at least this row

    @classmethod
    def load(cls, path: Path) -> ChainRecord | None:
        """None when there is no record. A damaged record is a fault, never "no journal was
        here": that would let a lost journal be replaced in silence."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return cls(str(raw["journal_id"]), int(raw["acked_seq"]), int(raw["seen_seq"]))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise StorageUnavailable(
                StorageFault.LOST, f"the journal's chain record {path} is unreadable: {e}"
            ) from None

    def save(self, path: Path) -> bool:
        """False when it could not be written (a full disk): the record only lags behind, the
        journal itself is unaffected, and the next acknowledgement tries again."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, json.dumps(asdict(self), indent=1).encode())
        except OSError as e:
            log.warning("cannot update the journal's chain record %s: %s", path, e)
            return False
        return True

    def lost_range(self) -> str:
        """The rows the portal never received: from the last acknowledged on."""
        first = self.acked_seq + 1
        if self.seen_seq >= first:
            return f"{first}-{self.seen_seq} (and any after)"
        return f"{first} on"


@dataclass(frozen=True, slots=True)
class ChainHead:
    journal_id: str | None  # None: the file holds no chain
    head_seq: int


def read_head(conn: sqlite3.Connection) -> ChainHead:
    """The chain a journal file holds (before any migration or row is written)."""
    has_events = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'"
    ).fetchone()
    if has_events is None:
        return ChainHead(None, 0)
    first = conn.execute("SELECT event_id FROM events WHERE seq = 1").fetchone()
    last = conn.execute("SELECT max(seq) FROM events").fetchone()
    return ChainHead(str(first[0]) if first else None, int(last[0] or 0))


def lost(record: ChainRecord, why: str) -> StorageUnavailable:
    return StorageUnavailable(
        StorageFault.LOST,
        f"{why}; journal {record.journal_id} had rows up to at least {record.seen_seq}, the "
        f"portal has them up to {record.acked_seq}: rows {record.lost_range()} are not at the "
        "portal. The kiosk will not start a new chain by itself: a technician can, with "
        "`kiosk journal restart-chain --confirm` (the old file is kept)",
    )


def check(record: ChainRecord, path: Path, head: ChainHead | None) -> None:
    """Raises StorageUnavailable(lost) when the file at `path` is not the recorded chain, whole.
    `head` is None when there is no file, or it is empty."""
    if head is None:
        gone = "is gone" if not path.exists() else "is empty"
        raise lost(record, f"the journal {path} {gone}")
    if head.journal_id != record.journal_id:
        raise lost(record, f"the journal {path} holds another chain ({head.journal_id or 'none'})")
    if head.head_seq < record.acked_seq:
        raise lost(record, f"the journal {path} ends at row {head.head_seq}, cut short")
