"""Push the outbox to the portal in signed batches; mark only what a signed receipt names.

Each batch carries an idempotency key derived from the batch alone (device, event ids, the
seq and row hash of its last row), never from the journal's head, which moves with every row
(a `journal.opened` row at each start). The checkpoint a batch first went with (the journal's
head then) is remembered until the portal answers, so a batch resent after a lost
acknowledgement, even after a restart, is the same body under the same key and the portal
answers it again instead of storing it twice. The portal also stores by (device, event id), so
a batch that overlaps an earlier one cannot duplicate either.

A batch the portal acknowledged only in part stops the round: the rest stays pending and is
sent again next round, never marked on a guess.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from portal_sync.client import PortalClient
from portal_sync.enrolment import DeviceIdentity
from portal_sync.errors import SyncError
from portal_sync.outbox import Checkpoint, Outbox, OutboxItem
from portal_sync.receipts import acknowledged_ids

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 500
MAX_BATCH_SIZE = 5000  # the portal's limit

Progress = Callable[[int, int], None]  # (events acknowledged so far, backlog at the start)


@dataclass
class UploadReport:
    batches: int = 0
    sent: int = 0
    acknowledged: int = 0  # acknowledged by the portal (new or already held there)
    marked: int = 0  # newly marked in the outbox
    replayed: int = 0  # batches the portal had already stored (a lost acknowledgement)
    remaining: int = 0
    partial: bool = False  # the portal acknowledged less than a batch held
    error: SyncError | None = None


class SentBatches(Protocol):
    """Where the checkpoint of a batch not yet answered is kept across restarts."""

    def checkpoint_for(self, batch: str) -> Checkpoint | None: ...

    def remember(self, batch: str, checkpoint: Checkpoint) -> None:
        """Kept durably before the batch is sent (a failure to keep it raises OSError)."""
        ...


def idempotency_key(device_id: str, items: Sequence[OutboxItem]) -> str:
    """The batch's own: its device, event ids and last row (seq, row hash)."""
    h = hashlib.sha256(device_id.encode())
    for item in items:
        h.update(b"\0" + item.event_id.encode())
    last = items[-1].body if items else {}
    h.update(f"\0{last.get('seq')}\0{last.get('row_hash')}".encode())
    return "b-" + h.hexdigest()[:40]


def checkpoint_for_batch(outbox: Outbox, key: str, sent: SentBatches | None) -> Checkpoint:
    """The checkpoint the batch first went with, or the journal's head for a new batch."""
    held = sent.checkpoint_for(key) if sent is not None else None
    if held is not None:
        return held
    checkpoint = outbox.checkpoint()
    if sent is not None:
        try:
            sent.remember(key, checkpoint)
        except OSError as e:  # sent anyway: only a restart before the answer would change it
            log.warning("cannot keep the checkpoint of batch %s: %s", key, e)
    return checkpoint


def batch_body(device_id: str, items: Sequence[OutboxItem], checkpoint: Checkpoint) -> bytes:
    return json.dumps(
        {
            "device_id": device_id,
            "events": [{"event_id": i.event_id, "body": dict(i.body)} for i in items],
            "checkpoint": {"seq": checkpoint.seq, "row_hash": checkpoint.row_hash},
        },
        separators=(",", ":"),
        sort_keys=True,
        ensure_ascii=False,
    ).encode()


def send_batch(
    client: PortalClient,
    identity: DeviceIdentity,
    items: Sequence[OutboxItem],
    checkpoint: Checkpoint,
) -> tuple[list[str], bool]:
    """POST one batch; (the sent event ids the portal acknowledged, whether it was a replay)."""
    portal_key = identity.receipt_key()  # before sending: an unverifiable answer marks nothing
    key = idempotency_key(identity.device_id, items)
    response = client.post_signed(
        "/events",
        batch_body(identity.device_id, items, checkpoint),
        key=identity.signing_key,
        keyid=identity.device_id,
        what="uploading events",
        idempotency_key=key,
    )
    answer = client.json(response, "uploading events")
    # Only a receipt signed by the enrolled portal key, for this device, batch and chain
    # position, acknowledges anything (portal_sync/receipts.py).
    acked = acknowledged_ids(
        answer,
        portal_key,
        device_id=identity.device_id,
        batch=key,
        sent=[i.event_id for i in items],
        checkpoint=checkpoint,
    )
    return acked, answer.get("replayed") is True


def upload_pending(
    client: PortalClient,
    outbox: Outbox,
    identity: DeviceIdentity,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_batches: int | None = None,
    progress: Progress | None = None,
    stop: threading.Event | None = None,
    sent: SentBatches | None = None,
) -> UploadReport:
    """Send pending events, oldest first, until none are left, a batch fails, `max_batches`
    were sent or `stop` is set. A failure is returned in the report, not raised."""
    batch_size = max(1, min(batch_size, MAX_BATCH_SIZE))
    report = UploadReport()
    start_backlog = outbox.backlog()
    while max_batches is None or report.batches < max_batches:
        if stop is not None and stop.is_set():
            break
        items = outbox.pending(batch_size)
        if not items:
            break
        try:
            checkpoint = checkpoint_for_batch(
                outbox, idempotency_key(identity.device_id, items), sent
            )
            acked, replayed = send_batch(client, identity, items, checkpoint)
        except SyncError as e:
            report.error = e
            break
        report.batches += 1
        report.sent += len(items)
        report.acknowledged += len(acked)
        report.replayed += int(replayed)
        report.marked += outbox.acknowledge(acked) if acked else 0
        if progress is not None:
            progress(report.acknowledged, start_backlog)
        if len(acked) < len(items):
            report.partial = True
            break
    report.remaining = outbox.backlog()
    return report
