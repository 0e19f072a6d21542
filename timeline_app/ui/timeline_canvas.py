"""The timeline canvas: one custom-painted widget showing a case's lanes and events.

The viewport lives in `timeline_app.core.layout.Viewport`; what to draw for it comes from
`canvas_scene.SceneBuilder` (visible slice, packed rows, badges or density), cached until the
viewport, size or filter changes. Painting only walks what is on screen.
"""

from __future__ import annotations

import html
from bisect import bisect_left

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QToolTip, QWidget

from timeline_app.core.layout import MIN_DAYS_PER_PX, Viewport, max_days_per_px, ticks
from timeline_app.core.model import Case, Event
from timeline_app.ui import canvas_style as st
from timeline_app.ui.canvas_data import CanvasData, today_day_number
from timeline_app.ui.canvas_painter import CanvasPainter, Frame, Marks
from timeline_app.ui.canvas_scene import (
    DENSE_PER_PX,
    Item,
    LaneMetrics,
    LaneScene,
    SceneBuilder,
    scene_height,
)

ZOOM_STEP = 1.5
ZOOM_TARGET = 0.4  # zoom-in and selection bring an event towards this share of the width
REVEAL_LEFT_PX = 24.0  # a selected event panned to show its label stays this far in
WHEEL_ZOOM_PER_NOTCH = 1.25
DRAG_THRESHOLD_PX = 4.0
SELECT_MAX_ZOOM_STEPS = 24
MAX_MARKS = 4000  # emphasised events marked per dense lane (evenly thinned beyond)
FIT_LEFT_PX = 40.0  # a fitted view's margins
FIT_RIGHT_PX = 24.0
FIT_EDGE_PX = 12.0  # labels of the last events end this far from the right edge
FIT_MAX_RIGHT_SHARE = 0.45  # the right margin never takes more of the width
FIT_LABEL_SHARE = 0.5  # share of a last label kept in a fitted view (the rest elided)


