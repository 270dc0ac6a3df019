"""What the runtime tells its listeners (the screen, the headless runner): frozen messages.

Listeners are called from the runtime's threads (the scan pipeline, the source, the status
timer); each message is immutable, so a GUI can hand it across threads as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from kiosk.core.events import ScanEvent
from kiosk.core.recorder import GateSnapshot, Recording
from kiosk.core.sources.base import SourceState


class SyncState(StrEnum):
    OFF = "off"  # not asked for, or a fixed trust state (the demo bundle, a test's)
    NOT_ENROLLED = "not_enrolled"
    STARTING = "starting"
    OK = "ok"  # the last round succeeded
    FAILING = "failing"  # the last round failed; the loop keeps trying
    ERROR = "error"  # cannot start (StatusSnapshot.sync_error says why)


class TrustLevel(StrEnum):
    """How fresh the trust list in force is."""

    NONE = "none"  # no trust list: every credential is rejected
    OK = "ok"
    STALE = "stale"  # past its next_update, inside the policy's grace
    EXPIRED = "expired"  # past the grace: the stale-trust policy judges credentials


class SiteState(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"  # the broker out of reach: this lane decides alone
    ERROR = "error"  # cannot be a lane (SiteSummary.detail says why)


class OutOfServiceReason(StrEnum):
    STORAGE = "storage"  # the journal cannot write; back in service when it can
    JOURNAL_LOST = "journal_lost"  # the journal is gone: a technician must look
    INTERNAL = "internal"  # a bug: the screen asks for a technician


@dataclass(frozen=True, slots=True)
class ShownScan:
    """A scan the recorder has committed (in the journal first), ready to be shown."""

    event: ScanEvent
    recording: Recording
    mode: str  # gate | counter
    direction: str | None  # the gate's direction when it was recorded
    admitted: bool  # the gate lets this person through (the recorder's outcome)
    recorded_monotonic: float  # after the commit: the screen's latency starts from the capture


@dataclass(frozen=True, slots=True)
class SourceChanged:
    source: str  # the SPEC
    kind: str  # camera, scanner, file, demo
    state: SourceState
    demo: bool = False
    demo_reason: str | None = None  # "asked" | "no_camera"
    error: str | None = None


@dataclass(frozen=True, slots=True)
class TrustSummary:
    level: TrustLevel
    version: int | None = None
    issued_at: int | None = None
    next_update: int | None = None
    revocations_version: int | None = None
    revocations_issued_at: int | None = None
    demo: bool = False
    # The revocation list's own state (kiosk.core.trust.freshness.ListState: ok | late | stale |
    # missing | unreadable), and the lists the stale-trust policy judges credentials by now
    # (verifier.StaleList values) with what that policy does (accept | reject): the screen says
    # which list is stale and whether credentials are still admitted.
    revocations_state: str = "missing"
    revocations_next_update: int | None = None
    stale_lists: tuple[str, ...] = ()
    on_stale: str = "accept"


@dataclass(frozen=True, slots=True)
class SiteSummary:
    """The site bus as this lane sees it (kiosk/core/site): None in the snapshot when alone."""

    site: str
    state: SiteState
    lanes_online: int = 0
    lanes: int = 0  # on the roster
    occupancy: int = 0  # the site's people inside today
    conflicts: int = 0
    unpublished: int = 0
    detail: str = ""


@dataclass(frozen=True, slots=True)
class StatusSnapshot:
    wall_time: float
    kiosk_name: str
    mode: str
    source: SourceChanged
    trust: TrustSummary
    gate: GateSnapshot
    backlog: int | None = None  # events not yet acknowledged by the portal
    sync_state: SyncState = SyncState.OFF
    last_sync: float | None = None  # wall time of the last successful round
    sync_error: str | None = None
    out_of_service: OutOfServiceReason | None = None  # None: in service
    out_of_service_detail: str = ""
    # Room for the journal (kiosk.core.journal.Space): ok | low | full | unknown. "low" warns
    # before the disk is full (journal.low_space_mb); the heartbeat carries it too.
    storage_space: str = "unknown"
    disk_free_bytes: int | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    # The pipeline's running totals, for the technician's decode-rate meter.
    frames_in: int = 0
    frames_decoded: int = 0
    events: int = 0
    site: SiteSummary | None = None  # a lane of a site (site.broker_url set)


@dataclass(frozen=True, slots=True)
class OutOfService:
    """Sent at once when the kiosk cannot do its job; a later StatusSnapshot says when it can."""

    reason: OutOfServiceReason
    detail: str


@dataclass(frozen=True, slots=True)
class BadgeSeen:
    """A technician badge was shown (kiosk.core.technician.badge); it never becomes a scan event."""

    ok: bool
    technician: str | None
    refusal: str | None  # kiosk.core.technician.badge.BadgeRefusal value when refused


RuntimeMessage = ShownScan | SourceChanged | StatusSnapshot | OutOfService | BadgeSeen
