"""Pens, brushes, fonts and metrics of the timeline canvas, built once (never in paint loops)."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QGradient,
    QLinearGradient,
    QPainter,
    QPen,
    QPixmap,
    QRadialGradient,
)

BACKGROUND = QColor("#fcfcfd")
HEADER_BG = QColor("#f4f5f7")
AXIS_BG = QColor("#ffffff")
RULE = QColor("#dfe2e7")
GRID_MAJOR = QColor("#e8ebef")
GRID_MINOR = QColor("#f2f3f5")
TEXT = QColor("#23272e")
TEXT_MUTED = QColor("#6b7280")
SELECTION = QColor("#1a66d9")
TODAY = QColor(217, 71, 63, 150)

AXIS_HEIGHT = 48.0
HEADER_WIDTH = 150.0
ROW_HEIGHT = 20.0
LANE_TOP_PAD = 5.0
LANE_BOTTOM_PAD = 3.0
MIN_LANE_HEIGHT = 34.0
POINT_RADIUS = 4.5
BAR_HEIGHT = 14.0
BADGE_HEIGHT = 15.0


def _font(point_size: float, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
    font = QFont()
    font.setPointSizeF(point_size)
    font.setWeight(weight)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


def _with_alpha(colour: QColor, alpha: int) -> QColor:
    c = QColor(colour)
    c.setAlpha(alpha)
    return c


class LanePaint:
    """Everything drawn in one lane's colour."""

    def __init__(self, colour: str) -> None:
        base = QColor(colour)
        if not base.isValid():
            base = QColor("#5b7db1")
        self.colour = base
        self.band = QBrush(_with_alpha(base, 14))
        self.chip = QBrush(base)
        self.bar_fill = QBrush(_with_alpha(base.lighter(115), 70))
        self.bar_pen = QPen(base.darker(105), 1.0)
        self.dashed_pen = QPen(base.darker(105), 1.2, Qt.PenStyle.DashLine)
        self.dot = QBrush(base)
        self.mini = QBrush(_with_alpha(base, 170))
        self.mark = QBrush(base.darker(130))
        self.density = QBrush(_with_alpha(base, 110))
        self.density_pen = QPen(base.darker(110), 1.0)
        self.badge = QBrush(_with_alpha(base, 36))
        self.badge_pen = QPen(_with_alpha(base.darker(115), 160), 1.0)
        self.halo = self._halo(base)
        self.fade_in = self._fade(base, True)
        self.fade_out = self._fade(base, False)

    @staticmethod
    def _halo(base: QColor) -> QBrush:
        gradient = QRadialGradient(QPointF(0.5, 0.5), 0.5)
        gradient.setCoordinateMode(QGradient.CoordinateMode.ObjectMode)
        gradient.setColorAt(0.0, _with_alpha(base, 150))
        gradient.setColorAt(1.0, _with_alpha(base, 0))
        return QBrush(gradient)

    @staticmethod
    def _fade(base: QColor, rising: bool) -> QBrush:
        gradient = QLinearGradient(QPointF(0, 0), QPointF(1, 0))
        gradient.setCoordinateMode(QGradient.CoordinateMode.ObjectMode)
        gradient.setColorAt(0.0, _with_alpha(base, 0 if rising else 170))
        gradient.setColorAt(1.0, _with_alpha(base, 170 if rising else 0))
        return QBrush(gradient)


class PeriodPaint:
    """A background period's band, edges and title, in its colour."""

    def __init__(self, colour: str) -> None:
        base = QColor(colour)
        if not base.isValid():
            base = QColor("#8a8f98")
        pale = (base.lightness() / 255) ** 3  # pale colours (as eras often are) need more alpha
        self.band = QBrush(_with_alpha(base, round(26 + 80 * pale)))
        self.edge_pen = QPen(_with_alpha(base.darker(100 + round(40 * pale)), 110), 1.0)
        hue, saturation, lightness, _ = base.getHsl()
        self.title_pen = QPen(QColor.fromHsl(hue, round(saturation * 0.7), min(lightness, 80)))


