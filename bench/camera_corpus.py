"""A second synthetic corpus, written apart from bench/qr_corpus.py, to judge the decoder on.

The decoder's retries were tuned on qr_corpus; a benchmark written together with the retries it
measures flatters them. This generator shares only the category names (so the two can be put
side by side) and nothing else: not the payloads, the scene, the camera or the blur kernels.

Its camera, unlike qr_corpus's pinhole-then-Gaussian one:
- a pose in yaw/pitch/roll at a distance, an off-centre principal point and barrel distortion;
- optics in linear light: a disk (defocus) or a straight-line (motion, any angle) point spread
  function, built anti-aliased by supersampling;
- a sensor that counts photons: Poisson shot noise from a full-well of 1,500-9,000 electrons,
  read noise, exposure clipping (where glare saturates), gamma;
- a Bayer mosaic demosaiced by OpenCV, then JPEG with 4:2:0 chroma at quality 60-90.

Glare here is a soft-edged band or polygon (a window or a lamp reflected in a glossy card or a
phone screen) of 8-20% of the code's area, not an elliptical spot; moiré is a screen's black
matrix at 2-4.5 screen pixels a module; low contrast is 14-30 grey levels under visible noise.

Everything derives from `numpy.random.default_rng((seed, 7, category, resolution, index))`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np
import segno

from verifier import base45

RESOLUTIONS: dict[str, tuple[int, int]] = {"720p": (1280, 720), "1080p": (1920, 1080)}
CATEGORIES: tuple[str, ...] = (
    "clean",
    "defocus",
    "motion",
    "noise",
    "rotation",
    "perspective",
    "low_contrast",
    "glare",
    "jpeg",
    "inverted",
    "moire",
    "small_modules",
    "two_codes",
)
_STREAM_TAG = 7  # keeps this corpus's random streams apart from any other seeded with the same

Rng = np.random.Generator


@dataclass(frozen=True)
class Frame:
    category: str
    resolution: str
    index: int
    image: np.ndarray  # BGR uint8
    expected: tuple[str, ...]
    pixels_per_module: float


# --- payloads -------------------------------------------------------------------------------

_SURNAMES = ("Đỗ", "Trịnh", "Phan", "Vũ", "Hoàng", "Mai", "Tạ", "Lương", "Cao", "Quách")
_NAMES = ("Thị Hồng Nhung", "Văn Khải", "Ngọc Ánh", "Quốc Bảo", "Thuỳ Dương", "Hữu Nghĩa")
_PLACES = ("Phường Thạch Thang, Quận Hải Châu", "Xã Hoà Vang, Huyện Hoà Vang", "Phường Mỹ An")


def _payload(rng: Rng) -> tuple[str, str]:
    """A text and the error level it is encoded at."""
    if rng.random() < 0.6:
        body = base45.encode(rng.bytes(int(rng.integers(170, 240))))
        return "CDS1:" + body, str(rng.choice(["L", "M", "Q"], p=[0.2, 0.6, 0.2]))
    number = "0" + "".join(str(int(d)) for d in rng.integers(0, 10, 11))
    name = f"{_SURNAMES[int(rng.integers(len(_SURNAMES)))]} {_NAMES[int(rng.integers(6))]}"
    day, month, year = (int(rng.integers(lo, hi)) for lo, hi in ((1, 29), (1, 13), (1945, 2008)))
    born = f"{day:02d}{month:02d}{year}"
    place = f"Tổ {int(rng.integers(1, 60))}, {_PLACES[int(rng.integers(3))]}, TP Đà Nẵng"
    issued = f"{int(rng.integers(1, 29)):02d}{int(rng.integers(1, 13)):02d}2022"
    return "|".join(
        (number, "", name, born, "Nữ" if rng.random() < 0.5 else "Nam", place, issued)
    ), "M"


def _matrix(text: str, error: str) -> np.ndarray:
    qr = segno.make_qr(
        text,
        error=error,
        encoding=None if text.isascii() else "utf-8",
        eci=False,
        boost_error=False,
    )
    return np.array(qr.matrix, dtype=bool)


# --- the printed or lit object, in reflectance 0..1 -----------------------------------------


@dataclass(frozen=True)
class Target:
    reflectance: np.ndarray  # float32, the flat object at s pixels per module
    code: tuple[float, float, float]  # x0, y0, side of the code in object pixels
    s: int  # object pixels per module
    screen: bool


def _target(
    rng: Rng, modules: np.ndarray, s: int, dark: float, light: float, screen: bool
) -> Target:
    n = modules.shape[0]
    quiet = int(rng.integers(2, 5))
    side = (n + 2 * quiet) * s
    if screen:
        border = 2 * s
        h, w = int(side * rng.uniform(1.5, 1.9)) + 2 * border, side + 2 * border
        obj = np.full((h, w), rng.uniform(0.005, 0.03), np.float32)  # the phone's black glass
        obj[border : h - border, border : w - border] = light
        top = border + int(side * rng.uniform(0.15, 0.35))
        x0 = border
    else:
        h, w = side + int(side * rng.uniform(0.0, 0.5)), side + int(side * rng.uniform(0.2, 0.9))
        obj = np.full((h, w), light, np.float32)
        top, x0 = 0, 0
        for row in range(side // (3 * s)):  # printed lines beside or under the code
            y = row * 3 * s + s
            if y + s < h:
                obj[y : y + s, side + s : w - int(rng.uniform(1, 6) * s)] = dark
    cells = np.kron(np.where(modules, dark, light).astype(np.float32), np.ones((s, s), np.float32))
    cx, cy = x0 + quiet * s, top + quiet * s
    obj[cy : cy + n * s, cx : cx + n * s] = cells
    return Target(obj, (cx, cy, n * s), s, screen)


def _black_matrix(rng: Rng, target: Target) -> Target:
    """A screen's pixels with dark gaps (the black matrix) at 2-4.5 screen pixels a module."""
    pitch = target.s / rng.uniform(2.0, 4.5)
    fill = rng.uniform(0.55, 0.8)  # the lit share of each screen pixel, per axis
    h, w = target.reflectance.shape
    ys = ((np.arange(h) / pitch) % 1.0 < fill).astype(np.float32)
    xs = ((np.arange(w) / pitch) % 1.0 < fill).astype(np.float32)
    lit = 0.15 + 0.85 * np.outer(ys, xs)
    return Target(target.reflectance * lit.astype(np.float32), target.code, target.s, True)


