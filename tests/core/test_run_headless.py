"""`kiosk run --headless` end to end: folders of images, a video, the demo, the trust store,
and bad input, each a clear error within a time limit."""

from __future__ import annotations

import json
import os
import pty
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from devportal.issuer import write_qr_png
from kiosk.cli.main import main
from kiosk.core.demo_data import DEMO_DIR, load_demo
from kiosk.core.paths import trust_dir
from verifier import TrustStore
from verifier.trust_store import write_anchor

DEMO = load_demo()
ANCHOR = DEMO.anchor.hex()
REPO = Path(__file__).resolve().parents[2]
DEMO_TRUST = [
    "--anchor", ANCHOR,
    "--trust-list", str(DEMO_DIR / "trust-list.cose"),
    "--revocations", str(DEMO_DIR / "revocations.cose"),
]  # fmt: skip
EXPECTED = [(c.expected_verdict, c.expected_reason) for c in DEMO.codes]


def quick_config(tmp_path: Path) -> Path:
    """Fast pacing so a run takes seconds, not the demo's leisurely pace. Each code is held
    long enough (0.4 s, 12 frames) that a decoder slowed by a loaded machine still sees it: the
    newest frame wins, so a code held for fewer frames than one decode takes is skipped."""
    config = tmp_path / "kiosk.toml"
    config.write_text(
        "[scan]\nfile_fps = 30.0\nimage_hold_s = 0.4\ndemo_hold_s = 0.4\ndemo_gap_s = 0.05\n"
    )
    return config


def run_kiosk(
    capsys: pytest.CaptureFixture[str], *argv: str, limit_s: float = 20
) -> tuple[int, list[dict[str, Any]], str]:
    started = time.monotonic()
    status = main(list(argv))
    assert time.monotonic() - started < limit_s, "the run did not stop by itself in time"
    out, err = capsys.readouterr()
    return status, [json.loads(line) for line in out.splitlines()], err


def outcome(event: dict[str, Any]) -> tuple[str, str | None]:
    return event["verdict"], event["reason"]


