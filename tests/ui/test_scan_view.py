"""The scan view's texts: fitted again when the words or the size change, and only then."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QColor, QImage

from kiosk.ui.app import qapplication
from kiosk.ui.i18n import Languages
from kiosk.ui.widgets import scan_view
from kiosk.ui.widgets.scan_view import ScanView
from kiosk.ui.widgets.style import fit_px


def _fitted_as_new(view: ScanView) -> None:
    """Each text's size is the one a fresh fit gives for its words and its box now."""
    largest = {view.hint: 0.06, view.demo_note: 0.035}
    for line in view.painted_texts():
        px = fit_px(line.text, line.box.width(), line.box.height(),
                    int(view.height() * largest[line.text]), bold=True, wrap=True)  # fmt: skip
        assert line.font.pixelSize() == px, line.text


def test_the_texts_follow_the_words_and_the_size_but_not_the_frames(
    qtbot: Any, monkeypatch: Any
) -> None:
    fits: list[str] = []
    monkeypatch.setattr(scan_view, "fit_px", lambda text, *a, **k: fits.append(text) or 20)
    view = ScanView()
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.set_demo("Demo codes, no camera")
    image = QImage(640, 480, QImage.Format.Format_RGB888)
    image.fill(QColor("gray"))
    for _ in range(5):
        view.set_frame(image)
        view.grab()
    assert sorted(fits) == sorted([view.hint, view.demo_note])  # once each, not per frame
    view.resize(400, 300)
    view.grab()
    assert len(fits) == 4


def test_a_new_size_or_language_gets_a_fresh_fit(qtbot: Any) -> None:
    langs = Languages(qapplication())
    view = ScanView()
    qtbot.addWidget(view)
    try:
        for width, height in ((1280, 800), (360, 240), (1280, 800)):
            view.resize(width, height)
            view.set_demo("Demo codes, no camera: the codes shown are made up")
            _fitted_as_new(view)
        assert langs.use("vi")
        view.retranslate()
        assert view.hint == "Đưa mã QR vào khung"
        _fitted_as_new(view)
    finally:
        langs.uninstall()
