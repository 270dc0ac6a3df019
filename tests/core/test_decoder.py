"""The decoder on generated images: exact texts (Vietnamese byte mode too), dark mode, two
codes, a blurred code only the retries read, codes only deconvolution reads, frames of a stream
only fusion reads, no code, bad files, and `kiosk decode` (--json, --budget-ms)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import cv2
import numpy as np
import pytest
import segno
import zxingcpp

import kiosk.core.decode.decoder as decoder_module
import kiosk.core.decode.erasure_read as erasure_read
import kiosk.core.decode.strategies as strategies
from bench import camera_corpus
from kiosk.cli.main import main
from kiosk.core.decode.backends import (
    DOWNSCALE_ABOVE_PX,
    zbar_scan,
    zxing_scan,
    zxing_scan_full_size_first,
)
from kiosk.core.decode.decoder import (
    QUIET_AFTER,
    QUIET_RETRY_EVERY,
    STRATEGIES,
    Decoder,
    ImageReadError,
    load_gray,
)
from kiosk.core.decode.strategies import Retry, detailed_region, disk_kernel, line_kernel

ID_CARD = (
    "048095006789|201234567|Võ Thị Thanh Hằng|21091995|Nữ|12 Bạch Đằng, Hải Châu, Đà Nẵng|10042021"
)
CREDENTIAL = (
    "CDS1:6BFOXN*TS0BI$ZDFRH0YSQ-KFHZ5C9V11D2VFQJ5:Q5OHQG4RR8XZDMKW6+TS2I8.:M6BVZE4FP$7*4-93A%D9"
    "ZC8D-6DKQ8SBWEC*O4UH56Z77:6O1G34N*EC:3J.6QS7NCF.90J10FFWTWGSLK/-4389:KTIZ4I6MQLD:7BV%KM"
)


def qr_gray(
    text: str,
    *,
    scale: int = 4,
    dark: float = 20,
    light: float = 235,
    encoding: str | None = None,
    pad: int = 40,
    background: float = 120,
) -> np.ndarray:
    """The code with a 4-module quiet zone on a plain background, float32."""
    qr = segno.make_qr(text, error="m", encoding=encoding, eci=False)
    modules = np.array(qr.matrix, dtype=bool)
    image = np.pad(np.where(modules, dark, light).astype(np.float32), 4, constant_values=light)
    image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_NEAREST)
    return np.pad(image, pad, constant_values=background)


def to_u8(image: np.ndarray) -> np.ndarray:
    return np.clip(image, 0, 255).astype(np.uint8)


CAMERA_GAMMA = 2.2  # the sRGB standard's approximation: what a camera encodes light with


def blurred_in_light(scene: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """scene (encoded grey levels) as a lens blurs it: in linear light, then encoded again."""
    light = np.power(np.clip(scene, 0, 255) / 255, CAMERA_GAMMA)
    blurred = cv2.filter2D(light.astype(np.float32), -1, kernel)
    return np.power(np.clip(blurred, 0, 1), 1 / CAMERA_GAMMA) * 255


def blurred_id_card() -> np.ndarray:
    """An out-of-focus ID card code (blur sigma half a module) with a little sensor noise."""
    image = cv2.GaussianBlur(qr_gray(ID_CARD), (0, 0), 2.0)
    return to_u8(image + np.random.default_rng(1).normal(0, 4, image.shape))


@pytest.fixture
def decoder() -> Decoder:
    return Decoder(budget_ms=None, remember=False)  # no time budget: the same answer on any load


def test_vietnamese_byte_mode_without_eci_comes_out_exactly(decoder: Decoder) -> None:
    image = to_u8(qr_gray(ID_CARD, encoding="utf-8"))
    (symbol,) = zxingcpp.read_barcodes(image)
    assert symbol.symbology_identifier == "]Q1"  # byte mode and no ECI: the case that matters
    assert decoder.decode(image).texts == (ID_CARD,)


def test_credential_and_non_utf8_byte_mode_texts(decoder: Decoder) -> None:
    assert decoder.decode(to_u8(qr_gray(CREDENTIAL))).texts == (CREDENTIAL,)
    # Latin-1 bytes are not UTF-8: the library's reading is kept, not a guess of ours.
    latin = to_u8(qr_gray("Crème brûlée", encoding="latin-1"))
    assert decoder.decode(latin).texts == ("Crème brûlée",)


def test_dark_mode_inverted_code(decoder: Decoder) -> None:
    image = to_u8(qr_gray(CREDENTIAL, dark=230, light=25, background=15))
    assert decoder.decode(image).texts == (CREDENTIAL,)


def test_two_codes_in_one_frame(decoder: Decoder) -> None:
    left, right = qr_gray(CREDENTIAL), qr_gray(ID_CARD, scale=5)
    height = max(left.shape[0], right.shape[0])
    frame = np.full((height, left.shape[1] + right.shape[1]), 120, np.float32)
    frame[: left.shape[0], : left.shape[1]] = left
    frame[: right.shape[0], left.shape[1] :] = right
    bgr = cv2.cvtColor(to_u8(frame), cv2.COLOR_GRAY2BGR)  # frames come from cameras as BGR
    assert set(decoder.decode(bgr).texts) == {CREDENTIAL, ID_CARD}


def test_retries_read_a_blurred_code_the_first_pass_misses(decoder: Decoder) -> None:
    image = blurred_id_card()
    assert Decoder("zxing").decode(image).texts == ()
    assert decoder.decode(image).texts == (ID_CARD,)
    # With no time left for retries only the first pass runs: the budget is what limits them.
    assert Decoder(budget_ms=0, remember=False).decode(image).texts == ()


def test_no_code_gives_no_text(decoder: Decoder) -> None:
    rng = np.random.default_rng(3)
    clutter = cv2.GaussianBlur(rng.uniform(0, 255, (480, 640)).astype(np.float32), (0, 0), 3)
    result = decoder.decode(to_u8(clutter))
    assert result.texts == ()
    assert result.ms > 0


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_every_strategy_reads_a_clean_code(strategy: str) -> None:
    image = to_u8(qr_gray(ID_CARD, encoding="utf-8"))
    assert Decoder(strategy, budget_ms=None).decode(image).texts == (ID_CARD,)


def test_zbar_backend_keeps_utf8_byte_mode() -> None:
    assert zbar_scan(to_u8(qr_gray(ID_CARD, encoding="utf-8"))).texts == (ID_CARD,)


def test_zxing_backend_locates_a_code_it_cannot_read() -> None:
    image = blurred_id_card()
    scan = zxing_scan(image)
    assert scan.texts == ()
    assert len(scan.unread) == 1
    # The symbol starts after 40 px of background and a 4-module (16 px) quiet zone.
    corners, inset = scan.unread[0], 40 + 16
    assert corners.shape == (4, 2)
    assert abs(corners.min() - inset) < 6
    assert abs(corners.max() - (image.shape[0] - inset)) < 6


def noisy_large_code() -> np.ndarray:
    """A code 8 px a module under noise sigma 60: zxing-cpp reads it only on its downscaled
    layer, where averaging 3 x 3 pixels brings the noise down."""
    image = qr_gray(CREDENTIAL, scale=8, pad=120)
    return to_u8(image + np.random.default_rng(1).normal(0, 60, image.shape))


def test_full_size_first_reads_what_only_the_downscaled_layer_reads() -> None:
    image = noisy_large_code()
    assert zxing_scan(image, try_downscale=False).texts == ()
    library = zxing_scan(image)
    ours = zxing_scan_full_size_first(image)
    assert ours.texts == library.texts == (CREDENTIAL,)
    # Positions in the frame's pixels, as the library gives them, and no located copy of the
    # code it read left over to be retried.
    assert np.abs(ours.read_at[0] - library.read_at[0]).max() < 4
    assert ours.unread == ()


def test_full_size_first_matches_the_library_on_clean_codes() -> None:
    left = qr_gray(ID_CARD, encoding="utf-8", scale=6, pad=60)
    right = qr_gray(CREDENTIAL, scale=5, pad=60)
    height = max(left.shape[0], right.shape[0])
    pair = np.hstack(
        [np.pad(i, ((0, height - i.shape[0]), (0, 0)), constant_values=120) for i in (left, right)]
    )
    image = to_u8(pair)
    assert max(image.shape) > DOWNSCALE_ABOVE_PX  # the pyramid applies
    ours, library = zxing_scan_full_size_first(image), zxing_scan(image)
    assert sorted(ours.texts) == sorted(library.texts) == sorted((ID_CARD, CREDENTIAL))
    assert np.allclose(
        sorted(q.sum() for q in ours.read_at), sorted(q.sum() for q in library.read_at)
    )


def test_full_size_first_locates_what_it_cannot_read() -> None:
    image = cv2.resize(blurred_id_card(), None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    assert max(image.shape) > DOWNSCALE_ABOVE_PX
    scan = zxing_scan_full_size_first(image)
    assert scan.texts == () and scan.unread
    # One symbol, reported once however many of zxing's layers located it.
    centres = [q.mean(axis=0) for q in scan.unread]
    assert all(np.abs(c - centres[0]).max() < 8 for c in centres)
    assert len(scan.unread) <= len(zxing_scan(image).unread)


def test_unknown_strategy_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown decoder strategy"):
        Decoder("opencv")


def test_load_gray_reads_an_image_file(tmp_path: Path) -> None:
    path = tmp_path / "code.png"
    cv2.imwrite(str(path), cv2.cvtColor(to_u8(qr_gray(ID_CARD)), cv2.COLOR_GRAY2BGR))
    gray = load_gray(path)
    assert gray.ndim == 2
    assert gray.dtype == np.uint8


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "not a readable image"),
        (b"\x89PNG\r\n\x1a\n this is no image", "not a readable image"),
    ],
)
def test_load_gray_names_the_problem(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "broken.png"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ImageReadError, match=message) as caught:
        load_gray(path)
    assert str(path) in str(caught.value)


def test_kiosk_decode_json_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good, empty = tmp_path / "id card.png", tmp_path / "blank.png"
    cv2.imwrite(str(good), to_u8(qr_gray(ID_CARD, encoding="utf-8")))
    cv2.imwrite(str(empty), np.full((200, 200), 200, np.uint8))
    status = main(["decode", "--json", str(good), str(empty)])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["input"], r["texts"]) for r in lines] == [(str(good), [ID_CARD]), (str(empty), [])]
    assert all(isinstance(r["ms"], float | int) and r["ms"] >= 0 for r in lines)
    assert status == 1  # not every image held a code


def test_kiosk_decode_refuses_a_corrupt_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\xff\xd8\xff garbage")
    assert main(["decode", "--json", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.jpg" in err
    assert "not a readable image" in err


def test_a_quiet_camera_scene_spares_the_whole_frame_retries(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """In a stream, after frames where nothing at all was located, the expensive whole-frame
    retries run on one frame in QUIET_RETRY_EVERY: a hard code shown then is read within that
    many frames, and a clear code is read on its first frame (the first pass always runs)."""
    # The erasure read's equalizer reads this blur on the first pass; here it stands for a
    # code only a whole-frame retry reads.
    monkeypatch.setattr(erasure_read, "EQUALIZE", False)
    stream = Decoder(budget_ms=None, remember=True)
    blank = np.full_like(blurred_id_card(), 255)
    for _ in range(QUIET_AFTER + 1):
        assert stream.decode(blank).texts == ()
    hard = blurred_id_card()
    reads = [stream.decode(hard).texts for _ in range(QUIET_RETRY_EVERY)]
    assert (ID_CARD,) in reads  # read within QUIET_RETRY_EVERY frames...
    assert () in reads  # ...after at least one frame that skipped the retries
    for _ in range(QUIET_AFTER + 1):
        stream.decode(blank)
    assert stream.decode(to_u8(qr_gray(ID_CARD))).texts == (ID_CARD,)
    # Unrelated images (remember=False) always get every retry.
    assert Decoder(budget_ms=None, remember=False).decode(hard).texts == (ID_CARD,)


def test_load_gray_names_a_directory_and_a_fifo(tmp_path: Path) -> None:
    with pytest.raises(ImageReadError, match="a directory, not an image file"):
        load_gray(tmp_path)
    fifo = tmp_path / "frames.fifo"
    os.mkfifo(fifo)
    # Refused from its type alone: opening a FIFO with no writer would block.
    with pytest.raises(ImageReadError, match=r"a FIFO \(named pipe\), not an image file"):
        load_gray(fifo)


def test_kiosk_decode_says_what_a_directory_is_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["decode", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert f"{tmp_path}: a directory, not an image file" in err
    assert "no such file" not in err


def test_kiosk_decode_budget_gives_each_image_what_a_camera_frame_gets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hard = tmp_path / "blurred.png"
    cv2.imwrite(str(hard), blurred_id_card())
    assert main(["decode", "--json", "--budget-ms", "0", str(hard)]) == 1  # first pass only
    assert json.loads(capsys.readouterr().out)["texts"] == []
    assert main(["decode", "--json", str(hard)]) == 0  # no budget: every retry
    assert json.loads(capsys.readouterr().out)["texts"] == [ID_CARD]
    with pytest.raises(SystemExit):
        main(["decode", "--budget-ms", "soon", str(hard)])
    assert "not a number of milliseconds" in capsys.readouterr().err


def _without_deconvolution(monkeypatch: pytest.MonkeyPatch, *, keep_region: bool = False) -> None:
    # The erasure read's module equalizer undoes a blur on the module grid: a deconvolution too.
    monkeypatch.setattr(erasure_read, "EQUALIZE", False)
    monkeypatch.setattr(decoder_module, "DECONVOLUTIONS", ())
    kept = tuple(r for r in decoder_module.FRAME_RETRIES if not r.name.startswith("deblur"))
    monkeypatch.setattr(decoder_module, "FRAME_RETRIES", kept)
    if not keep_region:
        monkeypatch.setattr(decoder_module, "REGION_KERNELS", ())


@pytest.mark.parametrize(
    "kernel",
    [line_kernel(2.1 * 6, 30), disk_kernel(0.9 * 6)],
    ids=["motion 2.1 modules at 30 degrees", "defocus disk of radius 0.9 modules"],
)
def test_deconvolution_reads_what_no_other_retry_does(
    kernel: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    image = blurred_in_light(qr_gray(CREDENTIAL, scale=6, pad=200), kernel)
    image = to_u8(image + np.random.default_rng(2).normal(0, 2, image.shape))
    assert Decoder(budget_ms=None, remember=False).decode(image).texts == (CREDENTIAL,)
    _without_deconvolution(monkeypatch)
    assert Decoder(budget_ms=None, remember=False).decode(image).texts == ()


@pytest.mark.parametrize(
    ("category", "resolution", "index"), [("defocus", "1080p", 6), ("defocus", "720p", 1)]
)
def test_deconvolution_in_linear_light_reads_a_camera_frame_encoded_levels_do_not(
    category: str, resolution: str, index: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A held-out frame (dev seed 717, which the benchmark does not judge on): blurred in light,
    # then demosaiced, gamma-encoded and JPEG-compressed as a camera does.
    frame = camera_corpus.make_frame(717, category, resolution, index)
    assert Decoder(budget_ms=None, remember=False).decode(frame.image).texts == frame.expected
    monkeypatch.setattr(strategies, "DECONVOLUTION_GAMMA", None)
    monkeypatch.setattr(erasure_read, "EQUALIZE", False)  # a deconvolution on the module grid
    assert Decoder(budget_ms=None, remember=False).decode(frame.image).texts == ()


def _without_cepstrum_kernels(monkeypatch: pytest.MonkeyPatch) -> None:
    """The decoder as it was before blur kernels were read from the cepstrum."""
    kept_crop = tuple(
        k for k in decoder_module.DECONVOLUTIONS if k[0] not in ("streak", "cepstrum-disk")
    )
    monkeypatch.setattr(decoder_module, "DECONVOLUTIONS", kept_crop)
    kept = tuple(
        r
        for r in decoder_module.FRAME_RETRIES
        if not r.name.startswith(("deblur-streak", "deblur-disk"))
    )
    monkeypatch.setattr(decoder_module, "FRAME_RETRIES", kept)
    monkeypatch.setattr(decoder_module, "REGION_KERNELS", ())  # its kernels are the cepstrum's


def _striped_scene(code: np.ndarray, pad: int) -> np.ndarray:
    """code with its surroundings beyond pad replaced by strong vertical stripes: edges that
    pull the structure tensor's direction away from a streak's."""
    h, w = code.shape
    xx = np.mgrid[:h, :w][1]
    stripes = (120 + 60 * np.sign(np.sin(xx / 9.0))).astype(np.float32)
    inside = np.zeros(code.shape, bool)
    inside[pad:-pad, pad:-pad] = True
    return np.where(inside, code, stripes).astype(np.float32)


@pytest.mark.parametrize(
    ("scene", "kernel"),
    [
        (_striped_scene(qr_gray(CREDENTIAL, scale=6, pad=200), 200), line_kernel(2.0 * 6, 30)),
        (qr_gray(CREDENTIAL, scale=6, pad=200), disk_kernel(1.0 * 6)),
    ],
    ids=["motion 2 modules at 30 degrees before stripes", "defocus disk of radius 1 module"],
)
def test_the_cepstrum_gives_a_kernel_no_fixed_guess_does(
    scene: np.ndarray, kernel: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    image = to_u8(
        blurred_in_light(scene, kernel) + np.random.default_rng(2).normal(0, 2, scene.shape)
    )
    assert Decoder(budget_ms=None, remember=False).decode(image).texts == (CREDENTIAL,)
    _without_cepstrum_kernels(monkeypatch)
    assert Decoder(budget_ms=None, remember=False).decode(image).texts == ()


def test_a_stream_fuses_frames_each_too_glared_to_read() -> None:
    """A glare spot that moves as the phone tilts hides a different part of the code in each
    frame: no frame is readable alone, their aligned, glare-masked mean is."""
    base = qr_gray(CREDENTIAL, scale=4)
    side = base.shape[1]
    frames = []
    for cx, cy in [(0.5, 0.35), (0.35, 0.6), (0.62, 0.62)]:
        frame = base.copy()
        cv2.circle(frame, (int(cx * side), int(cy * side)), int(0.16 * side), 255, -1)
        frames.append(to_u8(frame))
    assert all(Decoder(budget_ms=None, remember=False).decode(f).texts == () for f in frames)
    stream = Decoder(budget_ms=None, remember=True)
    reads = [stream.decode(f).texts for f in frames]
    assert reads[0] == ()
    assert (CREDENTIAL,) in reads[1:]


def test_a_scene_turns_quiet_after_a_code_was_read_and_taken_away(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The remembered place of the last code is not "something located": once the code is gone
    the scene turns quiet as any other, and the place is forgotten."""
    calls: list[int] = []

    def counted(gray: np.ndarray) -> np.ndarray:
        calls.append(1)
        return gray

    monkeypatch.setattr(decoder_module, "FRAME_RETRIES", (Retry("counted", counted),))
    stream = Decoder(budget_ms=None, remember=True)
    assert stream.decode(to_u8(qr_gray(ID_CARD))).texts == (ID_CARD,)
    blank = np.full((400, 400), 200, np.uint8)
    for _ in range(QUIET_AFTER):
        stream.decode(blank)
    calls.clear()
    for _ in range(4 * QUIET_RETRY_EVERY):
        assert stream.decode(blank).texts == ()
    assert len(calls) == 4  # one frame in QUIET_RETRY_EVERY


