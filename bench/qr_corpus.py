"""A deterministic, seeded corpus of camera-like frames holding QR codes, for the decoder benchmark.

Each frame is a small scene: a cluttered background, a card or a phone screen carrying the code,
seen through a pinhole camera (position, size, in-plane rotation, tilt), lit unevenly, blurred by
the optics, noisy, and finally MJPG-compressed the way a USB camera delivers it. Every category
adds one degradation on top of that mild baseline. Sizes are physical: the code covers a fraction
of the frame height, so the same scene has more pixels per module at 1080p than at 480p, except
in `small_modules`, which is about 2 px per module at every resolution.

Payloads look like the real thing: `CDS1:` + Base45 credentials (alphanumeric mode, ~300 chars,
error correction M or Q) and chip ID card texts (UTF-8 byte mode, Vietnamese, no ECI).
Everything derives from `numpy.random.default_rng((seed, category, resolution, index))`, so a
frame does not depend on which other frames were generated.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np
import segno

from verifier import base45

RESOLUTIONS: dict[str, tuple[int, int]] = {
    "480p": (640, 480),
    "720p": (1280, 720),
    "1080p": (1920, 1080),
}
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

Rng = np.random.Generator
Gray = np.ndarray  # float32 scene, 0..255


@dataclass(frozen=True)
class Sample:
    category: str
    resolution: str
    index: int
    frame: np.ndarray  # BGR uint8, as a camera delivers it
    expected: tuple[str, ...]
    pixels_per_module: float


# --- payloads -------------------------------------------------------------------------------

_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Ngô", "Dương", "Hồ", "Lý")
_MIDDLE = ("Văn", "Thị", "Hữu", "Minh", "Ngọc", "Quốc", "Thanh", "Thị Mỹ", "Đức", "Gia")
_GIVEN = ("An", "Bích Ngọc", "Phúc", "Đức", "Duyên", "Hằng", "Bảo", "Thu Hà", "Tùng", "Ánh", "Ửng")
_STREET = ("Bạch Đằng", "Trần Phú", "Lê Duẩn", "Nguyễn Văn Linh", "Hùng Vương", "Điện Biên Phủ")
_DISTRICT = ("Hải Châu", "Thanh Khê", "Sơn Trà", "Ngũ Hành Sơn", "Liên Chiểu", "Cẩm Lệ")


def credential_text(rng: Rng) -> str:
    """`CDS1:` + Base45 of random bytes, as long as a real zlib-compressed COSE credential."""
    return "CDS1:" + base45.encode(rng.bytes(int(rng.integers(196, 218))))


def id_card_text(rng: Rng) -> str:
    """A chip ID card (CCCD) text: pipe-separated, Vietnamese name and address."""

    def pick(options: tuple[str, ...]) -> str:
        return options[int(rng.integers(len(options)))]

    def date() -> str:
        return f"{rng.integers(1, 29):02d}{rng.integers(1, 13):02d}{rng.integers(1950, 2024)}"

    digits = "".join(str(d) for d in rng.integers(0, 10, 12))
    old_id = "".join(str(d) for d in rng.integers(0, 10, 9)) if rng.random() < 0.5 else ""
    name = f"{pick(_FAMILY)} {pick(_MIDDLE)} {pick(_GIVEN)}"
    address = f"{rng.integers(1, 400)} {pick(_STREET)}, {pick(_DISTRICT)}, Đà Nẵng"
    sex = pick(("Nam", "Nữ"))
    return "|".join((digits, old_id, name, date(), sex, address, date()))


def qr_modules(text: str, error: str) -> np.ndarray:
    """The code's modules, True for dark, without quiet zone. Byte mode texts carry no ECI."""
    encoding = None if text.isascii() else "utf-8"
    qr = segno.make_qr(text, error=error, encoding=encoding, eci=False, boost_error=False)
    return np.array(qr.matrix, dtype=bool)


def random_payload(rng: Rng) -> tuple[str, np.ndarray]:
    if rng.random() < 0.65:
        text = credential_text(rng)
        return text, qr_modules(text, "m" if rng.random() < 0.6 else "q")
    text = id_card_text(rng)
    return text, qr_modules(text, "m")


# --- carriers: a card or a phone screen, flat, k render pixels per module -------------------


