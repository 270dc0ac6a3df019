"""Journal rows before they are chained: what each kind of event stores, and event ids.

Kinds: `scan` (one presentation of a code), `passage` (a turnstile reported a scan's person
passed or not), `counter` (a service transaction at a counter, following a scan) and `system`
(technician and system events). Nothing here keeps the QR text, a frame, or a readable name
or ID number: those reach the row only sealed (see sealing.py).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from kiosk.core.events import ScanEvent
from kiosk.core.journal.sealing import Sealer

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

DetailValue = str | int | bool | None


class Kind(StrEnum):
    SCAN = "scan"
    PASSAGE = "passage"
    COUNTER = "counter"
    SYSTEM = "system"


class Action(StrEnum):
    """Technician and system events. Their `detail` must never carry personal data or secrets."""

    JOURNAL_CREATED = "journal.created"  # first row: the journal's signing key
    JOURNAL_OPENED = "journal.opened"  # each start: whether personal data can be sealed
    APP_START = "app.start"
    APP_STOP = "app.stop"
    SETTINGS_CHANGED = "settings.changed"  # key, old, new (who: the operator)
    TRUST_LIST_INSTALLED = "trust_list.installed"  # version
    TRUST_LIST_REFUSED = "trust_list.refused"  # version, why
    REVOCATIONS_INSTALLED = "revocations.installed"
    REVOCATIONS_REFUSED = "revocations.refused"
    TRUST_ANCHOR_CHANGED = "trust_anchor.changed"
    # Trust data became stale (lists, why; kiosk.core.trust.freshness), or fresh again: once
    # per change, never per scan.
    TRUST_DATA_STALE = "trust_data.stale"
    TRUST_DATA_FRESH = "trust_data.fresh"
    TECHNICIAN_UNLOCK = "technician.unlock"  # method: pin | badge (who: the badge's technician)
    TECHNICIAN_LOCK = "technician.lock"
    TECHNICIAN_BADGE_REFUSED = "technician.badge_refused"  # why: the refusal
    PIN_SET = "pin.set"  # the first PIN, at first start
    PIN_CHANGED = "pin.changed"
    PIN_FAILURE = "pin.failure"
    PIN_LOCKOUT = "pin.lockout"
    CAMERA_LOST = "camera.lost"
    CAMERA_RECOVERED = "camera.recovered"
    CLOCK_DRIFT = "clock.drift"  # drift_ms, source
    CLOCK_OK = "clock.ok"  # the clock is back within the threshold
    DEVICE_REFUSED = "portal.device_refused"  # the portal refused this device: code
    DIRECTION_CHANGED = "gate.direction"  # old, new
    GATE_ACTION = "gate.action"  # scan event id, action kind, ok, passed, detail, ms
    STORAGE_FAULT = "storage.fault"  # written once storage is back: fault, since_ms, until_ms
    RETENTION_PURGE = "retention.purge"  # the signed marker
    SITE_CONFLICT = "site.conflict"  # two lanes admitted one person apart: events, lanes
    SITE_PASSAGE_REFUSED = "site.passage_refused"  # a bus message refused: lane, code, count
    SITE_BUS = "site.bus"  # the site bus came up or went down: state, detail
    SITE_ROSTER_INSTALLED = "site_roster.installed"  # version, previous
    SITE_ROSTER_REFUSED = "site_roster.refused"  # version, why
    # A technician started a new chain: previous journal, acked/seen rows, the lost range.
    CHAIN_RESTARTED = "journal.chain_restarted"


class Outcome(StrEnum):
    ADMITTED = "admitted"  # gate: let through (no turnstile: the verdict is the passage)
    REFUSED = "refused"
    AWAITING_PASSAGE = "awaiting_passage"  # gate with a turnstile: a passage row follows
    PRESENTED = "presented"  # counter: a code was shown; a transaction row may follow
    PASSED = "passed"
    NOT_PASSED = "not_passed"
    RECORDED = "recorded"  # counter transaction


# The outcomes that open the gate (or wait for the turnstile): one place for the rule.
ADMITTING = frozenset({Outcome.ADMITTED, Outcome.AWAITING_PASSAGE})


def admits(outcome: str | None) -> bool:
    """Whether a scan row's outcome lets the person through (read from a Recorded or a row)."""
    return outcome in ADMITTING


class Clock(Protocol):
    def wall(self) -> float: ...
    def monotonic(self) -> float: ...
    def utc_offset_min(self, wall: float) -> int: ...


