"""The kiosk's built-in demo data: a trust anchor, signed lists and demo codes, no portal needed.

Made by `python -m devportal mint-demo` from fixed seeds and shipped in `kiosk/core/demo/`, so a
kiosk with no camera and no portal can still show the whole flow (`make run`, `--source demo`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from verifier import TrustState, anchor_from_hex, parse_revocations, parse_trust_list

DEMO_DIR = Path(__file__).with_name("demo")
ANCHOR_FILE = "anchor.hex"  # the anchor alone, beside the manifest (the same value)


@dataclass(frozen=True, slots=True)
class DemoCode:
    name: str  # valid, expired, revoked, forged, idcard, url
    text: str
    expected_verdict: str
    expected_reason: str | None
    label_vi: str
    label_en: str


@dataclass(frozen=True, slots=True)
class DemoBundle:
    anchor: bytes
    trust_list: bytes  # signed, as the portal serves it
    revocations: bytes
    codes: tuple[DemoCode, ...]
    checked_at: int  # a time at which every expected verdict holds

    def trust_state(self) -> TrustState:
        return TrustState(
            parse_trust_list(self.trust_list, self.anchor),
            parse_revocations(self.revocations, self.anchor),
        )


def demo_anchor(directory: Path = DEMO_DIR) -> bytes:
    """The demo set's trust anchor, without reading the rest of the set."""
    return anchor_from_hex((directory / ANCHOR_FILE).read_text(encoding="utf-8").strip())


def load_demo(directory: Path = DEMO_DIR) -> DemoBundle:
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    codes = tuple(
        DemoCode(
            name=Path(c["file"]).stem.split("-", 1)[1],
            text=(directory / c["file"]).read_text(encoding="utf-8").removesuffix("\n"),
            expected_verdict=c["verdict"],
            expected_reason=c["reason"],
            label_vi=c["label_vi"],
            label_en=c["label_en"],
        )
        for c in manifest["codes"]
    )
    return DemoBundle(
        anchor=demo_anchor(directory),
        trust_list=(directory / "trust-list.cose").read_bytes(),
        revocations=(directory / "revocations.cose").read_bytes(),
        codes=codes,
        checked_at=manifest["checked_at"],
    )
