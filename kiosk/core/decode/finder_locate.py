"""A QR Code located from its finder patterns, for a code zxing-cpp does not locate at all.

Glare is the case this is for: a highlight over one finder pattern, or over the format
information beside it, and zxing-cpp's detector gives up before it reads anything, so the
erasure read (erasure_read.py) never starts. Two finders are still in plain view; the third
corner follows from them up to a few choices (which two corners they are, on which side the
code lies), and so does the symbol's size, up to a version either way. Each choice is tried
on the grid it implies: the 15 format bits must decode (BCH, from whichever copy is not
clipped) and, from version 7, the 18 version bits must name that version; only then is the
symbol handed to the erasure read, whose spare check symbols and zxing-cpp's own parsing are
what keep a wrong guess from ever becoming a text.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import cv2
import numpy as np
from segno import consts

from kiosk.core.decode import erasure_read, grid_refine, qr_layout
from kiosk.core.decode.backends import Gray, LocatedSymbol

THRESHOLD_BLOCK_PX = 51  # the adaptive threshold's window: wider than a finder's 3-module core
MIN_FINDER_PX = 8.0  # a finder's side at the least: 7 modules of a little over a pixel
RING_AREA_RATIO = (2.5, 12.0)  # the outer 7x7 square's area over the inner 3x3's (ideal 5.4)
SAME_MODULE = 1.5  # two finders of one code differ less than this in module size
FORMAT_DISTANCE = 3  # bits a format or version word read may differ from a true one
MIN_KNOWN_BITS = 10  # unclipped format bits (of both copies' 30) needed to trust their word
MIN_KNOWN_VERSION_BITS = 12  # unclipped bits of one version copy's 18 needed to judge it
MAX_HYPOTHESES = 24  # grids tried a frame, at most
IN_FRAME_MODULES = 2.0  # how far a grid's corner may lie outside the frame, in modules
MAX_FINDERS = 12  # finder candidates kept a frame, the largest
HYPOTHESIS_MS = 1.0  # sampling one grid and reading its format bits, one core (0.7-1.0)


@dataclass(frozen=True, slots=True)
class Finder:
    centre: np.ndarray  # x, y in image pixels
    module: float  # a module's size in pixels, from the finder's area
    # The finder's two module vectors a, b, as the sum aa^T + bb^T: its outer square's second
    # moments over those of a 7x7 square (49/12), so a foreshortened finder gives its tilt.
    shape: np.ndarray


def finders(gray: Gray) -> list[Finder]:
    """Finder-pattern candidates: a dark square ring round a dark core, three contours deep
    (the ring's outside, its inside, the core) in the adaptively thresholded image."""
    ink = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                                THRESHOLD_BLOCK_PX, 5)  # fmt: skip
    contours, hierarchy = cv2.findContours(ink, cv2.RETR_TREE, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return []
    tree = hierarchy[0]
    found: list[Finder] = []
    for i, outer in enumerate(contours):
        inner = tree[i][2]
        core = tree[inner][2] if inner >= 0 else -1
        if core < 0:
            continue
        outer_area = cv2.contourArea(outer)
        core_area = cv2.contourArea(contours[core])
        if outer_area < MIN_FINDER_PX**2 or core_area <= 0:
            continue
        if not RING_AREA_RATIO[0] < outer_area / core_area < RING_AREA_RATIO[1]:
            continue
        _, _, w, h = cv2.boundingRect(outer)
        if not 0.5 < w / h < 2.0:
            continue
        m = cv2.moments(contours[core])
        centre = np.array([m["m10"] / m["m00"], m["m01"] / m["m00"]], np.float64)
        o = cv2.moments(outer)
        moments = np.array([[o["mu20"], o["mu11"]], [o["mu11"], o["mu02"]]]) / o["m00"]
        found.append(Finder(centre, math.sqrt(outer_area) / 7, moments * 12 / 49))
    # The largest first, and not without end: a sheet of codes, or an image made of finder
    # look-alikes, must not make the pairs below a quadratic loop over thousands.
    found.sort(key=lambda f: -f.module)
    return found[:MAX_FINDERS]


def _turned(v: np.ndarray, sign: int) -> np.ndarray:
    """v turned a right angle; sign +1 turns image x (right) towards image y (down)."""
    return np.array([-v[1], v[0]]) * sign


Triple = tuple[np.ndarray, np.ndarray, np.ndarray, float, tuple[bool, bool, bool]]


def _corner_triples(a: Finder, b: Finder) -> Iterator[Triple]:
    """(top-left, top-right, bottom-left centres, modules between adjacent centres, which of
    the three were seen) for every way two finders can be two of a code's three."""
    p, q = a.centre, b.centre
    module = (a.module + b.module) / 2
    d = float(np.linalg.norm(q - p))
    # Adjacent: one is the top left; the third lies across from it, either way: a right
    # angle and as far, on a square; on a foreshortened code, as the finders' shape says.
    shape = (a.shape + b.shape) / 2
    for tl, other in ((p, q), (q, p)):
        for sign in (1, -1):
            third, spacing = _across(tl, other, shape, sign, d / module)
            if sign == 1:
                yield tl, other, third, spacing, (True, True, False)
            else:
                yield tl, third, other, spacing, (True, False, True)
    # Diagonal: they are the top right and bottom left; the top left is off their midpoint.
    for sign in (1, -1):
        tl, spacing = _off_diagonal(p, q, shape, sign, d / math.sqrt(2) / module)
        (px, py), (qx, qy) = p - tl, q - tl
        tr, bl = (p, q) if px * qy - py * qx > 0 else (q, p)  # top right turns to bottom left
        yield tl, tr, bl, spacing, (False, True, True)


def _across(
    tl: np.ndarray, other: np.ndarray, shape: np.ndarray, sign: int, spacing: float
) -> tuple[np.ndarray, float]:
    """The third finder's centre, and the modules between adjacent centres, for finders at
    tl and other whose module vectors a (along tl -> other) and b give `shape` = aa^T + bb^T.
    In the frame (e along, f across): shape = [[|a|^2 + be^2, be bf], [be bf, bf^2]]."""
    along = other - tl
    square = tl + _turned(along, sign), spacing
    e = along / np.linalg.norm(along)
    f = _turned(e, 1)
    ee, ef, ff = e @ shape @ e, e @ shape @ f, f @ shape @ f
    if ff <= 0:
        return square
    bf = math.sqrt(ff)
    be = ef / bf
    a_len_sq = ee - be * be
    # Far from square (a finder misread, or two that are not one code's): the square's guess.
    if a_len_sq <= 0 or not 0.6 < bf / math.sqrt(a_len_sq) < 1.6:
        return square
    modules = float(np.linalg.norm(along)) / math.sqrt(a_len_sq)
    return tl + sign * modules * (be * e + bf * f), modules  # b up to its sign


def _off_diagonal(
    p: np.ndarray, q: np.ndarray, shape: np.ndarray, sign: int, spacing: float
) -> tuple[np.ndarray, float]:
    """The top left finder's centre, and the modules between adjacent centres, for finders
    at p and q diagonally across the code (the top right and bottom left). With module vectors
    a, b and k modules between adjacent centres: q - p = +-k(a - b), and the top left lies
    k(a + b)/2 before their midpoint; shape = aa^T + bb^T = ((a - b)(a - b)^T + vv^T) / 2 with
    v = a + b, and vv^T having no determinant fixes |a - b|."""
    mid = (p + q) / 2
    square = mid + _turned(q - mid, sign), spacing
    w = q - p
    e = w / np.linalg.norm(w)
    twice = 2 * shape
    (s00, s01), (_, s11) = twice
    adjugate_ee = s11 * e[0] ** 2 - 2 * s01 * e[0] * e[1] + s00 * e[1] ** 2
    if adjugate_ee <= 0:
        return square
    u_len_sq = float(np.linalg.det(twice)) / adjugate_ee
    if u_len_sq <= 0:
        return square
    rest = twice - u_len_sq * np.outer(e, e)  # vv^T
    j = int(np.argmax(np.diag(rest)))
    if rest[j, j] <= 0:
        return square
    v = rest[:, j] / math.sqrt(rest[j, j])
    u = e * math.sqrt(u_len_sq)
    a_len, b_len = np.linalg.norm(u + v), np.linalg.norm(v - u)
    if not 0.6 < a_len / b_len < 1.6:
        return square  # far from square: a misread finder, or two not of one code
    modules = float(np.linalg.norm(w)) / math.sqrt(u_len_sq)
    # v points whichever way; the side is the one the square's guess lies on for this sign.
    if (v @ (mid - square[0])) < 0:
        v = -v
    return mid - modules * v / 2, modules


def _quad(tl: np.ndarray, tr: np.ndarray, bl: np.ndarray, n: int) -> np.ndarray:
    """The symbol's corners (TL, TR, BR, BL) from its finder centres, 3.5 modules in from them."""
    across = (tr - tl) / (n - 7)
    down = (bl - tl) / (n - 7)
    origin = tl - 3.5 * (across + down)
    corners = [origin, origin + n * across, origin + n * (across + down), origin + n * down]
    return np.array(corners, np.float32)


def _in_frame(quad: np.ndarray, width: int, height: int, module: float) -> bool:
    """Whether a grid's corners lie in the frame, give or take the 2 modules of the quiet
    zone (every grid placed on the far side of a pair of finders near an edge is not)."""
    margin = IN_FRAME_MODULES * module
    xs, ys = quad[:, 0], quad[:, 1]
    return bool(
        xs.min() > -margin and ys.min() > -margin
        and xs.max() < width + margin and ys.max() < height + margin
    )  # fmt: skip


def _word(dark: np.ndarray, known: np.ndarray, places: qr_layout.Places) -> tuple[int, int]:
    """The bits at places (bit k at places[k]) and a mask of those not clipped."""
    value = mask = 0
    for k, (r, c) in enumerate(places):
        if known[r, c]:
            mask |= 1 << k
            value |= int(dark[r, c]) << k
    return value, mask


def _distance(words: list[tuple[int, int]], true: int) -> int:
    """Bits of the words read (value, mask of bits not clipped) that differ from true."""
    return sum(bin((value ^ true) & seen).count("1") for value, seen in words)


def _format(dark: np.ndarray, known: np.ndarray) -> tuple[str, int] | None:
    """(level, mask) from the format bits of both copies where they are not clipped: the
    valid word nearest to what was read, if near enough and clearly nearer than the next."""
    words = [_word(dark, known, places) for places in qr_layout.format_places(dark.shape[0])]
    if sum(bin(seen).count("1") for _, seen in words) < MIN_KNOWN_BITS:
        return None
    ranked = sorted(
        (_distance(words, int(consts.FORMAT_INFO[code << 3 | mask])), level, mask)
        for level, code in qr_layout.EC_LEVELS.items()
        for mask in range(8)
    )
    (distance, level, mask), (runner_up, _, _) = ranked[0], ranked[1]
    if distance > FORMAT_DISTANCE or runner_up < distance + FORMAT_DISTANCE:
        return None
    return level, mask


def _version_agrees(dark: np.ndarray, known: np.ndarray, version: int) -> bool:
    """From version 7: one copy of the version bits is nearer this version than any other."""
    if version < 7:
        return True
    for places in qr_layout.version_places(dark.shape[0]):
        value, mask = _word(dark, known, places)
        if bin(mask).count("1") < MIN_KNOWN_VERSION_BITS:
            continue
        distances = {
            v: bin((value ^ int(consts.VERSION_INFO[v - 7])) & mask).count("1")
            for v in range(7, 41)
        }
        if distances[version] <= FORMAT_DISTANCE and distances[version] == min(distances.values()):
            return True
    return False


def located_symbols(
    gray: Gray, found: list[Finder], affordable: Callable[[float], bool] = lambda ms: True
) -> Iterator[LocatedSymbol]:
    """Symbols whose format (and version) information reads on a grid two of `found` imply:
    pairs of like module size, each way they can be placed, while affordable(HYPOTHESIS_MS)."""
    tried = 0
    height, width = gray.shape[:2]
    for i, a in enumerate(found):
        for b in found[i + 1 :]:
            if max(a.module, b.module) > SAME_MODULE * min(a.module, b.module):
                continue
            module = (a.module + b.module) / 2
            # Finders that overlap (nested rings round one centre) are not two of a code's,
            # and give its geometry no direction to start from.
            if np.linalg.norm(b.centre - a.centre) < 7 * module:
                continue
            for tl, tr, bl, spacing, seen in _corner_triples(a, b):
                estimate = (spacing + 7 - 17) / 4
                # The nearest version first: it is the likeliest, and a budget may stop here.
                versions = {round(estimate) + d for d in (0, -1, 1)}
                for version in sorted(versions, key=lambda v: (abs(v - estimate), v)):
                    if not 1 <= version <= 40:
                        continue
                    n = qr_layout.side(version)
                    quad = _quad(tl, tr, bl, n)
                    if not _in_frame(quad, width, height, module):
                        continue  # a code the frame cuts off is not read; spare its sample
                    if tried >= MAX_HYPOTHESES or not affordable(HYPOTHESIS_MS):
                        return
                    tried += 1
                    probe = LocatedSymbol(quad, version, "L", 0)  # level, mask: read below
                    taken = erasure_read.sample(gray, probe)
                    if taken is None:
                        continue
                    modules = taken.modules
                    known = ~modules.clipped
                    format_ = _format(modules.dark, known)
                    if format_ is None or not _version_agrees(modules.dark, known, version):
                        continue
                    quad = grid_refine.refined_quad(gray, quad, version, seen)
                    yield LocatedSymbol(quad, version, *format_)
