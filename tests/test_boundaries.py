"""The layering holds mechanically: the core runs without Qt, the verifier reads no clock."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QT_FREE = ("verifier", "portal_sync", "kiosk/core")
# What each floor never imports, at import time or lazily inside a function.
ABOVE = ("PySide6", "shiboken6", "devportal", "kiosk.ui", "kiosk.cli")


def modules_under(folder: str) -> list[str]:
    return [
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in sorted((ROOT / folder).rglob("*.py"))
        if "__main__" not in p.name
    ]


def test_core_packages_import_with_qt_unavailable() -> None:
    modules = [m for folder in QT_FREE for m in modules_under(folder)]
    assert "verifier.check" in modules and "kiosk.core.runtime" in modules
    modules += modules_under("kiosk/cli")  # the command line runs without Qt until a screen opens
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


def imported_names(tree: ast.AST, module: str) -> list[tuple[int, str]]:
    """Every import in the module, wherever it sits (module level, functions, branches)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's package
                base = module.split(".")[: -node.level]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            found.append((node.lineno, name))
    return found


def test_no_floor_imports_one_above_it_even_lazily() -> None:
    offences = []
    for folder in QT_FREE:
        for path in sorted((ROOT / folder).rglob("*.py")):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for line, name in imported_names(tree, module):
                if any(name == top or name.startswith(top + ".") for top in ABOVE):
                    offences.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert not offences, "\n".join(offences)


def test_the_import_walk_finds_an_import_inside_a_function() -> None:
    source = "def f():\n    if True:\n        from kiosk.ui.app import run\n    from . import x\n"
    names = sorted(name for _, name in imported_names(ast.parse(source), "kiosk.core.a.b"))
    assert names == ["kiosk.core.a", "kiosk.ui.app"]


def test_importing_the_runtime_loads_no_http_library() -> None:
    """requests (and urllib3) load only when a kiosk syncs (kiosk/core/runtime.py)."""
    script = (
        "import sys\n"
        "import kiosk.core.runtime, kiosk.core.recorder, kiosk.core.journal\n"
        "loaded = sorted(k for k in sys.modules if k.split('.')[0] in ('requests', 'urllib3'))\n"
        "assert not loaded, loaded\n"
        "import kiosk.core.sync.setup\n"
        "assert 'requests' in sys.modules  # the check can see it load\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
