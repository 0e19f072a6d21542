"""The timeline as snapshots draw it: the canvas's own painter (`CanvasPainter` over a `Frame`)
on any QPainter, with labels measured for print.

Differences from the window: titles are elided only past a wider limit (a snapshot has room
and no tooltips), fonts draw no ligatures (so "effect" stays searchable in a PDF), the view is
fitted so that every label ends inside the picture, and the height fits every packed row
(lanes denser than the canvas can label still show "+N" badges or a density strip).

Legend swatches use the painter's ``paint_point``/``paint_bar`` (the canvas's own glyphs).
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPolygonF

from timeline_app.core.layout import Axis, Viewport, ticks
from timeline_app.core.model import Case
from timeline_app.ui import canvas_style as st
from timeline_app.ui.canvas_data import OPEN_END, OPEN_START, SPAN, CanvasData
from timeline_app.ui.canvas_painter import CanvasPainter, Frame
from timeline_app.ui.canvas_scene import (
    TAIL_PX,
    LaneMetrics,
    LaneScene,
    SceneBuilder,
    scene_height,
)

LEFT_MARGIN_PX = 40.0
RIGHT_MARGIN_PX = 24.0
EDGE_PX = 10.0  # labels end at least this far from the right edge
TALL_PX = 100_000.0  # a lanes height in which no lane is short of rows
FONT_NAMES = (
    "label_font", "label_bold", "axis_font", "context_font", "header_font", "small_font",
    "period_font",
)  # fmt: skip
METRIC_NAMES = (
    "label_fm", "bold_fm", "axis_fm", "context_fm", "header_fm", "small_fm", "period_fm",
)  # fmt: skip
SNAPSHOT_DENSITY_CAPTION = "{count} events"
MAX_ROWS = 20  # rows a lane may take (the window allows fewer: it can zoom instead)
METRICS = LaneMetrics(
    st.ROW_HEIGHT, st.LANE_TOP_PAD, st.LANE_BOTTOM_PAD, st.MIN_LANE_HEIGHT, max_rows=MAX_ROWS
)


def print_font(font: QFont) -> QFont:
    """``font`` without ligatures: PDF text then holds the letters, not ligature glyphs."""
    font = QFont(font)
    for tag in ("liga", "clig", "dlig"):
        font.setFeature(QFont.Tag(tag), 0)
    return font


class PrintStyle(st.CanvasStyle):
    """The canvas's style with ligature-free fonts (and metrics measured on them)."""

    def __init__(self) -> None:
        super().__init__()
        for font_name, metrics_name in zip(FONT_NAMES, METRIC_NAMES, strict=True):
            font = print_font(getattr(self, font_name))
            setattr(self, font_name, font)
            setattr(self, metrics_name, QFontMetricsF(font))


class OpaqueGradientPainter(QPainter):
    """A QPainter for Qt's PDF writer, which drops the transparency of gradients (a soft
    halo or fading tail would print as a solid blot): gradient stops are blended onto the
    band of the lane they are drawn in (the colour's own tint over the canvas background),
    which is what the transparent gradient shows on screen. Only calls made from Python
    (the canvas painter's) pass through here."""

    def setBrush(self, brush: object) -> None:  # noqa: N802 (Qt name)
        super().setBrush(_opaque(brush))

    def fillRect(self, rect: object, fill: object) -> None:  # noqa: N802 (Qt name)
        super().fillRect(rect, _opaque(fill))


def _opaque(fill: object) -> object:
    if isinstance(fill, QBrush) and fill.gradient() is not None:
        return opaque_gradient_brush(fill)
    return fill


def opaque_gradient_brush(brush: QBrush) -> QBrush:
    """``brush`` with each gradient stop blended onto its lane's band colour."""
    gradient = brush.gradient()
    stops = gradient.stops()
    if all(colour.alpha() == 255 for _pos, colour in stops):
        return brush
    opaque = type(gradient)(gradient)
    opaque.setStops([(pos, _over(colour, _band_under(colour))) for pos, colour in stops])
    return QBrush(opaque)


