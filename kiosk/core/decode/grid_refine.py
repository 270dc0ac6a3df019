"""A located symbol's grid refined on its alignment patterns.

Whoever located the symbol (zxing-cpp, or two finder patterns and the geometry of
finder_locate.py) put its grid where the finders are: zxing-cpp fits a perspective to three
finders and at most one alignment pattern, finder_locate an affine guess to two. A camera's
perspective and its lens's barrel distortion move the far side of a large symbol by a module
or more from there, and at two pixels a module half a module off is a wrong module. The
symbol's own alignment patterns (from version 2, up to 46 of them) are fixed points of the
grid: each is looked for near where the grid puts it, and a homography fitted to the finders
and the patterns found.
"""

from __future__ import annotations

import cv2
import numpy as np

from kiosk.core.decode import erasure_read, qr_layout
from kiosk.core.decode.backends import Gray, LocatedSymbol

ALIGNMENT_REACH = 2.5  # modules an alignment pattern is looked for round where the grid puts it
ALIGNMENT_MATCH = 0.5  # the least normalised correlation with the pattern's drawing
REFINE_ROUNDS = 2
ALL_FINDERS = (True, True, True)


def _alignment_template() -> np.ndarray:
    px = erasure_read.SAMPLE_PX
    pattern = np.ones((5, 5), np.float32)
    pattern[1:4, 1:4] = 0.0
    pattern[2, 2] = 1.0
    return np.kron(1.0 - pattern, np.ones((px, px), np.float32))  # dark 0, light 1


_ALIGNMENT = _alignment_template()


def refined_quad(
    gray: Gray, quad: np.ndarray, version: int, seen: tuple[bool, ...] = ALL_FINDERS
) -> np.ndarray:
    """The quad (TL, TR, BR, BL) again, from a homography fitted to the finder centres the
    quad puts where `seen` (TL, TR, BL) says a finder was seen, and the alignment patterns
    found near where it puts them. Unchanged when that leaves fewer than four points or no
    pattern (below version 2 there is none)."""
    if version < 2:
        return quad
    n = qr_layout.side(version)
    px = erasure_read.SAMPLE_PX
    reach = int(ALIGNMENT_REACH * px)
    grid = np.array([[0, 0], [n, 0], [n, n], [0, n]], np.float32)
    finder_modules = [xy for xy, s in zip(((3.5, 3.5), (n - 3.5, 3.5), (3.5, n - 3.5)), seen,
                                          strict=True) if s]  # fmt: skip
    to_image = cv2.getPerspectiveTransform(grid, quad.astype(np.float32))
    seen_at = np.array([finder_modules], np.float32)
    finder_image = list(cv2.perspectiveTransform(seen_at, to_image)[0])
    for _ in range(REFINE_ROUNDS):
        upright = erasure_read.warped_upright(gray, LocatedSymbol(quad, version, "L", 0))
        ceiling = float(upright.max()) - erasure_read.CLIPPED_WITHIN
        to_image = cv2.getPerspectiveTransform(grid, quad.astype(np.float32))
        modules, image = list(finder_modules), list(finder_image)
        for r, c in qr_layout.alignment_centres(version):
            x0, y0 = (c - 2) * px - reach, (r - 2) * px - reach
            side = 5 * px + 2 * reach
            if x0 < 0 or y0 < 0 or max(x0, y0) + side > upright.shape[0]:
                continue  # too near the symbol's edge to look round
            window = upright[y0 : y0 + side, x0 : x0 + side]
            if np.mean(window >= ceiling) > 0.1 or window.std() < 4:
                continue  # under the glare, or flat: nothing to match
            score = cv2.matchTemplate(window.astype(np.float32), _ALIGNMENT, cv2.TM_CCOEFF_NORMED)
            _, best, _, (bx, by) = cv2.minMaxLoc(score)
            if best < ALIGNMENT_MATCH:
                continue
            at = np.array([[[(x0 + bx) / px + 2.5, (y0 + by) / px + 2.5]]], np.float32)
            image.append(cv2.perspectiveTransform(at, to_image)[0, 0])
            modules.append((c + 0.5, r + 0.5))
        if len(modules) < 4 or len(modules) == len(finder_modules):
            return quad
        h, _ = cv2.findHomography(np.array(modules, np.float32), np.array(image, np.float32))
        if h is None:
            return quad
        quad = cv2.perspectiveTransform(grid[None], h)[0]
    return quad


def refined(gray: Gray, symbol: LocatedSymbol) -> LocatedSymbol:
    """A symbol zxing-cpp located (all three finders seen), its quad refined; as it came if
    its report is not a QR Code's (the erasure read's sample refuses it then)."""
    if not erasure_read.plausible(symbol):
        return symbol
    quad = refined_quad(gray, symbol.quad, symbol.version)
    return LocatedSymbol(quad, symbol.version, symbol.level, symbol.mask)
