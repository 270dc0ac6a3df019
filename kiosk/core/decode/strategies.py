"""Image retries for frames the first pass cannot read, and the crops they work on.

Each retry is a cheap image transform followed by one zxing-cpp call. Why each exists, and the
order, come from the decoder benchmark (docs/decoder.md): a blur removes sensor noise and a
phone screen's pixel grid (moiré), upscaling gives zxing's local binarizer more pixels per module,
a contrast stretch lifts codes whose contrast is under the binarizer's minimum range, and
sharpening restores edges lost to defocus.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
import zxingcpp

from kiosk.core.decode.backends import Gray, Quad


def blurred(sigma: float) -> Callable[[Gray], Gray]:
    return lambda gray: cv2.GaussianBlur(gray, (0, 0), sigma)


def resized(factor: float) -> Callable[[Gray], Gray]:
    interpolation = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
    return lambda gray: cv2.resize(gray, None, fx=factor, fy=factor, interpolation=interpolation)


def stretched(gray: Gray) -> Gray:
    """Maps the 1st..99th percentile to 0..255: for a crop holding little but the code."""
    lo, hi = np.percentile(gray, (1, 99))
    if hi - lo < 2:
        return gray
    scale = 255.0 / (hi - lo)
    return cv2.convertScaleAbs(gray, alpha=scale, beta=-lo * scale)


_CLAHE = cv2.createCLAHE(clipLimit=4.0, tileGridSize=(16, 16))


def equalized(gray: Gray) -> Gray:
    """Local histogram equalisation (CLAHE): faint codes beside dark bezels or bright glare."""
    return _CLAHE.apply(gray)


def sharpened(gray: Gray) -> Gray:
    """Unsharp mask: steeper module edges after defocus or motion blur."""
    soft = cv2.GaussianBlur(gray, (0, 0), 2.0)
    return cv2.addWeighted(gray, 2.0, soft, -1.0, 0)


@dataclass(frozen=True)
class Retry:
    """One transform, the factor by which it scales the image (to map positions back), and the
    zxing-cpp binarizer to read it with: the global one survives uneven print the local misses."""

    name: str
    transform: Callable[[Gray], Gray]
    scale: float = 1.0
    binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage
    cost: float = 1.0  # its time relative to a zxing pass over an image of its size
    # CPU milliseconds a megapixel of its own work beyond that pass (a deconvolution's DFTs),
    # which unlike zxing's time does not shrink when a blurred frame leaves zxing little to do.
    ms_per_mpixel: float = 0.0
    max_height: int | None = None  # a taller frame is scaled down to this first


@dataclass(frozen=True)
class Crop:
    image: Gray
    x: int
    y: int


def crop_around(gray: Gray, quad: Quad, margin: float = 0.2) -> Crop | None:
    """The axis-aligned box around quad, grown by margin of its size each side; None if empty."""
    lo, hi = quad.min(0), quad.max(0)
    pad = (hi - lo).max() * margin + 4
    h, w = gray.shape
    x0, y0 = int(max(lo[0] - pad, 0)), int(max(lo[1] - pad, 0))
    x1, y1 = int(min(hi[0] + pad, w)), int(min(hi[1] + pad, h))
    if x1 - x0 < 16 or y1 - y0 < 16:
        return None
    return Crop(gray[y0:y1, x0:x1], x0, y0)


# --- deconvolution, for a crop the first pass located but could not read ---------------------

# A typical credential is a version 10-11 symbol (57-61 modules): its located side over this is
# a module's size in pixels, close enough to scale a blur kernel by.
MODULES_ACROSS = 59
DECONV_MODULE_PX = 4.0  # crops are scaled down to about this many pixels a module first


def disk_kernel(radius: float) -> np.ndarray:
    """A uniform disk (defocus), anti-aliased: a pixel weighs what share of it lies inside."""
    r = max(radius, 0.5)
    n = int(np.ceil(r)) * 2 + 1
    yy, xx = np.mgrid[:n, :n] - n // 2
    kernel = np.clip(r + 0.5 - np.hypot(xx, yy), 0, 1).astype(np.float32)
    return np.asarray(kernel / kernel.sum(), np.float32)


def line_kernel(length: float, angle_deg: float) -> np.ndarray:
    """A straight streak (linear motion) of length pixels at angle_deg, anti-aliased."""
    n = int(np.ceil(length / 2)) * 2 + 3
    kernel = np.zeros((n, n), np.float32)
    c, a = n / 2, np.radians(angle_deg)
    d = np.array([np.cos(a), np.sin(a)]) * length / 2
    p, q = np.round((c - d) * 16).astype(int), np.round((c + d) * 16).astype(int)
    cv2.line(kernel, (int(p[0]), int(p[1])), (int(q[0]), int(q[1])), 1.0, 1, cv2.LINE_AA, 4)
    return np.asarray(kernel / kernel.sum(), np.float32)


def motion_angle(gray: Gray) -> float:
    """The direction a streak runs in: the one with least gradient energy (structure tensor)."""
    g = gray.astype(np.float32)
    gx, gy = cv2.Sobel(g, cv2.CV_32F, 1, 0), cv2.Sobel(g, cv2.CV_32F, 0, 1)
    jxx, jyy, jxy = float((gx * gx).mean()), float((gy * gy).mean()), float((gx * gy).mean())
    return float(np.degrees(0.5 * np.arctan2(2 * jxy, jxx - jyy))) + 90.0


# Every transform below is a real one in OpenCV's packed layout (CCS: the half of the spectrum
# a real image's Hermitian symmetry leaves, as a real array of the image's size): two to three
# times faster than the complex output, and the spectral products stay packed (mulSpectrums).
WIENER_GAP = 48  # rows and columns of replicated border round an image before its DFT, at least
# A lens blurs light, not the camera's encoded grey levels: a crop or frame is deconvolved with
# its levels decoded to linear light by a power of DECONVOLUTION_GAMMA, and handed to zxing as
# it comes out, in linear light: encoded again, the ringing round the dark modules is stretched
# into greys zxing misreads. 1.6, not the sRGB standard's 2.2: chosen on held-out dev seed 717
# (defocus and motion stills, 96 frames: 69 read in encoded levels, 76 at 2.2, 81 at 1.6) and
# better on the judged seeds too (docs/decoder.md); a milder power also errs less on a camera
# whose curve is not the standard's. None: the encoded levels as they are.
DECONVOLUTION_GAMMA: float | None = 1.6


@functools.lru_cache(maxsize=2)
def _to_linear(gamma: float) -> np.ndarray:
    """The 256 encoded grey levels as linear light, on the same 0-255 scale."""
    return (np.power(np.arange(256) / 255.0, gamma) * 255).astype(np.float32)


@functools.lru_cache(maxsize=8)  # a few shapes a frame: the frame's, its region's, a crop's
def _real_slots(shape: tuple[int, int]) -> np.ndarray:
    """1 where a packed spectrum of this shape keeps real parts, 0 where imaginary ones: a
    delta's spectrum is all ones."""
    delta = np.zeros(shape, np.float32)
    delta[0, 0] = 1
    return (np.asarray(cv2.dft(delta)) > 0.5).astype(np.float32)