def _band_under(colour: QColor) -> QColor:
    """The lane band a colour is drawn on: the colour at the band's alpha over the canvas."""
    tint = QColor(colour)
    tint.setAlpha(_band_alpha())
    return _over(tint, st.BACKGROUND)


@cache
def _band_alpha() -> int:
    return st.LanePaint("#000000").band.color().alpha()


def _over(colour: QColor, under: QColor) -> QColor:
    """``colour`` (with its alpha) composited over the opaque ``under``."""
    a = colour.alphaF()
    return QColor.fromRgbF(
        colour.redF() * a + under.redF() * (1 - a),
        colour.greenF() * a + under.greenF() * (1 - a),
        colour.blueF() * a + under.blueF() * (1 - a),
    )


class SnapshotCanvas:
    """The lanes and axis of ``case`` as the canvas paints them, ``width`` px wide."""

    def __init__(self, case: Case, width: int, label_limit_px: float) -> None:
        self.style = PrintStyle()
        self.data = CanvasData(case)
        style = self.style
        self.builder = SceneBuilder(self.data, style.measure_label, style.elide_label)
        self.builder.set_max_label_px(label_limit_px)
        self.painter = CanvasPainter(style)
        self.painter.set_data(self.data, self.builder)
        self.painter.density_caption = SNAPSHOT_DENSITY_CAPTION  # a picture cannot be zoomed
        self.width = float(width)
        self.viewport = Viewport(0.0, 1.0, self.time_width)
        self.scene: list[LaneScene] = []

    @property
    def time_width(self) -> float:
        return max(1.0, self.width - st.HEADER_WIDTH)

    @property
    def height(self) -> float:
        return st.AXIS_HEIGHT + scene_height(self.scene)

    # ---- view and size ----------------------------------------------------------------------

    def show_span(self, first: float, last: float) -> None:
        """Show the days [first, last], widening the right margin until every label that
        starts in view ends inside the picture; lanes get every row their packing needs."""
        width = self.time_width
        right = RIGHT_MARGIN_PX
        for _ in range(6):
            self._lay_out(Viewport.fit(first, last, width, LEFT_MARGIN_PX, right))
            overshoot = self._label_overshoot()
            if overshoot <= 0.5 or right >= width * 0.45:
                break
            right = min(width * 0.45, right + overshoot)

    def _lay_out(self, viewport: Viewport) -> None:
        self.viewport = viewport
        needed = self.builder.build(viewport, TALL_PX, METRICS)
        height = self.builder.top_inset + sum(
            max(s.rows * METRICS.row_height + METRICS.pads, METRICS.min_height) for s in needed
        )
        self.scene = self.builder.build(viewport, height, METRICS)
        self.painter.forget_strips()

    def _label_overshoot(self) -> float:
        """How far (px) the furthest label reaches past the right edge less EDGE_PX."""
        limit = self.viewport.width_px - EDGE_PX
        worst = 0.0
        for lane in self.scene:
            for item in lane.items:
                if 0.0 <= item.x0 <= self.viewport.width_px:
                    worst = max(worst, self.builder.item_box(item)[1] - limit)
        return worst

    def hidden_count(self) -> int:
        """Events in view that are not drawn one by one ("+N" badges, density strips)."""
        hidden = 0
        for lane in self.scene:
            if lane.dense:
                hidden += lane.visible
            else:
                hidden += sum(count for _x, count in lane.badges)
                hidden += sum(1 for item in lane.items if item.mini)
        return hidden

    def has_badges(self) -> bool:
        return any(lane.badges for lane in self.scene)

    def has_density(self) -> bool:
        return any(lane.dense for lane in self.scene)

    # ---- painting ---------------------------------------------------------------------------

    def frame(self) -> Frame:
        return Frame(self.width, self.height, self.viewport, self.scene)

    def paint_at(self, p: QPainter, x: float, y: float) -> None:
        """Paint the lanes and axis onto ``p`` (any device) with their top left at (x, y)."""
        axis = ticks(self.viewport, char_px=self.style.axis_char_px)
        p.save()
        p.translate(x, y)
        p.setClipRect(QRectF(0, 0, self.width, self.height))
        self.painter.paint(p, self.frame(), axis)
        self._cover_cut_axis_labels(p, axis)
        p.restore()

    def _cover_cut_axis_labels(self, p: QPainter, axis: Axis) -> None:
        """Blank the axis labels that would be cut at an edge (the canvas clips them; a
        snapshot drops them whole)."""
        style = self.style
        for tick in axis.major:
            x = round(st.HEADER_WIDTH + self.viewport.x_for_day(tick.day)) + 0.5
            if x + 4 + style.axis_fm.horizontalAdvance(tick.label) > self.width:
                p.fillRect(
                    QRectF(x - 1, 20, self.width - x + 1, st.AXIS_HEIGHT - 21), style.axis_bg
                )
                break
        xs = [st.HEADER_WIDTH + self.viewport.x_for_day(t.day) for t in axis.context]
        for i, tick in enumerate(axis.context):  # placed as CanvasPainter._paint_context does
            width = style.context_fm.horizontalAdvance(tick.label)
            x = max(xs[i], st.HEADER_WIDTH) + 6
            if i + 1 < len(xs):
                x = min(x, xs[i + 1] - width - 12)
            if x < st.HEADER_WIDTH or x + width > self.width:
                left = max(st.HEADER_WIDTH, x - 1)
                right = min(self.width, x + width + 1)
                p.fillRect(QRectF(left, 0, right - left, 20), style.axis_bg)

    def hit_rects(self) -> list[tuple[str, QRectF]]:
        """Each event drawn individually and the rectangle its marker or bar and label take
        (canvas coordinates), clipped to the time area."""
        frame = self.frame()
        area = frame.time_rect()
        hits = []
        for lane in self.scene:
            for item in lane.items:
                rect = self.painter.item_rect(frame, lane.lane_no, item).intersected(area)
                if not rect.isEmpty():
                    hits.append((self.data.ids[item.key], rect))
        return hits

    def paint_glyph(
        self, p: QPainter, flags: int, x: float, mid: float, colour: str, bar_px: float = 0.0
    ) -> None:
        """The marker the canvas draws for an event with these flags (legend swatches)."""
        paint = self.style.lane(colour)
        x1 = x + bar_px
        if flags & SPAN:
            self.painter.paint_bar(p, x, x1, mid, flags, paint, False)
        else:
            self.painter.paint_point(p, x, mid, flags, paint, False)
        if flags & OPEN_START:
            p.fillRect(QRectF(x - TAIL_PX, mid - 1.5, TAIL_PX, 3), paint.fade_in)
        if flags & OPEN_END:
            p.fillRect(QRectF(x1, mid - 1.5, TAIL_PX, 3), paint.fade_out)

    def paint_badge(self, p: QPainter, x: float, mid: float, colour: str, text: str) -> float:
        """A "+N" badge as the canvas draws it, left edge at x; returns its width."""
        pixmap = self.style.badge(text, self.style.lane(colour))
        ratio = pixmap.devicePixelRatio()
        p.drawPixmap(QPointF(x, round(mid - pixmap.height() / ratio / 2)), pixmap)
        return pixmap.width() / ratio

    def paint_density_swatch(self, p: QPainter, rect: QRectF, colour: str) -> None:
        """A small density strip in the canvas's density colours."""
        paint = self.style.lane(colour)
        heights = (0.2, 0.5, 0.9, 0.6, 1.0, 0.4, 0.7, 0.3)
        step = rect.width() / (len(heights) - 1)
        points = [QPointF(rect.left(), rect.bottom())]
        points += [
            QPointF(rect.left() + i * step, rect.bottom() - h * rect.height())
            for i, h in enumerate(heights)
        ]
        points.append(QPointF(rect.right(), rect.bottom()))
        p.setPen(paint.density_pen)
        p.setBrush(paint.density)
        p.drawPolygon(QPolygonF(points))
