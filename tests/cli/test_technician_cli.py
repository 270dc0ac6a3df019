"""`kiosk technician`: the first PIN is set from the device, never from the screen; the rule is
checked as the PIN is first typed; every file made is private whatever the caller's umask."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.cli.main import main
from kiosk.core.config import load_config
from kiosk.core.counter.handoff import handoff_token
from kiosk.core.journal import Journal
from kiosk.core.technician.pin import MAX_FAILURES, MIN_COST, Attempt, PinVault

REPO = Path(__file__).resolve().parents[2]


def _set_pin(monkeypatch: pytest.MonkeyPatch, data_dir: Path, answers: str) -> int:
    """`kiosk technician set-pin`, the answers piped in as an install script would."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(answers))
    return main(["--data-dir", str(data_dir), "technician", "set-pin"])


def _system_rows(data_dir: Path, action: str) -> list[dict[str, object]]:
    journal = Journal.open(data_dir, load_config(None), announce=False)
    try:
        out = io.StringIO()
        now = int(time.time() * 1000)
        journal.export(now - 3_600_000, now + 60_000, out, "jsonl")
    finally:
        journal.close()
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    return [r for r in rows if r["kind"] == "system" and r["action"] == action]


def _vault(data_dir: Path) -> PinVault:
    return PinVault(data_dir, lambda action, detail: None, cost=MIN_COST)


def test_the_rule_is_checked_on_first_entry_before_confirmation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The screen used to take a 4-digit PIN, confirm it, then refuse it in half-English."""
    answers = "1234\n1234567890123\n135790\n135790\n"
    status = _set_pin(monkeypatch, tmp_path, answers)
    out, err = capsys.readouterr()
    assert status == 0 and out.strip() == "PIN set: the technician door (⚙) now opens with it."
    assert err.count("Not a valid PIN: a PIN is 6 to 12 digits.") == 2
    assert err.count("The same PIN again") == 1  # asked once, for the PIN that keeps the rule
    assert _vault(tmp_path).attempt("135790").attempt is Attempt.UNLOCKED
    assert [r["detail"] for r in _system_rows(tmp_path, "pin.set")] == ['{"via":"command"}']


def test_two_different_pins_start_again_and_three_failures_set_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = "135790\n135791\n12345a\n246810\n246811\n"
    status = _set_pin(monkeypatch, tmp_path, answers)
    err = capsys.readouterr().err
    assert status == 2 and "no PIN set after 3 tries" in err
    assert err.count("The two PINs differ") == 2
    assert not _vault(tmp_path).is_set
    status = _set_pin(monkeypatch, tmp_path / "other", "")
    assert status == 2 and "no PIN given" in capsys.readouterr().err


def test_set_pin_replaces_a_forgotten_pin_and_clears_the_lockout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = _vault(tmp_path)
    vault.set_pin("111111")
    for _ in range(MAX_FAILURES):
        vault.attempt("000000")
    assert vault.retry_after_s() > 0
    status = _set_pin(monkeypatch, tmp_path, "222222\n222222\n")
    assert status == 0 and capsys.readouterr().out.startswith("PIN replaced")
    # The open vault reads the file again: the running kiosk takes the new PIN at once.
    assert vault.attempt("222222").attempt is Attempt.UNLOCKED
    assert vault.attempt("111111").attempt is Attempt.WRONG
    assert [r["detail"] for r in _system_rows(tmp_path, "pin.changed")] == ['{"via":"command"}']


def test_handoff_token_prints_the_token_the_endpoint_checks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(tmp_path), "technician", "handoff-token"]) == 0
    printed = capsys.readouterr().out.strip()
    assert len(printed) == 64 and printed == handoff_token(tmp_path)


def _modes(root: Path) -> dict[str, int]:
    found = {".": stat.S_IMODE(root.stat().st_mode)}
    for path in root.rglob("*"):
        found[str(path.relative_to(root))] = stat.S_IMODE(path.stat().st_mode)
    return found


def test_every_file_made_is_private_under_umask_022(tmp_path: Path) -> None:
    """Outside the unit (`kiosk` run by hand, `make run`), the journal was 0644 and the data
    folders 0755. A real `kiosk` process started with umask 022: PIN, token, a headless run
    that journals scans; every folder 0700, every file 0600."""
    data = tmp_path / "data"
    config = tmp_path / "kiosk.toml"
    config.write_text("[scan]\ndemo_hold_s = 0.1\ndemo_gap_s = 0.05\n")
    base = [sys.executable, "-m", "kiosk", "--config", str(config), "--data-dir", str(data)]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}

    def run(*argv: str, stdin: str = "") -> None:
        done = subprocess.run(
            [*base, *argv], input=stdin, capture_output=True, text=True, timeout=120,
            cwd=REPO, env=env, preexec_fn=lambda: os.umask(0o022),
        )  # fmt: skip
        assert done.returncode == 0, done.stderr

    run("technician", "set-pin", stdin="135790\n135790\n")
    run("technician", "handoff-token")
    run("run", "--headless", "--source", "demo", "--max-events", "2", "--duration", "60")
    modes = _modes(data)
    assert {"journal/journal.db", "technician/pin.json", "handoff/token"} <= set(modes)
    loose = {
        name: oct(mode)
        for name, mode in modes.items()
        if mode != (0o700 if (data / name).is_dir() else 0o600)
    }
    assert not loose, f"not private: {loose}"


def test_a_data_dir_left_open_is_closed_at_start(tmp_path: Path) -> None:
    from kiosk.core.paths import private_data_dir

    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)
    private_data_dir(data)
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    private_data_dir(tmp_path / "new" / "data")
    assert stat.S_IMODE((tmp_path / "new" / "data").stat().st_mode) == 0o700


def test_a_pin_the_journal_cannot_record_is_not_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.faults import journal_locked

    config = tmp_path / "kiosk.toml"
    config.write_text("[journal]\nbusy_timeout_ms = 50\n")
    Journal.open(tmp_path, load_config(config), announce=False).close()
    monkeypatch.setattr(sys, "stdin", io.StringIO("135790\n135790\n"))
    with journal_locked(tmp_path):
        status = main(["--config", str(config), "--data-dir", str(tmp_path), "technician",
                       "set-pin"])  # fmt: skip
    assert status == 2 and "no PIN set" in capsys.readouterr().err
    assert not _vault(tmp_path).is_set
