"""Translations and the bundled font: every string has its Vietnamese, the words agree with the
command line's, and the font draws every Vietnamese letter."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QFont, QFontMetrics

from kiosk.core.reason_text import OUTCOMES, REASONS
from kiosk.ui import texts
from kiosk.ui.app import qapplication
from kiosk.ui.i18n import I18N_DIR, Languages
from verifier import Outcome, Reason

VIETNAMESE = "ăâđêôơưÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴđĐ"


def test_every_string_is_translated() -> None:
    tree = ET.parse(I18N_DIR / "vi.ts")
    unfinished = [m.findtext("source") for m in tree.iter("message")
                  if m.find("translation").get("type") in ("unfinished", "obsolete", "vanished")
                  or not (m.findtext("translation") or "").strip()]  # fmt: skip
    assert not unfinished


def _messages(ts: Path) -> set[tuple[str, str]]:
    tree = ET.parse(ts)
    return {(c.findtext("name") or "", m.findtext("source") or "")
            for c in tree.iter("context") for m in c.iter("message")}  # fmt: skip


def test_the_catalogue_holds_every_string_the_screen_translates(tmp_path: Path) -> None:
    """lupdate run over the screen's code finds no string the committed catalogue lacks."""
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    if not lupdate.exists():
        pytest.skip("pyside6-lupdate not installed")
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in Path(texts.__file__).parent.rglob("*.py"))
    subprocess.run([str(lupdate), *sources, "-ts", str(fresh)], check=True, capture_output=True)
    assert len(_messages(fresh)) > 100  # lupdate read the code
    missing = _messages(fresh) - _messages(I18N_DIR / "vi.ts")
    assert not missing, sorted(missing)


@pytest.mark.parametrize(("language", "column"), [("vi", 0), ("en", 1)])
def test_reason_words_agree_with_the_command_line(qapp: Any, language: str, column: int) -> None:
    langs = Languages(qapplication())
    try:
        assert langs.use(language)
        for reason in Reason:
            assert texts.reason(reason) == REASONS[reason][column]
        assert texts.headline_for_reject(None) == OUTCOMES[Outcome.REJECT][column]
    finally:
        langs.uninstall()


def test_the_bundled_font_has_every_vietnamese_letter(qapp: Any) -> None:
    qapplication()
    metrics = QFontMetrics(QFont("DejaVu Sans"))
    missing = [c for c in VIETNAMESE + VIETNAMESE.lower() if not metrics.inFontUcs4(ord(c))]
    assert not missing


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["45 s", "5 min", "3 h", "2 days",
                "just now", "5 min ago", "3 h ago", "2 days ago"]),
        ("vi", ["45 giây", "5 phút", "3 giờ", "2 ngày",
                "vừa xong", "5 phút trước", "3 giờ trước", "2 ngày trước"]),
    ],
)  # fmt: skip
def test_a_span_and_an_age_are_worded_alike(qapp: Any, language: str, words: list[str]) -> None:
    """One wording of time: the status line's "last sync 5 min ago" and the self-test's "5 min"."""
    langs = Languages(qapplication())
    try:
        assert langs.use(language)
        spans = [45, 300, 3 * 3600, 2 * 86400]
        assert [texts.duration(s) for s in spans] + [texts.ago(s) for s in spans] == words
    finally:
        langs.uninstall()