@dataclass(frozen=True)
class Carrier:
    image: Gray  # the flat carrier, float32
    code_box: tuple[float, float, float, float]  # x0, y0, x1, y1 of the code in image pixels
    k: int  # render pixels per module


def _paint_code(
    canvas: Gray, modules: np.ndarray, x0: int, y0: int, k: int, dark: float, light: float
) -> None:
    block = np.where(modules, dark, light).astype(np.float32)
    block = np.kron(block, np.ones((k, k), np.float32))
    canvas[y0 : y0 + block.shape[0], x0 : x0 + block.shape[1]] = block


def _text_bars(rng: Rng, canvas: Gray, box: tuple[int, int, int, int], ink: float, k: int) -> None:
    """Lines of 'printed text' (dark bars) inside box, so the carrier is not a bare code."""
    x0, y0, x1, y1 = box
    y = y0 + k
    while y + 2 * k < y1:
        width = int(rng.uniform(0.3, 1.0) * (x1 - x0 - 2 * k))
        if width > 0:
            canvas[y : y + 2 * k, x0 + k : x0 + k + width] = ink
        y += int(rng.uniform(3.5, 5.0) * k)


def make_carrier(
    rng: Rng, modules: np.ndarray, k: int, *, kind: str, dark: float, light: float, quiet: int
) -> Carrier:
    n = modules.shape[0]
    side = (n + 2 * quiet) * k
    if kind == "card":
        extra = int(side * rng.uniform(0.3, 0.8))  # text column beside the code
        h, w = side + 2 * k, side + extra + 2 * k
        canvas = np.full((h, w), light, np.float32)
        _text_bars(rng, canvas, (side + k, k, w - k, h - k), dark, k)
        cx, cy = k, k
    else:  # phone: bezel, screen with a status bar and a caption under the code
        bezel = 3 * k
        h, w = int(side * 1.6) + 2 * bezel, side + 2 * bezel
        canvas = np.full((h, w), rng.uniform(8, 35), np.float32)
        canvas[bezel : h - bezel, bezel : w - bezel] = light
        top = bezel + int(side * 0.25)
        _text_bars(rng, canvas, (bezel, top + side, w - bezel, h - bezel), dark, k)
        cx, cy = bezel, top
    _paint_code(canvas, modules, cx + quiet * k, cy + quiet * k, k, dark, light)
    x0, y0 = cx + quiet * k, cy + quiet * k
    return Carrier(canvas, (x0, y0, x0 + n * k, y0 + n * k), k)


# --- camera geometry ------------------------------------------------------------------------


def _rotation(tilt_deg: float, tilt_axis_deg: float, roll_deg: float) -> np.ndarray:
    a = math.radians(tilt_axis_deg)
    axis = np.array([math.cos(a), math.sin(a), 0.0])
    tilt, _ = cv2.Rodrigues(axis * math.radians(tilt_deg))
    roll, _ = cv2.Rodrigues(np.array([0.0, 0.0, math.radians(roll_deg)]))
    return np.asarray(roll @ tilt)


def project(
    carrier: Carrier, ppm: float, tilt: float, tilt_axis: float, roll: float, focal: float
) -> np.ndarray:
    """Where the carrier's corners land, relative to the code's centre, in frame pixels.

    The code's centre sits on the optical axis at a depth where one module is `ppm` pixels,
    then the plane is tilted and rolled; a pinhole camera of focal length `focal` projects it.
    """
    x0, y0, x1, y1 = carrier.code_box
    h, w = carrier.image.shape
    scale = ppm / carrier.k  # frame pixels per render pixel, fronto-parallel
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float64)
    centred = (corners - [(x0 + x1) / 2, (y0 + y1) / 2]) * scale
    pts = np.c_[centred, np.zeros(4)] @ _rotation(tilt, tilt_axis, roll).T
    pts[:, 2] += focal
    return (pts[:, :2] * (focal / pts[:, 2:3])).astype(np.float32)