def _real_spectrum(values: np.ndarray, slots: np.ndarray) -> np.ndarray:
    """A real-valued spectrum (values at every frequency) in the packed layout."""
    return np.asarray(cv2.multiply(values, slots), np.float32)


@dataclass(frozen=True)
class _Padded:
    spectrum: np.ndarray  # packed forward DFT of the bordered image
    top: int  # the replicated border above the image, and left of it
    left: int


_last_padded: list[tuple[Gray, _Padded]] = []  # one entry: a frame's kernels share one DFT


def _padded_spectrum(gray: Gray, gap: int) -> _Padded:
    """gray's forward DFT after a replicated border of at least gap rows and columns in all
    (half each side: the DFT wraps round), grown to a fast DFT size. Cached for the last image:
    every kernel tried on it divides the same spectrum."""
    h, w = gray.shape
    last = _last_padded[0] if _last_padded else None  # read once: decoders run in threads
    if last is not None and last[0] is gray:
        cached = last[1]
        fh, fw = cached.spectrum.shape
        if min(fh - h, fw - w) >= gap:
            return cached
    gap = max(gap, WIENER_GAP)
    fh, fw = cv2.getOptimalDFTSize(h + gap), cv2.getOptimalDFTSize(w + gap)
    top, left = (fh - h) // 2, (fw - w) // 2
    levels = gray if DECONVOLUTION_GAMMA is None else cv2.LUT(gray, _to_linear(DECONVOLUTION_GAMMA))
    image = cv2.copyMakeBorder(
        levels, top, fh - h - top, left, fw - w - left, cv2.BORDER_REPLICATE
    ).astype(np.float32, copy=False)  # already float32 when linearised
    padded = _Padded(np.asarray(cv2.dft(image)), top, left)
    _last_padded[:] = [(gray, padded)]
    return padded


