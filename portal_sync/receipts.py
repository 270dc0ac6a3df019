"""Upload receipts: the only acknowledgement the kiosk believes (docs/sync.md).

The portal answers a batch with a COSE_Sign1 signed by its portal key (the one the anchor-signed
enrolment named), whose CBOR payload names the device, the batch's idempotency key, the events
it holds and the chain checkpoint the batch carried. An answer without one, with one signed by
another key, or naming another device, batch or checkpoint acknowledges nothing: the events stay
pending. The `acknowledged` list in the JSON around it is for people; the kiosk never reads it.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from portal_sync.errors import Transient
from portal_sync.outbox import Checkpoint
from verifier.documents import open_signed
from verifier.errors import DocumentError

RECEIPT_TYPE = "cds-upload-receipt"
RECEIPT_VERSION = 1
MAX_RECEIPT_BYTES = 1024 * 1024  # 5,000 ids of 64 characters and the rest


class UnverifiedReceipt(Transient):
    """The portal's answer carries no receipt this kiosk can verify: nothing is acknowledged."""


@dataclass(frozen=True, slots=True)
class Receipt:
    device_id: str
    batch: str
    events: frozenset[str]
    checkpoint: Checkpoint
    received_at: int


def _refuse(why: str) -> UnverifiedReceipt:
    return UnverifiedReceipt(f"uploading events: {why}; nothing marked", code="unverified_receipt")


def open_receipt(encoded: object, portal_key: bytes) -> Receipt:
    """The receipt in an answer's `receipt` field (base64), verified under `portal_key`.
    Raises UnverifiedReceipt naming what is wrong."""
    if not isinstance(encoded, str) or len(encoded) > MAX_RECEIPT_BYTES * 4 // 3 + 4:
        raise _refuse("the answer has no receipt")
    try:
        raw = base64.b64decode(encoded, validate=True)
        body = open_signed(raw, portal_key, max_bytes=MAX_RECEIPT_BYTES)
    except (binascii.Error, ValueError):
        raise _refuse("the receipt is not base64") from None
    except DocumentError as e:
        raise _refuse(f"the receipt is not the portal key's ({e})") from None
    return _read(body)


def _read(body: Mapping[str, Any]) -> Receipt:
    if body.get("type") != RECEIPT_TYPE or body.get("v") != RECEIPT_VERSION:
        raise _refuse("the receipt is not an upload receipt of a known version")
    device_id, batch, events = body.get("device_id"), body.get("batch"), body.get("events")
    checkpoint, received_at = body.get("checkpoint"), body.get("received_at")
    if not isinstance(device_id, str) or not isinstance(batch, str):
        raise _refuse("the receipt's device or batch is not text")
    if not isinstance(events, Sequence) or isinstance(events, str | bytes):
        raise _refuse("the receipt's events are not a list")
    if not all(isinstance(e, str) for e in events):
        raise _refuse("the receipt's event ids are not text")
    if not isinstance(checkpoint, Mapping):
        raise _refuse("the receipt has no checkpoint")
    seq, row_hash = checkpoint.get("seq"), checkpoint.get("row_hash")
    if type(seq) is not int or not isinstance(row_hash, str) or type(received_at) is not int:
        raise _refuse("the receipt's checkpoint or time is not of the documented types")
    return Receipt(device_id, batch, frozenset(events), Checkpoint(seq, row_hash), received_at)


def acknowledged_ids(
    answer: Mapping[str, Any],
    portal_key: bytes,
    *,
    device_id: str,
    batch: str,
    sent: Sequence[str],
    checkpoint: Checkpoint,
) -> list[str]:
    """The sent ids, in order, that a verified receipt for exactly this batch names. Raises
    UnverifiedReceipt for any answer that is not such a receipt."""
    receipt = open_receipt(answer.get("receipt"), portal_key)
    if receipt.device_id != device_id:
        raise _refuse(f"the receipt names another device ({receipt.device_id})")
    if receipt.batch != batch:
        raise _refuse("the receipt is for another batch")
    if receipt.checkpoint != checkpoint:
        raise _refuse("the receipt names another chain position")
    if not receipt.events <= set(sent):
        raise _refuse("the receipt names events this batch did not hold")
    return [e for e in sent if e in receipt.events]
