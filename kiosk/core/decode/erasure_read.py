"""An erasure-aware read of a code zxing-cpp located but could not correct.

When zxing-cpp's Reed-Solomon decode fails it still reports where the code is and what its
format information says (version, error correction level, data mask). Glare is the case this
is for: a saturated highlight hides every module under it, and a decoder that does not know
where the damage is can correct only half as many codewords as one that does. So the code's
modules are sampled here on the located grid, modules that are clipped (or, on a second try,
least sure) are marked as erasures, each Reed-Solomon block is decoded with its erasures
(reed_solomon.py), and the corrected codewords are drawn as a clean symbol that zxing-cpp reads:
the text comes from zxing's own segment parsing and text rule, as on every other path.

A block is accepted only when its erasures and twice its corrections leave ERASURE_SPARE
check symbols unused: those spare symbols are what stops a block damaged past its capacity
from being "corrected" into another valid block.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from kiosk.core.decode import module_equalizer, qr_layout, reed_solomon
from kiosk.core.decode.backends import Gray, LocatedSymbol, zxing_scan

SAMPLE_PX = 5  # pixels a module when the located grid is sampled
CLIPPED_WITHIN = 6  # grey levels below the brightest: a module all this bright is clipped
LOCAL_MODULES = 9  # the threshold between dark and light: the mean of a window this wide
ERASURE_SPARE = 4  # check symbols a block must leave unused to be accepted (see above)
GLARE_SHARE = 0.02  # of a symbol's modules clipped: glare, for which this read goes first
STRAIGHTEN_ROUNDS = 2  # grid straightenings tried after a read on the located grid fails
STRAIGHTEN_MS = 6.0  # one: the flow, the modules again, their blocks again (one core)
EQUALIZE = True  # a read that fails thresholded is tried on the equalizer's decisions
EQUALIZED_READ_MS = 2.0  # the equalizer's fits and a read of the blocks, one core
RENDER_PX = 4  # pixels a module of the redrawn symbol
QUIET_ZONE = 4  # modules of margin round the redrawn symbol


@dataclass(frozen=True, slots=True)
class _Modules:
    dark: np.ndarray  # n x n bool: the module reads dark
    clipped: np.ndarray  # n x n bool: saturated, its value unknown
    certainty: np.ndarray  # n x n float: distance from the threshold in local contrasts
    inverted: bool  # a dark-mode code: its dark modules are the light ones in the image
    contrast: np.ndarray  # n x n float: (local mean - value) / local spread, > 0 image-dark


def warped_upright(gray: Gray, symbol: LocatedSymbol) -> Gray:
    """The located symbol warped to an upright square of SAMPLE_PX pixels a module."""
    n = qr_layout.side(symbol.version)
    span = float(n * SAMPLE_PX)
    grid = np.array([[0, 0], [span, 0], [span, span], [0, span]], np.float32)
    to_image = cv2.getPerspectiveTransform(grid, symbol.quad.astype(np.float32))
    return cv2.warpPerspective(
        gray, to_image, (n * SAMPLE_PX, n * SAMPLE_PX),
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_REPLICATE,
    )  # fmt: skip


def _modules(upright: Gray, version: int) -> _Modules:
    # The central 3x3 pixels of each module: its edges blur into the neighbours. A 3x3 window
    # read at each module's centre pixel: numpy's reductions over a strided 4-D view of the
    # same cells cost five times as much, and a grid is sampled for every finder hypothesis.
    inner = SAMPLE_PX - 2
    centres = (slice(SAMPLE_PX // 2, None, SAMPLE_PX),) * 2
    sums = cv2.boxFilter(upright, cv2.CV_32F, (inner, inner), normalize=False)
    value = sums[centres] / np.float32(inner * inner)
    # Clipped light is flat at the sensor's ceiling, which the white balance and the grey
    # conversion put anywhere from about 230 to 255; a light module's noise keeps its darkest
    # pixels well below the brightest of the code.
    darkest = cv2.erode(upright, np.ones((inner, inner), np.uint8))[centres]
    clipped = darkest >= float(upright.max()) - CLIPPED_WITHIN
    known = (~clipped).astype(np.float32)
    size = (LOCAL_MODULES, LOCAL_MODULES)
    weight = cv2.boxFilter(known, -1, size, normalize=False, borderType=cv2.BORDER_REFLECT)
    weight = np.maximum(weight, 1.0)
    mean = cv2.boxFilter(value * known, -1, size, normalize=False,
                         borderType=cv2.BORDER_REFLECT) / weight  # fmt: skip
    square = cv2.boxFilter(value * value * known, -1, size, normalize=False,
                           borderType=cv2.BORDER_REFLECT) / weight  # fmt: skip
    spread = np.sqrt(np.maximum(square - mean * mean, 1.0))
    contrast = (mean - value) / spread
    dark = contrast > 0
    # A dark-mode code (light modules on dark) reads its finders inverted.
    patterns = qr_layout.function_modules(version) & ~clipped
    inverted = bool(
        np.mean(dark[patterns] == qr_layout.ideal_function_patterns(version)[patterns]) < 0.5
    )
    certainty = _off_highlight_edge(np.abs(contrast), clipped)
    return _Modules(dark ^ inverted, clipped, certainty, inverted, contrast)


def _off_highlight_edge(certainty: np.ndarray, clipped: np.ndarray) -> np.ndarray:
    """certainty, zero next to a clipped module: a highlight's soft edge brightens the modules
    round it without clipping them, so they are the least certain of the unclipped ones."""
    edge = cv2.dilate(clipped.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    certainty[edge & ~clipped] = 0.0
    return certainty


def _equalized(modules: _Modules, symbol: LocatedSymbol) -> _Modules:
    """The same samples decided by the equalizer trained on the symbol's known modules."""
    dark, certainty = module_equalizer.equalized(
        modules.contrast, modules.clipped, symbol.version, symbol.level, symbol.mask
    )
    certainty = _off_highlight_edge(certainty, modules.clipped)
    return _Modules(dark, modules.clipped, certainty, modules.inverted, modules.contrast)


