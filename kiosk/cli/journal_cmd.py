"""`kiosk journal`: check the chain, count a day, export a range, enforce retention."""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import TextIO

from kiosk.cli.common import (
    EXIT_NOT_ACCEPTED,
    EXIT_OK,
    UsageError,
    add_global_options,
    load_kiosk_config,
)
from kiosk.cli.common import global_options as read_global_options
from kiosk.cli.sync_cmd import ProgressBar
from kiosk.core.journal import (
    Journal,
    JournalError,
    StorageUnavailable,
    SystemClock,
    db,
    export,
    journal_path,
)
from kiosk.core.journal.chain_record import ChainRecord, chain_record_path, read_head
from kiosk.core.journal.chain_record import check as check_chain
from kiosk.core.journal.errors import StorageFault
from kiosk.core.journal.schema import SCHEMA_VERSION
from kiosk.core.journal.stats import day_number, day_stats
from kiosk.core.journal.verify import verify
from kiosk.core.sync.device_id import kiosk_id

NAME = "journal"
HELP = "check, count, export and purge the event journal"
PROGRESS_FROM = 5000  # rows: smaller exports finish before a bar would help


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="journal_command", required=True, metavar="ACTION")
    sub.add_parser("verify", help="walk the hash chain; name every row that does not hold")
    stats = sub.add_parser("stats", help="counts by verdict, direction, service and hour")
    stats.add_argument("--day", metavar="YYYY-MM-DD", help="local day (default: today)")
    stats.add_argument("--json", action="store_true", help="one JSON object")
    ex = sub.add_parser("export", help="rows of a time range, without personal data")
    ex.add_argument(
        "--from",
        dest="start",
        required=True,
        metavar="WHEN",
        help="YYYY-MM-DD (local, inclusive) or an ISO 8601 time",
    )
    ex.add_argument(
        "--to",
        dest="end",
        required=True,
        metavar="WHEN",
        help="YYYY-MM-DD (local, inclusive) or an ISO 8601 time",
    )
    ex.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    ex.add_argument("--output", type=Path, metavar="FILE", help="default: standard output")
    ex.add_argument("--quiet", action="store_true", help="no progress bar")
    purge = sub.add_parser("purge", help="blank personal data past retention (signed marker)")
    purge.add_argument("--dry-run", action="store_true", help="say what would be purged")
    restart = sub.add_parser(
        "restart-chain",
        help="after a lost or damaged journal: start a new chain, journaling the rows lost",
    )
    restart.add_argument("--confirm", action="store_true", help="do it (without: only say what)")
    restart.add_argument("--operator", metavar="NAME", help="the technician (journaled)")
    for action in sub.choices.values():
        add_global_options(action, subcommand=True)


@contextmanager
def _reading(data_dir: Path) -> Iterator[sqlite3.Connection]:
    """The journal file for reading, read-only: never creates or changes one, and works on a
    read-only mount (a card pulled from a kiosk). A storage fault is one line naming it."""
    path = journal_path(data_dir)
    if not path.is_file():
        raise UsageError(f"no journal at {path}")
    try:
        conn = db.connect_read_only(path, busy_timeout_ms=2000)
    except JournalError as e:
        raise UsageError(f"cannot open {path}: {e}") from None
    unread = db.unread_log_bytes(path)
    if unread:
        print(f"kiosk journal: warning: {path} was not closed cleanly and its folder is "
              f"read-only: the newest {unread:,} bytes of log are not read (copy the folder "
              "somewhere writable to read them)", file=sys.stderr)  # fmt: skip
    try:
        version = db.user_version(conn)
        if version > SCHEMA_VERSION:
            raise UsageError(
                f"{path} has schema {version}; this kiosk knows up to {SCHEMA_VERSION}"
            )
        with db.storage_errors():
            if read_head(conn).journal_id is None:
                raise UsageError(f"{path} holds no journal (empty, or no chain in it)")
        yield conn
    except StorageUnavailable as e:
        raise UsageError(f"cannot read {path}: {e}") from None
    except sqlite3.Error as e:
        # Reads of a damaged file (stats, export); an output file's own errors pass by.
        if (fault := db.classify(e)) is None:
            raise
        raise UsageError(f"cannot read {path}: {StorageUnavailable(fault, str(e))}") from None
    finally:
        conn.close()


