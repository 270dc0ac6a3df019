"""The cameras this machine has, as source SPECs a technician can pick from.

On Linux the stable names under /dev/v4l/by-id come first (they survive re-plugging), then the
plain /dev/videoN nodes; elsewhere the first few indexes (OpenCV cannot list devices there).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

BY_ID = Path("/dev/v4l/by-id")


@dataclass(frozen=True, slots=True)
class CameraChoice:
    spec: str  # camera:/dev/v4l/by-id/... or camera:0
    label: str


def list_cameras(by_id: Path = BY_ID, dev: Path = Path("/dev")) -> list[CameraChoice]:
    if not sys.platform.startswith("linux"):
        return [CameraChoice(f"camera:{i}", f"camera {i}") for i in range(3)]
    found: list[CameraChoice] = []
    if by_id.is_dir():
        for link in sorted(by_id.iterdir()):
            if link.name.endswith("-video-index0"):  # index1+ are metadata nodes, not pictures
                label = link.name.removeprefix("usb-").removesuffix("-video-index0")
                found.append(CameraChoice(f"camera:{link}", label.replace("_", " ")))
    for node in sorted(dev.glob("video[0-9]*"), key=lambda p: int(p.name[5:])):
        found.append(CameraChoice(f"camera:{node.name[5:]}", str(node)))
    return found
