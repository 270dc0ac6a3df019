"""What can go wrong in the journal, told apart by who must act.

    JournalError
    ├── StorageUnavailable   the disk, not the code: full, locked, I/O error, read-only, corrupt,
    │                        or the journal this kiosk kept is gone (lost: see chain_record.py).
    │                        The kiosk goes "out of service: storage" and retries; nothing is lost.
    ├── SchemaTooNew         the file was written by a newer kiosk; refuse rather than guess.
    ├── UnknownEvent         a follow-up (passage, counter transaction) names no recent scan.
    └── RefusedRecord        a record the rules forbid (unknown service, second transaction...).

Anything else escaping the journal (sqlite3.ProgrammingError, a constraint we did not expect,
"no such table") is a bug and is left to crash loudly, as qutebrowser's sql.py does.
"""

from __future__ import annotations

from enum import StrEnum


class StorageFault(StrEnum):
    FULL = "full"
    LOCKED = "locked"
    IO = "io"
    READ_ONLY = "read_only"
    CORRUPT = "corrupt"
    CANT_OPEN = "cant_open"
    NO_MEMORY = "no_memory"
    LOST = "lost"  # the recorded chain is gone, emptied, replaced or cut short


class JournalError(Exception):
    """The journal refused or could not do what was asked."""


class StorageUnavailable(JournalError):
    """The journal's storage is unavailable; the kiosk is out of service until it returns."""

    def __init__(self, fault: StorageFault, detail: str = "") -> None:
        super().__init__(f"storage unavailable ({fault}){': ' + detail if detail else ''}")
        self.fault = fault
        self.detail = detail


class SchemaTooNew(JournalError):
    """The journal was written by a newer version of the kiosk."""


class UnknownEvent(JournalError):
    """No recent scan event has this id."""


class RefusedRecord(JournalError):
    """The journal's rules refuse this record."""
