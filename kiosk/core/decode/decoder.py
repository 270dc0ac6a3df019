"""QR decoding of still images and camera frames.

`Decoder().decode(frame)` returns the texts found in a frame and the time it took. The default
strategy, chosen by the decoder benchmark (docs/decoder.md), is zxing-cpp in layers:

1. one zxing-cpp pass over the whole frame (it also tries the inverted image: dark mode), its
   downscaled layers only when the full size read nothing (backends.zxing_scan_full_size_first);
2. for every code zxing located but could not read, retries on a crop around it (deconvolved,
   then contrast stretched and upscaled, blurred, sharpened): small, so cheap;
   where zxing read the code's format but not its codewords, the erasure read
   (erasure_read.py: glare as erasures, the grid straightened), first where glare clipped it;
3. only if nothing was read, whole-frame retries (downscaled, blurred, upscaled, equalised,
   sharpened), each skipped once the per-frame time budget would be exceeded;
4. last, if time is left, a code zxing did not locate at all, located from two of its finder
   patterns (finder_locate.py: glare over the third) and read with erasures.

Every image retry ends in zxing-cpp's own Reed-Solomon-checked decode, so it can fail to read
but is no likelier to misread than the first pass; the erasure read decodes the blocks itself
and accepts one only with check symbols to spare (erasure_read.py). The benchmark counts wrong
texts to show it.
The strategies "zxing", "zbar" and "zxing+zbar" (plain libraries) stay available for comparison.
"""

from __future__ import annotations

import math
import stat
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import zxingcpp

from kiosk.core.decode import qr_layout
from kiosk.core.decode.backends import (
    Gray,
    Quad,
    Scan,
    zbar_scan,
    zxing_scan,
    zxing_scan_full_size_first,
)
from kiosk.core.decode.erasure_read import CLIPPED_WITHIN, Sample, read_with_erasures, sample
from kiosk.core.decode.finder_locate import finders, located_symbols
from kiosk.core.decode.grid_refine import refined
from kiosk.core.decode.strategies import (
    MEAN_SCALE,
    Retry,
    RunningMean,
    blurred,
    crop_around,
    deblurred_defocus,
    deblurred_disk,
    deblurred_motion,
    deblurred_streak,
    detailed_region,
    disk_kernel,
    equalized,
    fused,
    line_kernel,
    motion_angle,
    rectified,
    resized,
    scaled_for_deconvolution,
    sharpened,
    stretched,
    wiener,
)

Frame = np.ndarray

STRATEGIES = ("layered", "zxing", "zbar", "zxing+zbar")
DEFAULT_BUDGET_MS = 25.0  # leaves room for the verifier within one 30 fps frame (33 ms)
# The running mean's read may also use the verifier's share of the frame: it runs only on a
# frame nothing was read from, where the verifier has nothing to check (a dark hall's first
# pass alone takes 16-21 ms of a 1080p frame, which left the mean no room under 25 ms).
MEAN_READ_BY_MS = 33.0
QUIET_AFTER = 5  # frames with nothing located before an empty scene counts as quiet
QUIET_RETRY_EVERY = 4  # in a quiet scene, whole-frame retries on one frame in this many
CLEAN_PASS_MS_PER_MPIXEL = 2.5  # zxing-cpp on a clean frame, one core (4-5 ms at 1080p)
ERASURE_READ_MS = 3.0  # sampling a located code and decoding its blocks once, one core
REFINE_MS = 2.0  # finding its alignment patterns and fitting its grid to them (1.5-2.5)
FINDERS_MS_PER_MPIXEL = 5.0  # finder patterns, one core (medians 6, 8 ms at 720p, 1080p)
MIN_FRAME_PX = 21  # a version 1 symbol at one pixel a module: the least that can hold a code
FUSE_FRAMES = 4  # a stream keeps the last this many rectified crops of a located, unread code


class ImageReadError(OSError):
    """The image file cannot be read or is not an image."""


@dataclass(frozen=True, slots=True)
class DecodeResult:
    texts: tuple[str, ...]
    ms: float