def _straightened(upright: Gray, modules: _Modules, version: int) -> Gray:
    """The upright symbol with its grid bent onto the modules it reads: a print on cloth or
    a curved card is not a plane, and no one homography puts every module where it is. The
    dense flow from a crisp drawing of what was read (function patterns as the standard draws
    them) to the image says where each module really lies."""
    dark = modules.dark.copy()
    patterns = qr_layout.function_modules(version)
    dark[patterns] = qr_layout.ideal_function_patterns(version)[patterns]
    ink = np.where(dark ^ modules.inverted, 0, 255).astype(np.uint8)
    block = np.ones((SAMPLE_PX, SAMPLE_PX), np.uint8)
    drawn = np.asarray(cv2.GaussianBlur(np.kron(ink, block), (0, 0), 1.0), np.uint8)
    lo, hi = float(upright.min()), float(upright.max())
    seen = ((upright.astype(np.float32) - lo) * (255 / max(hi - lo, 1.0))).astype(np.uint8)
    # DIS flow at its fast preset: about 2 ms for a version 10 symbol, a tenth of Farneback's.
    dis = cv2.DISOpticalFlow.create(cv2.DISOpticalFlow_PRESET_FAST)
    flow = dis.calc(drawn, seen, None)  # type: ignore[call-overload]
    h, w = upright.shape
    xs, ys = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    return cv2.remap(upright, xs + flow[..., 0], ys + flow[..., 1], cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_REPLICATE)  # fmt: skip


def _decode_block(
    received: list[int], check_symbols: int, erasure_tries: list[list[int]]
) -> list[int] | None:
    """The corrected block, from the first erasure set with which it decodes with spare check
    symbols left; None if none does."""
    for erased in erasure_tries:
        if len(erased) > check_symbols - ERASURE_SPARE:
            break
        decoded = reed_solomon.decode(received, check_symbols, erased)
        if decoded is None:
            continue
        corrected, changed = decoded
        errors = len(set(changed) - set(erased))
        if len(erased) + 2 * errors <= check_symbols - ERASURE_SPARE:
            return corrected
    return None


