"""The timeline canvas: one custom-painted widget showing a case's lanes and events.

The viewport lives in `timeline_app.core.layout.Viewport`; what to draw for it comes from
`canvas_scene.SceneBuilder` (visible slice, packed rows, badges or density), cached until the
viewport, size or filter changes. Painting only walks what is on screen.
"""

from __future__ import annotations

import html
import math

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetricsF,
    QHelpEvent,
    QLinearGradient,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPolygonF,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QToolTip, QWidget

from timeline_app.core.layout import (
    AFTER_BAR_PX,
    BAR_INSET_PX,
    MIN_DAYS_PER_PX,
    POINT_LABEL_PX,
    Viewport,
    label_placement,
    max_days_per_px,
    ticks,
)
from timeline_app.core.model import Case
from timeline_app.ui import canvas_style as st
from timeline_app.ui.canvas_data import APPROXIMATE, UNCERTAIN, CanvasData, today_day_number
from timeline_app.ui.canvas_scene import (
    DENSE_PER_PX,
    TAIL_PX,
    Item,
    LaneMetrics,
    LaneScene,
    SceneBuilder,
)

ZOOM_STEP = 1.5
WHEEL_ZOOM_PER_NOTCH = 1.25
DRAG_THRESHOLD_PX = 4.0
SELECT_MAX_ZOOM_STEPS = 24


