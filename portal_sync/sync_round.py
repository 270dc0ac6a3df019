"""One sync round: pull the signed lists, push the outbox, send a heartbeat.

`SyncRunner` holds what a round needs (client, identity, trust store, outbox, state) and
returns a `RoundReport`: what moved, what failed, and notices for the journal (a refused
document, clock drift, the device refused by the portal). A failure in one stage does not hide
another's result; a transient failure sets the persisted backoff, and a round that moved
something (a list installed, events acknowledged) starts the backoff again from its first step.

A round has a deadline of its own (each request's is cut to fit it), and ends early when the
portal does not answer in time (the next request would only wait as long again) or the loop
is stopping.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portal_sync import clock
from portal_sync.client import PortalClient
from portal_sync.document_fetch import KINDS, DocumentOutcome, refresh_document
from portal_sync.enrolment import DeviceIdentity, site_secret_path, state_path
from portal_sync.errors import SyncError, Transient, Unauthorised
from portal_sync.heartbeat import Health, send_heartbeat
from portal_sync.outbox import Checkpoint, Outbox
from portal_sync.roster import ROSTER, refresh_roster
from portal_sync.state import SyncState
from portal_sync.upload import DEFAULT_BATCH_SIZE, Progress, UploadReport, upload_pending
from verifier.trust_store import TrustStore

log = logging.getLogger(__name__)

DEFAULT_ROUND_DEADLINE_S = 300.0
# After one of these the portal is not answering (or the loop is stopping): the round ends.
UNANSWERED_CODES = frozenset({"timeout", "deadline", "round_deadline", "stopped"})


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the journal should record: kind is document_refused | clock_drift |
    clock_ok | device_refused."""

    kind: str
    detail: Mapping[str, Any]


@dataclass
class RoundReport:
    started: float
    documents: list[DocumentOutcome] = field(default_factory=list)
    upload: UploadReport | None = None
    heartbeat_sent: bool = False
    clock_offset_s: float | None = None
    errors: list[SyncError] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    next_round_in_s: float | None = None  # set when backing off
    cut_short: str | None = None  # why the round's later stages did not run

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def progressed(self) -> bool:
        """A list installed or events acknowledged: the portal is there and working."""
        marked = self.upload.marked if self.upload is not None else 0
        return marked > 0 or any(d.status == "installed" for d in self.documents)

    def unanswered(self) -> bool:
        return any(e.code in UNANSWERED_CODES for e in self.errors)

    def summary(self) -> str:
        parts = []
        for d in self.documents:
            version = f" v{d.version}" if d.version is not None else ""
            why = f" ({d.reason}: {d.detail})" if d.refused else ""
            parts.append(f"{d.kind}{version}: {d.status}{why}")
        if self.upload is not None:
            u = self.upload
            parts.append(
                f"events: {u.acknowledged} acknowledged in {u.batches} batches,"
                f" {u.remaining} waiting"
            )
        parts.append("heartbeat: sent" if self.heartbeat_sent else "heartbeat: not sent")
        if self.clock_offset_s is not None:
            parts.append(f"portal clock {round(self.clock_offset_s) or 0:+d} s from ours")
        parts.extend(f"error: {e}" for e in self.errors)
        if self.cut_short is not None:
            parts.append(f"rest of the round skipped: {self.cut_short}")
        if self.next_round_in_s is not None:
            parts.append(f"next try in {self.next_round_in_s:.0f} s")
        return "\n".join(parts)


