"""The locator from finder patterns: a code whose top-left finder is under glare, which
zxing-cpp does not locate, is located from the other two and read with erasures; the format
and version it reads are the symbol's; and a frame with finder-like squares but no code gives
no text."""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np
import pytest
import segno

from bench.erasure_safety import PAD, drawn, glared
from kiosk.core.decode import decoder, finder_locate
from kiosk.core.decode.backends import zxing_scan
from kiosk.core.decode.decoder import Decoder

CREDENTIAL = (
    "CDS1:6BFOXN*TS0BI$ZDFRH0YSQ-KFHZ5C9V11D2VFQJ5:Q5OHQG4RR8XZDMKW6+TS2I8.:M6BVZE4FP$7*4-93A%D9"
    "ZC8D-6DKQ8SBWEC*O4UH56Z77:6O1G34N*EC:3J.6QS7NCF.90J10FFWTWGSLK/-4389:KTIZ4I6MQLD:7BV%KM"
)


def _seen_at_an_angle(image: np.ndarray, turn_deg: float) -> np.ndarray:
    """The drawing turned and seen a little from the side, as a held-up card is."""
    h, w = image.shape
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = src + np.float32([[0.03 * w, 0], [-0.02 * w, 0.02 * h], [0, 0], [0.01 * w, -0.02 * h]])
    warp = cv2.getPerspectiveTransform(src, dst)
    turn = np.vstack([cv2.getRotationMatrix2D((w / 2, h / 2), turn_deg, 1.0), [0, 0, 1]])
    return cv2.warpPerspective(image, turn @ warp, (w, h), borderValue=120)


def _glared_over_a_finder(qr: segno.QRCode, turn_deg: float) -> np.ndarray:
    noise = np.random.default_rng(9).normal(0, 2.5, drawn(qr).shape)
    frame = np.clip(drawn(qr) + noise, 0, 255).astype(np.uint8)
    n = len(qr.matrix) + 8  # the drawing's side in modules, quiet zone included
    finder_centre = (4 + 3.5) / n
    frame = glared(frame, (finder_centre, finder_centre), 6 / n)
    return _seen_at_an_angle(frame, turn_deg)


@pytest.mark.parametrize("turn_deg", [0.0, 17.0, 160.0])
def test_a_code_with_a_finder_under_glare_is_located_from_the_other_two(turn_deg: float) -> None:
    qr = segno.make_qr(CREDENTIAL, error="m", boost_error=False)
    frame = _glared_over_a_finder(qr, turn_deg)
    scan = zxing_scan(frame)
    assert scan.texts == () and not scan.uncorrected  # zxing-cpp does not locate it
    found = finder_locate.finders(frame)
    assert len(found) >= 2
    symbols = list(finder_locate.located_symbols(frame, found))
    assert (int(qr.version), str(qr.error).upper(), int(qr.mask)) in {
        (s.version, s.level, s.mask) for s in symbols
    }
    assert Decoder(budget_ms=None, remember=False).decode(frame).texts == (CREDENTIAL,)


def _foreshortened(image: np.ndarray, turn_deg: float) -> np.ndarray:
    """The drawing turned and squashed to 0.7 of its height, as a card tipped back from the
    camera is: its modules are no longer square, nor its finders."""
    h, w = image.shape
    squash = np.float64([[1, 0, 0], [0.15, 0.7, 0.15 * h], [0, 0, 1]])  # sheared a little too
    turn = np.vstack([cv2.getRotationMatrix2D((w / 2, h / 2), turn_deg, 1.0), [0, 0, 1]])
    return cv2.warpPerspective(image, turn @ squash, (w, h), borderValue=120)


@pytest.mark.parametrize("hidden", ["top left", "bottom left"])
@pytest.mark.parametrize("turn_deg", [0.0, 25.0])
def test_a_foreshortened_code_with_a_finder_under_glare_is_located(
    hidden: str, turn_deg: float
) -> None:
    """The third finder placed from the two seen by their own shape, not as on a square:
    the glared top left leaves the two diagonally across, the bottom left two adjacent."""
    qr = segno.make_qr(CREDENTIAL, error="m", boost_error=False)
    noise = np.random.default_rng(4).normal(0, 2.5, drawn(qr).shape)
    frame = np.clip(drawn(qr) + noise, 0, 255).astype(np.uint8)
    n = len(qr.matrix) + 8
    near, far = (4 + 3.5) / n, (n - 4 - 3.5) / n
    frame = glared(frame, (near, near) if hidden == "top left" else (near, far), 6 / n)
    frame = _foreshortened(frame, turn_deg)
    assert not zxing_scan(frame).texts
    symbols = list(finder_locate.located_symbols(frame, finder_locate.finders(frame)))
    assert (int(qr.version), str(qr.error).upper(), int(qr.mask)) in {
        (s.version, s.level, s.mask) for s in symbols
    }
    assert Decoder(budget_ms=None, remember=False).decode(frame).texts == (CREDENTIAL,)