def _local_offset_min() -> int:
    clock = SystemClock()
    return clock.utc_offset_min(clock.wall())


def parse_when(text: str, *, end: bool, offset_min: int) -> int:
    """Unix ms. A date means its local midnight, or the next midnight for --to (inclusive)."""
    try:
        if len(text) == 10:
            day = date.fromisoformat(text) + timedelta(days=1 if end else 0)
            local = datetime.combine(
                day, datetime.min.time(), timezone(timedelta(minutes=offset_min))
            )
            return int(local.timestamp() * 1000)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"{text!r} is neither YYYY-MM-DD nor an ISO 8601 time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def _chain_problem(data_dir: Path, conn: sqlite3.Connection) -> str | None:
    """Whether the file is the chain this kiosk recorded, whole (chain_record.py)."""
    try:
        record = ChainRecord.load(chain_record_path(data_dir))
        if record is not None:
            with db.storage_errors():
                check_chain(record, journal_path(data_dir), read_head(conn))
    except StorageUnavailable as e:
        return e.detail
    return None


def _verify(data_dir: Path) -> int:
    with _reading(data_dir) as conn:
        report = verify(conn)
        chain = _chain_problem(data_dir, conn)
    if chain is not None:
        print(f"LOST: {chain}")
        return EXIT_NOT_ACCEPTED
    for line in report.damage:
        print(f"damaged: {line}")
    for finding in report.findings:
        print(finding.message)
    if report.damage:
        print(f"DAMAGED: the file fails SQLite's integrity check ({len(report.damage)} "
              f"problem(s)); the chain walk found {len(report.findings)} problem(s) in "
              f"{report.rows:,} readable rows")  # fmt: skip
        return EXIT_NOT_ACCEPTED
    if not report.ok:
        print(f"BROKEN: {len(report.findings)} problem(s); first at row {report.findings[0].seq}")
        return EXIT_NOT_ACCEPTED
    print(f"OK: {report.rows:,} rows, head {report.head_seq} {report.head_hash.hex()}")
    return EXIT_OK


