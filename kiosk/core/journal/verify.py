"""`journal verify`: walk the chain and name every row that does not hold.

Per row: its number follows the last (else rows were deleted), its hash covers its own fields
(else it was edited), its prev_hash is the last row's hash (else rows were moved or inserted),
its personal columns match personal_hash, or are blank under a signed purge marker. After a
problem the walk carries on from the row's stored hash, so independent tampering in several
places is named place by place. Truncating the newest rows leaves no trace here: the portal's
checkpoints catch that.

Before the chain, SQLite's own `PRAGMA integrity_check` looks at the file itself (pages,
b-trees, indexes): a page overwritten in an index the walk never reads is damage all the same,
and is named by the table or index it belongs to. Rows the walk cannot read are a finding too.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from kiosk.core.journal.chain import GENESIS, personal_hash, row_hash
from kiosk.core.journal.db import integrity_problems, storage_errors
from kiosk.core.journal.errors import StorageFault, StorageUnavailable
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
    UNREADABLE = "unreadable"  # rows the file's damage keeps from being read at all


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
    damage: list[str] = field(default_factory=list)  # the file itself, from integrity_check

    @property
    def ok(self) -> bool:
        return not self.findings and not self.damage

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
        self.expected, self.prev, self.count = 1, GENESIS, 0

    def row(self, row: tuple[object, ...]) -> None:
        n = len(CHAINED)
        self.count += 1
        seq = int(str(row[0]))
        fields = dict(zip(CHAINED, row[1 : 1 + n], strict=True))
        for key in ("kid", "personal_hash"):
            fields[key] = _blob(fields[key])
        personal = {c: _blob(v) for c, v in zip(PERSONAL, row[1 + n : 1 + n + 3], strict=True)}
        stored_prev, stored_hash = _blob(row[-2]) or b"", _blob(row[-1]) or b""
        expected = self.expected
        gap = seq != expected
        if gap:
            self.add(expected, Problem.MISSING, f"rows {expected}–{seq - 1} are missing (deleted)")
        if seq == 1 or (self.count == 1 and self.signing_key is None):
            self.genesis(seq, fields)
        if row_hash(stored_prev, fields) != stored_hash:
            self.add(seq, Problem.EDITED, f"row {seq} does not match its hash (edited)")
        elif stored_prev != self.prev and not gap:
            message = f"row {seq} does not follow row {seq - 1} (moved or inserted)"
            self.add(seq, Problem.NOT_LINKED, message)
        if all(v is None for v in personal.values()):
            if fields["personal_hash"] is not None:
                self.blank(seq)
        elif personal_hash(personal) != fields["personal_hash"]:
            self.add(
                seq, Problem.PERSONAL_EDITED, f"row {seq}: personal data does not match its hash"
            )
        if fields["action"] == Action.RETENTION_PURGE:
            self.marker(seq, str(fields["detail"]))
        self.expected, self.prev = seq + 1, stored_hash

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


def _is_corrupt(e: StorageUnavailable) -> bool:
    return e.fault is StorageFault.CORRUPT


@dataclass(frozen=True, slots=True)
class _Object:
    kind: str  # table | index
    name: str
    table: str
    sql: str | None

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"


def _objects(conn: sqlite3.Connection) -> dict[int, _Object]:
    """Root page → the table or index it holds, to name where damage lies."""
    with storage_errors():
        found = conn.execute(
            "SELECT type, name, tbl_name, sql, rootpage FROM sqlite_master WHERE rootpage > 0"
        )
        return {
            int(root): _Object(kind, name, table, sql) for kind, name, table, sql, root in found
        }


def file_damage(conn: sqlite3.Connection) -> list[str]:
    """What SQLite's integrity check finds wrong with the file, each line naming the table or
    index concerned where it can; [] for a sound file. When the check itself cannot get
    through the damage, every table and index is read whole on its own, so the damaged ones
    are still named."""
    try:
        objects = _objects(conn)
    except StorageUnavailable as e:
        if not _is_corrupt(e):
            raise
        return [f"the file's schema cannot be read: {e.detail}"]
    try:
        lines = [line for text in integrity_problems(conn, MAX_PROBLEMS) for line in
                 text.splitlines() if not line.startswith("*** in database")]  # fmt: skip
    except StorageUnavailable as e:
        if not _is_corrupt(e):
            raise
        lines = [problem for o in objects.values() if (problem := _unreadable(conn, o))]
        if not lines:
            lines = [f"the integrity check cannot get through the damage: {e.detail}"]
    return [_name_tree(line, objects) for line in lines][:MAX_PROBLEMS]


def _full_read(conn: sqlite3.Connection, o: _Object) -> str:
    """A query that reads every entry of one b-tree, and no other."""
    if o.kind == "table":
        return f'SELECT * FROM "{o.table}" NOT INDEXED'
    first = conn.execute(f'PRAGMA index_info("{o.name}")').fetchone()
    partial = o.sql.split(" WHERE ", 1)[1] if o.sql and " WHERE " in o.sql else "1"
    return (
        f'SELECT count(*) FROM "{o.table}" INDEXED BY "{o.name}"'
        f' WHERE "{first[2]}" IS NOT NULL AND ({partial})'
    )


def _unreadable(conn: sqlite3.Connection, o: _Object) -> str | None:
    try:
        with storage_errors():
            for _ in conn.execute(_full_read(conn, o)):
                pass
    except StorageUnavailable as e:
        if not _is_corrupt(e):
            raise
        return f"{o}: cannot be read whole: {e.detail}"
    except sqlite3.OperationalError:  # an index no query can be made to use: not judged
        return None
    return None


_TREE = re.compile(r"^Tree (\d+) ")


def _name_tree(line: str, objects: dict[int, _Object]) -> str:
    found = _TREE.match(line)
    if found and int(found.group(1)) in objects:
        return f"{objects[int(found.group(1))]}: {line}"
    return line


def verify(conn: sqlite3.Connection) -> VerifyReport:
    damage = file_damage(conn)
    walk = _Walk()
    try:
        with storage_errors():
            for row in _rows(conn):
                walk.row(row)
    except StorageUnavailable as e:
        if not _is_corrupt(e):
            raise
        message = f"rows from {walk.expected} on cannot be read: {e.detail}"
        walk.add(walk.expected, Problem.UNREADABLE, message)
    for run in walk.blank_runs:
        if not covers(walk.purged, run):
            message = f"rows {run[0]}–{run[1]}: personal data removed without a signed purge marker"
            walk.add(run[0], Problem.BLANK_UNEXPLAINED, message)
    walk.findings.sort(key=lambda f: f.seq)
    return VerifyReport(walk.count, walk.expected - 1, walk.prev, walk.findings, damage)
