"""The kiosk's trust store: the pinned anchor and the current signed documents, on disk.

Documents are verified before they are written, written durably (verifier/durable_write.py),
and verified again when read back, so a file edited behind the kiosk's back is refused rather
than trusted. A document is installed only with a strictly higher version.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from verifier.check import TrustState
from verifier.documents import (
    RevocationList,
    TrustList,
    anchor_from_hex,
    parse_revocations,
    parse_trust_list,
)
from verifier.durable_write import write_atomically
from verifier.errors import DocumentError, RollbackRefused, TrustStoreError
from verifier.verdict import StaleList

log = logging.getLogger(__name__)

ANCHOR_FILE = "anchor.hex"
TRUST_LIST_FILE = "trust-list.cose"
REVOCATIONS_FILE = "revocations.cose"

_FILES = {StaleList.TRUST_LIST: TRUST_LIST_FILE, StaleList.REVOCATIONS: REVOCATIONS_FILE}

_Doc = TypeVar("_Doc", TrustList, RevocationList)


class Installed(StrEnum):
    INSTALLED = "installed"
    UNCHANGED = "unchanged"  # the very document already held


@dataclass(frozen=True, slots=True)
class InstallResult:
    outcome: Installed
    version: int
    previous_version: int | None


class TrustStore:
    """Thread-safe: `state` is swapped whole, so a check never sees half an install."""

    def __init__(self, directory: Path, anchor: bytes) -> None:
        self.directory = Path(directory)
        self.anchor = anchor
        self._lock = threading.Lock()
        # Problems found while loading files, for the self-test page; never raised.
        self.load_problems: list[str] = []
        # Which held file could not be used, and why: a damaged list is held as no list (stale
        # trust data under the policy), named here for the status, the self-test and the journal,
        # until a good one is installed.
        self.unreadable: dict[StaleList, str] = {}
        self._state = TrustState(
            self._load(StaleList.TRUST_LIST, parse_trust_list),
            self._load(StaleList.REVOCATIONS, parse_revocations),
        )

    @classmethod
    def open(cls, directory: Path, anchor: bytes | None = None) -> TrustStore:
        """Open the store, taking the anchor from its `anchor.hex` when none is given."""
        directory = Path(directory)
        if anchor is None:
            anchor = read_anchor(directory)
        return cls(directory, anchor)

    @property
    def state(self) -> TrustState:
        return self._state

    def _load(self, kind: StaleList, parse: Callable[[bytes, bytes], _Doc]) -> _Doc | None:
        path = self.directory / _FILES[kind]
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as e:
            problem = f"{path}: cannot read: {e.strerror}"
        else:
            try:
                return parse(raw, self.anchor)
            except DocumentError as e:
                problem = f"{path}: refused: {e}"
        self.load_problems.append(problem)
        self.unreadable[kind] = problem
        log.error("trust store file unusable: %s", problem)
        return None

    def install_trust_list(self, raw: bytes) -> InstallResult:
        """Verify and install a trust list. Raises DocumentError or TrustStoreError."""
        with self._lock:
            new = parse_trust_list(raw, self.anchor)
            result = self._install(TRUST_LIST_FILE, new, self._state.trust_list)
            if result.outcome is Installed.INSTALLED:
                self._state = TrustState(new, self._state.revocations)
                self.unreadable.pop(StaleList.TRUST_LIST, None)
            return result

    def install_revocations(self, raw: bytes) -> InstallResult:
        """Verify and install a revocation list. Raises DocumentError or TrustStoreError."""
        with self._lock:
            new = parse_revocations(raw, self.anchor)
            result = self._install(REVOCATIONS_FILE, new, self._state.revocations)
            if result.outcome is Installed.INSTALLED:
                self._state = TrustState(self._state.trust_list, new)
                self.unreadable.pop(StaleList.REVOCATIONS, None)
            return result

    def _install(self, name: str, new: _Doc, held: _Doc | None) -> InstallResult:
        previous = held.version if held is not None else None
        if held is not None and new.raw == held.raw:
            return InstallResult(Installed.UNCHANGED, new.version, previous)
        if held is not None and new.version <= held.version:
            raise RollbackRefused(
                f"version {new.version} is not higher than the installed version {held.version}"
            )
        try:
            write_atomically(self.directory / name, new.raw)
        except OSError as e:
            raise TrustStoreError(f"cannot write {self.directory / name}: {e.strerror}") from e
        return InstallResult(Installed.INSTALLED, new.version, previous)


def read_anchor(directory: Path) -> bytes:
    path = Path(directory) / ANCHOR_FILE
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        raise TrustStoreError(
            f"no trust anchor at {path}: enrol the kiosk or pass --anchor"
        ) from None
    except (OSError, UnicodeDecodeError) as e:
        raise TrustStoreError(f"cannot read the trust anchor {path}: {e}") from None
    try:
        return anchor_from_hex(text)
    except ValueError as e:
        raise TrustStoreError(f"{path}: {e}") from None


def write_anchor(directory: Path, anchor: bytes) -> None:
    try:
        write_atomically(Path(directory) / ANCHOR_FILE, anchor.hex().encode("ascii") + b"\n")
    except OSError as e:
        raise TrustStoreError(f"cannot write the trust anchor in {directory}: {e.strerror}") from e