class SystemClock:
    def wall(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()

    def utc_offset_min(self, wall: float) -> int:
        return time.localtime(wall).tm_gmtoff // 60


class EventIds:
    """ULIDs: 48-bit milliseconds then 80 random bits, Crockford base32; strictly increasing
    within a process even when the wall clock steps back (the ULID monotonic rule)."""

    def __init__(self) -> None:
        self._last_ms = -1
        self._last_random = 0

    def new(self, ts_ms: int) -> str:
        if ts_ms <= self._last_ms:
            ts_ms, rand = self._last_ms, self._last_random + 1
            if rand >> 80:
                ts_ms, rand = ts_ms + 1, int.from_bytes(os.urandom(10), "big")
        else:
            rand = int.from_bytes(os.urandom(10), "big")
        self._last_ms, self._last_random = ts_ms, rand
        value = (ts_ms << 80) | rand
        return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


@dataclass(frozen=True, slots=True)
class Row:
    """One event before chaining: `chained` fields (CHAINED minus personal_hash) and personal."""

    chained: Mapping[str, Any]
    personal: Mapping[str, bytes | None] = field(
        default_factory=lambda: {"rev_hash": None, "pseudonym": None, "sealed": None}
    )

    @property
    def event_id(self) -> str:
        return str(self.chained["event_id"])


@dataclass(frozen=True, slots=True)
class Context:
    """Who writes: the same for every row of a running kiosk."""

    kiosk_id: str
    mode: str  # gate | counter


def detail_json(detail: Mapping[str, DetailValue]) -> str:
    for key, value in detail.items():
        if not (value is None or isinstance(value, str | int)):
            raise TypeError(f"detail {key!r}: only str, int, bool and None are journaled")
    return json.dumps(dict(detail), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _base(
    ctx: Context, event_id: str, kind: Kind, ts_ms: int, offset: int, mono_us: int | None
) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "kind": str(kind),
        "action": None,
        "ts_ms": ts_ms,
        "utc_offset_min": offset,
        "mono_us": mono_us,
        "kiosk_id": ctx.kiosk_id,
        "mode": ctx.mode,
        "direction": None,
        "service": None,
        "verdict": None,
        "reason": None,
        "code_kind": None,
        "warnings": None,
        "source": None,
        "source_kind": None,
        "latency_us": None,
        "outcome": None,
        "flags": None,
        "ref": None,
        "operator": None,
        "detail": None,
        "kid": None,
    }


def _flags(flags: tuple[str, ...]) -> str | None:
    return ",".join(flags) or None


def scan_row(
    scan: ScanEvent,
    *,
    ctx: Context,
    event_id: str,
    offset: int,
    direction: str | None,
    outcome: Outcome,
    flags: tuple[str, ...],
    operator: str | None,
    pseudonym: bytes | None,
    rev_hash: bytes | None,
    sealer: Sealer,
) -> Row:
    """`rev_hash` is the keyed one (Pseudonyms.of_credential), never the bare revocation hash."""
    v = scan.verdict
    chained = _base(
        ctx,
        event_id,
        Kind.SCAN,
        round(scan.wall_time * 1000),
        offset,
        round(scan.monotonic_time * 1e6),
    )
    chained.update(
        direction=direction,
        verdict=str(v.outcome),
        reason=str(v.reason) if v.reason else None,
        code_kind=str(v.kind),
        warnings=",".join(str(w) for w in v.warnings) or None,
        source=scan.source,
        source_kind=scan.source_kind,
        latency_us=round(scan.latency_ms * 1000),
        outcome=str(outcome),
        flags=_flags(flags),
        operator=operator,
        kid=v.credential.kid if v.credential else None,
    )
    subject = v.subject
    personal = {
        "rev_hash": rev_hash,
        "pseudonym": pseudonym,
        # Only the ID number and the name, and only sealed: the minimum the portal needs.
        "sealed": sealer.seal({"id": subject.id_number, "name": subject.name}) if subject else None,
    }
    return Row(chained, personal)


def passage_row(
    *,
    ctx: Context,
    event_id: str,
    ts_ms: int,
    offset: int,
    mono_us: int,
    ref: str,
    direction: str | None,
    passed: bool,
    pseudonym: bytes | None,
) -> Row:
    chained = _base(ctx, event_id, Kind.PASSAGE, ts_ms, offset, mono_us)
    chained.update(
        direction=direction,
        ref=ref,
        outcome=str(Outcome.PASSED if passed else Outcome.NOT_PASSED),
    )
    # The pseudonym rides along so anti-passback can be rebuilt from the journal after a restart.
    return Row(chained, {"rev_hash": None, "pseudonym": pseudonym, "sealed": None})


def counter_row(
    *,
    ctx: Context,
    event_id: str,
    ts_ms: int,
    offset: int,
    mono_us: int,
    ref: str,
    service: str,
    reference: str | None,
    operator: str | None,
    sealer: Sealer,
) -> Row:
    chained = _base(ctx, event_id, Kind.COUNTER, ts_ms, offset, mono_us)
    # A reference typed by staff may be an account or a bank transaction number: sealed too.
    # The row says that there was one (and whether it is kept), never what it was.
    sealed = sealer.seal({"reference": reference}) if reference else None
    detail = detail_json({"reference": "sealed" if sealed else "not_kept"}) if reference else None
    chained.update(
        service=service, ref=ref, outcome=str(Outcome.RECORDED), operator=operator, detail=detail
    )
    return Row(chained, {"rev_hash": None, "pseudonym": None, "sealed": sealed})


def system_row(
    *,
    ctx: Context,
    event_id: str,
    ts_ms: int,
    offset: int,
    mono_us: int,
    action: Action,
    detail: Mapping[str, DetailValue],
    operator: str | None,
) -> Row:
    chained = _base(ctx, event_id, Kind.SYSTEM, ts_ms, offset, mono_us)
    chained.update(action=str(action), detail=detail_json(detail), operator=operator)
    return Row(chained)
