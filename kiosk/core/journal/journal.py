"""The journal: the one writer of the kiosk's SQLite event log, and the sync client's outbox.

Every method is thread-safe (one lock around one connection): the scan pipeline writes, the GUI
reads the gate state, the sync worker reads and acknowledges the outbox. A record_* call returns
only after its row is committed (WAL, synchronous=FULL): show the verdict or move the relay only
then. When it raises StorageUnavailable, show "out of service: storage"; the row was not written,
nothing half-written remains, and the next call (or probe()) tries again.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, TextIO

from kiosk.core.config import Config
from kiosk.core.events import ScanEvent
from kiosk.core.journal import chain_record as chains
from kiosk.core.journal import db, export, outbox, retention
from kiosk.core.journal.chain_record import ChainRecord, chain_record_path
from kiosk.core.journal.errors import (
    RefusedRecord,
    StorageFault,
    StorageUnavailable,
    UnknownEvent,
)
from kiosk.core.journal.gate import ENTRY, EXIT, Gate, GateState, Noted
from kiosk.core.journal.records import (
    Action,
    Clock,
    Context,
    DetailValue,
    EventIds,
    Kind,
    Outcome,
    Row,
    SystemClock,
    admits,
    counter_row,
    passage_row,
    scan_row,
    system_row,
)
from kiosk.core.journal.retention import Cutoffs, PurgeReport
from kiosk.core.journal.schema import MIGRATIONS, SCHEMA_VERSION
from kiosk.core.journal.sealing import JournalKeys, load_keys
from kiosk.core.journal.settings import JournalSettings
from kiosk.core.journal.stats import DayStats, day_stats
from kiosk.core.journal.verify import VerifyReport, verify
from kiosk.core.journal.writer import Appended, append
from portal_sync.outbox import Checkpoint, OutboxItem

JOURNAL_FILE = Path("journal") / "journal.db"
_FOLLOW_UP_MS = 86_400_000  # a passage or counter transaction follows its scan within a day
# Scans followed up lately, kept in memory to refuse a second follow-up early; the query on
# the file decides for any older, so the memory is a cache and has a bound.
FOLLOWED_KEPT = 4096
LOW_SPACE_WAL_BYTES = 64 * 1024  # low on space, a longer log is cut back after the commit
# With room, whether room is short is asked again only after this many commits or seconds (the
# two file-system calls cost a tenth or more of a commit's CPU); low on space, at every commit.
SPACE_CHECK_COMMITS = 16
SPACE_CHECK_S = 1.0


def journal_path(data_dir: Path) -> Path:
    return data_dir / JOURNAL_FILE


@dataclass(frozen=True, slots=True)
class Recorded:
    """A committed row."""

    event_id: str
    seq: int
    row_hash: str
    outcome: str | None
    flags: tuple[str, ...] = ()

    @property
    def admitted(self) -> bool:
        """Open the gate (or wait for the turnstile) — only ever after the commit."""
        return admits(self.outcome)


@dataclass(frozen=True, slots=True)
class StorageState:
    fault: StorageFault | None = None
    since_ms: int | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.fault is None


class Space(StrEnum):
    """Room left on the journal's filesystem: the status line and the heartbeat warn on LOW
    before the disk is full."""

    OK = "ok"
    LOW = "low"  # below journal.low_space_mb
    FULL = "full"  # below what one more batch of rows needs
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class SpaceState:
    level: Space
    free_bytes: int | None


@dataclass(frozen=True, slots=True)
class _Follow:
    kind: str
    outcome: str | None
    verdict: str | None
    direction: str | None
    pseudonym: bytes | None


class Journal:
    def __init__(
        self,
        path: Path,
        keys: JournalKeys,
        settings: JournalSettings,
        *,
        kiosk_id: str,
        mode: str,
        clock: Clock | None = None,
        max_page_count: int | None = None,
        announce: bool = True,
        chain_record: Path | None = None,
    ) -> None:
        """`chain_record`: the file that remembers this kiosk's chain (chain_record.py); with
        it, a journal that is gone, emptied or replaced is refused (StorageUnavailable(lost))
        instead of being started afresh."""
        self.path = path
        self.settings = settings
        self._keys = keys
        self._clock: Clock = clock or SystemClock()
        self._ctx = Context(kiosk_id, mode)
        self._ids = EventIds()
        self._lock = threading.RLock()
        self._gate = Gate(settings, mode)
        self._storage = StorageState()
        self._space_short = False  # as _trim_log last found it
        self._commits_unchecked = 0
        self._space_checked_at = float("-inf")  # monotonic seconds
        self._followed: OrderedDict[str, None] = OrderedDict()  # the latest followed scans
        self._last_purge_ms: int | None = None
        self._record_path = chain_record
        self._record = ChainRecord.load(chain_record) if chain_record else None
        if self._record is not None and _no_file(path):
            chains.check(self._record, path, None)  # before connect() makes a new file
        with db.storage_errors(path.parent):
            path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = db.connect(
            path, busy_timeout_ms=settings.busy_timeout_ms, max_page_count=max_page_count
        )
        try:
            if self._record is not None:
                with db.storage_errors():
                    chains.check(self._record, path, chains.read_head(self._conn))
            before = db.migrate(self._conn, MIGRATIONS)
            self._open_rows(before, announce)
            with db.storage_errors():
                now_ms = self._now_ms()
                self._gate.rebuild(self._conn, now_ms, self._clock.utc_offset_min(now_ms / 1000))
            self._keep_record()
        except BaseException:
            self._conn.close()
            raise

    @classmethod
    def open(
        cls,
        data_dir: Path,
        config: Config,
        *,
        kiosk_id: str | None = None,
        clock: Clock | None = None,
        announce: bool = True,
    ) -> Journal:
        """The kiosk's journal in its data dir, keys made on first use."""
        with db.storage_errors():
            keys = load_keys(data_dir, config.journal.antipassback_window_s)
        return cls(
            journal_path(data_dir),
            keys,
            JournalSettings.from_config(config),
            kiosk_id=kiosk_id or config.kiosk.name,
            mode=config.kiosk.mode,
            clock=clock,
            announce=announce,
            chain_record=chain_record_path(data_dir),
        )

    @classmethod
    def restart_chain(
        cls,
        data_dir: Path,
        config: Config,
        *,
        kiosk_id: str | None = None,
        operator: str | None = None,
        clock: Clock | None = None,
    ) -> tuple[Journal, dict[str, DetailValue]]:
        """A technician's answer to a lost journal: the old file (if any) is kept aside, a new
        chain starts, and its first rows say which journal was lost and which rows the portal
        never received. Refused while the recorded journal is whole, or while the storage
        itself is at fault (full, read-only...): that is fixed first, nothing is restarted.
        Returns the new journal (open) and what its chain_restarted row says."""
        record_file = chain_record_path(data_dir)
        record = ChainRecord.load(record_file)
        if record is None:
            raise RefusedRecord(f"no chain record at {record_file}: nothing to restart")
        try:
            cls.open(data_dir, config, kiosk_id=kiosk_id, clock=clock, announce=False).close()
        except StorageUnavailable as e:
            if e.fault not in (StorageFault.LOST, StorageFault.CORRUPT):
                raise
            why = f"{e.fault}: {e.detail.split(';')[0]}"
        else:
            raise RefusedRecord(f"the journal {record.journal_id} is whole: nothing to restart")
        path = journal_path(data_dir)
        kept = _set_aside(path, round((clock or SystemClock()).wall()))
        journal = cls(
            path,
            load_keys(data_dir),
            JournalSettings.from_config(config),
            kiosk_id=kiosk_id or config.kiosk.name,
            mode=config.kiosk.mode,
            clock=clock,
            announce=False,
        )
        detail: dict[str, DetailValue] = {
            "previous_journal": record.journal_id,
            "acked_through": record.acked_seq,
            "seen_through": record.seen_seq,
            "lost": record.lost_range(),
            "why": why[:200],
            "kept_as": kept,
        }
        with journal._lock:
            journal._write([journal._system(Action.CHAIN_RESTARTED, detail, operator)])
            journal._record_path = record_file
            journal._keep_record()
        return journal, detail

    def _keep_record(self) -> None:
        """Bring the chain record up to what the journal now holds (written only on change)."""
        if self._record_path is None:
            return
        with db.storage_errors():
            found = chains.read_head(self._conn)
            oldest = self._conn.execute("SELECT min(seq) FROM outbox").fetchone()[0]
        if found.journal_id is None:
            return
        acked = (int(oldest) if oldest is not None else found.head_seq + 1) - 1
        old = self._record if self._record and self._record.journal_id == found.journal_id else None
        new = ChainRecord(
            found.journal_id,
            max(acked, old.acked_seq if old else 0),
            max(found.head_seq, old.seen_seq if old else 0),
        )
        if new != self._record and new.save(self._record_path):
            self._record = new

    def close(self) -> None:
        with self._lock:
            with suppress(StorageUnavailable):
                self._keep_record()
            self._conn.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Writing.

    def _now_ms(self) -> int:
        return round(self._clock.wall() * 1000)

    def _stamp(self) -> tuple[str, int, int, int]:
        """(event id, ts_ms, offset, mono_us) for a row made now."""
        wall = self._clock.wall()
        ts_ms = round(wall * 1000)
        return (
            self._ids.new(ts_ms),
            ts_ms,
            self._clock.utc_offset_min(wall),
            round(self._clock.monotonic() * 1e6),
        )

    def _system(
        self, action: Action, detail: Mapping[str, DetailValue], operator: str | None = None
    ) -> Row:
        event_id, ts_ms, offset, mono_us = self._stamp()
        return system_row(
            ctx=self._ctx,
            event_id=event_id,
            ts_ms=ts_ms,
            offset=offset,
            mono_us=mono_us,
            action=action,
            detail=detail,
            operator=operator,
        )

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Remember a storage fault (for the screen and the recovery row) and re-raise it."""
        try:
            yield
        except StorageUnavailable as e:
            fault = db.refine(e.fault, self.path.parent)
            if self._storage.ok:
                self._storage = StorageState(fault, self._now_ms(), e.detail)
            else:
                self._storage = StorageState(fault, self._storage.since_ms, e.detail)
            if fault is not e.fault:  # an I/O error on a disk with no room left: full
                raise StorageUnavailable(fault, e.detail) from e
            raise

    def _write(self, rows: Sequence[Row]) -> list[Appended]:
        with self._lock, self._guard():
            fault = self._storage
            if not fault.ok:
                # The first write after a fault says, in the same transaction, that there was one.
                recovered = self._system(
                    Action.STORAGE_FAULT,
                    {
                        "fault": str(fault.fault),
                        "since_ms": fault.since_ms,
                        "until_ms": self._now_ms(),
                        "detail": fault.detail[:200],
                    },
                )
                done = append(self._conn, [recovered, *rows])[1:]
                self._storage = StorageState()
                self._trim_log(at_once=True)  # a fault just ended: room is likely short
                return done
            done = append(self._conn, rows)
            self._trim_log()
            return done

    def _trim_log(self, *, at_once: bool = False) -> None:
        """Low on space, the log is cut back after a commit that leaves it longer than
        LOW_SPACE_WAL_BYTES: every byte it holds is a byte the next scans may need. (With
        room, SQLite's own checkpoints and journal_size_limit keep it near WAL_LIMIT_BYTES,
        at less cost.) With room at the last look, the next look waits SPACE_CHECK_COMMITS
        commits or SPACE_CHECK_S seconds: the log is then within its usual bound anyway."""
        self._commits_unchecked += 1
        now = self._clock.monotonic()
        due = (
            at_once
            or self._space_short
            or self._commits_unchecked >= SPACE_CHECK_COMMITS
            or now - self._space_checked_at >= SPACE_CHECK_S
        )
        if not due:
            return
        self._commits_unchecked, self._space_checked_at = 0, now
        wal = self.path.with_name(self.path.name + "-wal")
        try:
            if wal.stat().st_size <= LOW_SPACE_WAL_BYTES:
                return
            self._space_short = self.space().level is not Space.OK
        except OSError:
            return
        if self._space_short:
            with suppress(StorageUnavailable):  # the rows are committed; trimming is a bonus
                db.checkpoint(self._conn, self.path.parent)

    def _open_rows(self, migrated_from: int, announce: bool) -> None:
        """The chain's first row on a new journal; then, unless a command-line tool opened it
        for a moment (announce=False), a row saying the kiosk started and how it seals."""
        rows: list[Row] = []
        with db.storage_errors():
            empty = self._conn.execute("SELECT 1 FROM events LIMIT 1").fetchone() is None
        if empty:
            key = bytes(self._keys.signing_key.verify_key).hex()
            created: dict[str, DetailValue] = {"signing_key": key, "schema": SCHEMA_VERSION}
            rows.append(self._system(Action.JOURNAL_CREATED, created))
        sealer = self._keys.sealer
        if not announce:
            if rows:
                append(self._conn, rows)
            return
        rows.append(
            self._system(
                Action.JOURNAL_OPENED,
                {
                    "schema": SCHEMA_VERSION,
                    "migrated_from": migrated_from,
                    # Without the portal's key nothing personal is kept (never plaintext).
                    "sealing": "portal" if sealer.enabled else "none",
                    "portal_key": sealer.fingerprint,
                    "why": self._keys.portal_key_problem,
                },
            )
        )
        append(self._conn, rows)

    def record_scan(
        self, scan: ScanEvent, *, operator: str | None = None, in_force: Config | None = None
    ) -> Recorded:
        """Journal one presentation (the scan pipeline already told repeats from presentations:
        kiosk.core.repeats).

        `in_force`: the settings in force now, for the admission rules that apply at once
        (journal/admission.py); without them, the rules read when the journal opened.
        """
        with self._lock:
            v = scan.verdict
            ts_ms = round(scan.wall_time * 1000)
            names = self._keys.pseudonyms
            pseudonym = names.of(v.subject.id_number, ts_ms) if v.subject else None
            aliases = names.aliases(v.subject.id_number, ts_ms) if v.subject else ()
            rules = self._gate.admission
            if in_force is not None:
                rules = rules.in_force(in_force)
            decision = self._gate.decide(v, pseudonym, ts_ms, aliases, rules)
            offset = self._clock.utc_offset_min(scan.wall_time)
            direction = self._gate.direction
            row = scan_row(
                scan,
                ctx=self._ctx,
                event_id=self._ids.new(ts_ms),
                offset=offset,
                direction=direction,
                outcome=decision.outcome,
                flags=decision.flags,
                operator=operator,
                pseudonym=pseudonym,
                rev_hash=names.of_credential(v.credential.revocation_hash, ts_ms)
                if v.credential
                else None,
                sealer=self._keys.sealer,
            )
            (done,) = self._write([row])
            self._gate.note(
                Noted(
                    str(Kind.SCAN),
                    str(decision.outcome),
                    str(v.outcome),
                    direction,
                    None,
                    ",".join(decision.flags) or None,
                    ts_ms,
                    offset,
                    pseudonym,
                )
            )
            return Recorded(
                done.event_id, done.seq, done.row_hash.hex(), str(decision.outcome), decision.flags
            )

    def _follow(self, scan_id: str) -> _Follow:
        """The scan a passage or transaction follows up, with a guard against doing it twice."""
        if scan_id in self._followed:
            raise RefusedRecord(f"{scan_id} already has its follow-up")
        since = self._now_ms() - _FOLLOW_UP_MS
        with self._guard(), db.storage_errors():
            found = self._conn.execute(
                "SELECT kind, outcome, verdict, direction, pseudonym FROM events"
                " WHERE ts_ms >= ? AND event_id = ?",
                (since, scan_id),
            ).fetchone()
            done = self._conn.execute(
                "SELECT 1 FROM events WHERE ts_ms >= ? AND ref = ? LIMIT 1", (since, scan_id)
            ).fetchone()
        if found is None or found[0] != Kind.SCAN:
            raise UnknownEvent(f"no scan {scan_id} in the last day")
        if done is not None:
            self._note_followed(scan_id)
            raise RefusedRecord(f"{scan_id} already has its follow-up")
        return _Follow(
            found[0],
            found[1],
            found[2],
            found[3],
            bytes(found[4]) if found[4] is not None else None,
        )

    def _note_followed(self, scan_id: str) -> None:
        self._followed[scan_id] = None
        self._followed.move_to_end(scan_id)
        while len(self._followed) > FOLLOWED_KEPT:
            self._followed.popitem(last=False)

    def record_passage(self, scan_id: str, passed: bool) -> Recorded:
        """A turnstile's report on an admitted scan: passed, or not (timed out, turned back)."""
        with self._lock:
            scan = self._follow(scan_id)
            if scan.outcome != Outcome.AWAITING_PASSAGE:
                raise RefusedRecord(f"{scan_id} is not waiting for a passage")
            event_id, ts_ms, offset, mono_us = self._stamp()
            row = passage_row(
                ctx=self._ctx,
                event_id=event_id,
                ts_ms=ts_ms,
                offset=offset,
                mono_us=mono_us,
                ref=scan_id,
                direction=scan.direction,
                passed=passed,
                pseudonym=scan.pseudonym,
            )
            (done,) = self._write([row])
            self._note_followed(scan_id)
            outcome = str(row.chained["outcome"])
            self._gate.note(
                Noted(
                    str(Kind.PASSAGE),
                    outcome,
                    None,
                    scan.direction,
                    None,
                    None,
                    ts_ms,
                    offset,
                    scan.pseudonym,
                )
            )
            return Recorded(done.event_id, done.seq, done.row_hash.hex(), outcome)

    def record_transaction(
        self,
        scan_id: str,
        service: str,
        *,
        reference: str | None = None,
        operator: str | None = None,
    ) -> Recorded:
        """A counter's service transaction for one verified presentation (one per scan)."""
        if self._ctx.mode != "counter":
            raise RefusedRecord("service transactions are recorded at counters only")
        if service not in self.settings.services:
            raise RefusedRecord(f"service {service!r} is not in the catalogue (journal.services)")
        with self._lock:
            scan = self._follow(scan_id)
            if not self._gate.admission.may_serve(scan.verdict):
                raise RefusedRecord(f"{scan_id} was not a verified presentation ({scan.verdict})")
            event_id, ts_ms, offset, mono_us = self._stamp()
            row = counter_row(
                ctx=self._ctx,
                event_id=event_id,
                ts_ms=ts_ms,
                offset=offset,
                mono_us=mono_us,
                ref=scan_id,
                service=service,
                reference=reference,
                operator=operator,
                sealer=self._keys.sealer,
            )
            (done,) = self._write([row])
            self._note_followed(scan_id)
            self._gate.note(
                Noted(
                    str(Kind.COUNTER),
                    str(Outcome.RECORDED),
                    None,
                    None,
                    service,
                    None,
                    ts_ms,
                    offset,
                    None,
                )
            )
            return Recorded(done.event_id, done.seq, done.row_hash.hex(), str(Outcome.RECORDED))

    def record_system(
        self,
        action: Action,
        detail: Mapping[str, DetailValue] | None = None,
        *,
        operator: str | None = None,
    ) -> Recorded:
        """A technician or system event. `detail` must hold no personal data and no secrets.
        Raises ValueError for a name that is not an Action: a bug, never a new kind of row."""
        action = Action(action)
        if action in (
            Action.JOURNAL_CREATED,
            Action.RETENTION_PURGE,
            Action.STORAGE_FAULT,
            Action.CHAIN_RESTARTED,
        ):
            raise RefusedRecord(f"{action} rows are written by the journal itself")
        with self._lock:
            (done,) = self._write([self._system(action, detail or {}, operator)])
            return Recorded(done.event_id, done.seq, done.row_hash.hex(), None)

    def note_site_passage(self, pseudonym: bytes, direction: str, ts_ms: int) -> None:
        """Another lane of the site let this person through: the gate's anti-passback memory
        is the site's (kiosk/core/site/lane.py). Nothing is journaled: the other lane did."""
        with self._lock:
            self._gate.remember(pseudonym, direction, ts_ms)

    def set_direction(self, direction: str, *, operator: str | None = None) -> Recorded:
        """The guard switches the gate between entry and exit; journaled like any setting."""
        if self._ctx.mode != "gate" or direction not in (ENTRY, EXIT):
            raise RefusedRecord(f"cannot set direction {direction!r} in {self._ctx.mode} mode")
        with self._lock:
            old = self._gate.direction
            done = self.record_system(
                Action.DIRECTION_CHANGED, {"old": old, "new": direction}, operator=operator
            )
            self._gate.direction = direction
            return done

    def probe(self) -> StorageState:
        """While out of service: try a write; the first that succeeds journals the fault.
        A full disk first gets the log checkpointed and cut to nothing, which gives back its
        space: the rows it held are in the file, and the write that follows needs little."""
        with self._lock:
            if not self._storage.ok:
                if self._storage.fault is StorageFault.FULL:
                    with suppress(StorageUnavailable):
                        db.checkpoint(self._conn, self.path.parent)
                with suppress(StorageUnavailable):
                    self._write([])
            return self._storage

    def space(self) -> SpaceState:
        """Room left for the journal: LOW under journal.low_space_mb, FULL when the next rows
        may not fit. Cheap (one statfs): the status ticker asks every second."""
        low_bytes = self.settings.low_space_mb * 1024 * 1024
        free = db.free_bytes(self.path.parent)
        if free is None:
            return SpaceState(Space.UNKNOWN, None)
        if free < db.FULL_BELOW_BYTES or self._storage.fault is StorageFault.FULL:
            return SpaceState(Space.FULL, free)
        return SpaceState(Space.LOW if free < low_bytes else Space.OK, free)

    # Reading.

    @property
    def storage(self) -> StorageState:
        return self._storage

    def gate_state(self) -> GateState:
        with self._lock:
            now_ms = self._now_ms()
            return self._gate.state(now_ms, self._clock.utc_offset_min(now_ms / 1000))

    def stats(self, day: int | None = None) -> DayStats:
        """Counts for a local day (days since 1970-01-01; default today)."""
        with self._lock, self._guard():
            now_ms = self._now_ms()
            return day_stats(self._conn, day, now_ms, self._clock.utc_offset_min(now_ms / 1000))

    def verify(self) -> VerifyReport:
        with self._lock, self._guard():
            return verify(self._conn)

    def export(
        self,
        from_ms: int,
        to_ms: int,
        out: TextIO,
        fmt: str = "csv",
        progress: export.Progress | None = None,
        keep: export.Keep | None = None,
    ) -> int:
        """Rows with from_ms <= ts_ms < to_ms (and, given `keep`, those it keeps: the technician
        page's search) as CSV or JSON lines, without personal data; returns how many were
        written. Reads through a connection of its own, inside one read transaction: a
        consistent snapshot of the WAL, and the writer never waits for it (an export to a slow
        USB stick must not hold up scans)."""
        if fmt not in export.FORMATS:
            raise ValueError(f"export format {fmt!r}: one of {', '.join(export.FORMATS)}")
        reader = db.connect(self.path, busy_timeout_ms=self.settings.busy_timeout_ms)
        try:
            with db.storage_errors():
                reader.execute("BEGIN")

            def rows() -> Iterator[dict[str, Any]]:
                # Only the reads are the journal's storage: a full USB stick under `out` raises
                # its own OSError and must not put the kiosk out of service.
                with db.storage_errors():
                    for record in export.rows(reader, from_ms, to_ms):
                        if keep is None or keep(record):
                            yield record

            return export.write(rows(), out, fmt, progress)
        finally:
            reader.close()

    def newest(
        self, from_ms: int, to_ms: int, limit: int, kind: str | None = None
    ) -> list[dict[str, Any]]:
        """The newest `limit` rows with from_ms <= ts_ms < to_ms (of `kind`, given one), oldest
        first, as `export` words them: what a list of recent events shows, without reading the
        whole range. Its own connection, as `export`."""
        reader = db.connect(self.path, busy_timeout_ms=self.settings.busy_timeout_ms)
        try:
            with db.storage_errors():
                return export.newest(reader, from_ms, to_ms, limit, kind)
        finally:
            reader.close()

    # Retention.

    def purge(
        self, *, dry_run: bool = False, now_ms: int | None = None, batch: int = retention.BATCH
    ) -> PurgeReport:
        now_ms = self._now_ms() if now_ms is None else now_ms
        cutoffs = Cutoffs.at(now_ms, self.settings)
        with self._lock, self._guard():
            if dry_run:
                return retention.plan(self._conn, cutoffs)
            with db.storage_errors():
                first = self._conn.execute("SELECT event_id FROM events WHERE seq = 1").fetchone()
        journal_id = str(first[0])
        # The lock is taken per batch, not for the whole purge: scans commit between batches.
        report = retention.purge(
            self._conn,
            cutoffs,
            journal_id=journal_id,
            signing_key=self._keys.signing_key,
            marker_row=lambda detail: self._system(Action.RETENTION_PURGE, detail),
            hold=self._held,
            batch=batch,
            between=_let_others_in,
        )
        with self._lock:
            self._last_purge_ms = now_ms
        return report

    @contextmanager
    def _held(self) -> Iterator[None]:
        with self._lock, self._guard():
            yield

    def tick(self) -> PurgeReport | None:
        """Call every minute or so (the runner's timer): enforces retention on its schedule."""
        now_ms = self._now_ms()
        with self._lock:
            self._gate.forget_old(now_ms)
            last = self._last_purge_ms
            if last is not None and now_ms - last < self.settings.purge_interval_s * 1000:
                return None
        return self.purge(now_ms=now_ms)

    # The sync client's outbox (portal_sync.outbox.Outbox).

    def pending(self, limit: int) -> Sequence[OutboxItem]:
        with self._lock, self._guard(), db.storage_errors():
            return outbox.pending(self._conn, limit)

    def acknowledge(self, event_ids: Sequence[str]) -> int:
        with self._lock, self._guard():
            with db.transaction(self._conn):
                marked = outbox.acknowledge_in(self._conn, event_ids, self._now_ms())
            self._keep_record()
            return marked

    def backlog(self) -> int:
        with self._lock, self._guard(), db.storage_errors():
            return outbox.backlog(self._conn)

    def checkpoint(self) -> Checkpoint:
        with self._lock, self._guard(), db.storage_errors():
            return outbox.checkpoint(self._conn)

    def describe(self) -> dict[str, Any]:
        """For a technician screen: file, sealing, storage state, backlog."""
        return {
            "path": str(self.path),
            "sealing": "portal" if self._keys.sealer.enabled else "none",
            "storage": str(self._storage.fault) if self._storage.fault else "ok",
            "backlog": self.backlog(),
        }


def _no_file(path: Path) -> bool:
    """No journal file, or an empty one (SQLite would take either for a new database)."""
    wal = path.with_name(path.name + "-wal")
    try:
        return path.stat().st_size == 0 and (not wal.exists() or wal.stat().st_size == 0)
    except FileNotFoundError:
        return True


def _set_aside(path: Path, now_s: int) -> str | None:
    """Rename a lost journal's files out of the way (never delete evidence); the new name."""
    if not path.exists():
        return None
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now_s))
    kept = path.with_name(f"{path.name}.lost-{stamp}")
    with db.storage_errors(path.parent):
        for suffix in ("-wal", "-shm", ""):
            part = path.with_name(path.name + suffix)
            if part.exists():
                part.rename(kept.with_name(kept.name + suffix))
    return kept.name


# Python's locks are not fair: a thread that releases and at once re-takes the lock usually
# wins, so without a pause a waiting scan would still wait for the whole purge.
PURGE_PAUSE_S = 0.002


def _let_others_in() -> None:
    time.sleep(PURGE_PAUSE_S)