def _not_a_file(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def load_gray(path: Path) -> Frame:
    """An image file as an 8-bit grayscale array. Raises ImageReadError naming the problem."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise ImageReadError(f"{path}: no such file") from None
    except OSError as e:
        raise ImageReadError(f"{path}: cannot be read ({e.strerror or e})") from None
    if not stat.S_ISREG(mode):
        raise ImageReadError(f"{path}: {_not_a_file(mode)}, not an image file")
    try:
        # Read the bytes ourselves: imdecode, unlike imread, accepts any path.
        data = np.frombuffer(path.read_bytes(), dtype=np.uint8)
    except OSError as e:
        raise ImageReadError(f"{path}: cannot be read ({e.strerror or e})") from None
    image = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE) if data.size else None
    if image is None:
        raise ImageReadError(f"{path}: not a readable image (empty, truncated or not an image)")
    return image


def _upscale_stretched(gray: Gray) -> Gray:
    return cv2.resize(stretched(gray), None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)


# Retries on a crop around a code zxing located but could not read, in order.
CROP_RETRIES: tuple[Retry, ...] = (
    Retry("crop-stretch-up2", _upscale_stretched, 2.0),
    Retry("crop-blur-up2", lambda g: resized(2.0)(blurred(1.0)(g)), 2.0),
    Retry("crop-sharpen", sharpened),
)
# Deconvolutions tried on a located crop before the retries above: (kernel, size in modules).
# The streak and the disk its cepstrum shows, then fixed disks, then a streak along the crop's
# weakest-gradient direction.
DECONVOLUTIONS: tuple[tuple[str, float], ...] = (
    ("streak", 0.9),  # the streak the crop's cepstrum shows, 0.9 of its length
    ("cepstrum-disk", 1.0),  # the disk it shows
    ("disk", 0.75),
    ("disk", 1.0),
    ("line", 1.5),
)
# One Wiener pass and one zxing call on a 4 px/module crop, one core: ~2-3.5 ms, the first
# ~4-6 ms with the crop's cepstrum estimate and DFT, which the others share.
DECONV_COST_MS = 3.0
# Under the camera budget the crop retries (upscaled 2x: 4-8 ms each on a large code) used to
# spend a blurred code's time before its deconvolution, which reads it (docs/decoder.md).
DECONVOLVE_FIRST = True
# Deconvolutions of the frame's region of finest detail (a code blurred past where zxing locates
# it), scaled so its longer side is REGION_SIDE_PX: kernels read from the region's cepstrum,
# (a streak at a share of its length, turned by some degrees; a disk at a share of its radius).
# They run after the whole-frame retry named REGION_AFTER, so that a camera frame affords them.
REGION_KERNELS: tuple[Retry, ...] = (
    Retry("streak-0.9", deblurred_streak(0.9)),
    Retry("disk-1.07", deblurred_disk(1.07)),  # the cepstrum reads a disk ~5% small
    Retry("streak-0.8", deblurred_streak(0.8)),
    Retry("disk-1.15", deblurred_disk(1.15)),
)
# A frame with a saturated highlight (GLARE_LEVEL or brighter, on GLARE_FRAME_SHARE of its
# pixels at least) that the first pass did not read goes to the finder locator before any
# crop or whole-frame retry: those cannot see under glare, and under a camera budget they used
# to spend the frame's time first (chosen on dev seed 717, where every glare frame's ceiling
# is 240 or more and 5 in 6 clip 0.3% of the frame or more; docs/decoder.md).
EARLY_FINDERS = True
GLARE_LEVEL = 240
GLARE_FRAME_SHARE = 0.0025
# zxing-cpp's located grid refined on the symbol's alignment patterns before an erasure read.
REFINE_LOCATED = True
# A located code under this many pixels a module is read with erasures at once under a budget.
SMALL_MODULE_PX = 2.6
REGION_AFTER: str | None = "half"  # None: before the whole-frame retries
REGION_SIDE_PX = 400
# CPU time on a 400 px region, one core: finding and cutting it out (~2.5-5 ms at 720p-1080p),
# the cepstrum estimate and the region's DFT (once, ~3 ms), then a Wiener pass and a zxing call
# a kernel (~2-2.5 ms).
REGION_FIND_MS = 4.0
REGION_ESTIMATE_MS = 3.0
REGION_KERNEL_MS = 2.5
# A whole-frame deconvolution's CPU time beyond its zxing call, a megapixel (one core, at 720
# rows: ~17 ms a kernel; the first ~30 ms, with the cepstrum estimate and the frame's DFT that
# the others share).
DEBLUR_MS_PER_MPIXEL = 17.0
DEBLUR_FIRST_MS_PER_MPIXEL = 31.0
DEBLUR_MAX_HEIGHT = 720


def _deblur(name: str, transform: Callable[[Gray], Gray], *, first: bool = False) -> Retry:
    per_mpixel = DEBLUR_FIRST_MS_PER_MPIXEL if first else DEBLUR_MS_PER_MPIXEL
    return Retry(name, transform, ms_per_mpixel=per_mpixel, max_height=DEBLUR_MAX_HEIGHT)


# Retries on the whole frame when nothing was read, in order.
FRAME_RETRIES: tuple[Retry, ...] = (
    Retry("half", resized(0.5), 0.5),
    Retry("blur", blurred(1.0)),
    Retry("up1.5", resized(1.5), 1.5, cost=1.4),  # the cubic resize costs a third more
    Retry("up2", resized(2.0), 2.0, cost=1.4),
    Retry("equalize", equalized),
    Retry("sharpen", sharpened),
    Retry("up2-global", resized(2.0), 2.0, zxingcpp.Binarizer.GlobalHistogram, cost=1.4),
    Retry("blur2", blurred(2.0)),
    # Last, and only with time to spare (stills): deconvolution of the whole frame, for codes
    # blurred past where zxing locates them. Lengths are shares of the frame height: a code a
    # third to two thirds of the height, streaked 1-2 modules.
    # Motion first: the streak read from the frame's cepstrum, at 0.9 and 0.8 of its length,
    # then turned 6 degrees either way.
    _deblur("deblur-streak-0.9", deblurred_streak(0.9), first=True),
    _deblur("deblur-streak-0.8", deblurred_streak(0.8)),
    _deblur("deblur-streak-0.8+6", deblurred_streak(0.8, 6.0)),
    _deblur("deblur-streak-0.8-6", deblurred_streak(0.8, -6.0)),
    _deblur("deblur-motion-2%", deblurred_motion(0.02)),
    _deblur("deblur-motion-1.3%", deblurred_motion(0.013)),
    # The cepstrum reads a disk to 0.87-1.05 of its radius; what restores is within ~0.95-1.1.
    _deblur("deblur-disk-1.0", deblurred_disk(1.0)),
    _deblur("deblur-disk-1.07", deblurred_disk(1.07)),
    _deblur("deblur-disk-1.15", deblurred_disk(1.15)),
    _deblur("deblur-defocus-1%", deblurred_defocus(0.01)),
    _deblur("deblur-defocus-0.6%", deblurred_defocus(0.006)),
    _deblur("deblur-defocus-1.5%", deblurred_defocus(0.015)),
)


def _small_modules(taken: Sample) -> bool:
    """A code of so few pixels a module that its samples are what the erasure read's
    equalizer is for; the crop retries' upscaling recovers little of it."""
    side = math.sqrt(cv2.contourArea(taken.symbol.quad.astype(np.float32)))
    return side / qr_layout.side(taken.symbol.version) < SMALL_MODULE_PX


def _overlaps(quad: Quad, others: Sequence[Quad]) -> bool:
    """Whether quad's centre lies inside the bounding box of one of others."""
    centre = quad.mean(0)
    return any(bool(np.all(centre >= o.min(0)) and np.all(centre <= o.max(0))) for o in others)


def _plausible(quad: Quad) -> bool:
    """Whether quad can be a QR code seen by a camera: at least 2 px a module of a version 1
    symbol on its shortest side, and no side more than twice as long as another."""
    sides = np.linalg.norm(quad - np.roll(quad, 1, axis=0), axis=1)
    return bool(sides.min() >= 42 and sides.max() <= 2 * sides.min())


class _Layered:
    """The default strategy: see the module docstring. One instance per decode call."""

    def __init__(
        self,
        gray: Gray,
        budget_ms: float | None,
        start: float,
        last_seen: Quad | None,
        recent: list[tuple[Quad, Gray]] | None = None,
        clock: Callable[[], float] = time.perf_counter,
        running_mean: RunningMean | None = None,
    ) -> None:
        self.gray = gray
        self.running_mean = running_mean  # a stream's mean of recent frames, or None
        self.clock = clock
        # Rectified crops of an unread code from the frames before (a stream), oldest first;
        # None: unrelated images. This frame's crop is added here for the next frame.
        self.recent = recent
        self.budget_ms = budget_ms
        self.start = start
        self.last_seen = last_seen
        self.texts: list[str] = []
        self.read_at: list[Quad] = []
        self.whole_frame_retries = True
        self.tried: list[Quad] = []  # codes already given the crop retries
        self.located: list[Quad] = []  # codes this frame located but could not read
        self.first_ms = 0.0  # the first pass's time: retries' costs are estimated from it
        # Located codes whose erasure read waits for the crop retries (retry_erasures).
        self.deferred: list[tuple[Sample, Callable[[Quad], Quad]]] = []
        self.finders_tried = False

    def elapsed_ms(self) -> float:
        return (self.clock() - self.start) * 1000

    def affordable(self, cost_ms: float) -> bool:
        return self.budget_ms is None or self.elapsed_ms() + cost_ms <= self.budget_ms

    def take(self, scan: Scan, scale: float, image: Gray) -> None:
        """A scan of `image`, the frame scaled by `scale`: its texts, then retries on what it
        located but could not read."""
        self.take_reads(scan, scale, image)
        self.retry_crops(scan, scale)

    def take_reads(self, scan: Scan, scale: float, image: Gray) -> None:
        """A scan's texts, and the erasure reads of the codes whose format it read."""
        self.texts += scan.texts
        self.read_at += [quad / scale for quad in scan.read_at]
        self.retry_erasures(image, scan, lambda quad: quad / scale, whole_frame=True)

    def retry_crops(self, scan: Scan, scale: float) -> None:
        """The crop retries on each code a scan located but could not read."""
        for quad in scan.unread:
            quad = quad / scale
            self.located.append(quad)
            if not _overlaps(quad, self.tried + self.read_at):
                self.tried.append(quad)
                self.retry_crop(quad)

    def retry_crop(self, quad: Quad) -> None:
        crop = crop_around(self.gray, quad)
        if crop is None:
            return
        if self.recent is not None and self.retry_fused(quad):
            return
        origin = (crop.x, crop.y)
        if DECONVOLVE_FIRST and self.retry_deconvolved(crop.image, origin, quad):
            return
        # A crop retry costs about the first pass's time times its share of the frame's area
        # after scaling: an upscaled crop of a code filling a 1080p frame is not cheap.
        share = crop.image.size / self.gray.size
        for retry in CROP_RETRIES:
            if not self.affordable(self.first_ms * share * retry.scale**2 * retry.cost):
                return
            image = retry.transform(crop.image)

            def place(q: Quad, scale: float = retry.scale) -> Quad:
                return q / scale + (crop.x, crop.y)

            if self.read_scan(
                image, zxing_scan_full_size_first(image, binarizer=retry.binarizer), place
            ):
                return
        if not DECONVOLVE_FIRST:
            self.retry_deconvolved(crop.image, origin, quad)

    def retry_fused(self, quad: Quad) -> bool:
        """A stream: this frame's crop of the code averaged with the same code's crops from the
        frames before, aligned on the located corners. Cheap, so it runs before other retries."""
        assert self.recent is not None
        if not _plausible(quad):
            return False  # in noise zxing "locates" specks; fusing those only costs time
        crop = rectified(self.gray, quad)
        # Only crops of this code: a code seen where this one is now (it moves little a frame).
        frames = ([c for q, c in self.recent if _overlaps(q, [quad])] + [crop])[-FUSE_FRAMES:]
        self.recent.append((quad, crop))
        del self.recent[: max(0, len(self.recent) - FUSE_FRAMES)]
        if len(frames) < 2 or not self.affordable(0.0):
            return False
        image = fused(frames)
        # The rectified crop's corners are not the frame's: a read is placed at the quad.
        return any(
            self.read_scan(candidate, zxing_scan_full_size_first(candidate), lambda _: quad)
            for candidate in (image, _upscale_stretched(image))
        )

    def retry_deconvolved(self, image: Gray, origin: tuple[int, int], quad: Quad) -> bool:
        """Wiener deconvolution of the crop: kernels read from the crop's cepstrum first (a
        streak, a disk), then a few sized from the located quad."""
        side = float(np.linalg.norm(quad[1] - quad[0]) + np.linalg.norm(quad[2] - quad[1])) / 2
        small, scale, module = scaled_for_deconvolution(image, side)
        angle: float | None = None
        for kind, size in DECONVOLUTIONS:
            if not self.affordable(DECONV_COST_MS):
                return False
            if kind == "streak":
                restored = deblurred_streak(size)(small)
            elif kind == "cepstrum-disk":
                restored = deblurred_disk(size)(small)
            elif kind == "disk":
                restored = wiener(small, disk_kernel(size * module))
            else:
                angle = motion_angle(small) if angle is None else angle
                restored = wiener(small, line_kernel(size * module, angle))

            def place(q: Quad) -> Quad:
                return q / scale + origin

            if self.read_scan(restored, zxing_scan_full_size_first(restored), place):
                return True
        return False

    def read_scan(self, image: Gray, scan: Scan, place: Callable[[Quad], Quad]) -> bool:
        """A retry's scan of `image`: its texts, else an erasure read of what it located.
        place: from `image`'s pixels to the frame's. Whether anything was read."""
        if scan.texts:
            self.texts += scan.texts
            self.read_at += [place(q) for q in scan.read_at]
            return True
        return self.retry_erasures(image, scan, place)

    def retry_erasures(
        self, image: Gray, scan: Scan, place: Callable[[Quad], Quad], *, whole_frame: bool = False
    ) -> bool:
        """Codes zxing located and read the format of in `image` but could not correct, read
        again with their clipped and least certain modules as erasures. place: from `image`'s
        pixels to the frame's. Whether any was read.

        Under a budget, only on scans of the whole frame (the first pass and the whole-frame
        retries), and there only a glared code at once: for others the crop and whole-frame
        retries read more a millisecond (measured: low contrast lost frames to an erasure read
        before them), so they wait (`deferred`) for whatever time those leave."""
        if self.budget_ms is not None and not whole_frame:
            return False
        tried: list[Quad] = []  # zxing often reports one symbol twice
        read = False
        for symbol in scan.uncorrected:
            cost = ERASURE_READ_MS + (REFINE_MS if REFINE_LOCATED else 0.0)
            if _overlaps(symbol.quad, tried) or not self.affordable(cost):
                continue
            tried.append(symbol.quad)
            taken = sample(image, refined(image, symbol) if REFINE_LOCATED else symbol)
            if taken is None:
                continue
            if self.budget_ms is not None and not (taken.glared or _small_modules(taken)):
                self.deferred.append((taken, place))
                continue
            read = self.read_erasures(taken, place) or read
        return read

    def read_erasures(self, taken: Sample, place: Callable[[Quad], Quad]) -> bool:
        text = read_with_erasures(taken, self.affordable)
        if text is None:
            return False
        self.texts.append(text)
        self.read_at.append(place(taken.symbol.quad))
        return True

    def retry_running_mean(self) -> None:
        """A stream: this frame folded into the mean of the recent ones, and the mean read.
        Folding in runs on every unread frame, budget or not, so the mean stays current."""
        assert self.running_mean is not None
        mean = self.running_mean.add(self.gray)
        # Read at the frame's size: the half-size mean's modules are too few pixels for zxing's
        # binarizer once the noise is down to where the code is located at all.
        # Its cost is a clean frame's pass, not the first pass's: zxing spends long on the
        # specks of a noisy frame, and the mean has few.
        if mean is None:
            return
        cost = CLEAN_PASS_MS_PER_MPIXEL * self.gray.size / 1e6
        deadline = None if self.budget_ms is None else max(self.budget_ms, MEAN_READ_BY_MS)
        if deadline is not None and self.elapsed_ms() + cost > deadline:
            return
        mean = resized(1 / MEAN_SCALE)(mean)
        self.read_scan(mean, zxing_scan_full_size_first(mean), lambda quad: quad)

    def run(self) -> list[str]:
        t0 = self.clock()
        first = zxing_scan_full_size_first(self.gray)
        first_ms = self.first_ms = (self.clock() - t0) * 1000
        # A stream: the mean of the recent frames before any crop retry, which in a dark hall
        # zxing's specks of noise "located" would otherwise spend the frame's budget on.
        if not first.texts and self.running_mean is not None:
            self.retry_running_mean()
        self.take_reads(first, 1.0, self.gray)
        # Not in a quiet scene (below): a bright window in view of an idle kiosk is not a code.
        if EARLY_FINDERS and self.whole_frame_retries and not self.texts and self.glared():
            self.retry_finders()
        self.retry_crops(first, 1.0)
        # A phone held up moves little between frames: where the last code was read or located
        # is the likeliest place for an unread one, even one zxing no longer locates.
        if (
            not self.texts
            and self.last_seen is not None
            and not _overlaps(self.last_seen, self.tried)
        ):
            self.tried.append(self.last_seen)
            self.retry_crop(self.last_seen)
        if not self.whole_frame_retries:
            return self.read_deferred()
        shrunk: dict[float, Gray] = {}
        if REGION_AFTER is None and not self.texts:
            self.retry_detailed_region()
        for retry in FRAME_RETRIES:
            if self.texts:
                break
            height = self.gray.shape[0]
            shrink = min(1.0, retry.max_height / height) if retry.max_height else 1.0
            scale = retry.scale * shrink
            # A retry costs about as much as the first pass, times its change in area, and
            # its own work on the pixels it is given.
            mpixels = self.gray.size * scale**2 / 1e6
            if not self.affordable(
                first_ms * scale**2 * retry.cost + retry.ms_per_mpixel * mpixels
            ):
                continue  # decided before any work: even the shrink below is not free
            image = self.gray
            if shrink < 1.0:
                if shrink not in shrunk:  # made once for all the retries of that height
                    shrunk[shrink] = resized(shrink)(self.gray)
                image = shrunk[shrink]
            transformed = retry.transform(image)
            self.take(
                zxing_scan_full_size_first(transformed, binarizer=retry.binarizer),
                scale,
                transformed,
            )
            if retry.name == REGION_AFTER and not self.texts:
                self.retry_detailed_region()
        self.read_deferred()
        if not self.texts:
            self.retry_finders()
        return self.texts

    def glared(self) -> bool:
        """Whether the frame has a saturated highlight: a share of its pixels at its ceiling,
        and that ceiling near the sensor's top."""
        top = int(self.gray.max())
        if top < GLARE_LEVEL:
            return False
        clipped = np.count_nonzero(self.gray >= top - CLIPPED_WITHIN)
        return bool(clipped >= GLARE_FRAME_SHARE * self.gray.size)

    def read_deferred(self) -> list[str]:
        """The erasure reads that waited for every other retry (retry_erasures), if none read
        and time is left."""
        for taken, place in self.deferred:
            if self.texts or not self.affordable(ERASURE_READ_MS):
                break
            self.read_erasures(taken, place)
        return self.texts

    def retry_finders(self) -> None:
        """A code zxing did not locate, located from two of its finder patterns (glare over
        the third, or over the format information beside it) and read with erasures."""
        if self.finders_tried:
            return
        self.finders_tried = True
        if not self.affordable(FINDERS_MS_PER_MPIXEL * self.gray.size / 1e6 + ERASURE_READ_MS):
            return
        for symbol in located_symbols(self.gray, finders(self.gray), self.affordable):
            if not self.affordable(ERASURE_READ_MS):
                return
            taken = sample(self.gray, symbol)
            if taken is not None and self.read_erasures(taken, lambda quad: quad):
                return

    def retry_detailed_region(self) -> None:
        """Deconvolution of the region of finest detail, for a code zxing did not locate."""
        first_kernel_ms = REGION_ESTIMATE_MS + REGION_KERNEL_MS
        if not REGION_KERNELS or not self.affordable(REGION_FIND_MS + first_kernel_ms):
            return
        box = detailed_region(self.gray)
        if box is None:
            return
        x0, y0, x1, y1 = box
        region = self.gray[y0:y1, x0:x1]
        scale = min(1.0, REGION_SIDE_PX / max(region.shape))
        if scale < 1.0:
            region = resized(scale)(region)
        cost_ms = first_kernel_ms
        for retry in REGION_KERNELS:
            if not self.affordable(cost_ms):
                return
            cost_ms = REGION_KERNEL_MS  # the estimate and the region's DFT are shared
            restored = retry.transform(region)

            def place(q: Quad) -> Quad:
                return np.asarray(q / scale + (x0, y0), np.float32)

            if self.read_scan(restored, zxing_scan_full_size_first(restored), place):
                return


class Decoder:
    """Finds the QR texts in a frame. Not thread-safe: one decoder per worker thread.

    strategy: one of STRATEGIES. budget_ms: retries stop starting once a frame has used this
    much time (None: no limit, for tests and still images that must be deterministic).
    remember: a camera stream: retry first where the previous frame's code was read or located,
    fuse a located code's crops over the last FUSE_FRAMES frames, and spare the whole-frame
    retries in a quiet scene; off for unrelated images, where the previous frame says nothing.
    clock: what the budget is counted on, wall time (the camera's clock); the benchmark passes
    this thread's CPU time, so that on a shared machine other processes do not spend a frame's
    budget.
    """

    def __init__(
        self,
        strategy: str = "layered",
        budget_ms: float | None = DEFAULT_BUDGET_MS,
        *,
        remember: bool = True,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        if strategy not in STRATEGIES:
            raise ValueError(f"unknown decoder strategy {strategy!r}; choose from {STRATEGIES}")
        self.strategy = strategy
        self.budget_ms = budget_ms
        self.remember = remember
        self.clock = clock
        self._last_seen: Quad | None = None
        self._quiet_frames = 0  # frames in a row where nothing at all was located
        self._mean = RunningMean()  # a stream's recent frames, aligned and averaged
        self._recent: list[
            tuple[Quad, Gray]
        ] = []  # rectified crops of a located, unread code (fusion)

    def decode(self, frame: Frame) -> DecodeResult:
        start = self.clock()
        gray = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        texts = tuple(dict.fromkeys(self._read(gray, start)))  # each text once, in order found
        return DecodeResult(texts, (self.clock() - start) * 1000)

    def forget(self) -> None:
        """Drops the remembered position, e.g. when the camera or the scene changes."""
        self._last_seen = None
        self._recent.clear()
        self._mean.reset()

    def _read(self, gray: Gray, start: float) -> Sequence[str]:
        if min(gray.shape) < MIN_FRAME_PX:
            return ()  # no code fits; the retries' resizes would have no pixels to work on
        if self.strategy == "zxing":
            return zxing_scan(gray).texts
        if self.strategy == "zbar":
            return zbar_scan(gray).texts
        if self.strategy == "zxing+zbar":
            return zxing_scan(gray).texts or zbar_scan(gray).texts
        layered = _Layered(
            gray,
            self.budget_ms,
            start,
            self._last_seen,
            self._recent if self.remember else None,
            self.clock,
            self._mean if self.remember else None,
        )
        # An empty scene in a camera stream: after a few frames where the first pass saw no
        # code at all, the whole-frame retries run on one frame in QUIET_RETRY_EVERY only, so an
        # idle kiosk does not spend a core on them; the first pass still runs on every frame.
        quiet = self.remember and self._quiet_frames >= QUIET_AFTER
        layered.whole_frame_retries = not quiet or self._quiet_frames % QUIET_RETRY_EVERY == 0
        texts = layered.run()
        # What this frame itself showed, not the remembered place it was given to look at.
        seen_anything = bool(texts or layered.located)
        self._quiet_frames = 0 if seen_anything else self._quiet_frames + 1
        if texts:
            self._recent.clear()  # read: the next code seen starts afresh
            self._mean.reset()
        if not self.remember:
            return texts
        if layered.read_at:
            self._last_seen = layered.read_at[0]
        elif layered.located:
            # Located but unread: the next frames look there too, and fuse what they see.
            self._last_seen = layered.located[0]
        elif self._quiet_frames >= QUIET_AFTER:
            self._last_seen = None  # the code has gone: stop looking for it there
            self._recent.clear()
        return texts
