"""Paints a search result: title (matched words underlined) and date on the first line, a
two-line snippet with the matched words in bold below; headings as small captions.

The text is laid out with QTextLayout and format ranges, so nothing in it is ever parsed as
HTML, and offsets are converted to UTF-16 for Qt.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPalette,
    QTextCharFormat,
    QTextLayout,
    QTextLine,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from timeline_app.ui.search_document import utf16_ranges
from timeline_app.ui.search_results import (
    HEADING_ROLE,
    SNIPPET_ROLE,
    TITLE_MATCHES_ROLE,
    WHEN_ROLE,
    Spans,
)

Index = QModelIndex | QPersistentModelIndex


class HitDelegate(QStyledItemDelegate):
    """Paints a heading as a small caption, a hit as title + date over a two-line snippet."""

    PAD_X = 10
    PAD_Y = 7
    SNIPPET_LINES = 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fonts: dict[str, QFont] = {}

    def _font(self, base: QFont, kind: str) -> QFont:
        if kind not in self._fonts:
            font = QFont(base)
            if kind == "title":
                font.setWeight(QFont.Weight.DemiBold)
            elif kind == "heading":
                font.setWeight(QFont.Weight.Bold)
                font.setPointSizeF(base.pointSizeF() * 0.85)
                font.setCapitalization(QFont.Capitalization.AllUppercase)
                font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 106)
            elif kind == "small":
                font.setPointSizeF(base.pointSizeF() * 0.9)
            self._fonts[kind] = font
        return self._fonts[kind]

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        line = QFontMetricsF(option.font).lineSpacing()
        if index.data(HEADING_ROLE):
            return QSize(100, round(line * 0.85 + 2 * self.PAD_Y + 6))
        return QSize(100, round(line * (1 + self.SNIPPET_LINES) + 2 * self.PAD_Y + 2))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        try:
            if index.data(HEADING_ROLE):
                self._paint_heading(painter, option, index)
            else:
                self._paint_hit(painter, option, index)
        finally:
            painter.restore()

    def _paint_heading(self, p: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        palette = option.palette
        rect = QRectF(option.rect)
        p.fillRect(rect, palette.color(QPalette.ColorRole.AlternateBase))
        p.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        p.setFont(self._font(option.font, "heading"))
        text_rect = rect.adjusted(self.PAD_X, 0, -self.PAD_X, -2)
        p.drawText(
            text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, str(index.data())
        )

    def _paint_hit(self, p: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            p.fillRect(option.rect, palette.color(QPalette.ColorRole.Highlight))
        else:
            p.setPen(palette.color(QPalette.ColorRole.Midlight))
            bottom = option.rect.bottom()
            p.drawLine(option.rect.left() + self.PAD_X, bottom, option.rect.right(), bottom)
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        muted = (
            palette.color(QPalette.ColorRole.HighlightedText)
            if selected
            else palette.color(QPalette.ColorRole.PlaceholderText)
        )
        rect = QRectF(option.rect).adjusted(self.PAD_X, self.PAD_Y, -self.PAD_X, -self.PAD_Y)
        line = QFontMetricsF(option.font).lineSpacing()
        when = str(index.data(WHEN_ROLE) or "")
        small = self._font(option.font, "small")
        when_width = QFontMetricsF(small).horizontalAdvance(when) + 12 if when else 0.0
        if when:
            p.setFont(small)
            p.setPen(muted)
            p.drawText(
                QRectF(rect.left(), rect.top(), rect.width(), line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                when,
            )
        p.setPen(palette.color(text_role))
        title_font = self._font(option.font, "title")
        title = str(index.data())
        _draw_marked(
            p,
            title,
            index.data(TITLE_MATCHES_ROLE) or [],
            title_font,
            QRectF(rect.left(), rect.top(), rect.width() - when_width, line),
            1,
            underline=True,
        )
        text, spans = index.data(SNIPPET_ROLE)
        p.setPen(palette.color(text_role) if selected else _blend(palette, 0.78))
        box = QRectF(rect.left(), rect.top() + line, rect.width(), line * self.SNIPPET_LINES)
        _draw_marked(p, text, spans, option.font, box, self.SNIPPET_LINES)


def _blend(palette: QPalette, amount: float) -> QColor:
    """The text colour moved ``1 - amount`` of the way towards the base colour."""
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    text.setRedF(text.redF() * amount + base.redF() * (1 - amount))
    text.setGreenF(text.greenF() * amount + base.greenF() * (1 - amount))
    text.setBlueF(text.blueF() * amount + base.blueF() * (1 - amount))
    return text


def _draw_marked(
    p: QPainter,
    text: str,
    spans: Spans,
    font: QFont,
    box: QRectF,
    max_lines: int,
    underline: bool = False,
) -> None:
    """Draw plain ``text`` in ``box`` over at most ``max_lines`` lines, ``spans`` in bold (or
    underlined), and "…" at the end when it does not fit. No text is parsed as markup."""
    metrics = QFontMetricsF(font)
    layout = QTextLayout(text, font)
    marked = QTextCharFormat()
    if underline:
        marked.setFontUnderline(True)
    else:
        marked.setFontWeight(QFont.Weight.Bold)
    ranges = []
    for start, end in utf16_ranges(text, spans):
        fr = QTextLayout.FormatRange()
        fr.start, fr.length, fr.format = start, end - start, marked
        ranges.append(fr)
    layout.setFormats(ranges)
    layout.beginLayout()
    lines = []
    while len(lines) < max_lines:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(box.width())
        line.setPosition(QPointF(0, len(lines) * metrics.lineSpacing()))
        lines.append(line)
    layout.endLayout()
    cut = (
        bool(lines)
        and lines[-1].textStart() + lines[-1].textLength() < len(text.encode("utf-16-le")) // 2
    )
    p.save()
    p.setFont(font)
    p.setClipRect(box, Qt.ClipOperation.IntersectClip)
    if not cut:
        layout.draw(p, box.topLeft())
    else:
        for line in lines[:-1]:
            line.draw(p, box.topLeft())
        _draw_last_line_elided(p, lines[-1], metrics, box)
    p.restore()


def _draw_last_line_elided(
    p: QPainter, line: QTextLine, metrics: QFontMetricsF, box: QRectF
) -> None:
    """Draw ``line`` clipped short of the right edge, then "…" after it."""
    ellipsis = "…"
    room = box.width() - metrics.horizontalAdvance(ellipsis) - 2
    top = box.top() + line.y()
    p.save()
    p.setClipRect(QRectF(box.left(), top, room, line.height()), Qt.ClipOperation.IntersectClip)
    line.draw(p, box.topLeft())
    p.restore()
    end_x = min(line.naturalTextWidth(), room)
    p.drawText(QPointF(box.left() + end_x + 1, top + line.ascent()), ellipsis)
