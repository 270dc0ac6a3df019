"""The systemd units: hardened within the scores the kiosk promises, valid, and still leaving
the kiosk what it needs (its data dir, its devices, the network); the headless kiosk runs under
the process restrictions a test can apply without systemd."""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.core.demo_data import DEMO_DIR, load_demo
from kiosk.core.paths import settings_override_path

REPO = Path(__file__).resolve().parents[1]
UNITS = REPO / "packaging" / "linux"
HEADLESS, GUI = UNITS / "cds-kiosk.service", UNITS / "cds-kiosk-gui.service"
# The most `systemd-analyze security --offline=yes` may say (it said 8.2 and 9.4 before).
MAX_EXPOSURE = {HEADLESS: 3.5, GUI: 5.0}

needs_analyze = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed"
)


def directives(unit: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in unit.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.lstrip().startswith(("#", "[")):
            key, _, value = line.partition("=")
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def exposure(unit: Path) -> float:
    done = subprocess.run(
        ["systemd-analyze", "security", "--offline=yes", "--no-pager", str(unit)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    found = re.search(r"Overall exposure level for \S+: (\d+\.\d)", done.stdout + done.stderr)
    assert found, done.stdout + done.stderr
    return float(found.group(1))


@needs_analyze
@pytest.mark.parametrize("unit", [HEADLESS, GUI], ids=["headless", "gui"])
def test_unit_exposure_is_within_its_limit(unit: Path) -> None:
    assert exposure(unit) <= MAX_EXPOSURE[unit]


@needs_analyze
@pytest.mark.parametrize("unit", [HEADLESS, GUI], ids=["headless", "gui"])
def test_unit_has_no_unknown_or_bad_directive(unit: Path, tmp_path: Path) -> None:
    """`systemd-analyze verify` names any directive it ignores; the programs are stood in for,
    as they are not installed here."""
    text = unit.read_text(encoding="utf-8")
    text = text.replace("/opt/cds-kiosk/kiosk", "/bin/true").replace("/usr/bin/cage", "/bin/true")
    copy = tmp_path / unit.name
    copy.write_text(text, encoding="utf-8")
    done = subprocess.run(
        ["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and not (done.stdout + done.stderr).strip(), done.stderr


@pytest.mark.parametrize("unit", [HEADLESS, GUI], ids=["headless", "gui"])
def test_unit_leaves_the_kiosk_what_it_needs(unit: Path) -> None:
    d = directives(unit)
    exec_start = d["ExecStart"][0]
    data_dir = Path(re.search(r"--data-dir (\S+)", exec_start).group(1))  # type: ignore[union-attr]
    writable = [Path(p) for p in d["ReadWritePaths"][0].split()]
    assert d["ProtectSystem"] == ["strict"] and writable == [data_dir]
    # Settings saved on the kiosk land in a file it can write, not the read-only --config.
    assert settings_override_path(data_dir).parent == data_dir
    assert "--config /etc/" in exec_start
    assert d["StateDirectory"] == [data_dir.name] and d["StateDirectoryMode"] == ["0700"]
    assert d["UMask"] == ["0077"] and d["NoNewPrivileges"] == ["yes"]
    assert d["CapabilityBoundingSet"] == [""]
    families = d["RestrictAddressFamilies"][0].split()
    assert {"AF_INET", "AF_INET6", "AF_UNIX"} <= set(families)  # the portal; sd_notify
    devices = {v.split()[0] for v in d["DeviceAllow"]}
    assert d["DevicePolicy"] == ["closed"]
    assert {"char-video4linux", "char-ttyACM", "char-ttyUSB"} <= devices  # camera, serial
    if unit is GUI:
        assert {"char-drm", "char-input", "/dev/tty1"} <= devices  # cage: GPU, input, its tty
        assert "XDG_RUNTIME_DIR=/run/cds-kiosk" in exec_start and d["RuntimeDirectory"]
        assert "MemoryDenyWriteExecute" not in d  # GPU drivers compile shaders at run time
    else:
        assert d["MemoryDenyWriteExecute"] == ["yes"]


PR_SET_NO_NEW_PRIVS, PR_CAPBSET_DROP, PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN = 38, 24, 65, 1


def _restricted() -> None:
    """In the child before exec: what NoNewPrivileges, CapabilityBoundingSet=,
    MemoryDenyWriteExecute and UMask do, as far as a process can do it to itself."""
    libc = ctypes.CDLL(None, use_errno=True)
    os.umask(0o077)
    for cap in range(64):
        libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)  # past the last one: EINVAL, ignored
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "PR_SET_NO_NEW_PRIVS")
    if libc.prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "PR_SET_MDWE (Linux 6.3+)")


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux process restrictions")
def test_the_headless_kiosk_runs_under_the_units_restrictions(tmp_path: Path) -> None:
    """No new privileges, no capabilities, no writable-executable memory: the decoder, the
    verifier, the journal and the demo source still work."""
    config = tmp_path / "kiosk.toml"
    config.write_text("[scan]\ndemo_hold_s = 0.1\ndemo_gap_s = 0.05\n")
    valid = tmp_path / "valid.txt"
    valid.write_text(next(c.text for c in load_demo().codes if c.name == "valid") + "\n")
    demo = load_demo()
    at = datetime.fromtimestamp(demo.checked_at, UTC).isoformat()
    trust = ["--anchor", demo.anchor.hex(), "--trust-list", str(DEMO_DIR / "trust-list.cose"),
             "--revocations", str(DEMO_DIR / "revocations.cose"), "--at", at]  # fmt: skip
    wx = "import mmap; mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)"
    probe = subprocess.run([sys.executable, "-c", wx], capture_output=True, text=True,
                           preexec_fn=_restricted, timeout=60)  # fmt: skip
    assert probe.returncode != 0 and "PermissionError" in probe.stderr  # the restriction holds
    base = [sys.executable, "-m", "kiosk", "--config", str(config), "--data-dir", str(tmp_path)]
    for argv in (
        ["run", "--headless", "--source", "demo", "--max-events", "3", "--duration", "60"],
        ["verify", "--json", *trust, str(valid)],
        ["selftest", "--json", "--camera-wait", "0"],
    ):
        done = subprocess.run(
            [*base, *argv], capture_output=True, text=True, timeout=180, cwd=REPO,
            preexec_fn=_restricted, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )  # fmt: skip
        assert "Traceback" not in done.stderr and "Fatal" not in done.stderr, done.stderr
        if argv[0] == "run":
            assert done.returncode == 0 and len(done.stdout.splitlines()) == 3, done.stderr
        elif argv[0] == "verify":
            assert done.returncode == 0 and '"verdict": "accept"' in done.stdout, done.stdout
        else:  # the self-test finds no camera here (exit 1), but every check ran
            assert done.returncode in (0, 1) and '"journal"' in done.stdout, done.stdout
