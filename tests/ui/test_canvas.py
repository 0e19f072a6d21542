"""The timeline canvas widget: clicks, selection, zoom, pan, tooltips, emphasis, drawing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QHelpEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QToolTip

from tests.ui.canvas_cases import crowded_canvas
from timeline_app.core.casefile import load_case
from timeline_app.core.dates import When, civil_from_day, day_number
from timeline_app.core.layout import Viewport
from timeline_app.core.model import Case, Event, Lane
from timeline_app.ui.canvas_style import HEADER_WIDTH, CanvasStyle
from timeline_app.ui.timeline_canvas import TimelineCanvas


def small_case() -> Case:
    lanes = [Lane("a", "Alpha", "#4c72b0"), Lane("b", "Beta", "#dd8452")]
    rows = [
        ("e1", "Policy signed", "2017-06-19", "a"),
        ("e2", "Letter <b>sent</b> & filed", "2017-06-30", "b"),
        ("e3", "Rally at City Hall", "2017-07-05", "b"),
        ("e4", "Commission meeting", "2017-07~", "a"),
        ("e5", "Review period", "2017-06-19/2017-07-13", "a"),
        ("e6", "Earlier policy", "../2016-03-24", "b"),
        ("e7", "Effective date", "2017-07-08?", None),
        ("e8", "Judicial warrant rule", "2019-12-18", "a"),
    ]
    events = [Event(i, t, When.parse(w), lane) for i, t, w, lane in rows]
    return Case(title="Small", lanes=lanes, events=events)


@pytest.fixture()
def canvas(qtbot) -> TimelineCanvas:
    canvas = TimelineCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(1000, 500)
    canvas.set_case(small_case())
    canvas.show()
    qtbot.waitExposed(canvas)
    return canvas


def drawn_ids(canvas: TimelineCanvas) -> list[str]:
    return [ev.id for ev in canvas.case().events if canvas.rect_of(ev.id) is not None]


def test_fitted_canvas_draws_every_event_without_overlap(canvas: TimelineCanvas):
    assert sorted(drawn_ids(canvas)) == [f"e{i}" for i in range(1, 9)]
    rects = [canvas.rect_of(i) for i in drawn_ids(canvas)]
    for n, a in enumerate(rects):
        for b in rects[n + 1 :]:
            assert not a.intersects(b), (a, b)
    assert canvas.viewport().start_day < day_number(2016, 3, 24)
    assert canvas.viewport().end_day > day_number(2019, 12, 18)


def test_click_on_an_event_emits_its_id_and_selects_it(canvas: TimelineCanvas, qtbot):
    rect = canvas.rect_of("e3")
    assert rect is not None
    with qtbot.waitSignal(canvas.event_clicked, timeout=1000) as blocker:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert blocker.args == ["e3"]
    assert canvas.selected_id() == "e3"
    assert canvas.event_at(rect.center()) == "e3"


def test_click_on_empty_space_emits_nothing(canvas: TimelineCanvas, qtbot):
    with qtbot.assertNotEmitted(canvas.event_clicked):
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(int(HEADER_WIDTH) + 5, 490))


def test_set_selected_brings_an_offscreen_event_into_view(canvas: TimelineCanvas):
    vp = canvas.viewport()
    canvas.set_viewport(Viewport(day_number(2010, 1, 1), 0.05, vp.width_px))
    assert canvas.rect_of("e8") is None
    canvas.set_selected("e8")
    rect = canvas.rect_of("e8")
    assert rect is not None and canvas.rect().contains(rect.center().toPoint())
    assert canvas.selected_id() == "e8"
    canvas.set_selected(None)
    assert canvas.selected_id() is None
    canvas.set_selected("no-such-event")
    assert canvas.selected_id() is None


def test_wheel_zooms_around_the_cursor(canvas: TimelineCanvas):
    before = canvas.viewport()
    x = HEADER_WIDTH + 300
    day_under_cursor = before.day_for_x(300)
    wheel = QWheelEvent(
        QPointF(x, 200),
        QPointF(canvas.mapToGlobal(QPoint(int(x), 200))),
        QPoint(0, 0),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(canvas, wheel)
    after = canvas.viewport()
    assert after.days_per_px < before.days_per_px * 0.8
    assert after.day_for_x(300) == pytest.approx(day_under_cursor, abs=before.days_per_px)


def test_drag_pans_and_does_not_select(canvas: TimelineCanvas, qtbot):
    canvas.zoom_in()
    before = canvas.viewport()
    start = QPoint(int(HEADER_WIDTH) + 400, 480)
    with qtbot.assertNotEmitted(canvas.event_clicked):
        qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
        qtbot.mouseMove(canvas, start + QPoint(60, 0))
        qtbot.mouseMove(canvas, start + QPoint(120, 0))
        qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=start + QPoint(120, 0))
    after = canvas.viewport()
    assert after.days_per_px == before.days_per_px
    assert after.start_day == pytest.approx(before.start_day - 120 * before.days_per_px)


def test_zoom_in_out_and_fit_all(canvas: TimelineCanvas, qtbot):
    fitted = canvas.viewport()
    with qtbot.waitSignal(canvas.viewport_changed, timeout=1000):
        canvas.zoom_in()
    assert canvas.viewport().days_per_px < fitted.days_per_px
    canvas.zoom_out()
    canvas.zoom_out()
    assert canvas.viewport().days_per_px > fitted.days_per_px
    canvas.fit_all()
    assert canvas.viewport() == fitted


def test_tooltip_shows_title_escaped_and_human_date(canvas: TimelineCanvas):
    rect = canvas.rect_of("e2")
    pos = rect.center().toPoint()
    event = QHelpEvent(QEvent.Type.ToolTip, pos, canvas.mapToGlobal(pos))
    QApplication.sendEvent(canvas, event)
    text = QToolTip.text()
    assert "Letter &lt;b&gt;sent&lt;/b&gt; &amp; filed" in text
    assert "30 June 2017" in text


def test_emphasis_only_hides_the_rest_and_none_restores(canvas: TimelineCanvas):
    canvas.set_emphasis({"e1", "e3"}, only=True)
    assert sorted(drawn_ids(canvas)) == ["e1", "e3"]
    canvas.set_emphasis({"e1"})
    assert len(drawn_ids(canvas)) == 8
    canvas.set_emphasis(None)
    assert len(drawn_ids(canvas)) == 8


def test_grab_paints_lanes_and_events(canvas: TimelineCanvas):
    image = canvas.grab().toImage()
    assert not image.isNull() and image.width() == 1000
    colours = {image.pixelColor(x, y).name() for x in range(0, 1000, 7) for y in range(0, 500, 7)}
    assert len(colours) > 10
    rect = canvas.rect_of("e1")
    marker = image.pixelColor(QPoint(int(rect.left() + 7), int(rect.center().y())))
    assert marker != QColor("#ffffff")


def test_empty_case_and_unknown_lane_events(qtbot):
    canvas = TimelineCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(600, 300)
    canvas.set_case(Case())
    assert not canvas.grab().isNull()
    canvas.zoom_in()
    case = small_case()
    canvas.set_case(case)
    assert canvas.rect_of("e7") is not None  # no lane: drawn in "Other"


def test_default_case_every_event_is_drawn_or_counted(qtbot, default_case_path):
    case, problems = load_case(default_case_path)
    canvas = TimelineCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(1200, 800)
    canvas.set_case(case)
    assert not canvas.grab().isNull()
    for event in case.events:
        canvas.set_selected(event.id)
        assert canvas.rect_of(event.id) is not None, event.id


def dense_case(count: int = 3000) -> Case:
    """Many events in one lane over one year: too dense to label when fitted."""
    first = day_number(2010, 1, 1)
    events = []
    for i in range(count):
        day = first + (i * 7919) % 365
        minute = (i * 37) % 1440
        text = f"2010-{_md(day)}T{minute // 60:02d}:{minute % 60:02d}Z"
        events.append(Event(f"d{i}", f"Dense {i}", When.parse(text), "a"))
    return Case(title="Dense", lanes=[Lane("a", "Alpha", "#4c72b0")], events=events)


def _md(day: int) -> str:
    _, month, dom = civil_from_day(day)
    return f"{month:02d}-{dom:02d}"


def test_selecting_an_event_inside_a_density_strip_zooms_in_until_it_is_labelled(qtbot):
    canvas = TimelineCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(900, 400)
    canvas.set_case(dense_case())
    assert canvas.rect_of("d1234") is None  # fitted: a density strip, no single events
    assert not canvas.grab().isNull()
    canvas.set_selected("d1234")
    rect = canvas.rect_of("d1234")
    assert rect is not None
    assert canvas.event_at(rect.center()) == "d1234"
    assert canvas.viewport().span_days < 365 / 4


def test_many_crowded_lanes_scroll_and_nothing_overlaps(qtbot):
    colours = ["#4c72b0", "#dd8452", "#55a868", "#c44e52"]
    lanes = [Lane(f"l{i}", f"Lane {i}", colours[i % 4]) for i in range(30)]
    events = [
        Event(f"e{i}", f"Event {i} happened", When.parse(f"2017-{1 + i % 12:02d}-01"), f"l{i % 30}")
        for i in range(150)
    ]
    canvas = TimelineCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(900, 500)
    canvas.set_case(Case(lanes=lanes, events=events))
    canvas.set_selected("e149")  # in the last lane: scrolls down to it
    assert canvas.rect_of("e149") is not None
    rects = [r for r in (canvas.rect_of(ev.id) for ev in events) if r is not None]
    assert len(rects) > 10
    for n, a in enumerate(rects):
        for b in rects[n + 1 :]:
            assert not a.intersects(b), (a, b)


def test_dragging_the_selected_event_when_editable_reports_the_move(canvas: TimelineCanvas, qtbot):
    canvas.set_editable(True)
    canvas.set_selected("e3")  # lane b
    rect = canvas.rect_of("e3")
    start = QPoint(int(rect.left() + 8), int(rect.center().y()))
    target_y = int(canvas.rect_of("e1").center().y())  # lane a
    dpp = canvas.viewport().days_per_px
    with qtbot.waitSignal(canvas.event_dragged, timeout=1000) as blocker:
        qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
        qtbot.mouseMove(canvas, start + QPoint(40, 0))
        qtbot.mouseMove(canvas, QPoint(start.x() + 80, target_y))
        qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(start.x() + 80, target_y))
    event_id, days, lane_id = blocker.args
    assert (event_id, lane_id) == ("e3", "a")
    assert days == pytest.approx(80 * dpp)
    assert canvas.viewport().days_per_px == dpp  # the view did not pan


def test_clicking_a_density_strip_zooms_in_there(qtbot):
    canvas = TimelineCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(900, 400)
    canvas.set_case(dense_case())
    before = canvas.viewport()
    pos = QPoint(int(HEADER_WIDTH) + 300, 300)
    with qtbot.assertNotEmitted(canvas.event_clicked):
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=pos)
    after = canvas.viewport()
    assert after.days_per_px == pytest.approx(before.days_per_px / 4)
    assert after.day_for_x(300) == pytest.approx(before.day_for_x(300))


def test_emphasised_events_show_as_ticks_inside_a_density_strip(qtbot):
    case = dense_case()
    canvas = TimelineCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(900, 400)
    canvas.set_case(case)
    hit = case.event_by_id("d1234")
    x = int(round(HEADER_WIDTH + canvas.viewport().x_for_day(hit.when.sort_start)))
    plain = canvas.grab().toImage().pixelColor(x, 300)
    canvas.set_emphasis({"d1234"})
    marked = canvas.grab().toImage().pixelColor(x, 300)
    assert marked.lightness() < plain.lightness() - 40


def test_a_selected_event_in_a_crowd_is_labelled_in_place(qtbot):
    canvas, events = crowded_canvas(qtbot)
    hidden = [ev.id for ev in events if canvas.rect_of(ev.id) is None]
    assert hidden  # a crowd: some are only counted in "+N" badges
    before = canvas.viewport()
    canvas.set_selected(hidden[-1])
    rect = canvas.rect_of(hidden[-1])
    assert rect is not None and canvas.event_at(rect.center()) == hidden[-1]
    assert canvas.viewport() == before  # shown where it is, without zooming
    rects = [r for r in (canvas.rect_of(ev.id) for ev in events) if r is not None]
    for n, a in enumerate(rects):
        for b in rects[n + 1 :]:
            assert not a.intersects(b)


def test_labels_run_their_full_length_where_their_row_is_free(qtbot, default_case_path):
    case, _ = load_case(default_case_path)
    canvas = TimelineCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(1200, 800)
    canvas.set_case(case)
    title = case.event_by_id("iirira-1373").title
    rect = canvas.rect_of("iirira-1373")
    assert rect is not None
    assert rect.width() >= CanvasStyle().measure_label(title)  # not elided at a fixed cap


def test_crowded_labels_are_shortened_before_events_go_into_badges(qtbot):
    lanes = [Lane("a", "Alpha", "#4c72b0")]
    events = [
        Event(f"c{i}", f"A long title number {i} about something that happened",
              When.parse(f"2017-06-{1 + 4 * i:02d}"), "a")
        for i in range(8)
    ]  # fmt: skip
    canvas = TimelineCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(900, 110)  # two rows
    canvas.set_case(Case(lanes=lanes, events=events))
    rects = [canvas.rect_of(ev.id) for ev in events]
    assert all(r is not None for r in rects)  # no "+N" badge: labels made room instead
    full = CanvasStyle().measure_label(events[0].title)
    assert min(r.width() for r in rects[:-1]) < full
    minimum = CanvasStyle().measure_label("x" * 12)
    assert all(r.width() >= minimum for r in rects)
    for n, a in enumerate(rects):
        for b in rects[n + 1 :]:
            assert not a.intersects(b), (a, b)


def test_toolbar_zoom_in_from_the_fitted_view_goes_into_the_story(qtbot, default_case_path):
    case, _ = load_case(default_case_path)
    canvas = TimelineCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(1000, 700)
    canvas.set_case(case)  # 1996 outlier, story in 2016-2019
    for _ in range(3):
        canvas.zoom_in()
    rect = canvas.rect_of("sop-130-revision-signed")
    assert rect is not None and canvas.rect().contains(rect.toRect())
    assert canvas.viewport().span_days < 10 * 365


def test_selecting_an_event_at_the_right_edge_pans_its_label_into_view(canvas: TimelineCanvas):
    vp = canvas.viewport()
    e8 = day_number(2019, 12, 18)
    canvas.set_viewport(Viewport(e8 - (vp.width_px - 40) * 0.5, 0.5, vp.width_px))
    canvas.set_selected("e8")
    rect = canvas.rect_of("e8")
    assert rect is not None and rect.right() <= canvas.width()
    assert rect.width() >= CanvasStyle().measure_label("Judicial warrant rule")


def test_an_offscreen_event_brought_into_view_lands_left_of_centre(canvas: TimelineCanvas):
    vp = canvas.viewport()
    canvas.set_viewport(Viewport(day_number(2010, 1, 1), 0.5, vp.width_px))
    canvas.set_selected("e3")
    rect = canvas.rect_of("e3")
    assert rect is not None
    assert HEADER_WIDTH < rect.left() < HEADER_WIDTH + vp.width_px / 2  # its label runs right


def test_the_fitted_view_spends_most_of_the_width_on_the_events(qtbot, default_case_path):
    case, _ = load_case(default_case_path)
    canvas = TimelineCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(1200, 800)
    canvas.set_case(case)
    vp = canvas.viewport()
    first, last = day_number(1996, 9, 30), day_number(2019, 12, 19)
    assert vp.start_day < first and vp.end_day > last  # nothing left out
    assert (last - first) / vp.span_days > 0.6  # not a third of it for the last labels
    for event in case.events:
        rect = canvas.rect_of(event.id)
        assert rect is not None and rect.left() >= HEADER_WIDTH, event.id