# --- camera ---------------------------------------------------------------------------------


def _pose(yaw: float, pitch: float, roll: float) -> np.ndarray:
    cy, sy = math.cos(math.radians(yaw)), math.sin(math.radians(yaw))
    cp, sp = math.cos(math.radians(pitch)), math.sin(math.radians(pitch))
    cr, sr = math.cos(math.radians(roll)), math.sin(math.radians(roll))
    ry = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    rx = np.array([[1, 0, 0], [0, cp, -sp], [0, sp, cp]])
    rz = np.array([[cr, -sr, 0], [sr, cr, 0], [0, 0, 1]])
    return rz @ ry @ rx


def _homography(
    target: Target, ppm: float, yaw: float, pitch: float, roll: float, f: float, centre: np.ndarray
) -> np.ndarray:
    """Object pixels to frame pixels: the code's centre at depth where a module is ppm pixels."""
    x0, y0, side = target.code
    depth = f * target.s / ppm  # object pixels are the world unit
    r = _pose(yaw, pitch, roll)
    k = np.array([[f, 0, centre[0]], [0, f, centre[1]], [0, 0, 1]])
    shift = np.array([[1, 0, -(x0 + side / 2)], [0, 1, -(y0 + side / 2)], [0, 0, 1]])
    plane = np.c_[r[:, 0], r[:, 1], [0, 0, depth]]
    return np.asarray(k @ plane @ shift)


def _warp(canvas: np.ndarray, image: np.ndarray, h: np.ndarray) -> np.ndarray:
    """Draws image through homography h onto canvas (in place); returns the coverage mask."""
    fh, fw = canvas.shape
    ih, iw = image.shape
    corners = cv2.perspectiveTransform(np.float32([[[0, 0], [iw, 0], [iw, ih], [0, ih]]]), h)[0]
    x0, y0 = np.floor(corners.min(0)).astype(int).clip(0, [fw, fh])
    x1, y1 = np.ceil(corners.max(0)).astype(int).clip(0, [fw, fh])
    mask = np.zeros_like(canvas)
    if x1 <= x0 or y1 <= y0:
        return mask
    local = np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1]]) @ h
    size = (int(x1 - x0), int(y1 - y0))
    warped = cv2.warpPerspective(image, local, size, flags=cv2.INTER_AREA)
    cover = cv2.warpPerspective(np.ones_like(image), local, size, flags=cv2.INTER_LINEAR)
    roi = canvas[y0:y1, x0:x1]
    roi[:] = roi * (1 - cover) + warped * cover
    mask[y0:y1, x0:x1] = cover
    return mask


