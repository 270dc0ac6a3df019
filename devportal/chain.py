"""The portal's check of a device's journal chain (docs/sync.md, "Chain checks").

Every journal row reaches the portal, hash-chained: `row_hash = BLAKE2b-256(domain ‖ prev_hash ‖
canonical(fields))`. A batch is a segment of that chain; before storing it the portal checks
that each row's hash is the hash of its fields, that the segment is contiguous and linked, and
that it agrees with the rows and checkpoints it already holds for the device. What does not:

    chain_broken   the segment is not a chain by itself: a row's hash is not its fields', a seq
                   skipped or repeated inside the batch, a row not linked to the one before
    chain_gap      the segment does not touch what the portal holds: rows between are missing
    chain_fork     the segment disagrees with held rows or checkpoints: the same seq with
                   another hash, a link to another row, or a chain head gone backwards
                   (rows removed from the end of the kiosk's journal)

A segment starting a new chain (seq 1 after the genesis hash) where the portal holds another
one is a restarted chain: stored as the device's next chain, and flagged for the operator.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

ROW_DOMAIN = b"cds-journal/row/v1\x00"
GENESIS_HASH = "00" * 32
# What an event body carries besides the chained fields (docs/journal.md): not hashed.
NOT_CHAINED = frozenset({"seq", "prev_hash", "row_hash", "time", "rev_hash", "pseudonym", "sealed"})
HEX = frozenset("0123456789abcdef")


class ChainRefused(Exception):
    """The segment does not fit the chain the portal holds; `code` names how."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class Link:
    seq: int
    prev_hash: str
    row_hash: str
    event_id: str


@dataclass(frozen=True, slots=True)
class Head:
    """A checkpoint: the kiosk's chain head when it made a batch."""

    seq: int
    row_hash: str


def _hex32(body: Mapping[str, Any], name: str, event_id: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or len(value) != 64 or not set(value) <= HEX:
        raise ChainRefused("chain_broken", f"event {event_id}: {name} must be 64 lower-case hex")
    return value


def _plain(value: Any) -> bool:
    return value is None or isinstance(value, str) or (type(value) is int)


def link_of(event_id: str, body: Mapping[str, Any]) -> Link:
    """The row's place in the chain, after checking its hash is the hash of its fields."""
    seq = body.get("seq")
    if type(seq) is not int or seq < 1:
        raise ChainRefused("chain_broken", f"event {event_id}: seq must be a positive integer")
    prev_hash = _hex32(body, "prev_hash", event_id)
    row_hash = _hex32(body, "row_hash", event_id)
    fields = {k: v for k, v in body.items() if k not in NOT_CHAINED}
    if fields.get("event_id") != event_id or not all(_plain(v) for v in fields.values()):
        raise ChainRefused("chain_broken", f"seq {seq}: the body is not the row's chained fields")
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    digest = hashlib.blake2b(
        ROW_DOMAIN + bytes.fromhex(prev_hash) + canonical.encode(), digest_size=32
    ).hexdigest()
    if digest != row_hash:
        raise ChainRefused("chain_broken", f"seq {seq}: row_hash is not the hash of its fields")
    return Link(seq, prev_hash, row_hash, event_id)


def check_segment(links: Sequence[Link]) -> None:
    """The batch alone: contiguous seqs, each row linked to the one before."""
    for before, row in itertools.pairwise(links):
        if row.seq != before.seq + 1:
            raise ChainRefused(
                "chain_broken", f"seq {row.seq} follows seq {before.seq} in the batch"
            )
        if row.prev_hash != before.row_hash:
            raise ChainRefused("chain_broken", f"seq {row.seq} does not link to seq {before.seq}")


def is_restart(links: Sequence[Link], held_first: Link | None, held_any: bool) -> bool:
    """A new chain's first row where the portal holds a different chain for the device."""
    first = links[0]
    starts_anew = first.seq == 1 and first.prev_hash == GENESIS_HASH
    return (
        held_any and starts_anew and (held_first is None or held_first.row_hash != first.row_hash)
    )


def check_against_held(
    links: Sequence[Link],
    checkpoint: Head,
    held: Callable[[int], Link | None],
    held_range: tuple[int, int] | None,
    held_head: Head | None,
) -> None:
    """The segment and its checkpoint against what the portal holds of the same chain.

    `held(seq)` is the held row at seq or None; `held_range` the lowest and highest held seq;
    `held_head` the highest checkpoint received. Raises ChainRefused naming the first misfit."""
    first, last = links[0], links[-1]
    if checkpoint.seq < last.seq:
        raise ChainRefused(
            "chain_broken", f"checkpoint seq {checkpoint.seq} is before the batch's seq {last.seq}"
        )
    low, high = held_range if held_range is not None else (0, -1)
    for row in links:
        mine = held(row.seq) if low <= row.seq <= high else None  # one lookup per overlap
        if mine is not None and mine.row_hash != row.row_hash:
            raise ChainRefused("chain_fork", f"seq {row.seq} differs from the row held there")
    before = held(first.seq - 1)
    if before is not None and before.row_hash != first.prev_hash:
        raise ChainRefused("chain_fork", f"seq {first.seq} links to another seq {first.seq - 1}")
    after = held(last.seq + 1)
    if after is not None and after.prev_hash != last.row_hash:
        raise ChainRefused("chain_fork", f"held seq {last.seq + 1} links to another seq {last.seq}")
    at_checkpoint = next((r for r in links if r.seq == checkpoint.seq), None) or held(
        checkpoint.seq
    )
    if at_checkpoint is not None and at_checkpoint.row_hash != checkpoint.row_hash:
        raise ChainRefused(
            "chain_fork", f"the checkpoint at seq {checkpoint.seq} names another row"
        )
    if held_head is not None:
        if checkpoint.seq < held_head.seq:
            raise ChainRefused(
                "chain_fork",
                f"the chain head went back from seq {held_head.seq} to seq {checkpoint.seq}"
                " (rows removed from the end of the journal)",
            )
        if checkpoint.seq == held_head.seq and checkpoint.row_hash != held_head.row_hash:
            raise ChainRefused("chain_fork", f"the checkpoint at seq {checkpoint.seq} changed")
        row_at_head = next((r for r in links if r.seq == held_head.seq), None)
        if row_at_head is not None and row_at_head.row_hash != held_head.row_hash:
            raise ChainRefused("chain_fork", f"seq {held_head.seq} is not the checkpointed row")
    if held_range is not None:
        if checkpoint.seq < high:
            raise ChainRefused(
                "chain_fork",
                f"the chain head (seq {checkpoint.seq}) is behind rows held up to seq {high}",
            )
        if first.seq > high + 1:
            raise ChainRefused("chain_gap", f"seq {high + 1}..{first.seq - 1} missing")
        if last.seq < low - 1:
            raise ChainRefused("chain_gap", f"seq {last.seq + 1}..{low - 1} missing")