def composite(frame: Gray, carrier: Carrier, quad: np.ndarray) -> None:
    """Warps the carrier onto quad (frame pixels), in place."""
    h, w = carrier.image.shape
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    fh, fw = frame.shape
    bx0, by0 = np.floor(quad.min(0)).astype(int).clip(0, [fw, fh])
    bx1, by1 = np.ceil(quad.max(0)).astype(int).clip(0, [fw, fh])
    if bx1 > bx0 and by1 > by0:  # warp only the bounding box: much faster at 1080p
        m = cv2.getPerspectiveTransform(src, quad - np.float32([bx0, by0]))
        size = (int(bx1 - bx0), int(by1 - by0))
        warped = cv2.warpPerspective(carrier.image, m, size, flags=cv2.INTER_LINEAR)
        mask = cv2.warpPerspective(np.ones_like(carrier.image), m, size, flags=cv2.INTER_LINEAR)
        roi = frame[by0:by1, bx0:bx1]
        roi[:] = roi * (1 - mask) + warped * mask


def code_quad(carrier: Carrier, quad: np.ndarray) -> np.ndarray:
    """Where the code's corners land when the carrier's corners land on quad."""
    h, w = carrier.image.shape
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    x0, y0, x1, y1 = carrier.code_box
    code = np.array([[[x0, y0], [x1, y0], [x1, y1], [x0, y1]]], np.float32)
    return np.asarray(cv2.perspectiveTransform(code, cv2.getPerspectiveTransform(src, quad))[0])


# --- scene and sensor -----------------------------------------------------------------------


def background(rng: Rng, w: int, h: int) -> Gray:
    """A desk or a counter: smooth blotches plus a few hard-edged objects."""
    base = rng.uniform(50, 190)
    coarse = rng.normal(0, 25, (6, 8)).astype(np.float32)
    frame = base + cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC)
    for _ in range(int(rng.integers(2, 7))):
        x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
        rw, rh = int(rng.integers(w // 20, w // 3)), int(rng.integers(h // 20, h // 3))
        frame[y : y + rh, x : x + rw] = rng.uniform(20, 230)
    return frame.astype(np.float32)


def illumination(rng: Rng, w: int, h: int) -> Gray:
    """Vignetting and a light gradient across the frame, as a gain around 0.6-1.1."""
    yy, xx = np.mgrid[0:h:8, 0:w:8].astype(np.float32)
    r2 = ((xx - w / 2) / w) ** 2 + ((yy - h / 2) / h) ** 2
    angle = rng.uniform(0, 2 * math.pi)
    ramp = (math.cos(angle) * xx / w + math.sin(angle) * yy / h) * rng.uniform(0, 0.3)
    gain = rng.uniform(0.85, 1.05) * (1 - rng.uniform(0.2, 0.6) * r2) + ramp - ramp.mean()
    return cv2.resize(gain.astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR)


def disk_kernel(radius: float) -> np.ndarray:
    r = max(radius, 0.5)
    n = math.ceil(r) * 2 + 1
    yy, xx = np.mgrid[:n, :n] - n // 2
    # Anti-aliased edge: a pixel's weight is how much of it lies inside the disk.
    kernel = np.clip(r + 0.5 - np.hypot(xx, yy), 0, 1).astype(np.float32)
    return kernel / kernel.sum()


def motion_kernel(length: float, angle_deg: float) -> np.ndarray:
    n = math.ceil(length) | 1
    kernel = np.zeros((n, n), np.float32)
    c = n // 2
    dx, dy = math.cos(math.radians(angle_deg)), math.sin(math.radians(angle_deg))
    for t in np.linspace(-length / 2, length / 2, max(2, int(length * 3))):
        kernel[round(c + t * dy), round(c + t * dx)] += 1
    return kernel / kernel.sum()


def glare(rng: Rng, frame: Gray, code_quad: np.ndarray) -> None:
    """A specular spot on the glossy card or screen: clips part of the code to white."""
    size = float(np.linalg.norm(code_quad[1] - code_quad[0]))
    weights = rng.dirichlet(np.ones(4))
    cx, cy = weights @ code_quad
    ax, ay = size * rng.uniform(0.12, 0.3), size * rng.uniform(0.08, 0.2)
    theta = rng.uniform(0, math.pi)
    h, w = frame.shape
    x0, x1 = int(max(cx - 3 * ax, 0)), int(min(cx + 3 * ax, w))
    y0, y1 = int(max(cy - 3 * ax, 0)), int(min(cy + 3 * ax, h))
    yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    u = (xx - cx) * math.cos(theta) + (yy - cy) * math.sin(theta)
    v = -(xx - cx) * math.sin(theta) + (yy - cy) * math.cos(theta)
    spot = np.exp(-(((u / ax) ** 2 + (v / ay) ** 2) ** 1.5))
    frame[y0:y1, x0:x1] += spot * rng.uniform(180, 320)


def screen_grid(rng: Rng, carrier: Carrier) -> Carrier:
    """The phone's pixel grid: dark gaps between screen pixels that alias into moiré."""
    period = carrier.k / rng.uniform(1.3, 2.2)  # screen pixels per module, render pixels each
    h, w = carrier.image.shape
    phase = np.arange(max(h, w), dtype=np.float32) / period
    line = 1 - rng.uniform(0.25, 0.5) * (np.cos(2 * math.pi * phase) > 0.3)
    grid = np.outer(line[:h], line[:w]).astype(np.float32)
    return Carrier(carrier.image * grid, carrier.code_box, carrier.k)


def sensor(rng: Rng, frame: Gray, noise_sigma: float, jpeg_quality: int) -> np.ndarray:
    """Noise, white balance, 8-bit, then MJPG compression and back: what the camera sends."""
    frame = frame + rng.standard_normal(frame.shape, dtype=np.float32) * noise_sigma
    gains = rng.uniform(0.92, 1.08, 3).astype(np.float32)
    bgr = cv2.merge([frame * g for g in gains])
    bgr = np.clip(bgr, 0, 255).astype(np.uint8)
    ok, data = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, jpeg_quality])
    assert ok
    return cv2.imdecode(data, cv2.IMREAD_COLOR)