def _stats(data_dir: Path, day_text: str | None, as_json: bool) -> int:
    offset = _local_offset_min()
    clock = SystemClock()
    try:
        day = day_number(date.fromisoformat(day_text)) if day_text else None
    except ValueError:
        raise UsageError(f"--day {day_text!r} is not YYYY-MM-DD") from None
    with _reading(data_dir) as conn:
        stats = day_stats(conn, day, round(clock.wall() * 1000), offset)
    if as_json:
        print(json.dumps(stats.as_json(), ensure_ascii=False))
        return EXIT_OK
    print(f"{stats.date}: {stats.rows:,} rows")
    for title, counts in (
        ("kind", stats.kind),
        ("verdict", stats.verdict),
        ("reason", stats.reason),
        ("outcome", stats.outcome),
        ("direction", stats.direction),
        ("service", stats.service),
        ("system", stats.action),
    ):
        if counts:
            print(f"  {title}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    busy = [f"{h:02d}h {n:,}" for h, n in enumerate(stats.hour) if n]
    if busy:
        print("  scans by hour: " + ", ".join(busy))
    return EXIT_OK


def _export(data_dir: Path, args: argparse.Namespace) -> int:
    offset = _local_offset_min()
    start = parse_when(args.start, end=False, offset_min=offset)
    end = parse_when(args.end, end=True, offset_min=offset)
    if end <= start:
        raise UsageError("--to is before --from")
    with _reading(data_dir) as conn:
        total = export.count(conn, start, end)
        bar = ProgressBar() if total >= PROGRESS_FROM and not args.quiet else None
        progress = (lambda done: bar(done, total)) if bar else None
        with ExitStack() as stack:
            out: TextIO = sys.stdout
            if args.output:
                out = stack.enter_context(args.output.open("w", encoding="utf-8", newline=""))
            try:
                written = export.write(export.rows(conn, start, end), out, args.format, progress)
            except BrokenPipeError:
                # The reader (`| head`) stopped early: not an error; keep Python quiet at exit.
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115
                return EXIT_OK
        if bar:
            bar.finish()
    print(f"exported {written:,} rows", file=sys.stderr)
    return EXIT_OK


def _purge(data_dir: Path, config_file: Path | None, dry_run: bool) -> int:
    config = load_kiosk_config(config_file, data_dir)
    if not journal_path(data_dir).is_file():
        raise UsageError(f"no journal at {journal_path(data_dir)}")
    try:
        # A tool's moment with the journal is no kiosk start: no "opened" row, the enrolled id.
        with Journal.open(
            data_dir, config, kiosk_id=kiosk_id(config, data_dir), announce=False
        ) as journal:
            report = journal.purge(dry_run=dry_run)
    except JournalError as e:
        raise UsageError(str(e)) from None
    if report.rows == 0:
        print("nothing to purge")
        return EXIT_OK
    span = ""
    if report.oldest_ts_ms is not None and report.newest_ts_ms is not None:
        first = datetime.fromtimestamp(report.oldest_ts_ms / 1000, UTC).date()
        last = datetime.fromtimestamp(report.newest_ts_ms / 1000, UTC).date()
        span = f" from {first} to {last}"
    verb = "would blank" if dry_run else "blanked"
    print(f"{verb} the personal data of {report.rows:,} rows{span}")
    if not dry_run:
        print(f"{report.markers} signed purge marker(s) appended")
    return EXIT_OK


def _restart_chain(
    data_dir: Path, config_file: Path | None, confirm: bool, operator: str | None
) -> int:
    """The only way a new chain replaces a journal this kiosk had: asked for by name, with the
    old file kept aside and the lost rows named in the new chain (which goes to the portal)."""
    config = load_kiosk_config(config_file, data_dir)
    try:
        record = ChainRecord.load(chain_record_path(data_dir))
    except StorageUnavailable as e:
        raise UsageError(str(e)) from None
    if record is None:
        raise UsageError("no chain record: this kiosk starts its journal by itself")
    if not confirm:
        try:
            Journal.open(data_dir, config, kiosk_id=kiosk_id(config, data_dir),
                         announce=False).close()  # fmt: skip
        except StorageUnavailable as e:
            if e.fault not in (StorageFault.LOST, StorageFault.CORRUPT):
                raise UsageError(f"fix the storage first: {e}") from None
            print(f"the journal {record.journal_id} cannot be used: {e.fault}: "
                  f"{e.detail.split(';')[0]}")  # fmt: skip
            print(f"rows {record.lost_range()} never reached the portal and would be recorded "
                  "as lost; run again with --confirm to start a new chain")  # fmt: skip
            return EXIT_NOT_ACCEPTED
        print(f"the journal {record.journal_id} is whole: nothing to restart")
        return EXIT_OK
    try:
        journal, detail = Journal.restart_chain(
            data_dir, config, kiosk_id=kiosk_id(config, data_dir), operator=operator
        )
    except JournalError as e:
        raise UsageError(str(e)) from None
    journal.close()
    kept = f"; the old file is kept as {detail['kept_as']}" if detail["kept_as"] else ""
    print(f"new chain started; journal {detail['previous_journal']} lost, rows {detail['lost']} "
          f"recorded as never sent{kept}")  # fmt: skip
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    opts = read_global_options(args)
    command = args.journal_command
    if command == "verify":
        return _verify(opts.data_dir)
    if command == "stats":
        return _stats(opts.data_dir, args.day, args.json)
    if command == "export":
        return _export(opts.data_dir, args)
    if command == "restart-chain":
        return _restart_chain(opts.data_dir, opts.config, args.confirm, args.operator)
    return _purge(opts.data_dir, opts.config, args.dry_run)
