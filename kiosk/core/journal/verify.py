"""`journal verify`: walk the chain and name every row that does not hold.

Per row: its number follows the last (else rows were deleted), its hash covers its own fields
(else it was edited), its prev_hash is the last row's hash (else rows were moved or inserted),
its personal columns match personal_hash, or are blank under a signed purge marker. After a
problem the walk carries on from the row's stored hash, so independent tampering in several
places is named place by place. Truncating the newest rows leaves no trace here: the portal's
checkpoints catch that.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from kiosk.core.journal.chain import GENESIS, personal_hash, row_hash
from kiosk.core.journal.db import storage_errors
from kiosk.core.journal.ranges import Ranges, covers, merge, parse_ranges
from kiosk.core.journal.records import Action
from kiosk.core.journal.retention import Cutoffs, marker_message
from kiosk.core.journal.schema import CHAINED, PERSONAL
from kiosk.core.journal.sealing import verify_signature

MAX_PROBLEMS = 100


class Problem(StrEnum):
    MISSING = "missing"  # rows absent between two present ones: deleted
    EDITED = "edited"  # the row's fields do not match its hash
    NOT_LINKED = "not_linked"  # does not follow the previous row: moved or inserted
    PERSONAL_EDITED = "personal_edited"  # sealed data, pseudonym or revocation hash changed
    BLANK_UNEXPLAINED = "blank_unexplained"  # personal data gone without a signed purge marker
    BAD_MARKER = "bad_marker"  # a purge marker whose signature or contents do not hold
    NO_GENESIS = "no_genesis"  # the first row is not the journal's creation row


@dataclass(frozen=True, slots=True)
class Finding:
    seq: int  # the first row concerned
    problem: Problem
    message: str


@dataclass(frozen=True, slots=True)
class VerifyReport:
    rows: int
    head_seq: int
    head_hash: bytes
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def first(self) -> Finding | None:
        return self.findings[0] if self.findings else None


_SELECT = (
    f"SELECT seq, {', '.join(CHAINED)}, {', '.join(PERSONAL)}, prev_hash, row_hash"
    " FROM events ORDER BY seq"
)


def _rows(conn: sqlite3.Connection) -> Iterator[tuple[object, ...]]:
    yield from conn.execute(_SELECT)


def _blob(value: object) -> bytes | None:
    return bytes(value) if isinstance(value, bytes | memoryview) else None


class _Walk:
    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.signing_key: bytes | None = None
        self.journal_id: str | None = None
        self.blank_runs: Ranges = []  # rows whose personal data is gone
        self.purged: Ranges = []  # rows signed markers say were purged

    def add(self, seq: int, problem: Problem, message: str) -> None:
        if len(self.findings) < MAX_PROBLEMS:
            self.findings.append(Finding(seq, problem, message))

    def genesis(self, seq: int, fields: dict[str, object]) -> None:
        detail = json.loads(str(fields["detail"])) if fields["detail"] else {}
        if seq != 1 or fields["action"] != Action.JOURNAL_CREATED or "signing_key" not in detail:
            self.add(seq, Problem.NO_GENESIS, f"row {seq}: the journal's first row is missing")
            return
        self.signing_key = bytes.fromhex(str(detail["signing_key"]))
        self.journal_id = str(fields["event_id"])

    def marker(self, seq: int, detail_text: str) -> None:
        try:
            detail = json.loads(detail_text)
            runs = parse_ranges(str(detail["ranges"]))
            cutoffs = Cutoffs(int(detail["acked_before_ms"]), detail["unsent_before_ms"])
            message = marker_message(str(self.journal_id), cutoffs, runs, int(detail["rows"]))
            good = self.signing_key is not None and verify_signature(
                self.signing_key, message, bytes.fromhex(str(detail["signature"]))
            )
        except (ValueError, KeyError, TypeError):
            good = False
        if not good:
            self.add(seq, Problem.BAD_MARKER, f"row {seq}: purge marker signature does not verify")
            return
        self.purged = merge([*self.purged, *runs])

    def blank(self, seq: int) -> None:
        if self.blank_runs and self.blank_runs[-1][1] == seq - 1:
            self.blank_runs[-1] = (self.blank_runs[-1][0], seq)
        else:
            self.blank_runs.append((seq, seq))


def verify(conn: sqlite3.Connection) -> VerifyReport:
    walk = _Walk()
    expected, prev, count = 1, GENESIS, 0
    n = len(CHAINED)
    with storage_errors():
        for row in _rows(conn):
            count += 1
            seq = int(str(row[0]))
            fields = dict(zip(CHAINED, row[1 : 1 + n], strict=True))
            for key in ("kid", "personal_hash"):
                fields[key] = _blob(fields[key])
            personal = {c: _blob(v) for c, v in zip(PERSONAL, row[1 + n : 1 + n + 3], strict=True)}
            stored_prev, stored_hash = _blob(row[-2]) or b"", _blob(row[-1]) or b""
            gap = seq != expected
            if gap:
                message = f"rows {expected}–{seq - 1} are missing (deleted)"
                walk.add(expected, Problem.MISSING, message)
            if seq == 1 or (count == 1 and walk.signing_key is None):
                walk.genesis(seq, fields)
            if row_hash(stored_prev, fields) != stored_hash:
                walk.add(seq, Problem.EDITED, f"row {seq} does not match its hash (edited)")
            elif stored_prev != prev and not gap:
                message = f"row {seq} does not follow row {seq - 1} (moved or inserted)"
                walk.add(seq, Problem.NOT_LINKED, message)
            if all(v is None for v in personal.values()):
                if fields["personal_hash"] is not None:
                    walk.blank(seq)
            elif personal_hash(personal) != fields["personal_hash"]:
                message = f"row {seq}: personal data does not match its hash"
                walk.add(seq, Problem.PERSONAL_EDITED, message)
            if fields["action"] == Action.RETENTION_PURGE:
                walk.marker(seq, str(fields["detail"]))
            expected, prev = seq + 1, stored_hash
    for run in walk.blank_runs:
        if not covers(walk.purged, run):
            message = f"rows {run[0]}–{run[1]}: personal data removed without a signed purge marker"
            walk.add(run[0], Problem.BLANK_UNEXPLAINED, message)
    walk.findings.sort(key=lambda f: f.seq)
    return VerifyReport(count, expected - 1, prev, walk.findings)