def _dark_hall_stream(frames: int) -> list[np.ndarray]:
    """A held-up code in a dark hall: each frame shaken by a few pixels and rolled by up to a
    degree, under noise (sigma 120 grey levels) that hides it from zxing in every frame."""
    code = qr_gray(CREDENTIAL, scale=5, pad=120, background=90)
    h, w = code.shape
    rng = np.random.default_rng(7)
    stream = []
    for i in range(frames):
        shake = cv2.getRotationMatrix2D((w / 2, h / 2), 0.8 * np.sin(i * 1.3), 1.0)
        shake[:, 2] += (3 * np.sin(i * 0.9), 3 * np.cos(i * 1.7))
        moved = cv2.warpAffine(code, shake, (w, h), borderMode=cv2.BORDER_REPLICATE)
        stream.append(to_u8(moved * 0.6 + 50 + rng.normal(0, 120, moved.shape)))
    return stream


def test_a_stream_reads_the_mean_of_frames_each_too_noisy_to_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The running mean: the shaken, rolled frames aligned on the newest and averaged; read by
    the third frame, where no frame alone is, nor the stream without the mean."""
    frames = _dark_hall_stream(4)
    assert all(Decoder(budget_ms=None, remember=False).decode(f).texts == () for f in frames)
    stream = Decoder(budget_ms=None, remember=True)
    reads = [stream.decode(f).texts for f in frames[:3]]
    assert reads == [(), (), (CREDENTIAL,)]
    monkeypatch.setattr(decoder_module.RunningMean, "add", lambda self, gray: None)
    without = Decoder(budget_ms=None, remember=True)
    assert all(without.decode(f).texts == () for f in frames)


def _defocused_card_in_a_scene() -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """A code defocused by a disk of one module on a smooth background, and the code's box."""
    code = qr_gray(CREDENTIAL, scale=6, pad=60)
    yy, xx = np.mgrid[:900, :1400]
    scene = (120 + 25 * np.sin(xx / 140.0) * np.cos(yy / 110.0)).astype(np.float32)
    h, w = code.shape
    scene[200 : 200 + h, 700 : 700 + w] = code
    image = blurred_in_light(scene, disk_kernel(1.0 * 6))
    image = to_u8(image + np.random.default_rng(2).normal(0, 2, image.shape))
    quiet = 60 + 4 * 6  # the pad and the four-module quiet zone
    return image, (700 + quiet, 200 + quiet, 700 + w - quiet, 200 + h - quiet)


