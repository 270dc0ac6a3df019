"""The technician's PIN: set from the device, checked with argon2id, locked out after failures.

There is no default PIN, and the screen never offers to choose the first one: at a gate, whoever
pressed ⚙ first would be the public. The first PIN is set by `kiosk technician set-pin` (the
install script asks for it), which only someone with the device's files can run; the same
command replaces a forgotten PIN. A change anywhere else needs the current PIN. Every path
applies one rule, `check_pin_rules`, before anything is confirmed or written.

A 6-digit PIN has only a million values, so a stolen hash alone must not be enough to find it:
the PIN is keyed with a random device secret (its own file, mode 0600) before argon2id hashes
it, and on the device the failure counter locks the door with a growing wait after
`MAX_FAILURES` wrong PINs in a row. The counter and the lock are kept on disk, so restarting
the app does not reset them; the file is read again before each use, so a PIN set by the
command reaches a running kiosk and neither overwrites the other's state. Every attempt is
reported (the runtime journals it as a system event): unlock, failure, lockout, refused while
locked, PIN set or changed. An unlock or a PIN change the journal cannot hold does not happen
(JournalDown); a failure or lockout it cannot hold still counts, so a broken journal never buys
an attacker more guesses.

    TechnicianError      base
     ├─ PinRuleError     the new PIN breaks the rules (length, digits)
     ├─ PinNotSet        no PIN yet: `kiosk technician set-pin` sets one
     └─ JournalDown      the journal cannot record it, so it is refused
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path

from nacl.exceptions import InvalidkeyError
from nacl.pwhash import argon2id

from kiosk.core.journal.records import Action
from verifier.durable_write import write_atomically

log = logging.getLogger(__name__)

MAX_FAILURES = 5
LOCKOUT_BASE_S = 30.0  # the first lockout; each further one doubles, up to the cap
LOCKOUT_CAP_S = 3600.0
PIN_MIN, PIN_MAX = 6, 12
SECRET_BYTES = 32

DIR_NAME = "technician"
SECRET_FILE = "device-secret"
PIN_FILE = "pin.json"

Report = Callable[[Action, Mapping[str, str | int | bool | None]], None]


class TechnicianError(Exception):
    """Technician access failed."""


class PinRuleError(TechnicianError, ValueError):
    """A PIN is 6 to 12 digits."""


class PinNotSet(TechnicianError):
    """No technician PIN is set yet."""


class JournalDown(TechnicianError):
    """The journal cannot record this, so it is refused."""


class Attempt(StrEnum):
    UNLOCKED = "unlocked"
    WRONG = "wrong"
    LOCKED = "locked"  # this failure started a lockout, or the door was already locked


@dataclass(frozen=True, slots=True)
class AttemptResult:
    attempt: Attempt
    failures: int  # consecutive failures after this attempt
    retry_after_s: float = 0.0  # when locked


@dataclass(frozen=True, slots=True)
class HashCost:
    """argon2id cost; tests pass the minimum, devices use the interactive profile (~70 ms)."""

    opslimit: int = argon2id.OPSLIMIT_INTERACTIVE
    memlimit: int = argon2id.MEMLIMIT_INTERACTIVE


MIN_COST = HashCost(argon2id.OPSLIMIT_MIN, argon2id.MEMLIMIT_MIN)


@dataclass
class _Stored:
    hash: str = ""
    failures: int = 0
    lockouts: int = 0  # lockouts in a row, for the growing wait
    locked_until: float = 0.0  # wall-clock seconds


def check_pin_rules(pin: str) -> None:
    if not (PIN_MIN <= len(pin) <= PIN_MAX) or not pin.isascii() or not pin.isdigit():
        raise PinRuleError(f"a PIN is {PIN_MIN} to {PIN_MAX} digits")


def lockout_seconds(lockouts: int) -> float:
    """The wait after the n-th lockout in a row (1-based)."""
    return float(min(LOCKOUT_CAP_S, LOCKOUT_BASE_S * 2 ** max(0, lockouts - 1)))


class PinVault:
    """The PIN hash, failure counter and lock, in `<data dir>/technician/`. Not thread-safe:
    one worker owns it."""

    def __init__(
        self,
        data_dir: Path,
        report: Report,
        *,
        cost: HashCost | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.directory = Path(data_dir) / DIR_NAME
        self.report = report
        self.cost = cost or HashCost()
        self.clock = clock
        self._secret = _device_secret(self.directory / SECRET_FILE)
        self._stored = self._load()

    @property
    def is_set(self) -> bool:
        self._stored = self._load()
        return bool(self._stored.hash)

    @property
    def failures(self) -> int:
        return self._stored.failures

    def retry_after_s(self) -> float:
        return max(0.0, self._stored.locked_until - self.clock())

    def set_pin(self, new_pin: str, *, current_pin: str | None = None) -> None:
        """Change the PIN, the current one checked first. A first PIN set here comes from code
        that owns the device's files (tests, the screenshot tool); no screen path does it."""
        check_pin_rules(new_pin)
        changing = self.is_set
        if changing:
            result = self.attempt(current_pin or "")
            if result.attempt is not Attempt.UNLOCKED:
                raise TechnicianError("the current PIN is wrong")
        self._install(new_pin, changing, "current_pin" if changing else "first")

    def replace_pin(self, new_pin: str) -> bool:
        """Set or replace the PIN without the current one, clearing failures and lockout: only
        for `kiosk technician set-pin`, which needs the device's files (whoever has them could
        delete the PIN file anyway). Returns whether a PIN was replaced."""
        check_pin_rules(new_pin)
        changing = self.is_set
        self._install(new_pin, changing, "command")
        return changing

    def _install(self, new_pin: str, changing: bool, via: str) -> None:
        new_hash = argon2id.str(
            self._keyed(new_pin), opslimit=self.cost.opslimit, memlimit=self.cost.memlimit
        ).decode("ascii")
        self._report_or_refuse(Action.PIN_CHANGED if changing else Action.PIN_SET, {"via": via})
        self._stored = _Stored(hash=new_hash)
        self._save()

    def attempt(self, pin: str) -> AttemptResult:
        """Check a PIN. Raises PinNotSet while no PIN is set."""
        if not self.is_set:  # read again: the command may have set or replaced it
            raise PinNotSet("no technician PIN is set yet")
        s = self._stored
        wait = self.retry_after_s()
        if wait > 0:
            self._report(Action.PIN_FAILURE, {"failures": s.failures, "locked": True})
            return AttemptResult(Attempt.LOCKED, s.failures, wait)
        if self._matches(pin):
            self._report_or_refuse(Action.TECHNICIAN_UNLOCK, {"method": "pin"})
            s.failures, s.lockouts, s.locked_until = 0, 0, 0.0
            self._save()
            return AttemptResult(Attempt.UNLOCKED, 0)
        s.failures += 1
        self._report(Action.PIN_FAILURE, {"failures": s.failures, "locked": False})
        if s.failures >= MAX_FAILURES:
            s.lockouts += 1
            s.failures = 0
            wait = lockout_seconds(s.lockouts)
            s.locked_until = self.clock() + wait
            self._save()
            self._report(Action.PIN_LOCKOUT, {"seconds": int(wait), "lockouts": s.lockouts})
            log.warning("technician PIN: locked for %.0f s after %d failures", wait, MAX_FAILURES)
            return AttemptResult(Attempt.LOCKED, MAX_FAILURES, wait)
        self._save()
        return AttemptResult(Attempt.WRONG, s.failures)

    # --- inside ---

    def _keyed(self, pin: str) -> bytes:
        """The PIN keyed with the device secret: the hash file alone does not reveal the PIN."""
        return hashlib.blake2b(pin.encode("ascii"), key=self._secret, digest_size=32).digest()

    def _matches(self, pin: str) -> bool:
        try:
            check_pin_rules(pin)
            return argon2id.verify(self._stored.hash.encode("ascii"), self._keyed(pin)) is True
        except (PinRuleError, InvalidkeyError):
            return False

    def _report(self, action: Action, detail: Mapping[str, str | int | bool | None]) -> None:
        """Failures and lockouts: they count whether or not the journal holds them."""
        try:
            self.report(action, detail)
        except Exception:  # the journal says why elsewhere; the door must still answer
            log.exception("could not report technician event %s", action)

    def _report_or_refuse(
        self, action: Action, detail: Mapping[str, str | int | bool | None]
    ) -> None:
        """Unlocks and PIN changes: on record before they take effect, or refused."""
        try:
            self.report(action, detail)
        except Exception as e:
            log.error("technician event %s not journaled, refused: %s", action, e)
            raise JournalDown(f"journal down: {e}") from e

    def _load(self) -> _Stored:
        return _read_stored(self.directory / PIN_FILE)

    def _save(self) -> None:
        stored = json.dumps(asdict(self._stored)).encode()
        write_atomically(self.directory / PIN_FILE, stored, mode=0o600)


def pin_is_set(data_dir: Path) -> bool:
    """Whether a PIN is set, as PinVault.is_set reads it, without making the device secret."""
    return bool(_read_stored(Path(data_dir) / DIR_NAME / PIN_FILE).hash)


def _read_stored(path: Path) -> _Stored:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return _Stored(**{k: raw[k] for k in _Stored.__dataclass_fields__ if k in raw})
    except FileNotFoundError:
        return _Stored()
    except (OSError, ValueError, TypeError) as e:
        # A damaged file must not open the door: keep it locked until a PIN is set anew
        # by someone with access to the device's files.
        log.error("technician PIN file %s unreadable (%s): technician access locked", path, e)
        return _Stored(hash="!", locked_until=float("inf"))


def _device_secret(path: Path) -> bytes:
    """The device-held secret, made on first use, readable by the kiosk's user only."""
    try:
        data = path.read_bytes()
        if len(data) == SECRET_BYTES:
            return data
        raise TechnicianError(f"{path}: not a device secret ({len(data)} bytes)")
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = secrets.token_bytes(SECRET_BYTES)
    try:
        write_atomically(path, data, mode=0o600, exclusive=True)
    except FileExistsError:  # another process made it first: its secret is the one
        return _device_secret(path)
    return data
