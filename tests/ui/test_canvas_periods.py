"""Background periods (case.extra["periods"]): parsed for the canvas, drawn as translucent
bands with their title above the lanes, in the window and in snapshots."""

from __future__ import annotations

import math

import pytest
from PySide6.QtGui import QColor

from timeline_app.core.dates import When, day_number
from timeline_app.core.model import Case, Event, Lane
from timeline_app.ui.canvas_data import PERIOD_COLOUR, case_periods
from timeline_app.ui.canvas_style import AXIS_HEIGHT, HEADER_WIDTH
from timeline_app.ui.export_image import SnapshotSettings, build_pages, svg_bytes
from timeline_app.ui.timeline_canvas import TimelineCanvas

PERIODS = [
    {"title": "Revision fight", "when": "2017-06-19/2017-07-13", "colour": "#dd8452"},
    {"title": "After the rule", "when": "2019-12-18/.."},
    {"title": "Broken", "when": "not a date"},
    "not a period",
]


def period_case() -> Case:
    lanes = [Lane("a", "Alpha", "#4c72b0"), Lane("b", "Beta", "#55a868")]
    rows = [
        ("e1", "Policy signed", "2017-06-19", "a"),
        ("e2", "Letter sent", "2017-06-30", "b"),
        ("e3", "Commission meeting", "2017-07-13", "a"),
        ("e4", "Early note", "2017-01-10", "b"),
        ("e5", "Late note", "2017-12-01", "b"),
    ]
    events = [Event(i, t, When.parse(w), lane) for i, t, w, lane in rows]
    case = Case(title="Periods", lanes=lanes, events=events)
    case.extra["periods"] = PERIODS
    return case


def test_periods_are_parsed_by_start_with_open_ends_unbounded():
    periods = case_periods(period_case())
    assert [p.title for p in periods] == ["Revision fight", "After the rule"]
    fight, after = periods
    assert (fight.start, fight.end) == (day_number(2017, 6, 19), day_number(2017, 7, 14))
    assert fight.colour == "#dd8452"
    assert after.end == math.inf and after.colour == PERIOD_COLOUR
    assert case_periods(Case()) == []


@pytest.fixture()
def canvas(qtbot) -> TimelineCanvas:
    canvas = TimelineCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(1000, 400)
    canvas.set_case(period_case())
    return canvas


def test_a_period_is_a_band_over_every_lane_with_its_title_above(canvas: TimelineCanvas):
    vp = canvas.viewport()
    inside = round(HEADER_WIDTH + vp.x_for_day(day_number(2017, 7, 5)))
    outside = round(HEADER_WIDTH + vp.x_for_day(day_number(2017, 9, 1)))
    image = canvas.grab().toImage()
    for y in (150, 330):  # empty space in both lanes
        band, plain = image.pixelColor(inside, y), image.pixelColor(outside, y)
        assert band != plain
        assert band.red() > band.blue()  # tinted by the period's orange
    start = round(HEADER_WIDTH + vp.x_for_day(day_number(2017, 6, 19)))
    title_strip = [
        image.pixelColor(x, y).lightness()
        for x in range(start + 2, start + 60)
        for y in range(int(AXIS_HEIGHT), int(AXIS_HEIGHT) + 16)
    ]
    assert min(title_strip) < 140  # dark title text
    for event in period_case().events:  # the lanes start below the titles
        rect = canvas.rect_of(event.id)
        assert rect is not None and rect.top() >= AXIS_HEIGHT + 16


def test_no_periods_no_title_strip(qtbot):
    case = period_case()
    case.extra.clear()
    canvas = TimelineCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(1000, 400)
    canvas.set_case(case)
    assert min(canvas.rect_of(ev.id).top() for ev in case.events) < AXIS_HEIGHT + 12
    image = canvas.grab().toImage()
    assert image.pixelColor(500, 200) != QColor("#000000")


def test_snapshots_show_periods_as_text_and_stay_inside_the_page(qapp):
    page = build_pages(period_case(), SnapshotSettings())[0]
    svg = svg_bytes(page).decode("utf-8")
    assert "Revision fight" in svg
    assert "After the rule" not in svg  # starts after the events the snapshot shows
    assert page.canvas.height >= AXIS_HEIGHT + 16 + 2 * 34
