"""Real storage faults for tests: another connection holds the write lock; a small filesystem
(tmpfs), filled to the last block; a read-only mount.

SQLite answers the kiosk's next write with BUSY once `journal.busy_timeout_ms` has passed, the
journal raises StorageUnavailable(locked), and releasing the lock ends the fault; no fakes.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from bench.storage_soak import fill as fill  # every free block taken; unlink it to free them
from kiosk.core.journal.journal import journal_path

SHORT_BUSY = {"journal.busy_timeout_ms": 50}  # the kiosk gives up on a held lock quickly


@contextmanager
def journal_locked(data_dir: Path) -> Iterator[None]:
    with closing(sqlite3.connect(journal_path(data_dir), isolation_level=None)) as other:
        other.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            other.execute("COMMIT")


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@contextmanager
def small_filesystem(where: Path, size: str) -> Iterator[Path]:
    """A real filesystem of `size` (tmpfs "4m") at `where`, unmounted afterwards. Needs root:
    skipped with the reason where mounting is not allowed."""
    import pytest

    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)):
        pytest.skip("a size-limited filesystem needs root (mount -t tmpfs -o size=...)")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=True)


@contextmanager
def read_only_view(source: Path, view: Path) -> Iterator[Path]:
    """`source` seen through a read-only bind mount at `view` (root); elsewhere the folder
    itself made read-only with chmod, which is what a non-root kiosk user meets."""
    view.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0 and _mount("--bind", str(source), str(view)):
        try:
            if not _mount("-o", "remount,bind,ro", str(view)):
                raise RuntimeError(f"cannot remount {view} read-only")
            yield view
        finally:
            subprocess.run(["umount", str(view)], check=True)
        return
    view.rmdir()
    modes = {p: p.stat().st_mode for p in (source, *source.rglob("*")) if p.is_dir()}
    for p in modes:
        p.chmod(0o555)
    try:
        yield source
    finally:
        for p, mode in modes.items():
            p.chmod(mode)
