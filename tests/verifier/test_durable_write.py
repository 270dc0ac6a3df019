"""The one durable write: old file or new, never a mix; the mode asked for; made-once secrets."""

from __future__ import annotations

import ast
import os
import stat
from pathlib import Path

import pytest

from verifier.durable_write import write_atomically

ROOT = Path(__file__).resolve().parents[2]


def test_the_file_is_replaced_whole_with_the_mode_asked_whatever_the_umask(
    tmp_path: Path,
) -> None:
    path = tmp_path / "deep" / "state.json"
    previous = os.umask(0o022)
    try:
        write_atomically(path, b"old")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600  # private unless asked otherwise
        write_atomically(path, b"new", mode=0o644)
    finally:
        os.umask(previous)
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert sorted(p.name for p in path.parent.iterdir()) == ["state.json"]  # no temp left


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "anchor.hex"
    write_atomically(path, b"held")
    with pytest.raises(TypeError):
        write_atomically(path, "not bytes")  # type: ignore[arg-type]
    assert path.read_bytes() == b"held"
    assert [p.name for p in tmp_path.iterdir()] == ["anchor.hex"]


def test_an_exclusive_write_never_replaces_a_file_already_made(tmp_path: Path) -> None:
    path = tmp_path / "site.secret"
    write_atomically(path, b"first", exclusive=True)
    with pytest.raises(FileExistsError):
        write_atomically(path, b"second", exclusive=True)
    assert path.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["site.secret"]


def test_no_module_renames_or_fsyncs_a_file_by_hand() -> None:
    """Every writer goes through the one helper (the journal's SQLite keeps its own files)."""
    by_hand = []
    for folder in ("verifier", "portal_sync", "kiosk"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path == ROOT / "verifier" / "durable_write.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    (
                        isinstance(node, ast.Attribute)
                        and isinstance(node.value, ast.Name)
                        and (node.value.id, node.attr) in {("os", "replace"), ("os", "fsync")}
                    )
                    or (isinstance(node, ast.Name) and node.id == "mkstemp")
                    or (isinstance(node, ast.Attribute) and node.attr == "mkstemp")
                ):
                    by_hand.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not by_hand, by_hand
