"""Where a QR Code model 2 symbol keeps its codewords (ISO/IEC 18004:2015, 7.6-7.9).

Only what the erasure read needs: which modules are function patterns, the order in which the
codeword bits are placed, the data masks, and the Reed-Solomon blocks. The standard's tables
(blocks, alignment centres, format and version words) are segno's, the encoder the project
already draws its codes with.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from segno import consts

EC_LEVELS = {"L": consts.ERROR_LEVEL_L, "M": consts.ERROR_LEVEL_M, "Q": consts.ERROR_LEVEL_Q,
             "H": consts.ERROR_LEVEL_H}  # fmt: skip


def side(version: int) -> int:
    """Modules across a version's symbol."""
    return 17 + 4 * version


def alignment_centres(version: int) -> list[tuple[int, int]]:
    if version < 2:
        return []
    axis = consts.ALIGNMENT_POS[version - 2]
    last = axis[-1]
    corners = {(axis[0], axis[0]), (axis[0], last), (last, axis[0])}  # under the finders
    return [(r, c) for r in axis for c in axis if (r, c) not in corners]


@cache
def function_modules(version: int) -> np.ndarray:
    """True where a module belongs to a function pattern or to format or version information."""
    n = side(version)
    used = np.zeros((n, n), bool)
    used[:9, :9] = used[:9, n - 8 :] = used[n - 8 :, :9] = True  # finders, separators, format
    used[6, :] = used[:, 6] = True  # timing
    for r, c in alignment_centres(version):
        used[r - 2 : r + 3, c - 2 : c + 3] = True
    if version >= 7:
        used[: 6, n - 11 : n - 8] = used[n - 11 : n - 8, : 6] = True  # fmt: skip
    return used


@cache
def ideal_function_patterns(version: int) -> np.ndarray:
    """The dark (True) modules of the finders, separators, timing and alignment patterns and
    the dark module; format and version areas light (the caller writes those)."""
    n = side(version)
    dark = np.zeros((n, n), bool)
    finder = np.ones((7, 7), bool)
    finder[1:6, 1:6] = False
    finder[2:5, 2:5] = True
    for r, c in ((0, 0), (0, n - 7), (n - 7, 0)):
        dark[r : r + 7, c : c + 7] = finder
    dark[6, 8 : n - 8 : 2] = dark[8 : n - 8 : 2, 6] = True
    alignment = np.ones((5, 5), bool)
    alignment[1:4, 1:4] = False
    alignment[2, 2] = True
    for r, c in alignment_centres(version):
        dark[r - 2 : r + 3, c - 2 : c + 3] = alignment
    dark[n - 8, 8] = True
    return dark


@cache
def bit_positions(version: int) -> tuple[np.ndarray, np.ndarray]:
    """(rows, columns) of the data modules in placement order: the first codeword's most
    significant bit first (two-module columns, up and down, right to left, skipping column 6)."""
    n = side(version)
    used = function_modules(version)
    rows, cols = [], []
    upwards = True
    right = n - 1
    while right > 0:
        if right == 6:
            right -= 1
        for step in range(n):
            r = n - 1 - step if upwards else step
            for c in (right, right - 1):
                if not used[r, c]:
                    rows.append(r)
                    cols.append(c)
        upwards = not upwards
        right -= 2
    return np.array(rows), np.array(cols)