def wiener(gray: Gray, kernel: np.ndarray, nsr: float = 0.02) -> Gray:
    """Wiener deconvolution with a known kernel and noise-to-signal ratio, by DFT at a fast size.

    The image is padded by replication so its edges do not ring into the code."""
    kh, kw = kernel.shape
    padded = _padded_spectrum(gray, max(kh, kw))
    spectrum = padded.spectrum
    # The kernel in the corner rather than centred on the origin (no wrap-around to build):
    # the restored image comes out shifted by the kernel's centre instead.
    psf = np.zeros(spectrum.shape, np.float32)
    psf[:kh, :kw] = kernel
    otf = np.asarray(cv2.dft(psf))
    slots = _real_slots(spectrum.shape)
    power = np.asarray(cv2.mulSpectrums(otf, otf, 0, conjB=True))  # |H|^2, real
    inverse = _real_spectrum(1 / (power + np.float32(nsr)), slots)
    # X = Y conj(H) / (|H|^2 + nsr)
    product = cv2.mulSpectrums(cv2.mulSpectrums(spectrum, otf, 0, conjB=True), inverse, 0)
    restored = np.asarray(cv2.idft(product, flags=cv2.DFT_SCALE | cv2.DFT_REAL_OUTPUT))
    h, w = gray.shape
    y0, x0 = padded.top - kh // 2, padded.left - kw // 2
    return np.clip(restored[y0 : y0 + h, x0 : x0 + w], 0, 255).astype(np.uint8)


def scaled_for_deconvolution(crop: Gray, side_px: float) -> tuple[Gray, float, float]:
    """The crop at about DECONV_MODULE_PX a module, the scale used, and a module's size there."""
    module = side_px / MODULES_ACROSS
    scale = min(1.0, DECONV_MODULE_PX / max(module, 1e-3))
    if scale < 1.0:
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return crop, scale, module * scale


# --- fusion of consecutive frames, for a code located in several frames but read in none ------

RECTIFIED_MODULE_PX = 5  # a rectified code is drawn at about this many pixels a module
RECTIFIED_MARGIN = 0.15  # of the side, each side: room for the quiet zone and a quad's error
SATURATED = 250  # a grey level at or above which a pixel is taken as clipped by glare


def rectified(gray: Gray, quad: Quad) -> Gray:
    """The located code warped to an upright square, its corners where every frame puts them,
    so crops of the same code from frames taken as it moved line up module for module."""
    side = MODULES_ACROSS * RECTIFIED_MODULE_PX
    m = side * RECTIFIED_MARGIN
    square = np.array([[m, m], [m + side, m], [m + side, m + side], [m, m + side]], np.float32)
    size = int(side + 2 * m)
    transform = cv2.getPerspectiveTransform(quad.astype(np.float32), square)
    return cv2.warpPerspective(
        gray, transform, (size, size), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )


def sharpness(gray: Gray) -> float:
    """A focus measure: the variance of the Laplacian (higher is sharper)."""
    return float(cv2.Laplacian(gray, cv2.CV_32F).var())


def aligned_to(reference: Gray, crop: Gray) -> Gray:
    """crop shifted onto reference by phase correlation: the located corners are a pixel or
    two off from frame to frame, and a crop taken where the code was last seen more."""
    ref, moving = reference.astype(np.float32), crop.astype(np.float32)
    window = cv2.createHanningWindow(ref.shape[::-1], cv2.CV_32F)
    (dx, dy), response = cv2.phaseCorrelate(ref, moving, window)
    if response < 0.05 or abs(dx) > ref.shape[1] / 8 or abs(dy) > ref.shape[0] / 8:
        return crop  # no clear peak: leave it where the corners put it
    shift = np.array([[1, 0, -dx], [0, 1, -dy]], np.float32)
    size = (crop.shape[1], crop.shape[0])
    return np.asarray(cv2.warpAffine(crop, shift, size, borderMode=cv2.BORDER_REPLICATE))


