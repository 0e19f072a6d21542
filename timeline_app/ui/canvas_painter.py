"""Painting the timeline canvas: one `Frame` (size, viewport, laid-out lanes, scroll, selection)
onto a QPainter. Pens, brushes, fonts and metrics come ready-made from `CanvasStyle`."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetricsF,
    QLinearGradient,
    QPainter,
    QPolygonF,
    QStaticText,
    QTransform,
)

from timeline_app.core.layout import Axis, Viewport
from timeline_app.ui import canvas_style as st
from timeline_app.ui.canvas_data import (
    APPROXIMATE,
    OPEN_END,
    OPEN_START,
    UNCERTAIN,
    CanvasData,
    today_day_number,
)
from timeline_app.ui.canvas_scene import TAIL_PX, Item, LaneScene, SceneBuilder, scene_height

DENSITY_CAPTION = "{count} events here · zoom in for labels"  # {count}: events in view


@dataclass(frozen=True)
class Marks:
    """Emphasised events inside a density strip: x of each (thinned if many) and how many."""

    xs: list[float]
    count: int


@dataclass
class Frame:
    """One picture of the canvas, and where things are in it (widget coordinates)."""

    width: float
    height: float
    viewport: Viewport
    scene: list[LaneScene]
    scroll_y: float = 0.0
    selected: str | None = None
    emphasis: set[str] | None = None  # draw the others dimmed
    marks: dict[int, Marks] = field(default_factory=dict)  # emphasised events in dense lanes

    def lane_top(self, lane_no: int) -> float:
        return st.AXIS_HEIGHT + self.scene[lane_no].top - self.scroll_y

    def row_top(self, lane_no: int, row: int) -> float:
        return self.lane_top(lane_no) + st.LANE_TOP_PAD + row * st.ROW_HEIGHT

    def x(self, day: float) -> float:
        return st.HEADER_WIDTH + self.viewport.x_for_day(day)

    def lane_visible(self, lane_no: int) -> bool:
        top = self.lane_top(lane_no)
        return top < self.height and top + self.scene[lane_no].height > st.AXIS_HEIGHT

    def time_rect(self) -> QRectF:
        return QRectF(
            st.HEADER_WIDTH,
            st.AXIS_HEIGHT,
            max(1.0, self.width - st.HEADER_WIDTH),
            max(1.0, self.height - st.AXIS_HEIGHT),
        )


class CanvasPainter:
    """Draws frames of one case's `CanvasData`."""

    def __init__(self, style: st.CanvasStyle) -> None:
        self.style = style
        self.data: CanvasData | None = None
        self.builder: SceneBuilder | None = None
        self._strips: dict[int, tuple[tuple[float, float], QPolygonF]] = {}  # density polygons
        self._labels: dict[tuple[int, int], QStaticText] = {}
        self._labels_limit = 0.0
        self._view_left, self._view_right = -math.inf, math.inf
        self.density_caption: str | None = DENSITY_CAPTION
        self._frame_bottom = math.inf

    def set_data(self, data: CanvasData, builder: SceneBuilder) -> None:
        self.data, self.builder = data, builder
        self._labels = {}
        self.forget_strips()

    def forget_strips(self) -> None:
        """Drop cached density polygons (the scene changed)."""
        self._strips.clear()

    def item_rect(self, frame: Frame, lane_no: int, item: Item) -> QRectF:
        """Where an item's marker or bar, tails and label are drawn."""
        left, right = self.builder.item_box(item)  # type: ignore[union-attr]
        top = frame.row_top(lane_no, item.row)
        return QRectF(st.HEADER_WIDTH + left, top, right - left, st.ROW_HEIGHT)

    def paint(self, p: QPainter, f: Frame, axis: Axis) -> None:
        self._view_left, self._view_right = st.HEADER_WIDTH, f.width
        self._frame_bottom = f.height
        p.fillRect(QRectF(0, 0, f.width, f.height), self.style.background)
        self._paint_bands(p, f)
        p.save()
        p.setClipRect(f.time_rect())
        self._paint_periods(p, f)
        self._paint_grid(p, f, axis)
        self._paint_today(p, f)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for lane_scene in f.scene:
            if f.lane_visible(lane_scene.lane_no):
                self._paint_lane(p, f, lane_scene)
        self._paint_scroll_hint(p, f)
        p.restore()
        self._paint_headers(p, f)
        self._paint_axis(p, f, axis)

    # ---- lanes ------------------------------------------------------------------------------

    def _paint_bands(self, p: QPainter, f: Frame) -> None:
        if self.data is None:
            return
        s = self.style
        for lane_no, lane in enumerate(self.data.lanes):
            if not f.lane_visible(lane_no):
                continue
            top, lane_h = f.lane_top(lane_no), f.scene[lane_no].height
            band = _inside(f, st.HEADER_WIDTH, top, f.width, top + lane_h)
            p.fillRect(band, s.lane(lane.colour).band)
            p.setPen(s.rule_pen)
            p.drawLine(QPointF(0, top + lane_h - 0.5), QPointF(f.width, top + lane_h - 0.5))

    def _paint_periods(self, p: QPainter, f: Frame) -> None:
        """Background periods: translucent bands over the lanes, edges where they end in view,
        titles in the strip above the first lane (pinned left while the band runs on).
        Everything stays inside the time area (SVG output ignores clipping)."""
        if self.data is None or not self.data.periods or not f.scene:
            return
        s, vp = self.style, f.viewport
        left, right = st.HEADER_WIDTH, f.width
        top = f.lane_top(0) - self.builder.top_inset  # type: ignore[union-attr]
        shown = [
            (max(f.x(period.start), left), min(f.x(period.end), right), period)
            for period in self.data.periods
            if period.end > vp.start_day and period.start < vp.end_day
        ]
        shown = [(x0, x1, period) for x0, x1, period in shown if x1 - x0 >= 1]
        for i, (x0, x1, period) in enumerate(shown):
            paint = s.period(period.colour)
            p.fillRect(QRectF(x0, st.AXIS_HEIGHT, x1 - x0, f.height - st.AXIS_HEIGHT), paint.band)
            p.setPen(paint.edge_pen)
            for x, real in ((x0, f.x(period.start) >= left), (x1 - 1, f.x(period.end) <= right)):
                if real:
                    p.drawLine(QPointF(x + 0.5, st.AXIS_HEIGHT), QPointF(x + 0.5, f.height))
            # a title may run past its band, up to the next band's title
            end = shown[i + 1][0] if i + 1 < len(shown) else right
            self._paint_period_title(p, period.title, x0, max(x1, end), top, paint)

    def _paint_period_title(
        self, p: QPainter, title: str, x0: float, x1: float, top: float, paint: st.PeriodPaint
    ) -> None:
        s = self.style
        room = x1 - x0 - 10
        if (
            room < 24
            or top < st.AXIS_HEIGHT - 0.5
            or top + s.period_fm.height() > self._frame_bottom
        ):
            return
        text = s.period_fm.elidedText(title, Qt.TextElideMode.ElideRight, room)
        p.setFont(s.period_font)
        p.setPen(paint.title_pen)
        p.drawText(QPointF(x0 + 5, top + 2 + s.period_fm.ascent()), text)

    def _paint_grid(self, p: QPainter, f: Frame, axis: Axis) -> None:
        s = self.style
        top, bottom = st.AXIS_HEIGHT, f.height
        dpp = f.viewport.days_per_px
        minor_px = (axis.minor[1] - axis.minor[0]) / dpp if len(axis.minor) > 1 else 0
        if minor_px >= 14:
            p.setPen(s.grid_minor_pen)
            for day in axis.minor:
                x = round(f.x(day)) + 0.5
                p.drawLine(QPointF(x, top), QPointF(x, bottom))
        p.setPen(s.grid_major_pen)
        for tick in axis.major:
            x = round(f.x(tick.day)) + 0.5
            p.drawLine(QPointF(x, top), QPointF(x, bottom))

    def _paint_today(self, p: QPainter, f: Frame) -> None:
        today = today_day_number()
        if f.viewport.start_day <= today <= f.viewport.end_day:
            p.setPen(self.style.today_pen)
            p.drawLine(QPointF(f.x(today), st.AXIS_HEIGHT), QPointF(f.x(today), f.height))

    def _paint_lane(self, p: QPainter, f: Frame, lane_scene: LaneScene) -> None:
        data = self.data
        assert data is not None
        paint = self.style.lane(data.lanes[lane_scene.lane_no].colour)
        if lane_scene.dense:
            marks = f.marks.get(lane_scene.lane_no)
            if marks is not None:  # searching: the strip fades, the hits stand out
                p.setOpacity(0.3)
            self._paint_density(p, f, lane_scene, paint, caption=marks is None)
            p.setOpacity(1.0)
            if marks is not None:
                self._paint_marks(p, f, lane_scene, marks, paint)
            return
        ids = data.ids
        if f.emphasis is not None:
            p.setOpacity(0.25)
            for item in lane_scene.items:
                if ids[item.key] not in f.emphasis:
                    self._paint_item(p, f, item, lane_scene.lane_no, paint)
            p.setOpacity(1.0)
        for item in lane_scene.items:
            if f.emphasis is None or ids[item.key] in f.emphasis:
                self._paint_item(p, f, item, lane_scene.lane_no, paint)
        self._paint_badges(p, f, lane_scene, paint)

    def _paint_item(
        self, p: QPainter, f: Frame, item: Item, lane_no: int, paint: st.LanePaint
    ) -> None:
        data, builder = self.data, self.builder
        assert data is not None and builder is not None
        key = item.key
        flags = data.flags[key]
        mid = f.row_top(lane_no, item.row) + st.ROW_HEIGHT / 2
        x0 = st.HEADER_WIDTH + item.x0
        x1 = st.HEADER_WIDTH + item.x1
        selected = data.ids[key] == f.selected
        if item.mini:
            self._paint_mini(p, x0, mid, paint, selected)
            return
        if item.bar:
            self.paint_bar(p, x0, x1, mid, flags, paint, selected)
        else:
            self.paint_point(p, x0, mid, flags, paint, selected)
        if flags & OPEN_START:
            p.fillRect(QRectF(x0 - TAIL_PX, mid - 1.5, TAIL_PX, 3), paint.fade_in)
        if flags & OPEN_END:
            p.fillRect(QRectF(x1, mid - 1.5, TAIL_PX, 3), paint.fade_out)
        if item.label_at is None:
            item.label_at = builder.label_x(item)
        label_x = st.HEADER_WIDTH + item.label_at
        if label_x < st.HEADER_WIDTH + 2:  # a label cut in half at the left edge only confuses
            return
        width = min(item.label_px, builder.text_px[key])
        room = self._view_right - 4 - label_x  # shorten a label running off the right edge
        if room < width:
            width = max(room, builder.min_label_px)
        self._paint_label(p, key, label_x, mid, selected, width)

    def paint_point(
        self, p: QPainter, x: float, mid: float, flags: int, paint: st.LanePaint, selected: bool
    ) -> None:
        """A point event's marker (halo when approximate, dashed ring when uncertain)."""
        s = self.style
        r = st.POINT_RADIUS
        centre = QPointF(x, mid)
        if flags & APPROXIMATE:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(paint.halo)
            p.drawEllipse(centre, r * 2.2, r * 2.2)
        p.setPen(s.white_pen)
        p.setBrush(paint.dot)
        p.drawEllipse(centre, r, r)
        if flags & UNCERTAIN:
            p.setPen(paint.dashed_pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(centre, r + 2.5, r + 2.5)
        if selected:
            p.setPen(s.selection_pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(centre, r + 3.5, r + 3.5)

    def _paint_mini(
        self, p: QPainter, x: float, mid: float, paint: st.LanePaint, selected: bool
    ) -> None:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(paint.mini)
        p.drawEllipse(QPointF(x, mid), 3.0, 3.0)
        if selected:
            p.setPen(self.style.selection_pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(QPointF(x, mid), 6.0, 6.0)

    def paint_bar(
        self,
        p: QPainter,
        x0: float,
        x1: float,
        mid: float,
        flags: int,
        paint: st.LanePaint,
        selected: bool,
    ) -> None:
        """A span's bar (soft ends when approximate, dashed outline when uncertain)."""
        if not flags & APPROXIMATE:  # parts far outside the view cost time, not looks
            x0, x1 = max(x0, self._view_left - 8), min(x1, self._view_right + 8)
        rect = QRectF(x0, mid - st.BAR_HEIGHT / 2, x1 - x0, st.BAR_HEIGHT)
        if flags & APPROXIMATE:  # soft edges
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(_soft_brush(x0, x1, paint.colour))
        else:
            p.setPen(paint.dashed_pen if flags & UNCERTAIN else paint.bar_pen)
            p.setBrush(paint.bar_fill)
        p.drawRoundedRect(rect, 4, 4)
        if selected:
            p.setPen(self.style.selection_pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(rect.adjusted(-2.5, -2.5, 2.5, 2.5), 5, 5)

    def _paint_label(
        self, p: QPainter, key: int, x: float, mid: float, selected: bool, width: float
    ) -> None:
        s = self.style
        p.setPen(s.text_pen)
        if selected:
            p.setFont(s.label_bold)
            text = self.builder.label_text(key, width)  # type: ignore[union-attr]
            p.drawText(QPointF(x, mid + s.label_baseline), text)
            return
        p.setFont(s.label_font)
        p.drawStaticText(
            QPointF(x, mid + s.label_baseline - s.label_fm.ascent()), self._static(key, width)
        )

    def _static(self, key: int, width: float) -> QStaticText:
        """The label of ``key`` at ``width`` px laid out once (drawing it is then several
        times faster)."""
        builder = self.builder
        assert builder is not None
        if self._labels_limit != builder.max_label_px:  # labels elided differently now
            self._labels, self._labels_limit = {}, builder.max_label_px
        full = width >= builder.text_px[key]
        cache_key = (key, -1 if full else int(width))
        static = self._labels.get(cache_key)
        if static is None:
            if len(self._labels) > 20_000:
                self._labels.clear()
            static = QStaticText(builder.label_text(key, width))
            static.setTextFormat(Qt.TextFormat.PlainText)  # titles are untrusted text
            static.setPerformanceHint(QStaticText.PerformanceHint.AggressiveCaching)
            static.prepare(QTransform(), self.style.label_font)
            self._labels[cache_key] = static
        return static

    def _paint_badges(
        self, p: QPainter, f: Frame, lane_scene: LaneScene, paint: st.LanePaint
    ) -> None:
        if not lane_scene.badges:
            return
        s = self.style
        top = f.row_top(lane_scene.lane_no, lane_scene.badge_row)
        y = round(top + (st.ROW_HEIGHT - st.BADGE_HEIGHT) / 2)
        hits = self._badge_hits(f, lane_scene)
        searching = f.emphasis is not None
        badges = list(zip(lane_scene.badges, hits, strict=True))
        for i, ((x, count), hit) in enumerate(badges):
            if hit:  # searching: say how many of the hidden events match
                pixmap = s.badge(f"{hit:,} of {_count_text(count)}", paint, hit=True)
            else:
                pixmap = s.badge(f"+{_count_text(count)}", paint)
            width = pixmap.width() / pixmap.devicePixelRatio()
            left = round(st.HEADER_WIDTH + x - width / 2)
            if left < st.HEADER_WIDTH + 2:  # kept whole at the left edge, unless it then
                left = st.HEADER_WIDTH + 2  # covers the next one
                next_x = badges[i + 1][0][0] if i + 1 < len(badges) else math.inf
                if left + width > st.HEADER_WIDTH + next_x - 14:
                    continue
            if searching:
                p.setOpacity(1.0 if hit else 0.35)
            p.drawPixmap(QPointF(left, y), pixmap)
        p.setOpacity(1.0)

    def _badge_hits(self, f: Frame, lane_scene: LaneScene) -> list[int]:
        """How many emphasised events each badge of the lane holds (all 0 when none are)."""
        if f.emphasis is None or not lane_scene.badge_keys:
            return [0] * len(lane_scene.badges)
        ids, emphasis = self.data.ids, f.emphasis  # type: ignore[union-attr]
        return [sum(ids[key] in emphasis for key in keys) for keys in lane_scene.badge_keys]

    def _paint_density(
        self, p: QPainter, f: Frame, lane_scene: LaneScene, paint: st.LanePaint, caption: bool
    ) -> None:
        strip = lane_scene.density
        if not strip:
            return
        top, lane_h = f.lane_top(lane_scene.lane_no), lane_scene.height
        base = top + lane_h - st.LANE_BOTTOM_PAD
        scale = (lane_h - st.LANE_TOP_PAD - st.LANE_BOTTOM_PAD - 16) / math.sqrt(max(strip) or 1)
        cached = self._strips.get(lane_scene.lane_no)
        if cached is None or cached[0] != (base, scale):
            cached = ((base, scale), _density_polygon(lane_scene, base, scale, f.width))
            self._strips[lane_scene.lane_no] = cached
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        p.setPen(paint.density_pen)
        p.setBrush(paint.density)
        p.drawPolygon(cached[1])
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if not caption or not self.density_caption:
            return
        s = self.style
        p.setFont(s.small_font)
        p.setPen(s.muted_pen)
        label = self.density_caption.format(count=f"{lane_scene.visible:,}")
        p.drawText(QPointF(st.HEADER_WIDTH + 8, top + st.LANE_TOP_PAD + 10), label)

    def _paint_scroll_hint(self, p: QPainter, f: Frame) -> None:
        """A thin thumb at the right edge when the lanes are taller than the view."""
        total = scene_height(f.scene)
        view = f.height - st.AXIS_HEIGHT
        if total <= view + 0.5:
            return
        length = max(24.0, view * view / total)
        top = st.AXIS_HEIGHT + (view - length) * f.scroll_y / max(1.0, total - view)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(self.style.scroll_thumb)
        p.drawRoundedRect(QRectF(f.width - 7, top + 2, 4, length - 4), 2, 2)

    def _paint_marks(
        self, p: QPainter, f: Frame, lane_scene: LaneScene, marks: Marks, paint: st.LanePaint
    ) -> None:
        """Emphasised events inside a density strip: a thin tick each, and their count."""
        s = self.style
        lane_top = f.lane_top(lane_scene.lane_no)
        top = lane_top + st.LANE_TOP_PAD + 14
        height = lane_scene.height - st.LANE_TOP_PAD - st.LANE_BOTTOM_PAD - 14
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(paint.mark)
        left = st.HEADER_WIDTH
        for x in marks.xs:
            p.drawRect(QRectF(round(left + x) - 1, top, 2, height))
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setFont(s.small_font)
        p.setPen(s.text_pen)
        noun = "match" if marks.count == 1 else "matches"
        label = f"{marks.count:,} {noun} of {lane_scene.visible:,} events here"
        p.fillRect(
            QRectF(
                left + 4, lane_top + st.LANE_TOP_PAD, s.small_fm.horizontalAdvance(label) + 8, 14
            ),
            s.background,
        )
        p.drawText(QPointF(left + 8, lane_top + st.LANE_TOP_PAD + 10), label)

    # ---- lane headers -----------------------------------------------------------------------

    def _paint_headers(self, p: QPainter, f: Frame) -> None:
        s = self.style
        p.fillRect(_inside(f, 0, st.AXIS_HEIGHT, st.HEADER_WIDTH, f.height), s.header_bg)
        if self.data is not None:
            for lane_no, lane in enumerate(self.data.lanes):
                if not f.lane_visible(lane_no):
                    continue
                top, lane_h = f.lane_top(lane_no), f.scene[lane_no].height
                p.fillRect(_inside(f, 0, top + 1, 4, top + lane_h - 1), s.lane(lane.colour).chip)
                self._paint_lane_name(p, lane.name, len(lane.keys), top, lane_h)
                p.setPen(s.rule_pen)
                bottom = top + lane_h - 0.5
                p.drawLine(QPointF(0, bottom), QPointF(st.HEADER_WIDTH, bottom))
        p.setPen(s.rule_pen)
        edge = st.HEADER_WIDTH - 0.5
        p.drawLine(QPointF(edge, st.AXIS_HEIGHT), QPointF(edge, f.height))

    def _paint_lane_name(
        self, p: QPainter, name: str, count: int, top: float, lane_h: float
    ) -> None:
        """Lane name (wrapped over up to two lines, elided) and its event count."""
        s = self.style
        line_h = s.header_fm.height()
        two_lines = lane_h >= 12 + 2 * line_h
        lines = _wrap(name, s.header_fm, st.HEADER_WIDTH - 24, max_lines=2 if two_lines else 1)
        p.setFont(s.header_font)
        p.setPen(s.text_pen)
        y = top + 7
        for line in lines:
            p.drawText(QPointF(14, y + s.header_fm.ascent()), line)
            y += line_h
        if y + s.small_fm.height() < top + lane_h - 2:
            p.setFont(s.small_font)
            p.setPen(s.muted_pen)
            noun = "event" if count == 1 else "events"
            p.drawText(QPointF(14, y + 1 + s.small_fm.ascent()), f"{count:,} {noun}")

    # ---- axis -------------------------------------------------------------------------------

    def _paint_axis(self, p: QPainter, f: Frame, axis: Axis) -> None:
        s = self.style
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        p.fillRect(QRectF(0, 0, f.width, st.AXIS_HEIGHT), s.axis_bg)
        p.setPen(s.rule_pen)
        p.drawLine(QPointF(0, st.AXIS_HEIGHT - 0.5), QPointF(f.width, st.AXIS_HEIGHT - 0.5))
        p.save()
        p.setClipRect(QRectF(st.HEADER_WIDTH, 0, f.width - st.HEADER_WIDTH, st.AXIS_HEIGHT))
        p.setPen(s.tick_pen)
        for day in axis.minor:
            x = round(f.x(day)) + 0.5
            p.drawLine(QPointF(x, st.AXIS_HEIGHT - 5), QPointF(x, st.AXIS_HEIGHT))
        p.setFont(s.axis_font)
        for tick in axis.major:
            x = round(f.x(tick.day)) + 0.5
            p.setPen(s.tick_pen)
            p.drawLine(QPointF(x, 24), QPointF(x, st.AXIS_HEIGHT))
            p.setPen(s.text_pen)
            p.drawText(QPointF(x + 4, 24 + s.axis_fm.ascent()), tick.label)
        self._paint_context(p, f, axis)
        self._paint_today_mark(p, f)
        p.restore()

    def _paint_context(self, p: QPainter, f: Frame, axis: Axis) -> None:
        """The enclosing periods' labels; the one running in from the left stays pinned to the
        left edge until the next one pushes it out."""
        s = self.style
        p.setFont(s.context_font)
        p.setPen(s.text_pen)
        xs = [f.x(t.day) for t in axis.context]
        for i, tick in enumerate(axis.context):
            width = s.context_fm.horizontalAdvance(tick.label)
            x = max(xs[i], st.HEADER_WIDTH) + 6
            if i + 1 < len(xs):
                x = min(x, xs[i + 1] - width - 12)
            p.drawText(QPointF(x, 5 + s.context_fm.ascent()), tick.label)

    def _paint_today_mark(self, p: QPainter, f: Frame) -> None:
        today = today_day_number()
        if not f.viewport.start_day <= today <= f.viewport.end_day:
            return
        x, bottom = f.x(today), st.AXIS_HEIGHT
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(self.style.today_brush)
        triangle = [QPointF(x - 5, bottom - 7), QPointF(x + 5, bottom - 7), QPointF(x, bottom)]
        p.drawPolygon(QPolygonF(triangle))


def _count_text(count: int) -> str:
    return f"{count:,}" if count < 1000 else f"{count / 1000:.0f}k"


def _inside(f: Frame, left: float, top: float, right: float, bottom: float) -> QRectF:
    """The rectangle from (left, top) to (right, bottom), cut to the lanes part of the frame
    (vector output ignores clipping: fills must not reach past the picture)."""
    top, bottom = max(top, st.AXIS_HEIGHT), min(bottom, f.height)
    return QRectF(left, top, max(0.0, right - left), max(0.0, bottom - top))


def _soft_brush(x0: float, x1: float, colour: QColor) -> QBrush:
    """Fill for an approximate span: solid in the middle, fading out at both ends."""
    gradient = QLinearGradient(QPointF(x0, 0), QPointF(x1, 0))
    edge = min(0.45, 16.0 / max(1.0, x1 - x0))
    solid = QColor(colour)
    solid.setAlpha(90)
    clear = QColor(colour)
    clear.setAlpha(0)
    gradient.setColorAt(0.0, clear)
    gradient.setColorAt(edge, solid)
    gradient.setColorAt(1.0 - edge, solid)
    gradient.setColorAt(1.0, clear)
    return QBrush(gradient)


def _density_polygon(lane_scene: LaneScene, base: float, scale: float, right: float) -> QPolygonF:
    """Area under sqrt(count) per bucket, from the lane's baseline, between the left edge of
    the time area and ``right`` (the buckets at the ends may reach past them)."""
    strip, step = lane_scene.density, lane_scene.density_step
    left = st.HEADER_WIDTH + lane_scene.density_x
    i0 = max(0, math.ceil((st.HEADER_WIDTH - left) / step - 0.5))
    i1 = min(len(strip), math.floor((right - left) / step - 0.5) + 1)
    sqrt = math.sqrt
    heights = [base - sqrt(strip[i]) * scale for i in range(i0, i1)]
    xs = [left + (i + 0.5) * step for i in range(i0, i1)]
    points = list(map(QPointF, xs, heights))
    y0, y1 = (heights[0], heights[-1]) if heights else (base, base)
    ends = [QPointF(st.HEADER_WIDTH, base), QPointF(st.HEADER_WIDTH, y0)]
    return QPolygonF([*ends, *points, QPointF(right, y1), QPointF(right, base)])


def _wrap(text: str, fm: QFontMetricsF, width: float, max_lines: int) -> list[str]:
    """Greedy word wrap into at most ``max_lines`` lines; the last one elided if needed."""
    lines: list[str] = []
    words = text.split()
    while words and len(lines) < max_lines - 1:
        line = words.pop(0)
        while words and fm.horizontalAdvance(f"{line} {words[0]}") <= width:
            line = f"{line} {words.pop(0)}"
        if fm.horizontalAdvance(line) > width:
            words.insert(0, line)
            break
        lines.append(line)
    if words:
        lines.append(fm.elidedText(" ".join(words), Qt.TextElideMode.ElideRight, width))
    return lines
