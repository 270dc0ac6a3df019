"""What the scan pipeline hands on: one frozen event per presentation of a code.

Shared by the pipeline (which makes them), the journal (which records them), the headless
runner (which prints them) and the GUI (which shows them). No personal data leaves the kiosk
through `public_json`: the subject appears masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from verifier import Verdict


@dataclass(frozen=True, slots=True)
class ScanEvent:
    verdict: Verdict
    source: str  # "camera:0", "images:DIR", "serial:/dev/ttyACM0", "wedge", "demo", ...
    source_kind: str  # "camera", "scanner", "file", "demo"
    wall_time: float  # Unix seconds when the frame or text was captured
    monotonic_time: float  # time.monotonic() at capture, for latency and debounce
    latency_ms: float  # capture to verdict
    text_digest: bytes  # BLAKE2b of the QR text: tells repeats apart without keeping the text
    # What a repeat is (the pipeline's window, the journal's debounce): one credential, not one
    # text. The pipeline sets it for a signed credential to the hash of its verified cti, so its
    # several texts (tag 18 or not, compressed or not) are one presentation; anything else is
    # known by its text.
    credential_key: bytes | None = None

    @property
    def presentation_key(self) -> bytes:
        return self.credential_key if self.credential_key is not None else self.text_digest

    def public_json(self) -> dict[str, Any]:
        """The event as one JSON object for `kiosk run --headless` (masked subject, no raw text)."""
        v = self.verdict
        return {
            "time": self.wall_time,
            "source": self.source,
            "verdict": str(v.outcome),
            "reason": str(v.reason) if v.reason else None,
            "kind": str(v.kind),
            "subject": v.subject.public_view() if v.subject else None,
            "warnings": [str(w) for w in v.warnings],
            "stale_lists": [str(w) for w in v.stale_lists],
            "latency_ms": round(self.latency_ms, 2),
        }