def _scene(rng: Rng, w: int, h: int) -> np.ndarray:
    """A counter top: multi-octave texture, a few straight edges and round objects."""
    scene = np.full((h, w), rng.uniform(0.08, 0.5), np.float32)
    for octave in (4, 16, 64):
        noise = rng.normal(0, 0.06 * 16 / octave + 0.01, (octave * h // w + 2, octave + 2))
        scene += cv2.resize(noise.astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR)
    for _ in range(int(rng.integers(3, 9))):
        value = float(rng.uniform(0.02, 0.8))
        p = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        if rng.random() < 0.5:
            q = (int(rng.integers(0, w)), int(rng.integers(0, h)))
            cv2.line(scene, p, q, value, int(rng.integers(2, 40)), cv2.LINE_AA)
        else:
            axes = (int(rng.integers(10, w // 6)), int(rng.integers(10, h // 6)))
            cv2.ellipse(scene, p, axes, float(rng.uniform(0, 180)), 0, 360, value, -1, cv2.LINE_AA)
    return np.clip(scene, 0.01, 1.0)


def _distort(image: np.ndarray, k1: float, centre: np.ndarray, f: float) -> np.ndarray:
    """Barrel (k1 < 0) or pincushion distortion about the principal point."""
    h, w = image.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    xn, yn = (xx - centre[0]) / f, (yy - centre[1]) / f
    r2 = xn * xn + yn * yn
    factor = 1 + k1 * r2
    map_x = (xn * factor * f + centre[0]).astype(np.float32)
    map_y = (yn * factor * f + centre[1]).astype(np.float32)
    return cv2.remap(image, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)


def disk_psf(radius: float) -> np.ndarray:
    """A uniform disk of the given radius in pixels, anti-aliased by 8x supersampling."""
    r = max(radius, 0.3)
    n = 2 * math.ceil(r + 0.5) + 1
    sub = 8
    yy, xx = (np.mgrid[0 : n * sub, 0 : n * sub] + 0.5) / sub - n / 2
    inside = (np.hypot(xx, yy) <= r).astype(np.float32)
    kernel = cv2.resize(inside, (n, n), interpolation=cv2.INTER_AREA)
    return kernel / kernel.sum()


def line_psf(length: float, angle_deg: float) -> np.ndarray:
    """A straight streak of the given length in pixels at any angle, anti-aliased."""
    n = 2 * math.ceil(length / 2 + 1) + 1
    sub = 8
    canvas = np.zeros((n * sub, n * sub), np.float32)
    c = n * sub / 2
    dx = math.cos(math.radians(angle_deg)) * length * sub / 2
    dy = math.sin(math.radians(angle_deg)) * length * sub / 2
    p = (round((c - dx) * 16), round((c - dy) * 16))
    q = (round((c + dx) * 16), round((c + dy) * 16))
    cv2.line(canvas, p, q, 1.0, sub, cv2.LINE_AA, shift=4)
    kernel = cv2.resize(canvas, (n, n), interpolation=cv2.INTER_AREA)
    return kernel / kernel.sum()


def _glare(rng: Rng, radiance: np.ndarray, code_corners: np.ndarray, strength: float) -> None:
    """A reflected window or lamp: a soft-edged band or polygon over 8-20% of the code."""
    h, w = radiance.shape
    code_mask = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(code_mask, code_corners.astype(np.int32), 1)
    code_area = max(int(code_mask.sum()), 1)
    share = rng.uniform(0.08, 0.2)
    centre = rng.dirichlet(np.ones(4)) @ code_corners
    side = math.sqrt(code_area)
    band = rng.random() < 0.5  # a reflected window frame; else a lamp's polygon
    angle = rng.uniform(0, math.pi)
    corners = int(rng.integers(5, 8))
    wobble = rng.uniform(0, 2 * math.pi)
    shape = np.zeros((h, w), np.float32)
    for grow in np.linspace(0.1, 1.2, 24):  # grow the shape until it covers `share` of the code
        shape[:] = 0
        if band:
            along = np.array([math.cos(angle), math.sin(angle)]) * side
            across = np.array([-math.sin(angle), math.cos(angle)]) * side * grow * 0.35
            pts = np.array([centre - along - across, centre + along - across,
                            centre + along + across, centre - along + across])  # fmt: skip
        else:
            angles = np.linspace(0, 2 * math.pi, corners, endpoint=False) + angle
            radii = side * grow * 0.45 * (0.7 + 0.3 * np.cos(angles * 3 + wobble))
            pts = centre + np.c_[np.cos(angles), np.sin(angles)] * radii[:, None]
        cv2.fillPoly(shape, [pts.astype(np.int32)], 1.0)
        if float((shape * code_mask).sum()) >= share * code_area:
            break
    soft = max(1.0, side * 0.02)
    shape = cv2.GaussianBlur(shape, (0, 0), soft)
    radiance += shape * strength


def _sensor(
    rng: Rng, radiance: np.ndarray, full_well: float, read_noise: float, quality: int
) -> np.ndarray:
    """Photon and read noise, clipping, gamma, a Bayer mosaic, demosaicing, JPEG 4:2:0."""
    electrons = rng.poisson(np.clip(radiance, 0, None) * full_well).astype(np.float32)
    electrons += rng.normal(0, read_noise, radiance.shape).astype(np.float32)
    linear = np.clip(electrons / full_well, 0, 1)
    encoded = np.power(linear, 1 / 2.2) * 255
    tint = rng.uniform(0.9, 1.1, 3)  # the colour of the light, per Bayer channel
    mosaic = encoded.copy()
    mosaic[0::2, 0::2] *= tint[0]  # B
    mosaic[1::2, 1::2] *= tint[2]  # R
    mosaic[0::2, 1::2] *= tint[1]  # G
    mosaic[1::2, 0::2] *= tint[1]
    bgr = cv2.cvtColor(np.clip(mosaic, 0, 255).astype(np.uint8), cv2.COLOR_BayerBG2BGR)
    params = [cv2.IMWRITE_JPEG_QUALITY, quality, cv2.IMWRITE_JPEG_SAMPLING_FACTOR,
              cv2.IMWRITE_JPEG_SAMPLING_FACTOR_420]  # fmt: skip
    ok, data = cv2.imencode(".jpg", bgr, params)
    assert ok
    return cv2.imdecode(data, cv2.IMREAD_COLOR)


def _to_linear(level: float) -> float:
    """An 8-bit output level as the reflectance that produces it at full exposure."""
    return float((level / 255) ** 2.2)


# --- one frame ------------------------------------------------------------------------------


@dataclass
class _Knobs:
    height_share: float  # the code's side / frame height, face-on
    ppm: float | None = None
    yaw: float = 0.0
    pitch: float = 0.0
    roll: float = 0.0
    screen: bool = False
    dark: float = 30.0  # output grey levels at full exposure
    light: float = 225.0
    lens_px: float = 0.6  # the lens's own disk blur, radius in pixels
    full_well: float = 6000.0
    read_noise: float = 4.0
    exposure: float = 0.9
    quality: int = 80
    moire: bool = False


def _knobs(rng: Rng, category: str) -> _Knobs:
    k = _Knobs(
        height_share=rng.uniform(0.25, 0.65),
        yaw=rng.uniform(-14, 14),
        pitch=rng.uniform(-14, 14),
        roll=rng.uniform(-15, 15),
        screen=rng.random() < 0.45,
        dark=rng.uniform(5, 60),
        light=rng.uniform(190, 240),
        lens_px=rng.uniform(0.4, 1.0),
        full_well=rng.uniform(3000, 9000),
        read_noise=rng.uniform(2, 8),
        exposure=rng.uniform(0.75, 1.0),
        quality=int(rng.integers(60, 91)),
    )
    if category == "rotation":
        k.roll = rng.uniform(-180, 180)
    elif category == "perspective":
        k.yaw, k.pitch = rng.uniform(-50, 50), rng.uniform(-50, 50)
        while math.hypot(k.yaw, k.pitch) < 32:
            k.yaw, k.pitch = k.yaw * 1.2, k.pitch * 1.2 + 1
    elif category == "low_contrast":
        mid, spread = rng.uniform(70, 180), rng.uniform(14, 30)
        k.dark, k.light = mid - spread / 2, mid + spread / 2
        k.full_well = rng.uniform(1500, 3500)  # visible noise on top
    elif category == "inverted":
        k.screen = True
        k.dark, k.light = rng.uniform(180, 235), rng.uniform(10, 50)
    elif category == "moire":
        k.screen, k.moire = True, True
    elif category == "small_modules":
        k.ppm = rng.uniform(1.6, 2.4)
        k.lens_px = rng.uniform(0.3, 0.6)
    elif category == "noise":  # a dim hall: few photons, high gain
        k.full_well = rng.uniform(60, 220)
        k.read_noise = rng.uniform(1, 3)
        k.exposure = rng.uniform(0.5, 0.9)
    elif category == "jpeg":
        k.quality = int(rng.integers(5, 16))
        k.height_share = rng.uniform(0.22, 0.5)
    elif category == "two_codes":
        k.height_share = rng.uniform(0.28, 0.48)
    return k


def _draw_code(
    rng: Rng, radiance: np.ndarray, knobs: _Knobs, box: tuple[int, int, int, int], f: float,
    centre: np.ndarray,
) -> tuple[str, float, np.ndarray]:  # fmt: skip
    text, error = _payload(rng)
    modules = _matrix(text, error)
    n = modules.shape[0]
    h, _ = radiance.shape
    ppm = knobs.ppm or knobs.height_share * h / (n + 6)
    ppm = min(ppm, 0.85 * min(box[2] - box[0], box[3] - box[1]) / (n + 8))
    s = max(4, math.ceil(ppm * 2.5))
    target = _target(rng, modules, s, _to_linear(knobs.dark), _to_linear(knobs.light), knobs.screen)
    if knobs.moire:
        target = _black_matrix(rng, target)
    hom = _homography(target, ppm, knobs.yaw, knobs.pitch, knobs.roll, f, centre)
    x0, y0, side = target.code
    code = np.float32([[[x0, y0], [x0 + side, y0], [x0 + side, y0 + side], [x0, y0 + side]]])
    corners = cv2.perspectiveTransform(code, hom)[0]
    # Move the code to a random place inside its box.
    lo, hi = corners.min(0), corners.max(0)
    room = np.maximum(np.float32([box[2] - box[0], box[3] - box[1]]) - (hi - lo), 0)
    shift = np.float32([box[0], box[1]]) - lo + rng.uniform(0, 1, 2) * room
    hom = np.array([[1, 0, shift[0]], [0, 1, shift[1]], [0, 0, 1]]) @ hom
    _warp(radiance, target.reflectance, hom)
    return text, ppm, corners + shift


def make_frame(seed: int, category: str, resolution: str, index: int) -> Frame:
    rng = np.random.default_rng(
        (seed, _STREAM_TAG, CATEGORIES.index(category), list(RESOLUTIONS).index(resolution), index)
    )
    w, h = RESOLUTIONS[resolution]
    f = w * rng.uniform(0.7, 1.0)  # a 53-71 degree lens
    centre = np.float32([w / 2, h / 2]) + rng.normal(0, 0.01, 2).astype(np.float32) * [w, h]
    radiance = _scene(rng, w, h)
    edge = 6
    if category == "two_codes":
        split = int(w * rng.uniform(0.45, 0.55))
        boxes = [(edge, edge, split - edge, h - edge), (split + edge, edge, w - edge, h - edge)]
    else:
        boxes = [(edge, edge, w - edge, h - edge)]
    knobs = [_knobs(rng, category) for _ in boxes]
    drawn = [_draw_code(rng, radiance, k, b, f, centre) for k, b in zip(knobs, boxes, strict=True)]
    main = knobs[0]
    # Light falls off across the scene from a lamp somewhere above it.
    yy, xx = np.mgrid[0:h:16, 0:w:16].astype(np.float32)
    lamp = rng.uniform(0, 1, 2) * [w, h]
    falloff = 1 / (
        1 + ((xx - lamp[0]) ** 2 + (yy - lamp[1]) ** 2) / (rng.uniform(0.8, 2.5) * w) ** 2
    )
    radiance *= cv2.resize(falloff.astype(np.float32), (w, h)) * main.exposure / falloff.max()
    if category == "glare":
        _glare(rng, radiance, drawn[0][2], rng.uniform(1.0, 2.5))
    ppm = drawn[0][1]
    psf = disk_psf(main.lens_px)
    if category == "defocus":
        psf = disk_psf(ppm * rng.uniform(0.5, 1.3))  # sigma 0.25-0.65 of a module
    elif category == "motion":
        psf = cv2.filter2D(line_psf(ppm * rng.uniform(1.0, 2.6), rng.uniform(0, 360)), -1, psf)
    radiance = cv2.filter2D(radiance, -1, psf, borderType=cv2.BORDER_REFLECT)
    radiance = _distort(radiance, rng.uniform(-0.12, 0.02), centre, f)
    image = _sensor(rng, radiance, main.full_well, main.read_noise, main.quality)
    return Frame(category, resolution, index, image, tuple(d[0] for d in drawn), float(ppm))


def generate(
    seed: int = 515,
    per_cell: int = 24,
    categories: tuple[str, ...] = CATEGORIES,
    resolutions: tuple[str, ...] = tuple(RESOLUTIONS),
) -> Iterator[Frame]:
    """per_cell frames for every (category, resolution), in a fixed order."""
    for resolution in resolutions:
        for category in categories:
            for index in range(per_cell):
                yield make_frame(seed, category, resolution, index)