class SyncRunner:
    """Runs rounds for one enrolled kiosk. Use from one thread at a time."""

    def __init__(
        self,
        client: PortalClient,
        identity: DeviceIdentity,
        store: TrustStore,
        outbox: Outbox | None,
        data_dir: Path,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        drift_threshold_s: float = clock.DEFAULT_THRESHOLD_S,
        round_deadline_s: float = DEFAULT_ROUND_DEADLINE_S,
        version: str = "unknown",
        health_extra: Callable[[], Mapping[str, Any]] | None = None,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.client, self.identity, self.store, self.outbox = client, identity, store, outbox
        self.data_dir = Path(data_dir)
        self.batch_size = batch_size
        self.drift_threshold_s = drift_threshold_s
        self.round_deadline_s = round_deadline_s
        client.offset_limit_s = drift_threshold_s  # an offset past it never dates a signature
        self.version = version
        self.health_extra = health_extra
        self.wall_clock = wall_clock
        self.state_file = state_path(self.data_dir)
        self.state = SyncState.load(self.state_file)
        if self.state.clock_offset_s is not None and client.clock_offset_s is None:
            client.clock_offset_s = self.state.clock_offset_s

    def wait_s(self) -> float:
        """Seconds the persisted backoff asks to wait before the next round."""
        return self.state.wait_s(self.wall_clock())

    def abort(self) -> None:
        """From another thread: end the round in progress now (the request in flight too)."""
        self.client.abort()

    def run_round(
        self,
        *,
        max_batches: int | None = None,
        progress: Progress | None = None,
        stop: threading.Event | None = None,
    ) -> RoundReport:
        report = RoundReport(started=self.wall_clock())
        with self.client.round_deadline(self.round_deadline_s):
            self._documents(report, stop)
            refused = self._go_on(report, stop) and self._upload(
                report, max_batches, progress, stop
            )
            if not refused and self._go_on(report, stop):
                self._heartbeat(report)
        self._clock(report)
        self._settle(report)
        return report

    def _refresh(self, kind: str) -> DocumentOutcome:
        if kind == ROSTER:
            assert self.identity.site is not None
            return refresh_roster(
                self.client, self.data_dir, self.store.anchor, self.identity.site, self.state
            )
        return refresh_document(self.client, self.store, self.state, kind)

    def _go_on(self, report: RoundReport, stop: threading.Event | None) -> bool:
        """Whether the round's next stage should run; notes why not."""
        if report.cut_short is not None:
            return False
        left = self.client.round_time_left()
        if stop is not None and stop.is_set():
            report.cut_short = "the sync loop is stopping"
        elif (left is not None and left <= 0) or any(
            e.code == "round_deadline" for e in report.errors
        ):
            report.cut_short = f"the round's {self.round_deadline_s:g} s deadline passed"
        elif report.unanswered():
            report.cut_short = "the portal did not answer in time"
        return report.cut_short is None

    def _documents(self, report: RoundReport, stop: threading.Event | None) -> None:
        # A lane of a site (its enrolment carried the site secret) also keeps the site's roster.
        lane = self.identity.site and site_secret_path(self.data_dir).exists()
        for kind in (*KINDS, ROSTER) if lane else KINDS:
            if not self._go_on(report, stop):
                return
            try:
                outcome = self._refresh(kind)
            except SyncError as e:
                report.errors.append(e)
                continue
            report.documents.append(outcome)
            if outcome.refused and not outcome.repeated:
                report.notices.append(
                    Notice(
                        "document_refused",
                        {
                            "kind": kind,
                            "reason": outcome.reason,
                            "detail": outcome.detail,
                            "held_version": outcome.version,
                        },
                    )
                )

    def checkpoint_for(self, batch: str) -> Checkpoint | None:
        """upload.SentBatches: the checkpoint the batch first went with, kept in the state."""
        return self.state.checkpoint_of(batch)

    def remember(self, batch: str, checkpoint: Checkpoint) -> None:
        self.state.sent_batch = {
            "batch": batch,
            "seq": checkpoint.seq,
            "row_hash": checkpoint.row_hash,
        }
        self.state.save(self.state_file)

    def _upload(
        self,
        report: RoundReport,
        max_batches: int | None,
        progress: Progress | None,
        stop: threading.Event | None,
    ) -> bool:
        """Returns True when the portal refused the device (no point in a heartbeat)."""
        if self.outbox is None:
            return False
        upload = UploadReport()
        for _ in range(2):
            upload = upload_pending(
                self.client,
                self.outbox,
                self.identity,
                batch_size=self.batch_size,
                max_batches=max_batches,
                progress=progress,
                stop=stop,
                sent=self,
            )
            # Refused as stale: the refusal's Date header has just corrected the clock offset,
            # so one more try in this round normally passes (unless the offset is too large
            # to be applied: then signing again changes nothing).
            if upload.error is None or upload.error.code != "stale_created":
                break
            if not self.client.offset_applied:
                break
        report.upload = upload
        error = upload.error
        if error is None:
            return False
        report.errors.append(error)
        if isinstance(error, Unauthorised):
            report.notices.append(
                Notice("device_refused", {"code": error.code, "detail": str(error)})
            )
            return True
        return False

    def _heartbeat(self, report: RoundReport) -> None:
        try:
            send_heartbeat(self.client, self.identity, self.health())
            report.heartbeat_sent = True
        except SyncError as e:
            report.errors.append(e)

    def health(self) -> Health:
        trust = self.store.state
        now = self.wall_clock()
        try:
            disk_free: int | None = shutil.disk_usage(self.data_dir).free
        except OSError:
            disk_free = None
        extra = dict(self.health_extra()) if self.health_extra else {}
        return Health(
            version=self.version,
            clock=now,
            backlog=self.outbox.backlog() if self.outbox is not None else 0,
            trust_list_version=trust.trust_list.version if trust.trust_list else None,
            trust_list_age_s=now - trust.trust_list.issued_at if trust.trust_list else None,
            revocations_version=trust.revocations.version if trust.revocations else None,
            disk_free_bytes=disk_free,
            clock_offset_s=self.client.clock_offset_s,
            camera=str(extra.pop("camera", "unknown")),
            extra=extra,
        )

    def _clock(self, report: RoundReport) -> None:
        offset = self.client.clock_offset_s
        report.clock_offset_s = offset
        if offset is None:
            return
        self.state.clock_offset_s = offset
        drift = clock.drift_to_report(offset, self.drift_threshold_s, self.state.drift_reported_s)
        if drift is not None:
            self.state.drift_reported_s = drift
            report.notices.append(
                Notice(
                    "clock_drift",
                    {
                        "offset_s": round(drift, 1),
                        "threshold_s": self.drift_threshold_s,
                        # Signatures keep the kiosk's own clock (client.portal_now).
                        "applied_to_signatures": self.client.offset_applied,
                    },
                )
            )
        elif clock.back_in_range(offset, self.drift_threshold_s, self.state.drift_reported_s):
            self.state.drift_reported_s = None
            report.notices.append(Notice("clock_ok", {"offset_s": round(offset, 1)}))

    def _settle(self, report: RoundReport) -> None:
        now = self.wall_clock()
        if report.ok:
            self.state.record_success(now)
        elif all(e.code == "stopped" for e in report.errors):
            pass  # cut short by the kiosk itself: nothing learnt about the portal
        else:
            if report.progressed:
                self.state.failures = 0  # the portal works: back off from the first step
            transient = [e for e in report.errors if isinstance(e, Transient)]
            retry_after = max((e.retry_after or 0.0 for e in transient), default=0.0) or None
            report.next_round_in_s = self.state.record_failure(
                now, str(report.errors[0]), retry_after, code=report.errors[0].code
            )
        try:
            self.state.save(self.state_file)
        except OSError as e:
            log.warning("cannot save the sync state %s: %s", self.state_file, e)
