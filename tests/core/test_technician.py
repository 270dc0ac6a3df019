"""The technician PIN: hashing with the device secret, lockout with backoff, every attempt told."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from kiosk.core.technician.pin import (
    LOCKOUT_BASE_S,
    MAX_FAILURES,
    MIN_COST,
    Attempt,
    JournalDown,
    PinNotSet,
    PinRuleError,
    PinVault,
    TechnicianError,
    lockout_seconds,
    pin_is_set,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def reports() -> list[tuple[str, dict[str, object]]]:
    return []


@pytest.fixture
def clock() -> Clock:
    return Clock()


def _vault(path: Path, reports: list[tuple[str, dict[str, object]]], clock: Clock) -> PinVault:
    return PinVault(
        path,
        lambda action, detail: reports.append((action, dict(detail))),
        cost=MIN_COST,
        clock=clock,
    )


def test_first_start_needs_a_pin(tmp_path: Path, reports: list, clock: Clock) -> None:
    vault = _vault(tmp_path, reports, clock)
    assert not vault.is_set
    with pytest.raises(PinNotSet):
        vault.attempt("123456")
    vault.set_pin("246810")
    assert vault.attempt("246810").attempt is Attempt.UNLOCKED
    assert [a for a, _ in reports] == ["pin.set", "technician.unlock"]


@pytest.mark.parametrize("pin", ["12345", "1234567890123", "12a456", "١٢٣٤٥٦", ""])
def test_pin_rules(tmp_path: Path, reports: list, clock: Clock, pin: str) -> None:
    with pytest.raises(PinRuleError):
        _vault(tmp_path, reports, clock).set_pin(pin)


def test_secret_file_is_private_and_hash_holds_no_pin(
    tmp_path: Path, reports: list, clock: Clock
) -> None:
    vault = _vault(tmp_path, reports, clock)
    vault.set_pin("135790")
    secret = tmp_path / "technician" / "device-secret"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert len(secret.read_bytes()) == 32
    assert b"135790" not in (tmp_path / "technician" / "pin.json").read_bytes()


def test_another_device_secret_does_not_open(tmp_path: Path, reports: list, clock: Clock) -> None:
    _vault(tmp_path, reports, clock).set_pin("135790")
    (tmp_path / "technician" / "device-secret").unlink()
    other = _vault(tmp_path, reports, clock)  # a copied hash on another device
    assert other.attempt("135790").attempt is Attempt.WRONG


def test_five_failures_lock_with_backoff_and_survive_restart(
    tmp_path: Path, reports: list, clock: Clock
) -> None:
    vault = _vault(tmp_path, reports, clock)
    vault.set_pin("112233")
    results = [vault.attempt("000000") for _ in range(MAX_FAILURES)]
    assert [r.attempt for r in results] == [Attempt.WRONG] * 4 + [Attempt.LOCKED]
    assert results[-1].retry_after_s == LOCKOUT_BASE_S
    restarted = _vault(tmp_path, reports, clock)
    locked = restarted.attempt("112233")  # even the right PIN waits
    assert locked.attempt is Attempt.LOCKED
    assert locked.retry_after_s == pytest.approx(LOCKOUT_BASE_S)
    clock.now += LOCKOUT_BASE_S + 1
    for _ in range(MAX_FAILURES):
        last = restarted.attempt("999999")
    assert last.attempt is Attempt.LOCKED
    assert last.retry_after_s == 2 * LOCKOUT_BASE_S  # the second lockout is longer
    clock.now += 2 * LOCKOUT_BASE_S + 1
    assert restarted.attempt("112233").attempt is Attempt.UNLOCKED
    actions = [a for a, _ in reports]
    assert actions.count("pin.failure") == 2 * MAX_FAILURES + 1
    assert actions.count("pin.lockout") == 2
    assert actions[-1] == "technician.unlock"
    lockout = next(d for a, d in reports if a == "pin.lockout")
    assert lockout == {"seconds": int(LOCKOUT_BASE_S), "lockouts": 1}


def test_lockout_wait_is_capped() -> None:
    assert lockout_seconds(1) == LOCKOUT_BASE_S
    assert lockout_seconds(50) == 3600


def test_changing_the_pin_needs_the_current_one(
    tmp_path: Path, reports: list, clock: Clock
) -> None:
    vault = _vault(tmp_path, reports, clock)
    vault.set_pin("111111")
    with pytest.raises(TechnicianError):
        vault.set_pin("222222", current_pin="333333")
    vault.set_pin("222222", current_pin="111111")
    assert vault.attempt("222222").attempt is Attempt.UNLOCKED


def test_damaged_pin_file_keeps_the_door_locked(
    tmp_path: Path, reports: list, clock: Clock
) -> None:
    _vault(tmp_path, reports, clock).set_pin("111111")
    (tmp_path / "technician" / "pin.json").write_text("{not json")
    vault = _vault(tmp_path, reports, clock)
    assert vault.attempt("111111").attempt is Attempt.LOCKED


def test_an_unrecorded_unlock_or_pin_change_is_refused_and_failures_still_count(
    tmp_path: Path, clock: Clock
) -> None:
    """A real journal whose write lock another connection holds: every write is BUSY."""
    from kiosk.core.config import load_config
    from kiosk.core.recorder import Recorder
    from tests.faults import SHORT_BUSY, journal_locked

    recorder = Recorder.open(tmp_path, load_config(overrides=SHORT_BUSY))
    try:
        vault = PinVault(tmp_path, lambda a, d: recorder.record_system(a, d, None),
                         cost=MIN_COST, clock=clock)  # fmt: skip
        with journal_locked(tmp_path), pytest.raises(JournalDown, match="journal down"):
            vault.set_pin("123123")
        assert not vault.is_set
        vault.set_pin("123123")
        with journal_locked(tmp_path):
            with pytest.raises(JournalDown):
                vault.attempt("123123")
            results = [vault.attempt("000000").attempt for _ in range(MAX_FAILURES)]
        assert results[-1] is Attempt.LOCKED  # unjournaled failures still lock the door
        assert vault.attempt("123123").attempt is Attempt.LOCKED
    finally:
        recorder.close()


def test_the_screen_reads_a_pin_as_set_exactly_when_the_vault_does(
    tmp_path: Path, reports: list, clock: Clock
) -> None:
    """The screen's probe (pin_is_set) and the vault agree, without the probe making the device
    secret: no file, a file holding no PIN yet, a PIN, a damaged file (locked, so "set")."""
    assert not pin_is_set(tmp_path)
    assert not (tmp_path / "technician").exists()
    vault = _vault(tmp_path, reports, clock)
    pin_file = tmp_path / "technician" / "pin.json"
    pin_file.write_text('{"hash": "", "failures": 2}', encoding="utf-8")
    assert pin_is_set(tmp_path) is vault.is_set is False
    vault.set_pin("246810")
    assert pin_is_set(tmp_path) is vault.is_set is True
    pin_file.write_text("{not json", encoding="utf-8")
    assert pin_is_set(tmp_path) is vault.is_set is True
