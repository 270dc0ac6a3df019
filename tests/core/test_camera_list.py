"""Camera choices: stable by-id names first, picture nodes only."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kiosk.core.camera_list import list_cameras


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux device names")
def test_by_id_first_then_nodes(tmp_path: Path) -> None:
    by_id, dev = tmp_path / "by-id", tmp_path / "dev"
    by_id.mkdir()
    dev.mkdir()
    for name in ("usb-Logi_C920_ABC-video-index0", "usb-Logi_C920_ABC-video-index1"):
        (by_id / name).touch()
    for name in ("video10", "video2"):
        (dev / name).touch()
    choices = list_cameras(by_id, dev)
    assert [c.spec for c in choices] == [
        f"camera:{by_id}/usb-Logi_C920_ABC-video-index0",
        "camera:2",
        "camera:10",
    ]
    assert choices[0].label == "Logi C920 ABC"