@cache
def data_mask(version: int, mask: int) -> np.ndarray:
    """True where data mask pattern `mask` (0-7) inverts a module."""
    n = side(version)
    i, j = np.mgrid[0:n, 0:n]
    conditions = (
        lambda: (i + j) % 2 == 0,
        lambda: i % 2 == 0,
        lambda: j % 3 == 0,
        lambda: (i + j) % 3 == 0,
        lambda: (i // 2 + j // 3) % 2 == 0,
        lambda: (i * j) % 2 + (i * j) % 3 == 0,
        lambda: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
        lambda: ((i + j) % 2 + (i * j) % 3) % 2 == 0,
    )
    return np.asarray(conditions[mask](), bool)


@dataclass(frozen=True, slots=True)
class Block:
    data: int  # data codewords
    total: int  # data and error correction codewords


@cache
def blocks(version: int, level: str) -> tuple[Block, ...]:
    """The Reed-Solomon blocks of a version and error correction level, in the standard's order."""
    out: list[Block] = []
    table: Any = consts.ECC  # version -> level -> groups of (blocks, total, data)
    for group in table[version][EC_LEVELS[level]]:
        out += [Block(group.num_data, group.num_total)] * group.num_blocks
    return tuple(out)


@cache
def codeword_order(version: int, level: str) -> tuple[tuple[int, int], ...]:
    """For each codeword in the symbol's interleaved sequence: (block, index in the block).
    Data codewords go round the blocks first, then the error correction codewords."""
    parts = blocks(version, level)
    order = [
        (b, i) for i in range(max(p.data for p in parts)) for b, p in enumerate(parts) if i < p.data
    ]
    ec = parts[0].total - parts[0].data  # the same in every block of a symbol
    order += [(b, p.data + i) for i in range(ec) for b, p in enumerate(parts)]
    return tuple(order)


def _format_word(level: str, mask: int) -> int:
    return int(consts.FORMAT_INFO[EC_LEVELS[level] << 3 | mask])


Places = list[tuple[int, int]]  # (row, column) of bit k at index k, bit 0 least significant


def format_places(n: int) -> tuple[Places, Places]:
    """Where the two copies of the 15 format bits lie, ISO/IEC 18004 7.9.1: round the top-left
    finder; under the top-right one and beside the bottom-left one."""
    near_rows = (0, 1, 2, 3, 4, 5, 7, 8)
    near_cols = (7, 5, 4, 3, 2, 1, 0)
    first = [(near_rows[k], 8) if k < 8 else (8, near_cols[k - 8]) for k in range(15)]
    second = [(8, n - 1 - k) if k < 8 else (n - 15 + k, 8) for k in range(15)]
    return first, second


def version_places(n: int) -> tuple[Places, Places]:
    """Where the two copies of the 18 version bits lie (version 7 on), ISO/IEC 18004 7.10:
    above the bottom-left finder and beside the top-right one."""
    return (
        [(n - 11 + k % 3, k // 3) for k in range(18)],
        [(k // 3, n - 11 + k % 3) for k in range(18)],
    )


def _place_format(dark: np.ndarray, word: int) -> None:
    for places in format_places(dark.shape[0]):
        for k, (r, c) in enumerate(places):
            dark[r, c] = bool(word >> k & 1)


def _place_version(dark: np.ndarray, version: int) -> None:
    if version < 7:
        return
    word = consts.VERSION_INFO[version - 7]
    for places in version_places(dark.shape[0]):
        for k, (r, c) in enumerate(places):
            dark[r, c] = bool(word >> k & 1)


def codewords_of(dark: np.ndarray, version: int, mask: int) -> list[int]:
    """The symbol's codewords in placement order, read from its modules (True: dark)."""
    rows, cols = bit_positions(version)
    bits = dark[rows, cols] ^ data_mask(version, mask)[rows, cols]
    whole = len(bits) // 8 * 8  # 0-7 remainder bits end the sequence
    return [int(v) for v in np.packbits(bits[:whole])]


def symbol(version: int, level: str, mask: int, codewords: list[int]) -> np.ndarray:
    """The modules (True: dark) of a symbol holding `codewords` in placement order."""
    dark = ideal_function_patterns(version).copy()
    rows, cols = bit_positions(version)
    bits = np.zeros(len(rows), bool)
    bits[: len(codewords) * 8] = np.unpackbits(np.array(codewords, np.uint8)).astype(bool)
    dark[rows, cols] = bits ^ data_mask(version, mask)[rows, cols]
    _place_format(dark, _format_word(level, mask))
    _place_version(dark, version)
    return dark
