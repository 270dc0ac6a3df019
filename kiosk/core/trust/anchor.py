"""Which trust anchor this kiosk pins: one answer for the screen, the gate and the sync client.

`trust.anchor` in the config (set by a technician) or the data dir's `anchor.hex` (written by
enrolment). When both are set they must agree: two anchors would let sync install lists that
the scanner then refuses, or the reverse, so a mismatch is an error that names both.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.core.config import Config
from kiosk.core.demo_data import demo_anchor
from kiosk.core.paths import trust_dir
from verifier import TrustStoreError, anchor_fingerprint, anchor_from_hex
from verifier.trust_store import ANCHOR_FILE, read_anchor


def resolve_anchor(config: Config, data_dir: Path) -> bytes:
    """The pinned anchor. Raises TrustStoreError naming what is missing, bad or in conflict."""
    configured = config.trust.anchor
    enrolled_file = trust_dir(data_dir) / ANCHOR_FILE
    if not configured:
        return read_anchor(trust_dir(data_dir))
    try:
        anchor = anchor_from_hex(configured)
    except ValueError as e:
        raise TrustStoreError(f"trust.anchor: {e}") from None
    if enrolled_file.is_file():
        enrolled = read_anchor(trust_dir(data_dir))
        if enrolled != anchor:
            raise TrustStoreError(
                f"trust.anchor ({anchor_fingerprint(anchor)}) differs from the enrolled anchor "
                f"in {enrolled_file} ({anchor_fingerprint(enrolled)}): keep one"
            )
    return anchor


DEMO_ANCHOR_WARNING = (
    "the trust anchor is the PUBLIC DEMO anchor ({fingerprint}): its private key is known, so"
    " anyone can make credentials, lists and badges this kiosk accepts. Enrol with the"
    " deployment's portal (kiosk enroll --replace-anchor)."
)


def demo_anchor_warning(anchor: bytes) -> str | None:
    """What to say, loudly, when a kiosk outside demo mode pins the demo set's anchor."""
    if anchor != demo_anchor():
        return None
    return DEMO_ANCHOR_WARNING.format(fingerprint=anchor_fingerprint(anchor))
