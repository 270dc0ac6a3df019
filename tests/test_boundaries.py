"""The layering holds mechanically: the core runs without Qt, the verifier reads no clock."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QT_FREE = ("verifier", "portal_sync", "kiosk/core")


def modules_under(folder: str) -> list[str]:
    return [
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in sorted((ROOT / folder).rglob("*.py"))
        if "__main__" not in p.name
    ]


def test_core_packages_import_with_qt_unavailable() -> None:
    modules = [m for folder in QT_FREE for m in modules_under(folder)]
    assert "verifier.check" in modules and "kiosk.core.cli.main" in modules
    script = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'shiboken6', 'devportal'):\n"
        "            raise ImportError('blocked: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        f"for m in {modules!r}:\n"
        "    __import__(m)\n"
        "assert not any(k.startswith(('PySide6', 'devportal')) for k in sys.modules)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr


def test_verifier_reads_no_clock_and_no_network() -> None:
    banned_calls = {
        ("time", "time"),
        ("time", "time_ns"),
        ("datetime", "now"),
        ("datetime", "utcnow"),
        ("date", "today"),
    }
    banned_imports = {"socket", "requests", "urllib", "http"}
    for path in (ROOT / "verifier").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                assert (node.value.id, node.attr) not in banned_calls, f"{path}: {node.attr}"
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                )
                for name in names:
                    assert name.split(".")[0] not in banned_imports, f"{path} imports {name}"
