"""The two QR libraries behind the decoder, each wrapped to return exact texts and positions.

Text rule, for both: a payload's bytes are UTF-8 when they are valid UTF-8 and no ECI names
another character set (the chip ID card writes Vietnamese as UTF-8 byte mode without ECI);
otherwise the library's own character-set handling decides (ECI, Kanji mode, Shift-JIS guesses).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
import zxingcpp
from pyzbar import pyzbar

Gray = np.ndarray  # 2-D uint8 image
Quad = np.ndarray  # 4x2 float32 corners in image pixels

# QR only (all formats: ~10x slower). Made per call: a module-level zxingcpp object outlives
# the extension's own teardown at exit, which then reports it as leaked.
_QR_ONLY = zxingcpp.BarcodeFormat.QRCode
# ISO/IEC 18004 symbology identifiers ]Q2, ]Q4, ]Q6 say the symbol carries an ECI.
_ECI_MODIFIERS = frozenset("246")
# zxing-cpp's pyramid (ReaderOptions' defaults): an image wider or taller than this is also read
# at a third of its size, and that third again while it is.
DOWNSCALE_ABOVE_PX = 500
DOWNSCALE_FACTOR = 3


@dataclass(frozen=True, slots=True)
class LocatedSymbol:
    """What zxing-cpp knew of a QR Code it located but could not correct."""

    quad: Quad  # the symbol's corners: top left, top right, bottom right, bottom left
    version: int
    level: str  # "L", "M", "Q" or "H"
    mask: int


@dataclass(frozen=True, slots=True)
class Scan:
    """What one library call found: valid texts, where they were, and codes it could not read
    (`uncorrected`: those whose format information it read, so only the codewords failed)."""

    texts: tuple[str, ...]
    read_at: tuple[Quad, ...] = ()
    unread: tuple[Quad, ...] = ()
    uncorrected: tuple[LocatedSymbol, ...] = ()


def _quad(position: zxingcpp.Position) -> Quad:
    corners = (position.top_left, position.top_right, position.bottom_right, position.bottom_left)
    return np.array([(p.x, p.y) for p in corners], np.float32)


def _located_symbol(barcode: zxingcpp.Barcode, quad: Quad) -> LocatedSymbol | None:
    """A QR Code (model 2) whose format and version zxing read before its checksum failed."""
    extra = barcode.extra if isinstance(barcode.extra, dict) else {}
    version = str(extra.get("Version", ""))
    if barcode.format != _QR_ONLY or not version.isdigit() or "DataMask" not in extra:
        return None  # Micro QR ("M3"), rMQR ("R13x77") or a failure before the format
    if barcode.error is None or barcode.error.type != zxingcpp.ErrorType.Checksum:
        return None
    return LocatedSymbol(quad, int(version), str(extra.get("ECLevel", "")), int(extra["DataMask"]))


def zxing_text(barcode: zxingcpp.Barcode) -> str:
    """The exact text: UTF-8 bytes as UTF-8, else zxing's reading (read with TextMode.Plain)."""
    if barcode.symbology_identifier[-1:] not in _ECI_MODIFIERS:
        try:
            return bytes(barcode.bytes).decode("utf-8")
        except UnicodeDecodeError:
            pass
    return str(barcode.text)


def _zxing_read(
    gray: Gray, binarizer: zxingcpp.Binarizer, try_invert: bool, try_downscale: bool
) -> list[zxingcpp.Barcode]:
    return zxingcpp.read_barcodes(
        gray,
        formats=zxingcpp.BarcodeFormats(_QR_ONLY),
        text_mode=zxingcpp.TextMode.Plain,
        binarizer=binarizer,
        try_invert=try_invert,
        try_downscale=try_downscale,
        return_errors=True,
    )