# --- one frame ------------------------------------------------------------------------------


@dataclass
class Shot:
    """The knobs of one frame; each category moves some of them."""

    code_fraction: float  # code height / frame height, before perspective
    ppm: float | None = None  # fixes pixels per module instead of code_fraction
    tilt: float = 0.0
    roll: float = 0.0
    kind: str = "card"
    dark: float = 25.0
    light: float = 235.0
    quiet: int = 4
    optics_sigma: float = 0.5
    noise_sigma: float = 2.5
    jpeg_quality: int = 90
    brightness: float = 1.0
    screen_grid: bool = False


def _shot(rng: Rng, category: str) -> Shot:
    shot = Shot(
        code_fraction=rng.uniform(0.3, 0.7),
        tilt=rng.uniform(0, 15),
        roll=rng.uniform(-12, 12),
        kind="phone" if rng.random() < 0.5 else "card",
        dark=rng.uniform(10, 50),
        light=rng.uniform(200, 245),
        quiet=int(rng.integers(2, 5)),
        optics_sigma=rng.uniform(0.35, 0.75),
        noise_sigma=rng.uniform(1.5, 4.0),
        jpeg_quality=int(rng.integers(80, 95)),
    )
    if category == "rotation":
        shot.roll = rng.uniform(0, 360)
    elif category == "perspective":
        shot.tilt = rng.uniform(30, 60)
    elif category == "low_contrast":
        mid, spread = rng.uniform(80, 170), rng.uniform(18, 40)
        shot.dark, shot.light = mid - spread / 2, mid + spread / 2
    elif category == "inverted":  # dark mode: light modules on a dark screen
        shot.kind = "phone"
        shot.dark, shot.light = rng.uniform(190, 235), rng.uniform(15, 45)
    elif category == "moire":
        shot.kind, shot.screen_grid = "phone", True
    elif category == "small_modules":
        shot.ppm = rng.uniform(1.5, 2.3)
        shot.optics_sigma = rng.uniform(0.3, 0.5)
    elif category == "noise":  # dim light, high gain
        shot.brightness = rng.uniform(0.3, 0.55)
        shot.noise_sigma = rng.uniform(10, 24)
    elif category == "jpeg":
        shot.jpeg_quality = int(rng.integers(4, 12))
        shot.code_fraction = rng.uniform(0.2, 0.5)
    elif category == "two_codes":
        shot.code_fraction = rng.uniform(0.3, 0.5)
    return shot