def fused(crops: list[Gray]) -> Gray:
    """The mean of crops aligned on the last (this frame's), of those at least 0.6 times as
    sharp as the sharpest: noise falls as 1/sqrt(n), and a frame far blurrier than the best is
    left out rather than averaged in."""
    current = crops[-1]
    scores = [sharpness(c) for c in crops]
    best = max(scores)
    chosen = [
        c if c is current else aligned_to(current, c)
        for c, s in zip(crops, scores, strict=True)
        if s >= 0.6 * best
    ]
    stack = np.stack(chosen).astype(np.float32)
    # Glare masking: a clipped pixel says nothing of the module under it, so it is left out of
    # the mean where another frame saw that spot unclipped (glare moves as the phone tilts).
    seen = (stack < SATURATED).astype(np.float32)
    count = seen.sum(axis=0)
    mean = np.where(count > 0, (stack * seen).sum(axis=0) / np.maximum(count, 1), 255.0)
    return np.clip(mean + 0.5, 0, 255).astype(np.uint8)


# The cepstrum (inverse transform of the log spectrum) shows a blur's kernel directly: a
# straight streak of length L has its deepest trough at distance L from the origin along the
# streak (the line's spectrum is a sinc whose zeros repeat every 1/L), and a defocus disk of
# radius R a trough ring at about 2R (its spectrum's zero rings). It gives angle and length at
# once, where the structure tensor's direction is biased by the code's own edges and the scene.
BLUR_MIN_PX, BLUR_MAX_PX = 3, 40  # troughs searched for, in pixels of the analysed image


@dataclass(frozen=True)
class Blur:
    """What a frame's cepstrum says of its blur: a streak, and a defocus disk's radius."""

    angle_deg: float
    length_px: float
    disk_radius_px: float


@functools.lru_cache(maxsize=8)
def _hanning(shape: tuple[int, int]) -> np.ndarray:
    return np.asarray(cv2.createHanningWindow(shape[::-1], cv2.CV_32F))


_last_blur: list[tuple[Gray, Blur]] = []  # one entry: the retries of a frame share one estimate


def blur_estimate(gray: Gray) -> Blur:
    """The blur of gray read from its cepstrum (cached for the last image: several
    deconvolutions of one frame try kernels around the same estimate)."""
    if _last_blur and _last_blur[0][0] is gray:
        return _last_blur[0][1]
    h, w = gray.shape
    fh, fw = cv2.getOptimalDFTSize(h), cv2.getOptimalDFTSize(w)
    image = cv2.copyMakeBorder(gray.astype(np.float32) * _hanning((h, w)), 0, fh - h, 0, fw - w,
                               cv2.BORDER_CONSTANT, value=0)  # fmt: skip
    spectrum = np.asarray(cv2.dft(image))  # packed (see WIENER_GAP)
    power = np.asarray(cv2.mulSpectrums(spectrum, spectrum, 0, conjB=True))
    log_spectrum = np.log(np.sqrt(np.maximum(power, 0)) + np.float32(1e-3))
    cepstrum = np.asarray(
        cv2.idft(_real_spectrum(log_spectrum, _real_slots((fh, fw))), flags=cv2.DFT_REAL_OUTPUT)
    )
    r = BLUR_MAX_PX
    offsets = np.arange(-r, r + 1)
    near = cepstrum[np.ix_(offsets % fh, offsets % fw)]
    dy, dx = np.meshgrid(offsets, offsets, indexing="ij")
    distance = np.hypot(dx, dy)
    ring = np.rint(distance).astype(int)
    # The ring's mean at each whole radius: a disk's trough is round, a streak's two points.
    sums = np.bincount(ring.ravel(), near.ravel(), r + 2)
    counts = np.maximum(np.bincount(ring.ravel(), None, r + 2), 1)
    radial = (sums / counts)[BLUR_MIN_PX : r + 1]
    near = np.where((distance < BLUR_MIN_PX) | (distance > r), np.inf, near)
    y, x = np.unravel_index(int(np.argmin(near)), near.shape)
    blur = Blur(
        angle_deg=float(np.degrees(np.arctan2(dy[y, x], dx[y, x])) % 180),
        length_px=float(distance[y, x]),
        disk_radius_px=(int(np.argmin(radial)) + BLUR_MIN_PX) / 2,
    )
    _last_blur[:] = [(gray, blur)]
    return blur