def _corrected_codewords(modules: _Modules, symbol: LocatedSymbol) -> list[int] | None:
    version, level = symbol.version, symbol.level
    rows, cols = qr_layout.bit_positions(version)
    order = qr_layout.codeword_order(version, level)
    codewords = qr_layout.codewords_of(modules.dark, version, symbol.mask)
    bits = len(order) * 8
    # A codeword is erased when any of its eight modules is clipped; its certainty is its
    # least certain module's.
    clipped = modules.clipped[rows[:bits], cols[:bits]].reshape(-1, 8).any(axis=1)
    certainty = modules.certainty[rows[:bits], cols[:bits]].reshape(-1, 8).min(axis=1)
    parts = qr_layout.blocks(version, level)
    received = [[0] * p.total for p in parts]
    erased: list[list[int]] = [[] for _ in parts]
    doubt: list[list[tuple[float, int]]] = [[] for _ in parts]
    for k, (block, index) in enumerate(order):
        received[block][index] = codewords[k]
        if clipped[k]:
            erased[block].append(index)
        else:
            doubt[block].append((float(certainty[k]), index))
    result: list[list[int]] = []
    for part, got, sure_erased, unsure in zip(parts, received, erased, doubt, strict=True):
        check = part.total - part.data
        room = check - ERASURE_SPARE - len(sure_erased)
        ranked = sorted(unsure)
        least_sure = [index for _, index in ranked]
        at_edge = sum(1 for c, _ in ranked if c == 0.0)
        # First only the clipped codewords; then also those at a highlight's edge, then the
        # least certain ones: each erasure added is one fewer unknown error left room for.
        extras = sorted({e for e in (at_edge, room // 2, room) if 0 < e <= room})
        tries = [sure_erased] + [sure_erased + least_sure[:e] for e in extras]
        corrected = _decode_block(got, check, tries)
        if corrected is None:
            return None
        result.append(corrected)
    return [result[block][index] for block, index in order]


def _codewords(
    modules: _Modules, symbol: LocatedSymbol, affordable: Callable[[float], bool]
) -> list[int] | None:
    """The corrected codewords of the modules as thresholded, else as equalized."""
    codewords = _corrected_codewords(modules, symbol)
    if codewords is None and EQUALIZE and affordable(EQUALIZED_READ_MS):
        codewords = _corrected_codewords(_equalized(modules, symbol), symbol)
    return codewords


def _drawn(dark: np.ndarray) -> Gray:
    image = np.where(dark, 0, 255).astype(np.uint8)
    image = np.pad(image, QUIET_ZONE, constant_values=255)
    return cv2.resize(image, None, fx=RENDER_PX, fy=RENDER_PX, interpolation=cv2.INTER_NEAREST)


@dataclass(frozen=True, slots=True)
class Sample:
    """A located symbol's modules as sampled on its grid: taken once, read from there."""

    symbol: LocatedSymbol
    upright: Gray
    modules: _Modules

    @property
    def glared(self) -> bool:
        """Whether clipped light hides at least GLARE_SHARE of the symbol's modules."""
        return bool(self.modules.clipped.mean() >= GLARE_SHARE)


def plausible(symbol: LocatedSymbol) -> bool:
    """Whether a located symbol's report can be a QR Code model 2's: a format one has, and a
    quad large enough to hold one module a pixel (zxing's report is taken as a claim)."""
    return (
        symbol.level in qr_layout.EC_LEVELS
        and 1 <= symbol.version <= 40
        and 0 <= symbol.mask <= 7
        and cv2.contourArea(symbol.quad.astype(np.float32)) >= qr_layout.side(symbol.version) ** 2
    )


def sample(gray: Gray, symbol: LocatedSymbol) -> Sample | None:
    """The symbol sampled on its located grid; None when its report is not `plausible`."""
    if not plausible(symbol):
        return None
    upright = warped_upright(gray, symbol)
    return Sample(symbol, upright, _modules(upright, symbol.version))


def read_with_erasures(
    taken: Sample, affordable: Callable[[float], bool] = lambda ms: True
) -> str | None:
    """The text of a sampled symbol, decoded with its clipped modules as erasures; None when
    a block cannot be corrected with spare check symbols left over. affordable(ms): whether
    a straightening round that costs about ms still fits the caller's budget."""
    symbol, upright, modules = taken.symbol, taken.upright, taken.modules
    codewords = _codewords(modules, symbol, affordable)
    for _ in range(STRAIGHTEN_ROUNDS):
        if codewords is not None or not affordable(STRAIGHTEN_MS):
            break
        upright = _straightened(upright, modules, symbol.version)
        modules = _modules(upright, symbol.version)
        codewords = _codewords(modules, symbol, affordable)
    if codewords is None:
        return None
    clean = qr_layout.symbol(symbol.version, symbol.level, symbol.mask, codewords)
    texts = zxing_scan(_drawn(clean), try_invert=False, try_downscale=False).texts
    return texts[0] if len(texts) == 1 else None