def _place(rng: Rng, quad: np.ndarray, code: np.ndarray, box: tuple[int, int, int, int]) -> None:
    """Shifts quad and code (in place) to a random spot where the code lies inside box."""
    x0, y0, x1, y1 = box
    lo, hi = code.min(0), code.max(0)
    span_x = max(0.0, (x1 - x0) - (hi[0] - lo[0]))
    span_y = max(0.0, (y1 - y0) - (hi[1] - lo[1]))
    shift = np.float32([x0 - lo[0] + rng.uniform(0, span_x), y0 - lo[1] + rng.uniform(0, span_y)])
    quad += shift
    code += shift


def _add_code(
    rng: Rng, frame: Gray, shot: Shot, box: tuple[int, int, int, int], focal: float
) -> tuple[str, float, np.ndarray]:
    """Draws one carrier with a fresh payload into box. Returns text, px per module, code quad."""
    text, modules = random_payload(rng)
    n = modules.shape[0]
    ppm = shot.ppm or shot.code_fraction * frame.shape[0] / (n + 2 * shot.quiet)
    # Keep the code inside its box even when seen face-on at the largest size.
    ppm = min(ppm, 0.9 * min(box[2] - box[0], box[3] - box[1]) / (n + 2 * shot.quiet))
    carrier = make_carrier(
        rng, modules, max(3, math.ceil(ppm * 1.5)), kind=shot.kind, dark=shot.dark,
        light=shot.light, quiet=shot.quiet,
    )  # fmt: skip
    if shot.screen_grid:
        carrier = screen_grid(rng, carrier)
    quad = project(carrier, ppm, shot.tilt, rng.uniform(0, 180), shot.roll, focal)
    code = code_quad(carrier, quad)
    _place(rng, quad, code, box)
    composite(frame, carrier, quad)
    return text, ppm, code


def make_sample(seed: int, category: str, resolution: str, index: int) -> Sample:
    rng = np.random.default_rng(
        (seed, CATEGORIES.index(category), list(RESOLUTIONS).index(resolution), index)
    )
    w, h = RESOLUTIONS[resolution]
    focal = w * rng.uniform(0.8, 1.1)  # a 55-65 degree webcam
    frame = background(rng, w, h)
    margin = 4
    if category == "two_codes":
        boxes = [
            (margin, margin, w // 2 - margin, h - margin),
            (w // 2 + margin, margin, w - margin, h - margin),
        ]
    else:
        boxes = [(margin, margin, w - margin, h - margin)]
    shots = [_shot(rng, category) for _ in boxes]
    placed = [
        _add_code(rng, frame, shot, box, focal) for shot, box in zip(shots, boxes, strict=True)
    ]
    shot = shots[0]  # its sensor-side knobs serve the whole frame
    frame *= illumination(rng, w, h) * shot.brightness
    if category == "glare":
        glare(rng, frame, placed[0][2])
    ppm = placed[0][1]
    if category == "defocus":
        frame = cv2.filter2D(frame, -1, disk_kernel(ppm * rng.uniform(0.4, 1.1)))
    elif category == "motion":
        frame = cv2.filter2D(
            frame, -1, motion_kernel(ppm * rng.uniform(0.8, 2.4), rng.uniform(0, 180))
        )
    frame = cv2.GaussianBlur(frame, (0, 0), shot.optics_sigma)
    if category == "moire":  # rolling bands from the screen's refresh
        rows = np.arange(h, dtype=np.float32)[:, None]
        frame *= 1 + rng.uniform(0.04, 0.12) * np.sin(rows / rng.uniform(8, 30) + rng.uniform(0, 6))
    bgr = sensor(rng, frame, shot.noise_sigma, shot.jpeg_quality)
    texts = tuple(p[0] for p in placed)
    return Sample(category, resolution, index, bgr, texts, float(ppm))


def generate(
    seed: int = 2024,
    per_cell: int = 40,
    categories: tuple[str, ...] = CATEGORIES,
    resolutions: tuple[str, ...] = tuple(RESOLUTIONS),
) -> Iterator[Sample]:
    """per_cell frames for every (category, resolution), in a fixed order."""
    for resolution in resolutions:
        for category in categories:
            for index in range(per_cell):
                yield make_sample(seed, category, resolution, index)
