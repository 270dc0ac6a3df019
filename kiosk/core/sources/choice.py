"""Which source a kiosk reads: the one asked for, else the configured one, else the built-in
demo when the default camera is not there (and it says so)."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.config import Config
from kiosk.core.sources.spec import SourceSpec, parse_spec

log = logging.getLogger(__name__)


def camera_present(spec: SourceSpec) -> bool:
    """Whether the camera a SPEC names exists (Linux device nodes; elsewhere: assume so)."""
    if spec.kind != "camera":
        return True
    if not spec.target.isdigit():
        return Path(spec.target).exists()
    if sys.platform.startswith("linux"):
        return Path(f"/dev/video{spec.target}").exists()
    return True


@dataclass(frozen=True, slots=True)
class SourceChoice:
    spec: SourceSpec
    demo: bool
    demo_reason: str | None  # asked | no_camera


def choose_source(config: Config, asked: str | None, demo: bool) -> SourceChoice:
    """Raises SourceError for a SPEC that names no source."""
    if demo:
        return SourceChoice(parse_spec("demo"), True, "asked")
    spec = parse_spec(asked or config.scan.source)
    if spec.kind == "demo":
        return SourceChoice(spec, True, "asked")
    from_default = asked is None and config.sources.get("scan.source") == "default"
    if from_default and not camera_present(spec):
        log.warning("no camera at %s: running the built-in demo instead", spec)
        return SourceChoice(parse_spec("demo"), True, "no_camera")
    return SourceChoice(spec, False, None)