class CanvasStyle:
    """Shared drawing resources; one instance per canvas."""

    def __init__(self) -> None:
        self.label_font = _font(9.0)
        self.label_bold = _font(9.0, QFont.Weight.DemiBold)
        self.axis_font = _font(8.5)
        self.context_font = _font(9.0, QFont.Weight.DemiBold)
        self.header_font = _font(9.5, QFont.Weight.DemiBold)
        self.small_font = _font(8.0)
        self.period_font = _font(8.0, QFont.Weight.DemiBold)
        self.small_bold = _font(8.0, QFont.Weight.DemiBold)
        self.label_fm = QFontMetricsF(self.label_font)
        self.bold_fm = QFontMetricsF(self.label_bold)
        self.axis_fm = QFontMetricsF(self.axis_font)
        self.context_fm = QFontMetricsF(self.context_font)
        self.header_fm = QFontMetricsF(self.header_font)
        self.small_fm = QFontMetricsF(self.small_font)
        self.period_fm = QFontMetricsF(self.period_font)
        self.label_baseline = (self.label_fm.ascent() - self.label_fm.descent()) / 2
        self.axis_char_px = self.axis_fm.averageCharWidth() * 1.05
        self.text_pen = QPen(TEXT)
        self.muted_pen = QPen(TEXT_MUTED)
        self.rule_pen = QPen(RULE, 1.0)
        self.grid_major_pen = QPen(GRID_MAJOR, 1.0)
        self.grid_minor_pen = QPen(GRID_MINOR, 1.0)
        self.tick_pen = QPen(QColor("#b8bec8"), 1.0)
        self.selection_pen = QPen(SELECTION, 2.0)
        self.selection_fill = QBrush(_with_alpha(SELECTION, 28))
        self.hit_badge_pen = QPen(SELECTION, 1.6)
        self.today_pen = QPen(TODAY, 1.5)
        self.today_brush = QBrush(TODAY)
        self.white_pen = QPen(QColor("#ffffff"), 1.5)
        self.scroll_thumb = QBrush(QColor(0, 0, 0, 70))
        self.background = QBrush(BACKGROUND)
        self.header_bg = QBrush(HEADER_BG)
        self.axis_bg = QBrush(AXIS_BG)
        self.lane_paints: dict[str, LanePaint] = {}
        self.period_paints: dict[str, PeriodPaint] = {}
        self._badges: dict[tuple[str, int, bool], QPixmap] = {}

    def lane(self, colour: str) -> LanePaint:
        paint = self.lane_paints.get(colour)
        if paint is None:
            paint = self.lane_paints[colour] = LanePaint(colour)
        return paint

    def period(self, colour: str) -> PeriodPaint:
        paint = self.period_paints.get(colour)
        if paint is None:
            paint = self.period_paints[colour] = PeriodPaint(colour)
        return paint

    def measure_label(self, text: str) -> float:
        """Width of a label in the bold font (so a selected label still fits its slot)."""
        return self.bold_fm.horizontalAdvance(text)

    def elide_label(self, text: str, width: float) -> str:
        return self.bold_fm.elidedText(text, Qt.TextElideMode.ElideRight, width)

    def badge(self, text: str, paint: LanePaint, hit: bool = False) -> QPixmap:
        """A "+N" badge, rendered once per text and lane colour; ``hit``: it holds search
        hits (an accent ring, darker text)."""
        key = (text, paint.colour.rgba(), hit)
        pixmap = self._badges.get(key)
        if pixmap is None:
            pixmap = self._badges[key] = self._render_badge(text, paint, hit)
        return pixmap

    def _render_badge(self, text: str, paint: LanePaint, hit: bool) -> QPixmap:
        metrics = QFontMetricsF(self.small_bold) if hit else self.small_fm
        width = math.ceil(metrics.horizontalAdvance(text) + 12)
        ratio = 2.0
        pixmap = QPixmap(int(width * ratio), int(BADGE_HEIGHT * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        p = QPainter(pixmap)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        rect = QRectF(0.5, 0.5, width - 1, BADGE_HEIGHT - 1)
        p.setPen(self.hit_badge_pen if hit else paint.badge_pen)
        p.setBrush(self.selection_fill if hit else paint.badge)
        inset = 0.5 if hit else 0.0  # the wider ring stays inside the pixmap
        ring = rect.adjusted(inset, inset, -inset, -inset)
        p.drawRoundedRect(ring, ring.height() / 2, ring.height() / 2)
        p.setFont(self.small_bold if hit else self.small_font)
        p.setPen(self.text_pen if hit else self.muted_pen)
        p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        p.end()
        return pixmap
