"""Every screen (idle, each verdict, counter, PIN, technician pages, out of service), in both
languages, at 1024x600, 1280x800 and 1920x1080: each text fits its widget, no two texts
overlap, each text is at least 4.5:1 against its background (WCAG AA, measured on the
rendered pixels), the window keeps the size it was given, and the words scale with it.

The screens are the ones `python -m kiosk.ui.screenshots` saves (kiosk.ui.screenshots.tour).
One walk per language feeds the tests below."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kiosk.ui.screenshots import SIZES, resize, tour
from kiosk.ui.technician.pin_page import SET_PIN_COMMAND
from tests.ui.screen_check import contrast, overlaps, pixels, texts_on

AA = 4.5


@dataclass
class Walk:
    screens: list[str] = field(default_factory=list)
    cut: list[str] = field(default_factory=list)
    overlapping: list[str] = field(default_factory=list)
    faint: list[str] = field(default_factory=list)
    resized: list[str] = field(default_factory=list)
    words: dict[tuple[str, tuple[int, int]], list[str]] = field(default_factory=dict)
    sizes: dict[tuple[str, str, tuple[int, int]], int] = field(default_factory=dict)


def _walk(language: str, root: Path) -> Walk:
    walk = Walk()
    for screen, kiosk in tour(language, root):
        walk.screens.append(screen)
        for size in SIZES:
            resize(kiosk, size)
            where = f"{screen} {size[0]}x{size[1]}"
            window = kiosk.window
            if (window.width(), window.height()) != size:
                walk.resized.append(f"{where}: window became {window.width()}x{window.height()}")
            seen = texts_on(window)
            image = pixels(window.grab().toImage())
            walk.words[(screen, size)] = [t.text for t in seen]
            for t in seen:
                if not t.fits:
                    walk.cut.append(f"{where}: {t.where}: {t.text!r} needs {t.used} in {t.box}")
                if t.enabled and t.in_view():  # WCAG exempts inactive controls
                    ratio = contrast(image, t.box.intersected(t.used))
                    if ratio < AA:
                        walk.faint.append(f"{where}: {t.where}: {t.text!r} {ratio:.2f}:1")
                walk.sizes[(screen, t.where, size)] = t.widget.font().pixelSize()
            for a, b in overlaps(seen):
                walk.overlapping.append(f"{where}: {a.text!r} ({a.where}) × {b.text!r} ({b.where})")
        resize(kiosk, SIZES[1])
    return walk


@pytest.fixture(scope="module", params=["vi", "en"])
def walk(request: Any, tmp_path_factory: Any) -> Iterator[Walk]:
    yield _walk(request.param, tmp_path_factory.mktemp(f"screens-{request.param}"))


def test_the_walk_sees_every_screen(walk: Walk) -> None:
    expected = {"idle", "idle-demo", "accept", "reject", "unverified", "out-of-service",
                "out-of-service-journal", "pin-not-set", "pin", "pin-wrong",
                "technician-settings", "technician-selftest",
                "technician-journal", "technician-camera", "counter-idle", "counter-idcard",
                "counter"}  # fmt: skip
    assert expected <= set(walk.screens)
    assert all(walk.words[(s, size)] for s in walk.screens for size in SIZES)
    for size in SIZES:  # each screen is what its name says, at every size
        assert {"OUT OF SERVICE", "TẠM NGỪNG HOẠT ĐỘNG"} & set(walk.words[("out-of-service", size)])
        lost = " ".join(walk.words[("out-of-service-journal", size)])
        assert "technician must check" in lost or "cần kỹ thuật viên kiểm tra" in lost
        assert {"VALID", "HỢP LỆ"} & set(walk.words[("accept", size)])
        assert {"Technician PIN", "Mã PIN kỹ thuật viên"} & set(walk.words[("pin", size)])


COUNTER_PANEL = "counter_panel/"


def _outside_counter_panel(found: list[str]) -> list[str]:
    return [f for f in found if COUNTER_PANEL not in f]


def test_every_text_fits_its_widget(walk: Walk) -> None:
    cut = _outside_counter_panel(walk.cut)
    assert not cut, "\n".join(cut[:40])


def test_no_two_texts_overlap(walk: Walk) -> None:
    overlapping = _outside_counter_panel(walk.overlapping)
    assert not overlapping, "\n".join(overlapping[:40])


def test_the_counter_panel_fits(walk: Walk) -> None:
    """The clerk's panel scales its type with the screen: at 1024x600 its status, name, ID and
    date of birth each keep their own line, in both languages."""
    found = [f for f in walk.cut + walk.overlapping if COUNTER_PANEL in f]
    assert not found, "\n".join(found[:40])


def test_every_text_is_at_least_aa_contrast(walk: Walk) -> None:
    assert not walk.faint, "\n".join(walk.faint[:40])


def test_the_window_keeps_its_size(walk: Walk) -> None:
    assert not walk.resized, "\n".join(walk.resized)


@pytest.mark.parametrize(
    ("screen", "where"),
    [("idle-recent", "guard_panel/counts"), ("idle-recent", "status_line/status_sync"),
     ("idle-recent", "guard_panel/recent_events")],
)  # fmt: skip
def test_a_full_hd_screen_has_words_readable_from_two_metres(
    walk: Walk, screen: str, where: str
) -> None:
    """The header, the counts and the list grow with the screen (≥ 24 px at 1080 lines)."""
    sizes = {size: px for (s, w, size), px in walk.sizes.items() if s == screen and where in w}
    assert sizes, f"{where} not seen on {screen}"
    assert sizes[(1920, 1080)] >= 24 and sizes[(1920, 1080)] > sizes[(1024, 600)]


def _vietnamese_vocabulary() -> set[str]:
    """Every word the Vietnamese catalogue uses, and the demo data the screens show (names,
    the kiosk's name): a visible word outside this set did not come from the catalogue."""
    from kiosk.core.demo_data import load_demo
    from kiosk.ui.i18n import I18N_DIR
    from verifier import check

    tree = ET.parse(I18N_DIR / "vi.ts")
    words = " ".join(m.findtext("translation") or "" for m in tree.iter("message"))
    demo = load_demo()
    verdicts = [check(c.text, demo.trust_state(), demo.checked_at) for c in demo.codes]
    data = " ".join(v.subject.name for v in verdicts if v.subject is not None)
    data += " Cổng A · UBND Hải Châu Quầy 3 · Sở TN&MT"
    data += " " + SET_PIN_COMMAND  # the command a technician types, shown as it is typed
    return {w.casefold() for w in WORD.findall(words + " " + data)}


WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
KEYPAD = {"C", "✓"}  # the PIN pad's clear and enter keys, as on any keypad
RAW_KEY = re.compile(r"\b[a-z]+(?:\.[a-z_]+)+\b|\b[a-z]+_[a-z_]+\b")


def test_vietnamese_screens_show_only_vietnamese(walk: Walk, request: Any) -> None:
    """In Vietnamese, every visible word comes from the Vietnamese catalogue or is data (a
    name, a number, a date, a path, a key's hex): no English, no raw setting keys."""
    if "vi" not in request.node.callspec.id:
        pytest.skip("the Vietnamese screens only")
    vocabulary = _vietnamese_vocabulary()
    foreign = set()
    for (screen, size), shown in walk.words.items():
        if size != SIZES[1]:
            continue
        for text in shown:
            for token in text.split():
                if "/" in token or re.fullmatch(r"[0-9a-f]{16,}|\d+x\d+", token):
                    continue  # a path, a key, a picture size: data
                if token.endswith("…") or token in KEYPAD:
                    continue  # a word a list row shortened; the keypad's keys
                if RAW_KEY.search(token):
                    foreign.add(f"{screen}: raw key {token!r} in {text!r}")
                unknown = [w for w in WORD.findall(token) if w.casefold() not in vocabulary]
                if unknown:
                    foreign.add(f"{screen}: {unknown} in {text!r}")
    assert not foreign, "\n".join(sorted(foreign))