class TimelineCanvas(QWidget):
    """Lanes of events over a time axis; wheel zooms, drag pans, click selects."""

    event_clicked = Signal(str)
    viewport_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setMinimumSize(320, 160)
        self.setMouseTracking(True)  # pointing-hand cursor over events
        self._style = st.CanvasStyle()
        self._case: Case | None = None
        self._data: CanvasData | None = None
        self._builder: SceneBuilder | None = None
        self._vp = Viewport(0.0, 1.0, self._time_width())
        self._fitted = True
        self._selected: str | None = None
        self._emphasis: set[str] | None = None
        self._emphasis_only = False
        self._scene: list[LaneScene] | None = None
        self._polygons: dict[int, tuple[tuple[float, float], QPolygonF]] = {}  # density strips
        self._scroll_y = 0.0
        self._press: QPointF | None = None
        self._press_vp: Viewport | None = None
        self._press_scroll = 0.0
        self._dragging = False

    # ---- public API -------------------------------------------------------------------------

    def set_case(self, case: Case) -> None:
        """Show ``case``: its lanes and events, fitted to the window."""
        self._case = case
        self._selected = None
        self._emphasis = None
        self._emphasis_only = False
        self._rebuild_data()
        self.fit_all()

    def case(self) -> Case | None:
        return self._case

    def viewport(self) -> Viewport:
        return self._vp

    def set_viewport(self, viewport: Viewport) -> None:
        """Show exactly this viewport (its width is replaced by the widget's)."""
        self._fitted = False
        self._apply(viewport.with_width(self._time_width()))

    def selected_id(self) -> str | None:
        return self._selected

    def set_selected(self, event_id: str | None) -> None:
        """Highlight an event (None clears) and bring it into view, zooming in if it is hidden
        in a cluster."""
        if event_id is not None and (self._data is None or event_id not in self._data.key_of):
            event_id = None
        self._selected = event_id
        if event_id is not None:
            self._bring_into_view(event_id)
        self.update()

    def zoom_in(self) -> None:
        self._zoom_at(self._vp.width_px / 2, ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zoom_at(self._vp.width_px / 2, 1 / ZOOM_STEP)

    def fit_all(self) -> None:
        """Show all events."""
        self._fitted = True
        self._scroll_y = 0.0
        self._apply(self._fitted_viewport())

    def set_emphasis(self, ids: set[str] | None, only: bool = False) -> None:
        """Emphasise these events and dim the rest (``only``: hide the rest); None clears."""
        was_only = self._emphasis_only
        self._emphasis = set(ids) if ids is not None else None
        self._emphasis_only = only and ids is not None
        if was_only or self._emphasis_only:
            self._rebuild_data()
        self._invalidate()

    def event_at(self, pos: QPointF) -> str | None:
        """The id of the event drawn at ``pos`` (marker, bar or label), if any."""
        for lane_scene in self._ensure_scene():
            for item in lane_scene.items:
                if self._item_rect(lane_scene.lane_no, item).contains(pos):
                    return self._data.ids[item.key]  # type: ignore[union-attr]
        return None

    def rect_of(self, event_id: str) -> QRectF | None:
        """Where an event is drawn (its marker or bar and label), or None when it is not."""
        found = self._drawn_item(event_id)
        if found is None:
            return None
        rect = self._item_rect(*found)
        return rect if rect.intersects(self._time_rect()) else None

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        return QSize(960, 540)

    # ---- geometry ---------------------------------------------------------------------------

    def _time_width(self) -> float:
        return max(1.0, self.width() - st.HEADER_WIDTH)

    def _time_rect(self) -> QRectF:
        return QRectF(st.HEADER_WIDTH, st.AXIS_HEIGHT, self._time_width(), self._lanes_height())

    def _lanes_height(self) -> float:
        return max(1.0, self.height() - st.AXIS_HEIGHT)

    def _metrics(self) -> LaneMetrics:
        return LaneMetrics(st.ROW_HEIGHT, st.LANE_TOP_PAD, st.LANE_BOTTOM_PAD, st.MIN_LANE_HEIGHT)

    def _max_scroll(self) -> float:
        scene = self._scene or []
        total = sum(lane.height for lane in scene)
        return max(0.0, total - self._lanes_height())

    def _lane_top(self, lane_no: int) -> float:
        return st.AXIS_HEIGHT + self._ensure_scene()[lane_no].top - self._scroll_y

    def _row_top(self, lane_no: int, row: int) -> float:
        return self._lane_top(lane_no) + st.LANE_TOP_PAD + row * st.ROW_HEIGHT

    def _item_rect(self, lane_no: int, item: Item) -> QRectF:
        left, right = self._builder.item_box(item)  # type: ignore[union-attr]
        top = self._row_top(lane_no, item.row)
        return QRectF(st.HEADER_WIDTH + left, top, right - left, st.ROW_HEIGHT)

    # ---- state changes ----------------------------------------------------------------------

    def _rebuild_data(self) -> None:
        if self._case is None:
            return
        only = self._emphasis if self._emphasis_only else None
        self._data = CanvasData(self._case, only)
        style = self._style
        self._builder = SceneBuilder(self._data, style.measure_label, style.elide_label)
        self._invalidate()

    def _fitted_viewport(self) -> Viewport:
        width = self._time_width()
        data = self._data
        if data is None or not len(data):
            today = today_day_number()
            return Viewport.fit(today - 183, today + 183, width)
        return self._fit_with_labels(data.first, data.last, width)

    def _fit_with_labels(self, first: float, last: float, width: float) -> Viewport:
        """Fit [first, last], leaving room on the right for the labels of the last events
        (unless there are too many events for labels at this zoom anyway)."""
        data, builder = self._data, self._builder
        assert data is not None and builder is not None
        right = 24.0
        vp = Viewport.fit(first, last, width, 40.0, right)
        if len(data) > width * DENSE_PER_PX:
            return vp
        last_keys = range(max(0, len(data) - 30), len(data))  # keys are in time order
        for _ in range(4):
            overshoot = max(
                vp.x_for_day(data.starts[k]) + builder.label_px_of(k) - (width - 12)
                for k in last_keys
            )
            if overshoot <= 0.5 or right >= width * 0.45:
                break
            right = min(width * 0.45, right + overshoot)
            vp = Viewport.fit(first, last, width, 40.0, right)
        return vp

    def _limits(self) -> tuple[float, float]:
        data = self._data
        if data is None or not len(data):
            return MIN_DAYS_PER_PX, max_days_per_px(0, 366, self._time_width())
        return MIN_DAYS_PER_PX, max_days_per_px(data.first, data.last, self._time_width())

    def _apply(self, viewport: Viewport) -> None:
        if self._data is not None and len(self._data):
            viewport = viewport.clamped(self._data.first, self._data.last)
        if viewport != self._vp:
            self._vp = viewport
            self._invalidate()
            self.viewport_changed.emit()

    def _invalidate(self) -> None:
        self._scene = None
        self._polygons.clear()
        self.update()

    def _zoom_at(self, x: float, factor: float) -> None:
        self._fitted = False
        lo, hi = self._limits()
        self._apply(self._vp.zoom_at(x, factor, lo, hi))

    def _ensure_scene(self) -> list[LaneScene]:
        if abs(self._vp.width_px - self._time_width()) > 0.25:  # resized while hidden
            self._vp = (
                self._fitted_viewport() if self._fitted else self._vp.with_width(self._time_width())
            )
            self._scene = None
        if self._scene is None:
            if self._builder is None:
                self._scene = []
            else:
                self._scene = self._builder.build(self._vp, self._lanes_height(), self._metrics())
                self._scroll_y = min(self._scroll_y, self._max_scroll())
        return self._scene

    def _bring_into_view(self, event_id: str) -> None:
        data = self._data
        assert data is not None
        key = data.key_of[event_id]
        start, end = data.starts[key], data.ends[key]
        middle = (start + end) / 2 if end - start < self._vp.span_days else start
        if not (self._vp.start_day <= start and end <= self._vp.end_day) or self._hidden(event_id):
            self._fitted = False
            self._apply(self._vp.centred_on(middle))
        self._scroll_lane_into_view(data.lane_of[key])
        steps = 0
        while self._hidden(event_id) and steps < SELECT_MAX_ZOOM_STEPS:
            x = self._vp.x_for_day(middle)
            self._zoom_at(x, 2.0)
            steps += 1

    def _drawn_item(self, event_id: str) -> tuple[int, Item] | None:
        if self._data is None or event_id not in self._data.key_of:
            return None
        key = self._data.key_of[event_id]
        lane_scene = self._ensure_scene()[self._data.lane_of[key]]
        for item in lane_scene.items:
            if item.key == key:
                return lane_scene.lane_no, item
        return None

    def _hidden(self, event_id: str) -> bool:
        """Not drawn with its label, or its marker or bar start is out of view."""
        found = self._drawn_item(event_id)
        if found is None or found[1].mini:
            return True
        item = found[1]
        x = max(item.x0, min(item.x1, 0.0)) if item.bar else item.x0
        return not 0 <= x <= self._vp.width_px - st.POINT_RADIUS

    def _scroll_lane_into_view(self, lane_no: int) -> None:
        lane = self._ensure_scene()[lane_no]
        if lane.top < self._scroll_y:
            self._scroll_y = lane.top
        elif lane.top + lane.height > self._scroll_y + self._lanes_height():
            self._scroll_y = min(lane.top + lane.height - self._lanes_height(), self._max_scroll())
        self.update()

    # ---- Qt events --------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self._fitted:
            self._apply(self._fitted_viewport())
        else:
            self._apply(self._vp.with_width(self._time_width()))
        self._invalidate()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        delta = event.angleDelta()
        x = event.position().x() - st.HEADER_WIDTH
        if abs(delta.x()) > abs(delta.y()):
            self._fitted = False
            self._apply(self._vp.pan_px(delta.x() / 2))
        elif event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self._scroll_by(-delta.y() / 2)
        elif delta.y():
            self._zoom_at(max(0.0, x), WHEEL_ZOOM_PER_NOTCH ** (delta.y() / 120))
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position()
            self._press_vp = self._vp
            self._press_scroll = self._scroll_y
            self._dragging = False
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._press is None or self._press_vp is None:
            self._update_hover_cursor(event.position())
            return
        delta = event.position() - self._press
        if not self._dragging and abs(delta.x()) + abs(delta.y()) < DRAG_THRESHOLD_PX:
            return
        if not self._dragging:
            self._dragging = True
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        self._fitted = False
        self._scroll_y = min(max(0.0, self._press_scroll - delta.y()), self._max_scroll())
        self._apply(self._press_vp.pan_px(delta.x()))
        self._invalidate()

    def _update_hover_cursor(self, pos: QPointF) -> None:
        over = self.event_at(pos) is not None or self._badge_at(pos) is not None
        if over:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            self.unsetCursor()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            return
        if self._dragging:
            self.unsetCursor()
        else:
            self._click(event.position())
        self._press = None
        self._press_vp = None
        self._dragging = False

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self.event_at(event.position()) is None:
            self._zoom_at(event.position().x() - st.HEADER_WIDTH, 2.0)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            self._show_tooltip(event)
            return True
        return super().event(event)

    def _click(self, pos: QPointF) -> None:
        event_id = self.event_at(pos)
        if event_id is not None:
            self._selected = event_id
            self.update()
            self.event_clicked.emit(event_id)
            return
        badge_x = self._badge_at(pos)
        if badge_x is not None:
            self._zoom_at(badge_x, 4.0)

    def _badge_at(self, pos: QPointF) -> float | None:
        for lane_scene in self._ensure_scene():
            if lane_scene.badge_row < 0:
                continue
            top = self._row_top(lane_scene.lane_no, lane_scene.badge_row)
            if not top <= pos.y() <= top + st.ROW_HEIGHT:
                continue
            for x, _count in lane_scene.badges:
                if abs(st.HEADER_WIDTH + x - pos.x()) <= 20:
                    return x
        return None

    def _scroll_by(self, dy: float) -> None:
        self._scroll_y = min(max(0.0, self._scroll_y + dy), self._max_scroll())
        self._invalidate()

    def _show_tooltip(self, event: QHelpEvent) -> None:
        event_id = self.event_at(QPointF(event.pos()))
        if event_id is None or self._data is None:
            QToolTip.hideText()
            event.ignore()
            return
        key = self._data.key_of[event_id]
        title = html.escape(self._data.titles[key])
        when = html.escape(self._data.human_when(key))
        QToolTip.showText(event.globalPos(), f"<b>{title}</b><br>{when}", self)

    # ---- painting ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        try:
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, p: QPainter) -> None:
        s = self._style
        w, h = float(self.width()), float(self.height())
        p.fillRect(QRectF(0, 0, w, h), s.background)
        axis = ticks(self._vp, char_px=s.axis_char_px)
        scene = self._ensure_scene()
        self._paint_bands(p)
        p.save()
        p.setClipRect(self._time_rect())
        self._paint_grid(p, axis)
        self._paint_today(p)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for lane_scene in scene:
            self._paint_lane(p, lane_scene)
        p.restore()
        self._paint_headers(p, scene)
        self._paint_axis(p, axis)

    def _paint_bands(self, p: QPainter) -> None:
        if self._data is None:
            return
        s = self._style
        w = float(self.width())
        for lane_no, lane in enumerate(self._data.lanes):
            top = self._lane_top(lane_no)
            lane_h = self._ensure_scene()[lane_no].height
            if top > self.height() or top + lane_h < st.AXIS_HEIGHT:
                continue
            p.fillRect(QRectF(st.HEADER_WIDTH, top, w, lane_h), s.lane(lane.colour).band)
            p.setPen(s.rule_pen)
            p.drawLine(QPointF(0, top + lane_h - 0.5), QPointF(w, top + lane_h - 0.5))

    def _paint_grid(self, p: QPainter, axis) -> None:
        s = self._style
        top, bottom = st.AXIS_HEIGHT, float(self.height())
        vp = self._vp
        minor_px = (axis.minor[1] - axis.minor[0]) / vp.days_per_px if len(axis.minor) > 1 else 0
        if minor_px >= 14:
            p.setPen(s.grid_minor_pen)
            for day in axis.minor:
                x = round(st.HEADER_WIDTH + vp.x_for_day(day)) + 0.5
                p.drawLine(QPointF(x, top), QPointF(x, bottom))
        p.setPen(s.grid_major_pen)
        for tick in axis.major:
            x = round(st.HEADER_WIDTH + vp.x_for_day(tick.day)) + 0.5
            p.drawLine(QPointF(x, top), QPointF(x, bottom))

    def _paint_lane(self, p: QPainter, lane_scene: LaneScene) -> None:
        lane_no = lane_scene.lane_no
        top = self._lane_top(lane_no)
        lane_h = lane_scene.height
        if top > self.height() or top + lane_h < st.AXIS_HEIGHT:
            return
        lane = self._data.lanes[lane_no]  # type: ignore[union-attr]
        paint = self._style.lane(lane.colour)
        if lane_scene.dense:
            self._paint_density(p, lane_scene, top, lane_h, paint)
            return
        emphasis = self._emphasis if not self._emphasis_only else None
        ids = self._data.ids  # type: ignore[union-attr]
        if emphasis is not None:
            p.setOpacity(0.25)
            for item in lane_scene.items:
                if ids[item.key] not in emphasis:
                    self._paint_item(p, item, lane_no, paint)
            p.setOpacity(1.0)
        for item in lane_scene.items:
            if emphasis is None or ids[item.key] in emphasis:
                self._paint_item(p, item, lane_no, paint)
        self._paint_badges(p, lane_scene, paint)

    def _paint_item(self, p: QPainter, item: Item, lane_no: int, paint: st.LanePaint) -> None:
        data = self._data
        assert data is not None and self._builder is not None
        key = item.key
        flags = data.flags[key]
        row_top = self._row_top(lane_no, item.row)
        mid = row_top + st.ROW_HEIGHT / 2
        x0 = st.HEADER_WIDTH + item.x0
        x1 = st.HEADER_WIDTH + item.x1
        selected = data.ids[key] == self._selected
        if item.mini:
            self._paint_mini(p, x0, mid, paint, selected)
            return
        if item.bar:
            self._paint_bar(p, x0, x1, mid, flags, paint, selected)
        else:
            self._paint_point(p, x0, mid, flags, paint, selected)
        if flags & 4:  # open start
            p.fillRect(QRectF(x0 - TAIL_PX, mid - 1.5, TAIL_PX, 3), paint.fade_in)
        if flags & 8:  # open end
            p.fillRect(QRectF(x1, mid - 1.5, TAIL_PX, 3), paint.fade_out)
        text_w = self._builder.text_width(key)
        place = label_placement(x1 - x0 if item.bar else 0.0, text_w)
        if place == "after":
            label_x = x1 + AFTER_BAR_PX
        elif place == "inside":  # keep a long bar's label in view
            label_x = max(x0 + BAR_INSET_PX, min(st.HEADER_WIDTH + 6, x1 - text_w - BAR_INSET_PX))
        else:
            label_x = x0 + POINT_LABEL_PX
        if label_x < st.HEADER_WIDTH + 2:
            return  # a label cut in half at the left edge only confuses
        self._paint_label(p, key, label_x, mid, selected)

    def _paint_point(
        self, p: QPainter, x: float, mid: float, flags: int, paint: st.LanePaint, selected: bool
    ) -> None:
        s = self._style
        r = st.POINT_RADIUS
        if flags & APPROXIMATE:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(paint.halo)
            p.drawEllipse(QPointF(x, mid), r * 2.2, r * 2.2)
        p.setPen(s.white_pen)
        p.setBrush(paint.dot)
        p.drawEllipse(QPointF(x, mid), r, r)
        if flags & UNCERTAIN:
            p.setPen(paint.dashed_pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(QPointF(x, mid), r + 2.5, r + 2.5)
        if selected:
            p.setPen(s.selection_pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(QPointF(x, mid), r + 3.5, r + 3.5)

    def _paint_mini(
        self, p: QPainter, x: float, mid: float, paint: st.LanePaint, selected: bool
    ) -> None:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(paint.mini)
        p.drawEllipse(QPointF(x, mid), 3.0, 3.0)
        if selected:
            p.setPen(self._style.selection_pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(QPointF(x, mid), 6.0, 6.0)

    def _paint_bar(
        self,
        p: QPainter,
        x0: float,
        x1: float,
        mid: float,
        flags: int,
        paint: st.LanePaint,
        selected: bool,
    ) -> None:
        s = self._style
        rect = QRectF(x0, mid - st.BAR_HEIGHT / 2, x1 - x0, st.BAR_HEIGHT)
        if flags & APPROXIMATE:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(self._soft_brush(x0, x1, paint.colour))
        else:
            p.setPen(paint.dashed_pen if flags & UNCERTAIN else paint.bar_pen)
            p.setBrush(paint.bar_fill)
        p.drawRoundedRect(rect, 4, 4)
        if selected:
            p.setPen(s.selection_pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(rect.adjusted(-2.5, -2.5, 2.5, 2.5), 5, 5)

    @staticmethod
    def _soft_brush(x0: float, x1: float, colour: QColor) -> QBrush:
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

    def _paint_label(self, p: QPainter, key: int, x: float, mid: float, selected: bool) -> None:
        s = self._style
        p.setFont(s.label_bold if selected else s.label_font)
        p.setPen(s.text_pen)
        p.drawText(QPointF(x, mid + s.label_baseline), self._builder.label_text(key))  # type: ignore[union-attr]

    def _paint_badges(self, p: QPainter, lane_scene: LaneScene, paint: st.LanePaint) -> None:
        if not lane_scene.badges:
            return
        s = self._style
        top = self._row_top(lane_scene.lane_no, lane_scene.badge_row)
        y = top + (st.ROW_HEIGHT - st.BADGE_HEIGHT) / 2
        for x, count in lane_scene.badges:
            text = f"+{count}" if count < 1000 else f"+{count / 1000:.0f}k"
            pixmap = s.badge(text, paint)
            width = pixmap.width() / pixmap.devicePixelRatio()
            p.drawPixmap(QPointF(round(st.HEADER_WIDTH + x - width / 2), round(y)), pixmap)

    def _paint_density(
        self, p: QPainter, lane_scene: LaneScene, top: float, lane_h: float, paint: st.LanePaint
    ) -> None:
        strip = lane_scene.density
        if not strip:
            return
        peak = max(strip) or 1
        base = top + lane_h - st.LANE_BOTTOM_PAD
        scale = (lane_h - st.LANE_TOP_PAD - st.LANE_BOTTOM_PAD - 16) / math.sqrt(peak)
        polygon = self._polygons.get(lane_scene.lane_no)
        if polygon is None or polygon[0] != (base, scale):
            polygon = ((base, scale), self._density_polygon(lane_scene, base, scale))
            self._polygons[lane_scene.lane_no] = polygon
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        p.setPen(paint.density_pen)
        p.setBrush(paint.density)
        p.drawPolygon(polygon[1])
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        s = self._style
        p.setFont(s.small_font)
        p.setPen(s.muted_pen)
        label = f"{lane_scene.visible:,} events here · zoom in for labels"
        p.drawText(QPointF(st.HEADER_WIDTH + 8, top + st.LANE_TOP_PAD + 10), label)

    @staticmethod
    def _density_polygon(lane_scene: LaneScene, base: float, scale: float) -> QPolygonF:
        strip = lane_scene.density
        step = lane_scene.density_step
        left = st.HEADER_WIDTH + lane_scene.density_x
        sqrt = math.sqrt
        points = [
            QPointF(left + (i + 0.5) * step, base - sqrt(c) * scale) for i, c in enumerate(strip)
        ]
        points.insert(0, QPointF(left, base))
        points.append(QPointF(left + len(strip) * step, base))
        return QPolygonF(points)

    def _paint_today(self, p: QPainter) -> None:
        today = today_day_number()
        if not self._vp.start_day <= today <= self._vp.end_day:
            return
        x = st.HEADER_WIDTH + self._vp.x_for_day(today)
        p.setPen(self._style.today_pen)
        p.drawLine(QPointF(x, st.AXIS_HEIGHT), QPointF(x, float(self.height())))

    def _paint_headers(self, p: QPainter, scene: list[LaneScene]) -> None:
        s = self._style
        h = float(self.height())
        p.fillRect(QRectF(0, st.AXIS_HEIGHT, st.HEADER_WIDTH, h), s.header_bg)
        if self._data is not None:
            for lane_no, lane in enumerate(self._data.lanes):
                top = self._lane_top(lane_no)
                lane_h = scene[lane_no].height
                if top > h or top + lane_h < st.AXIS_HEIGHT:
                    continue
                paint = s.lane(lane.colour)
                p.fillRect(QRectF(0, top + 1, 4, lane_h - 2), paint.chip)
                self._paint_lane_name(p, lane.name, len(lane.keys), top, lane_h)
                p.setPen(s.rule_pen)
                p.drawLine(
                    QPointF(0, top + lane_h - 0.5), QPointF(st.HEADER_WIDTH, top + lane_h - 0.5)
                )
        p.setPen(s.rule_pen)
        p.drawLine(
            QPointF(st.HEADER_WIDTH - 0.5, st.AXIS_HEIGHT), QPointF(st.HEADER_WIDTH - 0.5, h)
        )

    def _paint_lane_name(self, p: QPainter, name: str, count: int, top: float, lane_h: float):
        """Lane name (wrapped over up to two lines, elided) and its event count."""
        s = self._style
        width = st.HEADER_WIDTH - 24
        line_h = s.header_fm.height()
        lines = _wrap(name, s.header_fm, width, max_lines=2 if lane_h >= 64 else 1)
        p.setFont(s.header_font)
        p.setPen(s.text_pen)
        y = top + 8
        for line in lines:
            p.drawText(QPointF(14, y + s.header_fm.ascent()), line)
            y += line_h
        if y + s.small_fm.height() < top + lane_h - 4:
            p.setFont(s.small_font)
            p.setPen(s.muted_pen)
            noun = "event" if count == 1 else "events"
            p.drawText(QPointF(14, y + 2 + s.small_fm.ascent()), f"{count:,} {noun}")

    def _paint_axis(self, p: QPainter, axis) -> None:
        s = self._style
        w = float(self.width())
        vp = self._vp
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        p.fillRect(QRectF(0, 0, w, st.AXIS_HEIGHT), s.axis_bg)
        p.setPen(s.rule_pen)
        p.drawLine(QPointF(0, st.AXIS_HEIGHT - 0.5), QPointF(w, st.AXIS_HEIGHT - 0.5))
        p.save()
        p.setClipRect(QRectF(st.HEADER_WIDTH, 0, w - st.HEADER_WIDTH, st.AXIS_HEIGHT))
        p.setPen(s.tick_pen)
        for day in axis.minor:
            x = round(st.HEADER_WIDTH + vp.x_for_day(day)) + 0.5
            p.drawLine(QPointF(x, st.AXIS_HEIGHT - 5), QPointF(x, st.AXIS_HEIGHT))
        p.setFont(s.axis_font)
        for tick in axis.major:
            x = round(st.HEADER_WIDTH + vp.x_for_day(tick.day)) + 0.5
            p.setPen(s.tick_pen)
            p.drawLine(QPointF(x, 24), QPointF(x, st.AXIS_HEIGHT))
            p.setPen(s.text_pen)
            p.drawText(QPointF(x + 4, 24 + s.axis_fm.ascent()), tick.label)
        self._paint_context(p, axis)
        today = today_day_number()
        if vp.start_day <= today <= vp.end_day:
            x = st.HEADER_WIDTH + vp.x_for_day(today)
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(s.today_brush)
            bottom = st.AXIS_HEIGHT
            p.drawPolygon(
                QPolygonF(
                    [QPointF(x - 5, bottom - 7), QPointF(x + 5, bottom - 7), QPointF(x, bottom)]
                )
            )
        p.restore()

    def _paint_context(self, p: QPainter, axis) -> None:
        s = self._style
        vp = self._vp
        p.setFont(s.context_font)
        p.setPen(s.text_pen)
        xs = [st.HEADER_WIDTH + vp.x_for_day(t.day) for t in axis.context]
        for i, tick in enumerate(axis.context):
            width = s.context_fm.horizontalAdvance(tick.label)
            x = max(xs[i], st.HEADER_WIDTH) + 6
            if i + 1 < len(xs):
                x = min(x, xs[i + 1] - width - 12)
            p.drawText(QPointF(x, 5 + s.context_fm.ascent()), tick.label)


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