def _scan(found: Sequence[tuple[zxingcpp.Barcode, Quad]]) -> Scan:
    # Texts from QR Code symbols only: zxing-cpp's QR family also holds Micro QR and rMQR,
    # which no credential uses (too small for one), and a Micro QR M1 only detects errors: a
    # deconvolved texture once read as one ("2244", from a defocused frame's region). Every
    # located, unread symbol is kept: zxing names a blurred QR code it fails on "Micro QR".
    valid = [(b, q) for b, q in found if b.valid and b.format == _QR_ONLY]
    unread = [(b, q) for b, q in found if not b.valid]
    return Scan(
        texts=tuple(zxing_text(b) for b, _ in valid),
        read_at=tuple(q for _, q in valid),
        unread=tuple(q for _, q in unread),
        uncorrected=tuple(s for b, q in unread if (s := _located_symbol(b, q))),
    )


def zxing_scan(
    gray: Gray,
    *,
    binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage,
    try_invert: bool = True,
    try_downscale: bool = True,
) -> Scan:
    """zxing-cpp, QR only, as the library does it. Symbols it located but could not decode come
    back as `unread`."""
    found = _zxing_read(gray, binarizer, try_invert, try_downscale)
    return _scan([(b, _quad(b.position)) for b in found])


def _box_shrunk(gray: Gray, factor: int) -> Gray:
    """zxing-cpp's own downscaled layer: each factor x factor block averaged."""
    h, w = (gray.shape[0] // factor, gray.shape[1] // factor)
    return cv2.resize(gray[: h * factor, : w * factor], (w, h), interpolation=cv2.INTER_AREA)


def _inside(point: np.ndarray, quad: Quad) -> bool:
    return (
        cv2.pointPolygonTest(quad.reshape(-1, 1, 2), (float(point[0]), float(point[1])), False) >= 0
    )


def _boxes_meet(a: Quad, b: Quad) -> bool:
    return bool(np.all(a.min(axis=0) <= b.max(axis=0)) and np.all(b.min(axis=0) <= a.max(axis=0)))


def zxing_scan_full_size_first(
    gray: Gray, *, binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage
) -> Scan:
    """zxing_scan, but zxing-cpp's downscaled layers only when the full size read nothing.

    zxing-cpp reads every layer of its pyramid (the image, then each third of the one before
    while wider than DOWNSCALE_ABOVE_PX) whatever the first read: about a third more work on a
    frame whose code the full size reads, which most are. The layers below are the library's
    own, read only on a miss, so nothing is read twice and no read is lost but a second code
    only a smaller layer would find beside one the full size read. Merged as zxing-cpp merges:
    the same located symbol once (the centre of one inside the other), and a located symbol
    whose box meets a read one's dropped.
    """
    if max(gray.shape) <= DOWNSCALE_ABOVE_PX:
        return zxing_scan(gray, binarizer=binarizer)
    found = [
        (b, _quad(b.position)) for b in _zxing_read(gray, binarizer, True, try_downscale=False)
    ]
    if any(b.valid and b.format == _QR_ONLY for b, _ in found):
        return _scan(found)
    smaller = _box_shrunk(gray, DOWNSCALE_FACTOR)
    for barcode in _zxing_read(smaller, binarizer, True, try_downscale=True):
        quad = _quad(barcode.position) * DOWNSCALE_FACTOR
        centre = quad.mean(axis=0)
        if not any(b.valid == barcode.valid and _inside(centre, q) for b, q in found):
            found.append((barcode, quad))
    read = [q for b, q in found if b.valid]
    return _scan([(b, q) for b, q in found if b.valid or not any(_boxes_meet(q, r) for r in read)])


def zbar_text(data: bytes) -> str:
    """zbar hands back its own UTF-8 conversion of the payload.

    zbar 0.23 (Debian 12) keeps valid UTF-8 byte mode as it is; older builds guess Shift-JIS
    for some UTF-8 texts, which is one reason the default strategy relies on zxing-cpp.
    """
    return data.decode("utf-8", errors="strict")


def zbar_scan(gray: Gray) -> Scan:
    """pyzbar (zbar), QR only. zbar reports no partial detections."""
    texts = []
    for symbol in pyzbar.decode(gray, symbols=[pyzbar.ZBarSymbol.QRCODE]):
        try:
            texts.append(zbar_text(symbol.data))
        except UnicodeDecodeError:
            continue  # not text zbar could convert: never guess
    return Scan(tuple(texts))