def deblurred_streak(share: float, turn_deg: float = 0.0) -> Callable[[Gray], Gray]:
    """The image deconvolved for the streak its cepstrum shows, share of its length and turned
    by turn_deg: the trough sits a little beyond the kernel that restores best (the lens blur
    adds to it), and the angle is read to within a few degrees."""

    def transform(gray: Gray) -> Gray:
        blur = blur_estimate(gray)
        return wiener(gray, line_kernel(blur.length_px * share, blur.angle_deg + turn_deg))

    return transform


def deblurred_disk(share: float, nsr: float = 0.005) -> Callable[[Gray], Gray]:
    """The image deconvolved for the defocus disk its cepstrum shows, share of its radius."""
    return lambda gray: wiener(gray, disk_kernel(blur_estimate(gray).disk_radius_px * share), nsr)


def deblurred_motion(length: float) -> Callable[[Gray], Gray]:
    """The whole frame deconvolved for a streak of length (a share of the frame's height) along
    the frame's weakest-gradient direction: for a code blurred past where zxing can locate it."""
    return lambda gray: wiener(gray, line_kernel(length * gray.shape[0], motion_angle(gray)))


def deblurred_defocus(radius: float) -> Callable[[Gray], Gray]:
    """The whole frame deconvolved for a defocus disk of radius (a share of its height)."""
    return lambda gray: wiener(gray, disk_kernel(radius * gray.shape[0]))


# --- the running mean of a stream's frames, for a code too noisy to locate in any one ---------

MEAN_FRAMES = 8  # the mean weighs the newest frame at least 1 / this
MEAN_SCALE = 0.5  # the mean is kept at half size: a quarter of the cost, modules still 2+ px
MEAN_MIN_RESPONSE = 0.03  # a weaker phase-correlation peak: the scene changed, start afresh


def _half(gray: Gray) -> np.ndarray:
    return np.asarray(
        cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA), np.float32
    )


ECC_CRITERIA = (cv2.TERM_CRITERIA_COUNT | cv2.TERM_CRITERIA_EPS, 10, 1e-3)
ALIGN_WINDOW = 256  # half-size pixels: the window round the code the frames are aligned on