def test_the_region_of_finest_detail_holds_the_blurred_code() -> None:
    image, (x0, y0, x1, y1) = _defocused_card_in_a_scene()
    box = detailed_region(image)
    assert box is not None
    assert box[0] <= x0 and box[1] <= y0 and box[2] >= x1 and box[3] >= y1
    # Not the whole frame: the region is the code and a margin round it.
    assert (box[2] - box[0]) * (box[3] - box[1]) < 0.25 * image.size
    assert detailed_region(np.full((400, 400), 128, np.uint8)) is None


def test_region_deconvolution_reads_a_code_with_the_whole_frame_passes_taken_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    image, _ = _defocused_card_in_a_scene()
    _without_deconvolution(monkeypatch, keep_region=True)
    assert Decoder(budget_ms=None, remember=False).decode(image).texts == (CREDENTIAL,)
    monkeypatch.setattr(decoder_module, "REGION_KERNELS", ())
    assert Decoder(budget_ms=None, remember=False).decode(image).texts == ()


def test_a_micro_qr_is_never_read_as_a_text() -> None:
    """zxing-cpp's QR family includes Micro QR, which no credential uses and whose M1 symbols
    only detect errors: a deconvolved texture once read as one ("2244" from a defocused
    frame). So a Micro QR, even a clean one, gives no text."""
    micro = segno.make_micro("2244")
    modules = np.array(micro.matrix, dtype=bool)
    image = np.pad(np.where(modules, 20, 235).astype(np.float32), 2, constant_values=235)
    image = to_u8(cv2.resize(image, None, fx=8, fy=8, interpolation=cv2.INTER_NEAREST))
    formats = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    assert [b.text for b in zxingcpp.read_barcodes(image, formats=formats)] == ["2244"]
    assert zxing_scan(image).texts == ()
    assert Decoder(budget_ms=None, remember=False).decode(image).texts == ()


@pytest.mark.parametrize("shape", [(1, 1), (5, 7), (20, 400), (1, 3, 3)])
def test_an_image_too_small_to_hold_a_code_gives_no_text(shape: tuple[int, ...]) -> None:
    """A 1-pixel PNG given to `kiosk decode` once reached a half-size resize with no pixels."""
    frame = np.zeros(shape, np.uint8)
    for budget_ms in (None, 25.0):
        assert Decoder(budget_ms=budget_ms, remember=False).decode(frame).texts == ()
