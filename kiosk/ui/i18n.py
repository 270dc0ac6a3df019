"""Translations: Qt Linguist catalogues in kiosk/ui/i18n, switched while the app runs.

Source strings are English; `vi.ts` holds the Vietnamese (the default language). The `.qm`
files are built from the committed `.ts` by `make translations` (pyside6-lrelease); a dev
checkout builds them on first use when lrelease is at hand, so tests on a clean checkout work.
Switching installs or removes the translator; Qt then sends every widget a LanguageChange
event, and each widget words itself again in `retranslate()`.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

log = logging.getLogger(__name__)

I18N_DIR = Path(__file__).with_name("i18n")
LANGUAGES = ("vi", "en")
SOURCE_LANGUAGE = "en"


def _lrelease() -> str | None:
    beside = Path(sys.executable).with_name("pyside6-lrelease")
    return str(beside) if beside.exists() else shutil.which("pyside6-lrelease")


def compile_catalogues(force: bool = False) -> list[Path]:
    """Build each .qm that is missing or older than its .ts. Returns the .qm files built."""
    built = []
    for ts in sorted(I18N_DIR.glob("*.ts")):
        qm = ts.with_suffix(".qm")
        if not force and qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime:
            continue
        tool = _lrelease()
        if tool is None:
            log.warning("no pyside6-lrelease: %s not built; run `make translations`", qm.name)
            continue
        subprocess.run([tool, "-silent", str(ts), "-qm", str(qm)], check=True)
        built.append(qm)
    return built


class Languages:
    """Owns the installed translator; `use(lang)` switches at once."""

    def __init__(self, app: QCoreApplication) -> None:
        self.app = app
        self.current = SOURCE_LANGUAGE
        self._translator: QTranslator | None = None

    def uninstall(self) -> None:
        if self._translator is not None:
            self.app.removeTranslator(self._translator)
            self._translator = None
        self.current = SOURCE_LANGUAGE

    def use(self, language: str) -> bool:
        if language not in LANGUAGES:
            raise ValueError(f"no language {language!r}")
        self.uninstall()
        self.current = language
        if language == SOURCE_LANGUAGE:
            return True
        qm = I18N_DIR / f"{language}.qm"
        if not qm.exists():
            compile_catalogues()
        translator = QTranslator(self.app)
        if not translator.load(str(qm)):
            log.error("translation %s missing or unreadable: showing English", qm)
            self.current = SOURCE_LANGUAGE
            return False
        self.app.installTranslator(translator)
        self._translator = translator
        return True