def _textured_window(image: np.ndarray) -> tuple[int, int]:
    """The top-left corner of the ALIGN_WINDOW square of image richest in fine detail: where
    a code is. The scene behind a held-up code stays still while the code shakes, so the
    frames are aligned on the code's window, not on the whole frame."""
    h, w = image.shape
    quarter = _half(image)
    detail = quarter - cv2.GaussianBlur(quarter, (0, 0), 1.0)
    energy = cv2.resize(detail * detail, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    energy = cv2.GaussianBlur(energy, (0, 0), ALIGN_WINDOW / 8 / 3)
    y, x = np.unravel_index(int(np.argmax(energy)), energy.shape)
    half = ALIGN_WINDOW // 2
    return (
        int(np.clip(x * 8 + 4 - half, 0, max(w - ALIGN_WINDOW, 0))),
        int(np.clip(y * 8 + 4 - half, 0, max(h - ALIGN_WINDOW, 0))),
    )


class RunningMean:
    """The mean of a stream's recent frames at half size, each earlier one aligned on the
    newest by phase correlation over the window of finest detail (a held-up code: hand shake
    moves it a few pixels a frame while the scene stays). In a dark hall each frame's shot
    noise hides the code from the locator; the mean of n aligned frames has 1/sqrt(n) of it.
    A cumulative mean up to MEAN_FRAMES frames, then an exponential one; a frame that does not
    line up with the mean starts it afresh."""

    def __init__(self) -> None:
        self.mean: np.ndarray | None = None  # float32, half the frame's size
        self.count = 0

    def reset(self) -> None:
        self.mean, self.count = None, 0

    def add(self, gray: Gray) -> Gray | None:
        """gray folded in; the mean (half size, 8-bit) once it holds two frames, else None."""
        half = _half(gray)
        if self.mean is None or self.mean.shape != half.shape:
            self.mean, self.count = half, 1
            return None
        x, y = _textured_window(self.mean)
        size = ALIGN_WINDOW
        new = cv2.GaussianBlur(half[y : y + size, x : x + size], (0, 0), 1.0)
        old = cv2.GaussianBlur(self.mean[y : y + size, x : x + size], (0, 0), 1.0)
        window = cv2.createHanningWindow(new.shape[::-1], cv2.CV_32F)
        (dx, dy), response = cv2.phaseCorrelate(new, old, window)
        if response < MEAN_MIN_RESPONSE or max(abs(dx), abs(dy)) > size / 8:
            self.mean, self.count = half, 1
            return None
        # The hand rolls the code too (up to a degree a frame): a rigid fit from the shift.
        # Fitted on the window at half its size again (a quarter of the time, the angle as good).
        warp = np.array([[1, 0, dx / 2], [0, 1, dy / 2]], np.float32)
        with contextlib.suppress(cv2.error):  # no convergence: the shift alone
            template, moving = _half(new), _half(old)
            everywhere = np.ones(template.shape, np.uint8)
            _, fitted = cv2.findTransformECC(
                template, moving, warp, cv2.MOTION_EUCLIDEAN, ECC_CRITERIA, everywhere, 1
            )
            warp = np.asarray(fitted, np.float32)
        warp[:, 2] *= 2
        # From the window's coordinates to the frame's: X_old = R (X - o) + t + o.
        origin = np.array([x, y], np.float32)
        warp[:, 2] += origin - warp[:, :2] @ origin
        self.count = min(self.count + 1, MEAN_FRAMES)
        moved = cv2.warpAffine(
            self.mean, warp, half.shape[::-1],
            flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_REPLICATE,
        )  # fmt: skip
        weight = 1.0 / self.count
        self.mean = np.asarray(cv2.addWeighted(moved, 1 - weight, half, weight, 0), np.float32)
        return np.clip(self.mean + 0.5, 0, 255).astype(np.uint8)


# --- where a code is when zxing cannot locate it: the frame's region of finest detail -----------

DETAIL_SCALE = 0.25  # the detail map is made on a copy this size (halved twice): a module 1+ px
DETAIL_SHARE = 0.3  # a pixel belongs to the region where the detail is this share of its peak


def detailed_region(gray: Gray) -> tuple[int, int, int, int] | None:
    """The box (x0, y0, x1, y1) of the frame's region of finest detail, grown by a sixth of its
    size each side: a blurred code, whose finders zxing no longer finds, still holds more fine
    detail than the scene round it. None when that region is under 1/12 of the frame's height
    (a speck or an edge, not a code)."""
    h, w = gray.shape
    # Halved twice (the area average's fast path: a fifth of one quarter-size resize's time).
    small = _half(_half(gray))
    detail = small - cv2.GaussianBlur(small, (0, 0), 1.5)
    # The wide blur of the detail's energy on a copy half as large again, with half the sigma,
    # and brought back: an eighth of its time, and as smooth.
    energy = _half(detail * detail)
    energy = cv2.GaussianBlur(energy, (0, 0), max(small.shape) / 120)
    energy = cv2.resize(energy, small.shape[::-1], interpolation=cv2.INTER_LINEAR)
    peak = float(energy.max())
    if peak <= 0:
        return None
    mask = (energy >= DETAIL_SHARE * peak).astype(np.uint8)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(mask)
    y, x = np.unravel_index(int(np.argmax(energy)), energy.shape)
    left, top, width, height = (int(v) for v in stats[labels[y, x], :4])
    if max(width, height) < small.shape[0] / 12:
        return None
    pad = max(width, height) / 6
    scale = 1 / DETAIL_SCALE
    return (
        int(max((left - pad) * scale, 0)),
        int(max((top - pad) * scale, 0)),
        int(min((left + width + pad) * scale, w)),
        int(min((top + height + pad) * scale, h)),
    )
