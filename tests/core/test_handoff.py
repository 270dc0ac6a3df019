"""Counter hand-off: payload, file drop, loopback HTTP."""

from __future__ import annotations

import json
import os
import time
import urllib.request
from pathlib import Path

from kiosk.core.handoff import MAX_AGE_S, LoopbackServer, drop_file, make_handoff, sweep_drops
from verifier import CodeKind, Outcome, Reason, Subject, Verdict

SUBJECT = Subject("001099012345", "Nguyễn Văn An", "1990-05-17", "M")
ACCEPT = Verdict(Outcome.ACCEPT, None, CodeKind.CDS1, SUBJECT)


def test_payload_and_text() -> None:
    h = make_handoff(ACCEPT, service="water", reference="HD-42", now=1000.0)
    assert h is not None
    assert h.payload["verified"] and h.payload["id_number"] == "001099012345"
    assert h.as_text().splitlines() == ["Nguyễn Văn An", "001099012345", "1990-05-17", "water",
                                        "HD-42"]  # fmt: skip
    assert make_handoff(Verdict(Outcome.REJECT, Reason.EXPIRED, CodeKind.CDS1, SUBJECT),
                        service=None, reference=None, now=0) is None  # fmt: skip


def test_file_drop(tmp_path: Path) -> None:
    h = make_handoff(ACCEPT, service=None, reference=None, now=time.time())
    assert h is not None
    path = drop_file(tmp_path, h)
    assert json.loads(path.read_text(encoding="utf-8"))["name"] == "Nguyễn Văn An"


def test_loopback_serves_once() -> None:
    server = LoopbackServer(0)
    server.start()
    try:
        h = make_handoff(ACCEPT, service=None, reference=None, now=time.time())
        assert h is not None
        server.offer(h)
        url = f"http://127.0.0.1:{server.port}/identity"
        with urllib.request.urlopen(url, timeout=5) as r:
            assert json.loads(r.read())["dob"] == "1990-05-17"
        with urllib.request.urlopen(url, timeout=5) as r:
            assert r.status == 204
    finally:
        server.close()


def test_stale_drop_files_are_swept(tmp_path: Path) -> None:
    """A file holding a name and ID number lives no longer than MAX_AGE_S."""
    old = tmp_path / "identity-1.json"
    old.write_text("{}")
    past = time.time() - MAX_AGE_S - 5
    os.utime(old, (past, past))
    fresh = tmp_path / "identity-2.json"
    fresh.write_text("{}")
    unrelated = tmp_path / "notes.txt"
    unrelated.write_text("x")
    os.utime(unrelated, (past, past))
    assert sweep_drops(tmp_path) == 1
    assert not old.exists() and fresh.exists() and unrelated.exists()
