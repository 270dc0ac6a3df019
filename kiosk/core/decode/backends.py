"""The two QR libraries behind the decoder, each wrapped to return exact texts and positions.

Text rule, for both: a payload's bytes are UTF-8 when they are valid UTF-8 and no ECI names
another character set (the chip ID card writes Vietnamese as UTF-8 byte mode without ECI);
otherwise the library's own character-set handling decides (ECI, Kanji mode, Shift-JIS guesses).
"""

from __future__ import annotations

from dataclasses import dataclass

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


def _located_symbol(barcode: zxingcpp.Barcode) -> LocatedSymbol | None:
    """A QR Code (model 2) whose format and version zxing read before its checksum failed."""
    extra = barcode.extra if isinstance(barcode.extra, dict) else {}
    version = str(extra.get("Version", ""))
    if barcode.format != _QR_ONLY or not version.isdigit() or "DataMask" not in extra:
        return None  # Micro QR ("M3"), rMQR ("R13x77") or a failure before the format
    if barcode.error is None or barcode.error.type != zxingcpp.ErrorType.Checksum:
        return None
    return LocatedSymbol(
        _quad(barcode.position), int(version), str(extra.get("ECLevel", "")), int(extra["DataMask"])
    )


def zxing_text(barcode: zxingcpp.Barcode) -> str:
    """The exact text: UTF-8 bytes as UTF-8, else zxing's reading (read with TextMode.Plain)."""
    if barcode.symbology_identifier[-1:] not in _ECI_MODIFIERS:
        try:
            return bytes(barcode.bytes).decode("utf-8")
        except UnicodeDecodeError:
            pass
    return str(barcode.text)


def zxing_scan(
    gray: Gray,
    *,
    binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage,
    try_invert: bool = True,
    try_downscale: bool = True,
) -> Scan:
    """zxing-cpp, QR only. Symbols it located but could not decode come back as `unread`."""
    found = zxingcpp.read_barcodes(
        gray,
        formats=zxingcpp.BarcodeFormats(_QR_ONLY),
        text_mode=zxingcpp.TextMode.Plain,
        binarizer=binarizer,
        try_invert=try_invert,
        try_downscale=try_downscale,
        return_errors=True,
    )
    # Texts from QR Code symbols only: zxing-cpp's QR family also holds Micro QR and rMQR,
    # which no credential uses (too small for one), and a Micro QR M1 only detects errors: a
    # deconvolved texture once read as one ("2244", from a defocused frame's region). Every
    # located, unread symbol is kept: zxing names a blurred QR code it fails on "Micro QR".
    valid = [b for b in found if b.valid and b.format == _QR_ONLY]
    return Scan(
        texts=tuple(zxing_text(b) for b in valid),
        read_at=tuple(_quad(b.position) for b in valid),
        unread=tuple(_quad(b.position) for b in found if not b.valid),
        uncorrected=tuple(s for b in found if not b.valid if (s := _located_symbol(b))),
    )


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
