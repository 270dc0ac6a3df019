"""One line, never a traceback, when the kiosk's storage or config is not what it should be:
`kiosk run --headless`, `kiosk selftest [--json]`, a config that is not UTF-8, a source that
cannot be opened, `devportal serve` on a busy port. Real processes where the log's own lines
count (logging is configured by the program), in-process otherwise."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli.main import main
from kiosk.core.demo_data import DEMO_DIR, load_demo
from kiosk.core.journal.journal import journal_path

DEMO_TRUST = [
    "--anchor", load_demo().anchor.hex(),
    "--trust-list", str(DEMO_DIR / "trust-list.cose"),
    "--revocations", str(DEMO_DIR / "revocations.cose"),
]  # fmt: skip


def _kiosk(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk.cli.main", *argv],
                          capture_output=True, text=True, timeout=60)  # fmt: skip


def _not_a_database(data_dir: Path) -> None:
    path = journal_path(data_dir)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not an SQLite file " * 200)


def test_run_headless_on_a_journal_that_cannot_open_is_one_line(tmp_path: Path) -> None:
    _not_a_database(tmp_path)
    done = _kiosk("--data-dir", str(tmp_path), "run", "--headless", "--source", "images:" +
                  str(DEMO_DIR), "--max-events", "1", *DEMO_TRUST)  # fmt: skip
    assert done.returncode == 2 and done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        "kiosk run: out of service: cannot open the journal: "
        "storage unavailable (corrupt): file is not a database"
    ]


def test_selftest_json_says_why_the_journal_cannot_open(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _not_a_database(tmp_path)
    assert main(["--data-dir", str(tmp_path), "selftest", "--json", "--camera-wait", "0"]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] is False
    journal = next(c for c in result["checks"] if c["check"] == "journal")
    assert journal["level"] == "fail" and "not a database" in journal["detail"]
    assert journal["advice"] == "journal_lost"
    assert main(["--data-dir", str(tmp_path), "selftest", "--camera-wait", "0"]) == 1
    assert "FAIL  journal" in capsys.readouterr().out


def test_a_lost_journal_keeps_run_out_of_service_saying_how(tmp_path: Path) -> None:
    assert main(["--data-dir", str(tmp_path), "selftest", "--camera-wait", "0"]) in (0, 1)
    journal_path(tmp_path).write_bytes(b"")
    done = _kiosk("--data-dir", str(tmp_path), "run", "--headless", "--source", "images:" +
                  str(DEMO_DIR), "--max-events", "1", *DEMO_TRUST)  # fmt: skip
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1
    assert "(lost)" in done.stderr and "restart-chain --confirm" in done.stderr
    assert journal_path(tmp_path).stat().st_size == 0


@pytest.mark.parametrize("spec", ["image:/nonexistent.png", "images:/nonexistent"])
def test_a_bad_source_is_one_line(tmp_path: Path, spec: str) -> None:
    done = _kiosk("--data-dir", str(tmp_path), "run", "--headless", "--source", spec,
                  "--max-events", "1", *DEMO_TRUST)  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.splitlines() == [f"kiosk run: /nonexistent{spec[-4:] if '.' in spec else ''}"
                                        ": no such file or folder"]  # fmt: skip


@pytest.mark.parametrize(
    "content", [b"\xff\xfe[\x00k\x00]\x00", b"\xfe\xff\x00[\x00k\x00]", b'x = "\xc3\x28"\n']
)
def test_a_config_that_is_not_utf8_is_one_line_naming_it(
    tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_bytes(content)
    for argv in (["--config", str(config), "config", "show"], ["config", "check", str(config)],
                 ["--config", str(config), "journal", "purge"]):  # fmt: skip
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and str(config) in err and "UTF-8" in err


def test_a_utf8_byte_order_mark_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_bytes(b'\xef\xbb\xbf[kiosk]\nname = "Cong 3"\n')
    assert main(["--config", str(config), "config", "show"]) == 0
    assert '"Cong 3"' in capsys.readouterr().out


def test_devportal_serve_on_a_busy_port_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "devportal", "serve", "--port", str(port),
                               "--data", str(tmp_path / "portal")],
                              capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        f"devportal serve: cannot listen on 127.0.0.1:{port}: Address already in use"
    ]
