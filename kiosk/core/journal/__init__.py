"""The kiosk's journal: a durable, hash-chained, private SQLite log of what the kiosk decided.

    from kiosk.core.journal import Journal
    journal = Journal.open(data_dir, config)       # or Journal(path, keys, settings, ...)
    recorded = journal.record_scan(scan_event)     # one presentation (kiosk.core.repeats)
    (raises StorageUnavailable: show "out of service: storage", retry with journal.probe())
    if recorded.admitted: open the gate (only now: the row is committed)
    journal.gate_state(); journal.pending(100); journal.acknowledge(ids); journal.tick()

See docs/journal.md for the schema, the chain, privacy, retention and failure states.
"""

from kiosk.core.journal.errors import (
    JournalError,
    RefusedRecord,
    SchemaTooNew,
    StorageFault,
    StorageUnavailable,
    UnknownEvent,
)
from kiosk.core.journal.gate import GateState
from kiosk.core.journal.journal import (
    Journal,
    Recorded,
    Space,
    SpaceState,
    StorageState,
    journal_path,
)
from kiosk.core.journal.records import Action, Clock, Outcome, SystemClock
from kiosk.core.journal.retention import PurgeReport
from kiosk.core.journal.sealing import JournalKeys, load_keys
from kiosk.core.journal.settings import JournalSettings
from kiosk.core.journal.stats import DayStats
from kiosk.core.journal.verify import VerifyReport

__all__ = [
    "Action",
    "Clock",
    "DayStats",
    "GateState",
    "Journal",
    "JournalError",
    "JournalKeys",
    "JournalSettings",
    "Outcome",
    "PurgeReport",
    "Recorded",
    "RefusedRecord",
    "SchemaTooNew",
    "Space",
    "SpaceState",
    "StorageFault",
    "StorageState",
    "StorageUnavailable",
    "SystemClock",
    "UnknownEvent",
    "VerifyReport",
    "journal_path",
    "load_keys",
]
