"""What a person sees on a window: every visible text, where it is, whether it fits, and the
colours of its pixels.

`texts_on(window)` walks the widget tree (labels, buttons, check boxes, combo boxes, line-edit
placeholders, tabs, list rows, table headers) and the texts the painting widgets declare
(`painted_texts()`), each with the rectangle it must stay inside and whether it fits there.
`contrast(image, rect)` measures the text/background contrast ratio from the rendered pixels
(WCAG 2.x relative luminance), so a colour set anywhere (style sheet, palette, painter) counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QStyle,
    QStyleOptionButton,
    QStyleOptionComboBox,
    QTabBar,
    QTableWidget,
    QWidget,
)


@dataclass(frozen=True)
class SeenText:
    where: str  # the widget's path of object names, for the failure message
    text: str
    box: QRect  # the rectangle the text must stay inside, window coordinates
    used: QRect  # the rectangle the text covers, window coordinates
    fits: bool
    widget: QWidget
    enabled: bool = True

    def in_view(self) -> bool:
        """Wholly on screen (not partly scrolled away), so its pixels can be measured."""
        visible = self.widget.visibleRegion().boundingRect()
        area = QRect(self.widget.mapTo(self.widget.window(), visible.topLeft()), visible.size())
        return area.adjusted(-1, -1, 1, 1).contains(self.used.intersected(self.box))


def _path(w: QWidget) -> str:
    names = []
    while w is not None:
        names.append(w.objectName() or type(w).__name__)
        w = w.parentWidget()
    return "/".join(reversed(names[:4]))


def _to_window(w: QWidget, r: QRect | QRectF) -> QRect:
    rect = r.toAlignedRect() if isinstance(r, QRectF) else r
    top_left = w.mapTo(w.window(), rect.topLeft())
    return QRect(top_left, rect.size())


def _needed(w: QWidget, text: str, box: QRect, wrap: bool, align: int = 0) -> QRect:
    flags = int(align) | (int(Qt.TextFlag.TextWordWrap) if wrap else 0)
    return QFontMetricsF(w.font()).boundingRect(QRectF(box), flags, text).toAlignedRect()


def _within(inner: QRect, outer: QRect) -> bool:
    return (
        inner.width() <= outer.width() + 1
        and inner.height() <= outer.height() + 1
        and outer.adjusted(-1, -1, 1, 1).contains(inner)
    )


def _shown(w: QWidget) -> bool:
    return w.isVisible() and w.width() > 0 and w.height() > 0


def _label(w: QLabel) -> list[SeenText]:
    text = w.text()
    if not text or (w.pixmap() is not None and not w.pixmap().isNull()):
        return []
    box = w.contentsRect().adjusted(w.margin(), w.margin(), -w.margin(), -w.margin())
    used = _needed(w, text, box, w.wordWrap(), int(w.alignment()))
    return [SeenText(_path(w), text, _to_window(w, box), _to_window(w, used),
                     _within(used, box), w, w.isEnabled())]  # fmt: skip


def _button(w: QAbstractButton) -> list[SeenText]:
    text = w.text().replace("&", "")
    if not text:
        return []
    opt = QStyleOptionButton()
    w.initStyleOption(opt)  # type: ignore[attr-defined]
    element = (
        QStyle.SubElement.SE_CheckBoxContents
        if isinstance(w, QCheckBox)
        else QStyle.SubElement.SE_PushButtonContents
    )
    box = w.style().subElementRect(element, opt, w)
    used = _needed(w, text, box, False, int(Qt.AlignmentFlag.AlignCenter))
    return [SeenText(_path(w), text, _to_window(w, box), _to_window(w, used),
                     _within(used, box), w, w.isEnabled())]  # fmt: skip


def _combo(w: QComboBox) -> list[SeenText]:
    text = w.currentText()
    if not text:
        return []
    opt = QStyleOptionComboBox()
    w.initStyleOption(opt)
    box = w.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, opt, QStyle.SubControl.SC_ComboBoxEditField, w
    )
    used = _needed(w, text, box, False, int(Qt.AlignmentFlag.AlignVCenter))
    return [SeenText(_path(w), text, _to_window(w, box), _to_window(w, used),
                     _within(used, box), w, w.isEnabled())]  # fmt: skip


def _line_edit(w: QLineEdit) -> list[SeenText]:
    text = w.placeholderText() if not w.text() else ""
    if not text:
        return []  # typed text scrolls inside its field, as a field's text does
    box = w.contentsRect().adjusted(4, 0, -4, 0)
    used = _needed(w, text, box, False, int(Qt.AlignmentFlag.AlignVCenter))
    return [SeenText(_path(w), text, _to_window(w, box), _to_window(w, used),
                     _within(used, box), w)]  # fmt: skip


def _tabs(w: QTabBar) -> list[SeenText]:
    out = []
    for i in range(w.count()):
        rect = w.tabRect(i)
        text = w.tabText(i)
        box = rect.adjusted(6, 0, -6, 0)
        used = _needed(w, text, box, False, int(Qt.AlignmentFlag.AlignCenter))
        fits = _within(used, box) and _within(rect, w.rect())
        out.append(SeenText(f"{_path(w)}[{i}]", text, _to_window(w, box), _to_window(w, used),
                            fits, w))  # fmt: skip
    return out


def _list(w: QListWidget) -> list[SeenText]:
    """A list row fits the list's width (a long one is shortened with "…" and its whole text
    kept on the item); the list never scrolls sideways."""
    out = []
    viewport = w.viewport()
    for i in range(w.count()):
        item = w.item(i)
        rect = w.visualItemRect(item)
        if not rect.isValid() or not viewport.rect().intersects(rect):
            continue
        metrics = QFontMetricsF(item.font())
        icon = w.iconSize().width() + 8 if not item.icon().isNull() else 0
        need = metrics.horizontalAdvance(item.text()) + icon + 8
        fits = need <= viewport.width() and not w.horizontalScrollBar().isVisible()
        ink = QRect(rect.left() + icon, rect.top(), int(need - icon), rect.height())
        out.append(SeenText(f"{_path(w)}[{i}]", item.text(), _to_window(viewport, rect),
                            _to_window(viewport, ink), fits, w))  # fmt: skip
    return out


def _table(w: QTableWidget) -> list[SeenText]:
    out = []
    header = w.horizontalHeader()
    if header.isVisible():
        for col in range(w.columnCount()):
            head = w.horizontalHeaderItem(col)
            if head is None or w.isColumnHidden(col):
                continue
            x = header.sectionViewportPosition(col)
            rect = QRect(x, 0, header.sectionSize(col), header.height())
            need = QFontMetricsF(header.font()).horizontalAdvance(head.text()) + 12
            fits = need <= rect.width() and _within(rect, header.rect())
            ink = QRect(rect.center().x() - int(need / 2), rect.top(), int(need), rect.height())
            out.append(SeenText(f"{_path(w)}[head {col}]", head.text(), _to_window(header, rect),
                                _to_window(header, ink), fits, w))  # fmt: skip
    for row in range(w.rowCount()):
        for col in range(w.columnCount()):
            item = w.item(row, col)
            if item is None or not item.text():
                continue
            rect = w.visualItemRect(item)
            if not w.viewport().rect().contains(rect.topLeft()):
                continue
            # A cell too narrow is elided by the view, its whole text a tap away (the row's
            # details); the table itself never scrolls sideways.
            fits = (
                w.textElideMode() != Qt.TextElideMode.ElideNone
                and not w.horizontalScrollBar().isVisible()
            )
            width = QFontMetricsF(item.font()).horizontalAdvance(item.text()) + 8
            ink = QRect(rect.left(), rect.top(), int(min(width, rect.width())), rect.height())
            out.append(SeenText(f"{_path(w)}[{row},{col}]", item.text(),
                                _to_window(w.viewport(), rect), _to_window(w.viewport(), ink),
                                fits, w))  # fmt: skip
    return out


def _painted(w: QWidget) -> list[SeenText]:
    out = []
    for line in w.painted_texts():  # type: ignore[attr-defined]
        used = line.used().toAlignedRect()
        box = line.box.toAlignedRect()
        fits = _within(used, box) and _within(used, w.rect())
        out.append(SeenText(_path(w), line.text, _to_window(w, box), _to_window(w, used),
                            fits, w))  # fmt: skip
    return out


def _clipped_by_ancestor(w: QWidget) -> str | None:
    """The ancestor that cuts `w` off (a widget squeezed out of its parent), if any. Inside a
    scroll area only sideways clipping counts: scrolling down is how a long page is read."""
    rect = QRect(w.mapTo(w.window(), QPoint(0, 0)), w.size())
    parent = w.parentWidget()
    while parent is not None:
        prect = QRect(parent.mapTo(parent.window(), QPoint(0, 0)), parent.size())
        scrolled = isinstance(parent.parentWidget(), QAbstractScrollArea) or (
            parent.objectName() == "qt_scrollarea_viewport"
        )
        if scrolled:
            if rect.left() < prect.left() - 1 or rect.right() > prect.right() + 1:
                return _path(parent)
            return None
        if not prect.adjusted(-1, -1, 1, 1).contains(rect):
            return _path(parent)
        parent = parent.parentWidget()
    return None


def texts_on(window: QWidget) -> list[SeenText]:
    seen: list[SeenText] = []
    for w in [window, *window.findChildren(QWidget)]:
        if not _shown(w) or not w.visibleRegion().boundingRect().isValid():
            continue
        found: list[SeenText] = []
        if hasattr(w, "painted_texts"):
            found = _painted(w)
        elif isinstance(w, QLabel):
            found = _label(w)
        elif isinstance(w, QPushButton | QCheckBox):
            found = _button(w)
        elif isinstance(w, QComboBox):
            found = _combo(w)
        elif isinstance(w, QLineEdit):
            found = _line_edit(w)
        elif isinstance(w, QTabBar):
            found = _tabs(w)
        elif isinstance(w, QListWidget):
            found = _list(w)
        elif isinstance(w, QTableWidget):
            found = _table(w)
        if found and not isinstance(w.parentWidget(), QComboBox):
            cut_by = _clipped_by_ancestor(w)
            if cut_by is not None:
                found = [SeenText(f"{t.where} (cut by {cut_by})", t.text, t.box, t.used, False,
                                  t.widget, t.enabled) for t in found]  # fmt: skip
        seen.extend(found)
    return seen


def _related(a: QWidget, b: QWidget) -> bool:
    return a is b or a.isAncestorOf(b) or b.isAncestorOf(a)


def _in_scroll_area(w: QWidget) -> QScrollArea | None:
    parent = w.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def overlaps(seen: list[SeenText]) -> list[tuple[SeenText, SeenText]]:
    """Pairs of texts whose drawn rectangles cross (the same widget's own texts included)."""
    out = []
    for i, a in enumerate(seen):
        for b in seen[i + 1 :]:
            if a.widget is not b.widget and _related(a.widget, b.widget):
                continue
            if a.widget is b.widget and not hasattr(a.widget, "painted_texts"):
                continue  # one list's rows, one table's cells: laid out by the view
            if _in_scroll_area(a.widget) is not _in_scroll_area(b.widget):
                continue  # a scrolled page slides under its fixed neighbours by design
            if a.used.adjusted(1, 1, -1, -1).intersects(b.used.adjusted(1, 1, -1, -1)):
                out.append((a, b))
    return out


def _luminance(rgb: np.ndarray) -> np.ndarray:
    c = rgb.astype(np.float64) / 255.0
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * lin[..., 0] + 0.7152 * lin[..., 1] + 0.0722 * lin[..., 2]


def pixels(image: QImage) -> np.ndarray:
    """The window's pixels as an (h, w, 3) RGB array."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    h, w, stride = rgb.height(), rgb.width(), rgb.bytesPerLine()
    data = np.frombuffer(rgb.constBits(), dtype=np.uint8, count=stride * h)
    return data.reshape(h, stride)[:, : w * 3].reshape(h, w, 3).copy()


def contrast(image: np.ndarray, rect: QRect) -> float:
    """Text against background inside `rect` (the text's own bounding box): the background is
    the most common colour; the text is what the most contrasting 5% of the pixels reach, so
    anti-aliased edges, gradients and single stray pixels do not decide it."""
    h, w = image.shape[:2]
    x0, y0 = max(0, rect.left()), max(0, rect.top())
    x1, y1 = min(w, rect.right() + 1), min(h, rect.bottom() + 1)
    crop = image[y0:y1, x0:x1].reshape(-1, 3)
    if len(crop) == 0:
        return 0.0
    packed = (crop[:, 0].astype(np.uint32) << 16) | (crop[:, 1].astype(np.uint32) << 8) | crop[:, 2]
    values, counts = np.unique(packed, return_counts=True)
    mode = int(values[np.argmax(counts)])
    background = np.array([[mode >> 16 & 255, mode >> 8 & 255, mode & 255]], dtype=np.uint8)
    lb = float(_luminance(background)[0])
    lp = _luminance(crop)
    ratios = (np.maximum(lp, lb) + 0.05) / (np.minimum(lp, lb) + 0.05)
    return float(np.percentile(ratios, 95))