@pytest.mark.parametrize("a, b", [((6.0, 0.0), (0.0, 6.0)), ((5.0, 1.5), (-1.0, 3.8))])
def test_the_third_finder_follows_from_two_and_their_shape(a: tuple, b: tuple) -> None:
    """Finders whose module vectors are a, b, k modules apart: from any two of them and the
    shape aa^T + bb^T, the third lies where the code puts it, and k is recovered."""
    a_, b_ = np.array(a), np.array(b)
    shape = np.outer(a_, a_) + np.outer(b_, b_)
    k = 30.0
    tl = np.array([100.0, 80.0])
    tr, bl = tl + k * a_, tl + k * b_
    third, modules = finder_locate._across(tl, tr, shape, 1, 0.0)
    np.testing.assert_allclose([*third, modules], [*bl, k], atol=1e-6)
    third, modules = finder_locate._across(tl, bl, shape, -1, 0.0)
    np.testing.assert_allclose([*third, modules], [*tr, k], atol=1e-6)
    for sign in (1, -1):  # the top left is on one side of the diagonal; the other is a mirror
        corner, modules = finder_locate._off_diagonal(tr, bl, shape, sign, 0.0)
        if np.linalg.norm(corner - tl) < 1:
            break
    np.testing.assert_allclose([*corner, modules], [*tl, k], atol=1e-6)


def test_two_finders_round_one_centre_are_not_a_pair() -> None:
    """Nested rings give candidates that share a centre: no direction to build a grid on."""
    frame = np.full((200, 200), 128, np.uint8)
    nested = finder_locate.Finder(np.array([100.0, 100.0]), 5.0, np.eye(2) * 25)
    inner = finder_locate.Finder(np.array([100.0, 100.0]), 4.0, np.eye(2) * 16)
    assert list(finder_locate.located_symbols(frame, [nested, inner])) == []


def test_finder_like_squares_without_a_code_give_no_text() -> None:
    """Three finder patterns drawn where a code's would be, and noise for its modules: the
    grids they imply read no format, or no block corrects with check symbols to spare."""
    qr = segno.make_qr(CREDENTIAL, error="m", boost_error=False)
    frame = drawn(qr)
    n = len(qr.matrix)
    rng = np.random.default_rng(5)
    inside = frame[PAD + 16 * 4 : PAD + (n - 4) * 4, PAD + 16 * 4 : PAD + (n - 4) * 4]
    inside[:] = np.where(rng.random(inside.shape) < 0.5, 20, 235).astype(np.uint8)
    assert len(finder_locate.finders(frame)) >= 2
    assert Decoder(budget_ms=None, remember=False).decode(frame).texts == ()


def test_a_frame_with_no_finders_yields_nothing() -> None:
    frame = np.full((240, 320), 128, np.uint8)
    assert finder_locate.finders(frame) == []
    assert list(finder_locate.located_symbols(frame, [])) == []


def test_a_sheet_of_finder_look_alikes_is_held_to_the_largest_few() -> None:
    """Eighty finder patterns on one image: candidates are capped, so the pairs tried are too."""
    finder = np.full((9, 9), 235, np.uint8)
    finder[1:8, 1:8] = 20
    finder[2:7, 2:7] = 235
    finder[3:6, 3:6] = 20
    sheet = np.tile(np.kron(finder, np.ones((4, 4), np.uint8)), (8, 10))
    found = finder_locate.finders(sheet)
    assert len(found) == finder_locate.MAX_FINDERS
    assert Decoder(budget_ms=None, remember=False).decode(sheet).texts == ()


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the whole-frame retries the decoder runs, in order."""
    ran: list[str] = []

    def counted(retry: decoder.Retry) -> decoder.Retry:
        def transform(gray: np.ndarray) -> np.ndarray:
            ran.append(retry.name)
            return retry.transform(gray)

        return dataclasses.replace(retry, transform=transform)

    monkeypatch.setattr(decoder, "FRAME_RETRIES", tuple(map(counted, decoder.FRAME_RETRIES)))
    return ran


@pytest.mark.parametrize("early", [True, False])
def test_a_glared_frame_goes_to_the_finder_locator_before_the_whole_frame_retries(
    monkeypatch: pytest.MonkeyPatch, early: bool
) -> None:
    """Under a camera budget the whole-frame retries (none of which sees under glare) used to
    spend the frame's time before the locator that reads it; now a frame with a saturated
    highlight is given to the locator first. `early=False` is the old order, which the test
    tells apart."""
    monkeypatch.setattr(decoder, "EARLY_FINDERS", early)
    ran = _counting(monkeypatch)
    qr = segno.make_qr(CREDENTIAL, error="m", boost_error=False)
    frame = _glared_over_a_finder(qr, 17.0)
    assert Decoder(budget_ms=None, remember=False).decode(frame).texts == (CREDENTIAL,)
    assert (ran == []) is early


def test_a_bright_window_in_a_quiet_scene_is_not_searched_for_finders_on_every_frame(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An idle kiosk with a saturated window in view: once the scene is quiet the locator
    runs only on the frames that get the whole-frame retries, one in QUIET_RETRY_EVERY."""
    searched: list[int] = []
    real_finders = decoder.finders

    def counted(gray: np.ndarray) -> list[finder_locate.Finder]:
        searched.append(frame_index)
        return real_finders(gray)

    monkeypatch.setattr(decoder, "finders", counted)
    scene = np.random.default_rng(3).normal(120, 6, (360, 480)).clip(0, 255).astype(np.uint8)
    scene[40:120, 300:440] = 255  # a window, clipped
    camera = Decoder(budget_ms=None, remember=True)
    frames = decoder.QUIET_AFTER + 4 * decoder.QUIET_RETRY_EVERY
    for frame_index in range(frames):  # noqa: B007 (read by counted, above)
        assert camera.decode(scene).texts == ()
    quiet = [i for i in searched if i > decoder.QUIET_AFTER]
    assert 0 < len(quiet) <= 4
