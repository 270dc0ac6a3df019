"""Where frames and scanned texts come from: cameras, files, the demo, serial scanners.

Every source pushes `Capture`s (a frame or a text, stamped with wall and monotonic time) to a
non-blocking `deliver` callable from a thread of its own, and reports its `SourceState`.
"""

from kiosk.core.sources.base import (
    Capture,
    Deliver,
    Frame,
    Source,
    SourceError,
    SourceKind,
    SourceState,
    SpecError,
)
from kiosk.core.sources.spec import SourceSpec, make_source, parse_spec

__all__ = [
    "Capture",
    "Deliver",
    "Frame",
    "Source",
    "SourceError",
    "SourceKind",
    "SourceSpec",
    "SourceState",
    "SpecError",
    "make_source",
    "parse_spec",
]