class TimelineCanvas(QWidget):
    """Lanes of events over a time axis; wheel zooms, drag pans, click selects."""

    event_clicked = Signal(str)
    viewport_changed = Signal()
    event_activated = Signal(str)  # double-click on an event: edit it
    event_dragged = Signal(str, float, str)  # event id, days moved, lane id dropped on

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setMinimumSize(320, 160)
        self.setMouseTracking(True)  # pointing-hand cursor over events
        self._style = st.CanvasStyle()
        self._painter = CanvasPainter(self._style)
        self._case: Case | None = None
        self._data: CanvasData | None = None
        self._builder: SceneBuilder | None = None
        self._vp = Viewport(0.0, 1.0, self._time_width())
        self._fitted = True
        self._selected: str | None = None
        self._emphasis: set[str] | None = None
        self._emphasis_only = False
        self._emphasis_starts: list[list[float]] | None = None  # per lane, for density marks
        self._scene: list[LaneScene] | None = None
        self._scene_height = 0.0
        self._scroll_y = 0.0
        self._press: QPointF | None = None
        self._press_vp: Viewport | None = None
        self._press_scroll = 0.0
        self._dragging = False
        self._editable = False
        self._moving: str | None = None  # the selected event being dragged

    # ---- public API -------------------------------------------------------------------------

    def set_case(self, case: Case) -> None:
        """Show ``case``: its lanes and events, fitted to the window."""
        self._case = case
        self._selected = None
        self._emphasis = None
        self._emphasis_only = False
        self._rebuild_data()
        self.fit_all()

    def set_editable(self, editable: bool) -> None:
        """Allow editing gestures: double-click edits, dragging the selected event moves it."""
        self._editable = editable

    def refresh(self) -> None:
        """Show the case again after an edit, keeping the viewport (and the selection if the
        event is still there)."""
        if self._case is None:
            return
        self._rebuild_data()
        if self._selected is not None and self._selected not in self._data.key_of:  # type: ignore[union-attr]
            self._selected = None
        self._apply(self._vp)
        self._invalidate()

    def update_events(self, changes: dict[str, Event | None]) -> None:
        """Like `refresh` after an edit of a few events in place: ``changes`` maps each
        edited event's id to the event now in the case (None: removed). Updates what is drawn
        from instead of rebuilding it when it can."""
        data, builder = self._data, self._builder
        if self._case is None or data is None or builder is None or self._emphasis_only:
            self.refresh()
            return
        try:
            edits = data.apply(self._case, changes)
        except (KeyError, ValueError, IndexError):  # out of step with the case: rebuild
            edits = None
        if edits is None or len(data) != len(self._case.events):
            self.refresh()
            return
        builder.apply(edits)
        self._emphasis_starts = None
        self._painter.set_data(data, builder)
        if self._selected is not None and self._selected not in data.key_of:
            self._selected = None
        self._apply(self._vp)
        self._invalidate()

    def case(self) -> Case | None:
        return self._case

    def viewport(self) -> Viewport:
        return self._vp

    def set_viewport(self, viewport: Viewport) -> None:
        """Show exactly this viewport (its width is replaced by the widget's)."""
        self._fitted = False
        self._apply(viewport.with_width(self._time_width()))

    def show_period(self, first_day: float, last_day: float) -> None:
        """Show the days [first_day, last_day) across the time area, with a small margin."""
        self.set_viewport(Viewport.fit(first_day, last_day, self._time_width()))

    def selected_id(self) -> str | None:
        return self._selected

    def set_selected(self, event_id: str | None) -> None:
        """Highlight an event (None clears) and bring it into view, zooming in if it is hidden
        in a cluster."""
        if event_id is not None and (self._data is None or event_id not in self._data.key_of):
            event_id = None
        self._selected = event_id
        self._invalidate()  # a selected event is always drawn with its label
        if event_id is not None:
            self._bring_into_view(event_id)

    def zoom_in(self) -> None:
        """Zoom in on the selected event, else on the middle one of those in view (so a
        fitted view with an outlier zooms into the story, not the empty years); that event
        moves halfway towards ZOOM_TARGET of the width, leaving its label room."""
        anchor = self._zoom_anchor()
        if anchor is None:
            self._zoom_at(self._vp.width_px / 2, ZOOM_STEP)
            return
        x = self._vp.x_for_day(anchor)
        target = x + (self._vp.width_px * ZOOM_TARGET - x) / 2
        self._fitted = False
        lo, hi = self._limits()
        zoomed = self._vp.zoom_at(x, ZOOM_STEP, lo, hi)
        self._apply(zoomed.pan_px(target - x))

    def zoom_out(self) -> None:
        """Zoom out around the selected event, else the middle one of those in view."""
        anchor = self._zoom_anchor()
        x = self._vp.width_px / 2 if anchor is None else self._vp.x_for_day(anchor)
        self._zoom_at(x, 1 / ZOOM_STEP)

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
        self._emphasis_starts = None
        if was_only or self._emphasis_only:
            self._rebuild_data()
        self._invalidate()

    def event_at(self, pos: QPointF) -> str | None:
        """The id of the event drawn at ``pos`` (marker, bar or label), if any."""
        frame = self._frame()
        lane_no = self._lane_at(frame, pos.y())
        if self._data is None or lane_no is None or not frame.time_rect().contains(pos):
            return None
        for item in frame.scene[lane_no].items:
            if self._painter.item_rect(frame, lane_no, item).contains(pos):
                return self._data.ids[item.key]
        return None

    def rect_of(self, event_id: str) -> QRectF | None:
        """Where an event is drawn (its marker or bar and label), or None when it is not."""
        found = self._drawn_item(event_id)
        if found is None:
            return None
        frame = self._frame()
        rect = self._painter.item_rect(frame, *found)
        return rect if rect.intersects(frame.time_rect()) else None

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        return QSize(960, 540)

    # ---- geometry ---------------------------------------------------------------------------

    def _label_limit(self) -> float:
        """Labels longer than this are always elided (most of the width, in steps of 40 px,
        so a resize re-measures labels only now and then); shorter ones only where the next
        item in their row starts."""
        return float(max(160, round(self._time_width() * 0.75 / 40) * 40))

    def _time_width(self) -> float:
        return max(1.0, self.width() - st.HEADER_WIDTH)

    def _lanes_height(self) -> float:
        return max(1.0, self.height() - st.AXIS_HEIGHT)

    def _metrics(self) -> LaneMetrics:
        return LaneMetrics(st.ROW_HEIGHT, st.LANE_TOP_PAD, st.LANE_BOTTOM_PAD, st.MIN_LANE_HEIGHT)

    def _max_scroll(self) -> float:
        scene = self._scene or []
        total = scene_height(scene)
        return max(0.0, total - self._lanes_height())

    def _frame(self) -> Frame:
        """What a paint shows now (laying the lanes out first if needed)."""
        scene = self._ensure_scene()
        if self._painter.builder is not self._builder:  # a subclass may swap the builder
            self._painter.set_data(self._data, self._builder)  # type: ignore[arg-type]
        emphasis = self._emphasis if not self._emphasis_only else None
        w, h = float(self.width()), float(self.height())
        frame = Frame(w, h, self._vp, scene, self._scroll_y, self._selected, emphasis)
        if emphasis is not None:
            frame.marks = self._emphasis_marks(scene)
        return frame

    def _emphasis_marks(self, scene: list[LaneScene]) -> dict[int, Marks]:
        """Where emphasised events are in lanes drawn as density strips (time-area x)."""
        if self._emphasis_starts is None:
            self._emphasis_starts = self._lanes_emphasis_starts()
        lo, hi = self._vp.start_day, self._vp.end_day
        marks = {}
        for lane in scene:
            if lane.dense:
                starts = self._emphasis_starts[lane.lane_no]
                i0, i1 = bisect_left(starts, lo), bisect_left(starts, hi)
                step = max(1, (i1 - i0) // MAX_MARKS)
                xs = [self._vp.x_for_day(d) for d in starts[i0:i1:step]]
                marks[lane.lane_no] = Marks(xs, i1 - i0)
        return marks

    def _lanes_emphasis_starts(self) -> list[list[float]]:
        data, ids = self._data, self._emphasis
        assert data is not None and ids is not None
        per_lane: list[list[float]] = [[] for _ in data.lanes]
        for key in sorted(data.key_of[i] for i in ids if i in data.key_of):
            per_lane[data.lane_of[key]].append(data.starts[key])
        return per_lane

    @staticmethod
    def _lane_at(frame: Frame, y: float) -> int | None:
        for lane in frame.scene:
            top = frame.lane_top(lane.lane_no)
            if top <= y < top + lane.height:
                return lane.lane_no
        return None

    # Used by ui/export_canvas.py (snapshots draw exactly what the canvas draws).

    def _item_rect(self, lane_no: int, item: Item) -> QRectF:
        return self._painter.item_rect(self._frame(), lane_no, item)

    def _paint_point(self, p: QPainter, *args: object) -> None:
        self._painter.paint_point(p, *args)  # type: ignore[arg-type]

    def _paint_bar(self, p: QPainter, *args: object) -> None:
        self._painter.paint_bar(p, *args)  # type: ignore[arg-type]

    # ---- state changes ----------------------------------------------------------------------

    def _rebuild_data(self) -> None:
        if self._case is None:
            return
        only = self._emphasis if self._emphasis_only else None
        self._data = CanvasData(self._case, only)
        self._emphasis_starts = None
        style = self._style
        self._builder = SceneBuilder(self._data, style.measure_label, style.elide_label)
        self._builder.set_max_label_px(self._label_limit())
        self._painter.set_data(self._data, self._builder)
        self._invalidate()

    def _fitted_viewport(self) -> Viewport:
        width = self._time_width()
        data = self._data
        if data is None or not len(data):
            today = today_day_number()
            return Viewport.fit(today - 183, today + 183, width)
        return self._fit_with_labels(data.first, data.last, width)

    def _fit_with_labels(self, first: float, last: float, width: float) -> Viewport:
        """Fit [first, last] as wide as the labels of the last events allow: each keeps at
        least FIT_LABEL_SHARE of its length (or MIN_LABEL_CHARS) before the right edge, where
        the rest is elided. No labels to make room for when there are too many events to
        label at this zoom anyway."""
        data, builder = self._data, self._builder
        assert data is not None and builder is not None
        if len(data) > width * DENSE_PER_PX or last <= first:
            return Viewport.fit(first, last, width, FIT_LEFT_PX, FIT_RIGHT_PX)
        usable = width - FIT_LEFT_PX - FIT_EDGE_PX
        span = width - FIT_LEFT_PX - FIT_RIGHT_PX  # px for [first, last]
        for key in range(max(0, len(data) - 30), len(data)):  # keys are in time order
            share = (data.starts[key] - first) / (last - first)
            if share > 0:
                span = min(span, (usable - self._fit_label_px(key)) / share)
        right = min(width - FIT_LEFT_PX - span, width * FIT_MAX_RIGHT_SHARE)
        return Viewport.fit(first, last, width, FIT_LEFT_PX, max(FIT_RIGHT_PX, right))

    def _fit_label_px(self, key: int) -> float:
        """Room right of an event's day that a fitted view keeps for its marker and label."""
        builder = self._builder
        assert builder is not None
        full = builder.text_width(key)
        shown = min(full, max(builder.min_label_px, full * FIT_LABEL_SHARE))
        return builder.label_px_of(key) - full + shown

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
        self._painter.forget_strips()
        self.update()

    def _zoom_at(self, x: float, factor: float) -> None:
        self._fitted = False
        lo, hi = self._limits()
        self._apply(self._vp.zoom_at(x, factor, lo, hi))

    def _ensure_scene(self) -> list[LaneScene]:
        """The lanes laid out for the current viewport and size (cached until either changes;
        a hidden widget gets no resize events, so the size is compared here too)."""
        if abs(self._vp.width_px - self._time_width()) > 0.25:
            self._vp = (
                self._fitted_viewport() if self._fitted else self._vp.with_width(self._time_width())
            )
            self._scene = None
        if self._scene_height != self._lanes_height():
            self._scene = None
        if self._scene is None:
            self._scene_height = self._lanes_height()
            if self._builder is None:
                self._scene = []
            else:
                selected = self._data.key_of.get(self._selected) if self._selected else None
                self._scene = self._builder.build(
                    self._vp, self._scene_height, self._metrics(), selected
                )
                self._scroll_y = min(self._scroll_y, self._max_scroll())
            self._painter.forget_strips()
        return self._scene

    def _zoom_anchor(self) -> float | None:
        """The day toolbar zooms keep in view: the selected event's, if in view, else the
        middle (median) event's in view; None when nothing is in view."""
        data, vp = self._data, self._vp
        if data is None or not len(data):
            return None
        key = data.key_of.get(self._selected) if self._selected else None
        if key is not None and vp.start_day <= data.starts[key] <= vp.end_day:
            return data.starts[key]
        i0, i1 = bisect_left(data.starts, vp.start_day), bisect_left(data.starts, vp.end_day)
        return data.starts[(i0 + i1) // 2] if i1 > i0 else None

    def _reveal_label(self, event_id: str) -> None:
        """Pan left so the event's label ends inside the view (its marker staying in view)."""
        found = self._drawn_item(event_id)
        if found is None or self._builder is None:
            return
        item = found[1]
        width = self._vp.width_px
        overflow = self._builder.item_box(item, full=True)[1] - (width - 8)
        room = item.x0 - REVEAL_LEFT_PX
        if overflow > 0.5 and room > 0:
            self._fitted = False
            self._apply(self._vp.pan_px(-min(overflow, room)))

    def _bring_into_view(self, event_id: str) -> None:
        data = self._data
        assert data is not None
        key = data.key_of[event_id]
        start, end = data.starts[key], data.ends[key]
        middle = (start + end) / 2 if end - start < self._vp.span_days else start
        if not (self._vp.start_day <= start and end <= self._vp.end_day) or self._hidden(event_id):
            self._fitted = False
            if end - start < self._vp.span_days * ZOOM_TARGET:  # its label runs right
                self._apply(self._vp.with_day_at(middle, self._vp.width_px * ZOOM_TARGET))
            else:
                self._apply(self._vp.centred_on(middle))
        self._scroll_lane_into_view(data.lane_of[key])
        steps = 0
        while self._hidden(event_id) and steps < SELECT_MAX_ZOOM_STEPS:
            x = self._vp.x_for_day(middle)
            self._zoom_at(x, 2.0)
            steps += 1
        self._reveal_label(event_id)

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
            self._scroll_y = 0.0 if lane_no == 0 else lane.top  # the first with periods' titles
        elif lane.top + lane.height > self._scroll_y + self._lanes_height():
            self._scroll_y = min(lane.top + lane.height - self._lanes_height(), self._max_scroll())
        self.update()

    # ---- Qt events --------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self._builder is not None:
            self._builder.set_max_label_px(self._label_limit())
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
            hit = self.event_at(event.position()) if self._editable else None
            self._moving = hit if hit is not None and hit == self._selected else None
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
        if self._moving is not None:
            self._preview_move(event.position())
            return
        self._fitted = False
        self._scroll_y = min(max(0.0, self._press_scroll - delta.y()), self._max_scroll())
        self._apply(self._press_vp.pan_px(delta.x()))
        self._invalidate()

    def _update_hover_cursor(self, pos: QPointF) -> None:
        frame = self._frame()
        lane_no = self._lane_at(frame, pos.y())
        dense = lane_no is not None and frame.scene[lane_no].dense
        over = dense or self.event_at(pos) is not None or self._badge_at(pos) is not None
        if over:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            self.unsetCursor()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            return
        if self._dragging:
            self.unsetCursor()
            self._finish_move(event.position())
        else:
            self._click(event.position())
        self._press = None
        self._press_vp = None
        self._dragging = False

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        event_id = self.event_at(event.position())
        if event_id is None:
            self._zoom_at(event.position().x() - st.HEADER_WIDTH, 2.0)
        elif self._editable:
            self.event_activated.emit(event_id)

    def _drop_target(self, pos: QPointF) -> tuple[float, str]:
        """Days moved since the press, and the id of the lane under ``pos`` ("" = Other)."""
        data = self._data
        assert data is not None and self._press is not None and self._moving is not None
        days = (pos.x() - self._press.x()) * self._vp.days_per_px
        lane_no = self._lane_at(self._frame(), pos.y())
        if lane_no is None:
            lane_no = data.lane_of[data.key_of[self._moving]]
        return days, data.lanes[lane_no].id

    def _preview_move(self, pos: QPointF) -> None:
        """While the selected event is dragged: say where it would go."""
        from timeline_app.ui.editing import move_preview

        days, lane_id = self._drop_target(pos)
        assert self._case is not None and self._moving is not None
        text = move_preview(self._case, self._moving, days, lane_id)
        tip = f"<p>{html.escape(text)}</p>"  # rich text, so the escaped text shows as typed
        QToolTip.showText(self.mapToGlobal(pos.toPoint()), tip, self)

    def _finish_move(self, pos: QPointF) -> None:
        if self._moving is None:
            return
        days, lane_id = self._drop_target(pos)
        event_id, self._moving = self._moving, None
        QToolTip.hideText()
        self.event_dragged.emit(event_id, days, lane_id)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            self._show_tooltip(event)
            return True
        return super().event(event)

    def _click(self, pos: QPointF) -> None:
        event_id = self.event_at(pos)
        if event_id is not None:
            self._selected = event_id
            self._invalidate()
            self.event_clicked.emit(event_id)
            return
        frame = self._frame()
        lane_no = self._lane_at(frame, pos.y())
        dense = lane_no is not None and frame.scene[lane_no].dense
        if self._badge_at(pos) is not None or (dense and frame.time_rect().contains(pos)):
            self._zoom_at(pos.x() - st.HEADER_WIDTH, 4.0)  # show what the cluster holds

    def _badge_at(self, pos: QPointF) -> tuple[float, int, list[int]] | None:
        """The "+N" badge at ``pos``: its x (time area), count and events (keys)."""
        frame = self._frame()
        lane_no = self._lane_at(frame, pos.y())
        if lane_no is None or frame.scene[lane_no].badge_row < 0:
            return None
        lane = frame.scene[lane_no]
        top = frame.row_top(lane_no, lane.badge_row)
        if not top <= pos.y() <= top + st.ROW_HEIGHT:
            return None
        for (x, count), keys in zip(lane.badges, lane.badge_keys, strict=True):
            if abs(st.HEADER_WIDTH + x - pos.x()) <= 18:
                return x, count, keys
        return None

    def _scroll_by(self, dy: float) -> None:
        self._scroll_y = min(max(0.0, self._scroll_y + dy), self._max_scroll())
        self._invalidate()

    def _show_tooltip(self, event: QHelpEvent) -> None:
        event_id = self.event_at(QPointF(event.pos()))
        badge = self._badge_at(QPointF(event.pos()))
        if badge is not None:
            text = f"{badge[1]:,} more events here: click to zoom in"
            if self._emphasis is not None and self._data is not None:
                ids = self._data.ids
                hits = sum(ids[key] in self._emphasis for key in badge[2])
                text = f"{badge[1]:,} more events here, {hits:,} of them matching: click to zoom in"
            QToolTip.showText(event.globalPos(), text, self)
            return
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
        frame = self._frame()
        axis = ticks(self._vp, char_px=self._style.axis_char_px)
        painter = QPainter(self)
        try:
            self._painter.paint(painter, frame, axis)
        finally:
            painter.end()