def demo_pngs(folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    for i, code in enumerate(DEMO.codes):
        write_qr_png(code.text, folder / f"{i}-{code.name}.png")


def test_a_folder_of_images(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    codes = tmp_path / "codes"
    demo_pngs(codes)
    status, events, err = run_kiosk(
        capsys, "--config", str(quick_config(tmp_path)), "run", "--headless",
        "--source", f"images:{codes}", *DEMO_TRUST,
    )  # fmt: skip
    assert status == 0, err
    assert [outcome(e) for e in events] == EXPECTED
    first = events[0]
    assert first["source"] == f"images:{codes}"
    assert first["subject"] == {
        "name": "Nguyễn Văn An",
        "id_masked": "********1234",
        "dob": "1990-05-17",
    }
    assert abs(first["time"] - time.time()) < 30
    assert all(0 <= e["latency_ms"] < 1000 for e in events)
    assert (
        events[4]["verdict"] == "unverified" and events[4]["subject"]["name"] == "Võ Thị Thanh Hằng"
    )


def test_max_events_stops_the_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    codes = tmp_path / "codes"
    demo_pngs(codes)
    status, events, _ = run_kiosk(
        capsys, "--config", str(quick_config(tmp_path)), "run", "--headless",
        "--source", f"images:{codes}", "--max-events", "2", *DEMO_TRUST,
    )  # fmt: skip
    assert status == 0 and [outcome(e) for e in events] == EXPECTED[:2]


def test_the_kiosk_trust_store_is_used_without_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    store_dir = trust_dir(data)
    store_dir.mkdir(parents=True)
    write_anchor(store_dir, DEMO.anchor)
    store = TrustStore.open(store_dir)
    store.install_trust_list(DEMO.trust_list)
    store.install_revocations(DEMO.revocations)
    image = tmp_path / "valid.png"
    write_qr_png(DEMO.codes[0].text, image)
    status, events, err = run_kiosk(
        capsys, "--config", str(quick_config(tmp_path)), "--data-dir", str(data),
        "run", "--headless", "--source", f"image:{image}",
    )  # fmt: skip
    assert status == 0, err
    assert [outcome(e) for e in events] == [("accept", None)]


def test_no_trust_store_and_no_options_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    image = tmp_path / "valid.png"
    write_qr_png(DEMO.codes[0].text, image)
    status, events, err = run_kiosk(
        capsys,
        "--data-dir",
        str(tmp_path / "empty"),
        "run",
        "--headless",
        "--source",
        f"image:{image}",
    )
    assert status == 2 and events == []
    assert "no trust anchor" in err and "--anchor" in err
    assert not (tmp_path / "empty" / "journal").exists()  # refused before anything started


def test_a_video_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clip = tmp_path / "clip.avi"
    still = tmp_path / "still.png"
    write_qr_png(DEMO.codes[1].text, still, scale=4)
    frame = cv2.imread(str(still))
    canvas = np.full((480, 640, 3), 200, np.uint8)
    canvas[20 : 20 + frame.shape[0], 20 : 20 + frame.shape[1]] = frame
    writer = cv2.VideoWriter(str(clip), cv2.VideoWriter.fourcc(*"MJPG"), 60, (640, 480))
    for _ in range(15):
        writer.write(canvas)
    writer.release()
    status, events, err = run_kiosk(
        capsys, "run", "--headless", "--source", f"video:{clip}", *DEMO_TRUST
    )
    assert status == 0, err
    assert [outcome(e) for e in events] == [("reject", "expired")]  # 15 frames, one event


def test_the_demo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, events, err = run_kiosk(
        capsys, "--config", str(quick_config(tmp_path)), "run", "--headless",
        "--source", "demo", "--max-events", "6",
    )  # fmt: skip
    assert status == 0
    assert "DEMO" in err
    assert [outcome(e) for e in events] == EXPECTED
    assert {e["source"] for e in events} == {"demo"}


def test_duration_stops_an_endless_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    started = time.monotonic()
    status, events, _ = run_kiosk(
        capsys, "--config", str(quick_config(tmp_path)), "run", "--headless",
        "--source", "demo", "--duration", "0.4",
    )  # fmt: skip
    assert status == 0
    assert 0.35 < time.monotonic() - started < 3
    assert 1 <= len(events) <= 3


def test_headless_only_options_need_headless(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --headless, `kiosk run` opens the screen; options that only make sense for a
    run that stops by itself are refused before any window opens."""
    status, events, err = run_kiosk(capsys, "run", "--source", "demo", "--max-events", "1")
    assert status == 2 and events == []
    assert "--max-events needs --headless" in err


def test_headless_never_falls_back_to_the_demo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A gate whose camera is missing stops with an error rather than admitting demo codes."""
    monkeypatch.setattr("kiosk.core.sources.choice.camera_present", lambda spec: False)
    status, events, err = run_kiosk(capsys, "run", "--headless", *DEMO_TRUST)
    assert status == 2 and events == []
    assert "no camera" in err and "--source demo" in err


def test_each_printed_event_is_in_the_journal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    codes = tmp_path / "codes"
    demo_pngs(codes)
    data = tmp_path / "data"
    status, events, err = run_kiosk(
        capsys, "--config", str(quick_config(tmp_path)), "--data-dir", str(data),
        "run", "--headless", "--source", f"images:{codes}", *DEMO_TRUST,
    )  # fmt: skip
    assert status == 0, err
    status = main(["--data-dir", str(data), "journal", "export", "--from", "2000-01-01",
                   "--to", "2100-01-01", "--format", "jsonl"])  # fmt: skip
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.startswith("{")]
    scans = {r["event_id"]: r for r in rows if r["kind"] == "scan"}
    assert status == 0 and len(events) == len(EXPECTED)
    for event in events:
        assert scans[event["event_id"]]["verdict"] == event["verdict"]
    assert [r["action"] for r in rows if r["kind"] == "system"][-1] == "app.stop"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("images:{tmp}/nowhere", "no such file or folder"),
        ("image:{tmp}/text.png", "not a readable image"),
        ("images:{tmp}", "not a readable image"),
        ("video:{tmp}/corrupt.avi", "not a readable video"),
        ("camera:{tmp}/usb-NoSuchCam-video-index0", "no such camera device"),
        ("serial:{tmp}/ttyACM9", "no such serial device"),
        ("webcam:0", "unknown source"),
    ],
)
def test_bad_input_is_a_clear_error_never_a_hang(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], spec: str, message: str
) -> None:
    (tmp_path / "text.png").write_text("not a picture")
    (tmp_path / "corrupt.avi").write_bytes(b"RIFF" + os.urandom(2000))
    status, events, err = run_kiosk(
        capsys, "run", "--headless", "--source", spec.format(tmp=tmp_path), *DEMO_TRUST, limit_s=5
    )
    assert status == 2 and events == []
    assert message in err
    assert err.startswith("kiosk run: ")


def test_a_damaged_image_mid_folder_ends_the_run_with_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    codes = tmp_path / "codes"
    demo_pngs(codes)
    damaged = sorted(codes.iterdir())[2]
    damaged.write_bytes(damaged.read_bytes()[:60])
    status, events, err = run_kiosk(
        capsys, "--config", str(quick_config(tmp_path)), "run", "--headless",
        "--source", f"images:{codes}", *DEMO_TRUST,
    )  # fmt: skip
    assert status == 2
    assert [outcome(e) for e in events] == EXPECTED[:2]  # what came before it was checked
    assert f"{damaged.name}: not a readable image" in err


def test_sigterm_ends_a_headless_run_cleanly(tmp_path: Path) -> None:
    """As systemd stops a gate: a real process, stopped by SIGTERM after its first event."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--config", str(quick_config(tmp_path)),
         "run", "--headless", "--source", "demo"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        first = json.loads(proc.stdout.readline())
        assert outcome(first) == EXPECTED[0]
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err


def test_a_serial_scanner(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Scanned texts take the same path as camera frames: a pty stands in for the scanner."""
    master, slave = pty.openpty()

    def scan() -> None:
        time.sleep(0.3)  # once the kiosk has opened the port
        for code in DEMO.codes[:3]:
            os.write(master, code.text.encode() + b"\r")

    typist = threading.Thread(target=scan)
    typist.start()
    try:
        status, events, err = run_kiosk(
            capsys, "run", "--headless", "--source", f"serial:{os.ttyname(slave)}",
            "--max-events", "3", *DEMO_TRUST,
        )  # fmt: skip
    finally:
        typist.join()
        os.close(master)
        os.close(slave)
    assert status == 0, err
    assert [outcome(e) for e in events] == EXPECTED[:3]
    assert events[0]["source"].startswith("serial:/dev/pts/")
