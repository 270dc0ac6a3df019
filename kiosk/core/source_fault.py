"""When the kiosk cannot read codes: its camera (or serial scanner) is gone or will not open.

Decided here, without Qt, so every screen says the same; the screen shows it as out of service,
naming what is wrong, instead of "show your code" over no picture. It is not a journal fault:
a keyboard-wedge scan still works, is journaled and shows its verdict over it.
"""

from __future__ import annotations

from enum import StrEnum

from kiosk.core.runtime_messages import SourceChanged


class SourceFault(StrEnum):
    CAMERA_LOST = "camera_lost"  # unplugged or stalled; the kiosk is reconnecting
    CAMERA_FAILED = "camera_failed"  # could not be opened
    SCANNER_LOST = "scanner_lost"
    SCANNER_FAILED = "scanner_failed"


_SCANNERS = ("serial", "scanner")


def source_fault(source: SourceChanged) -> SourceFault | None:
    """The fault to show for this source state, or None while it can read codes. A file or demo
    source that has shown everything it holds has ended, not failed."""
    if source.demo:
        return None
    scanner = source.kind in _SCANNERS
    if source.state in ("lost", "reopening"):
        return SourceFault.SCANNER_LOST if scanner else SourceFault.CAMERA_LOST
    if source.state == "failed":
        return SourceFault.SCANNER_FAILED if scanner else SourceFault.CAMERA_FAILED
    return None
