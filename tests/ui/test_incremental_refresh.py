"""Edits of one event update the views in place: the result is what a rebuild shows."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from timeline_app.core.commands import (
    AddEvent,
    AddLane,
    Command,
    DeleteEvent,
    DuplicateEvent,
    Macro,
    UpdateEvent,
)
from timeline_app.core.dates import When
from timeline_app.core.layout import SpanIndex, Viewport
from timeline_app.core.model import Case, Event, Lane
from timeline_app.ui.canvas_data import CanvasData
from timeline_app.ui.canvas_scene import SceneBuilder
from timeline_app.ui.editing import edited_event_ids
from timeline_app.ui.event_list import (
    DATE_COLUMN,
    EVENT_ID_ROLE,
    LANE_COLUMN,
    TITLE_COLUMN,
    EventTableModel,
)
from timeline_app.ui.main_window import MainWindow
from timeline_app.ui.time_order import TimeOrder

WHENS = (
    "2017-06-30", "2017-06", "2017", "2017-06-30/2017-07-04", "../2017-06-30", "2017-06-30/..",
    "2017-06-30T10:15Z", "2016~", "2017-07-01?", "2018-01-01",
)  # fmt: skip
LANES = ("a", "b", None)


def small_case(rng: random.Random, count: int = 40) -> Case:
    lanes = [Lane("a", "Lane A", "#4c72b0"), Lane("b", "Lane B", "#dd8452")]
    events = [
        Event(f"e{i}", f"Event {rng.randint(0, 9)}", When.parse(rng.choice(WHENS)), "a")
        for i in range(count)
    ]
    events[0].lane = None  # so the "Other" lane is there from the start
    events[1].lane = "gone"  # a lane the case does not have: drawn in "Other" too
    return Case(title="Small", lanes=lanes, events=events)


def random_command(rng: random.Random, case: Case, number: int) -> Command:
    event = rng.choice(case.events)
    choice = rng.randrange(6)
    if choice == 0:
        return UpdateEvent(event.id, {"title": f"Title {rng.randint(0, 9)}"})
    if choice == 1:
        return UpdateEvent(event.id, {"when": rng.choice(WHENS)})
    if choice == 2:
        return UpdateEvent(event.id, {"lane": rng.choice(("a", "b", None))})
    if choice == 3:
        when = When.parse(rng.choice(WHENS))
        return AddEvent(Event(f"new{number}", "New", when, rng.choice(LANES)))
    if choice == 4 and len(case.events) > 3:
        return DeleteEvent(event.id)
    return DuplicateEvent(event.id)


def changes_of(case: Case, ids: set[str]) -> dict[str, Event | None]:
    by_id = {ev.id: ev for ev in case.events}
    return {event_id: by_id.get(event_id) for event_id in ids}


def index_state(index: SpanIndex) -> tuple:
    return index.sorted_starts, index.sorted_ends, index._ends, index._keys, index._classes()


def assert_same_data(data: CanvasData, fresh: CanvasData) -> None:
    for name in ("events", "ids", "titles", "starts", "ends", "flags", "lane_of", "key_of"):
        assert getattr(data, name) == getattr(fresh, name), name
    assert [(la.id, la.name, la.colour, la.keys) for la in data.lanes] == [
        (la.id, la.name, la.colour, la.keys) for la in fresh.lanes
    ]
    for lane, fresh_lane in zip(data.lanes, fresh.lanes, strict=True):
        assert index_state(lane.index) == index_state(fresh_lane.index)
    assert (data.first, data.last) == pytest.approx((fresh.first, fresh.last), nan_ok=True)


def viewports(data: CanvasData) -> list[Viewport]:
    fitted = Viewport.fit(data.first, data.last, 800.0)
    return [fitted, fitted.zoom_at(400.0, 8.0), fitted.zoom_at(100.0, 60.0)]


def run_edits(seed: int, steps: int, built: bool) -> None:
    rng = random.Random(seed)
    case = small_case(rng)
    data = CanvasData(case)
    builder = SceneBuilder(data, lambda text: 7.0 * len(text))
    order = TimeOrder(case)
    if built:
        for lane in data.lanes:
            lane.index.overlapping(-1e9, 1e9)
        for viewport in viewports(data):
            builder.build(viewport, 300.0)
    for number in range(steps):
        command = random_command(rng, case, number)
        command.do(case)
        changes = changes_of(case, edited_event_ids(command))  # type: ignore[arg-type]
        edits = data.apply(case, changes)
        if edits is None:  # the lanes shown change: the canvas rebuilds
            data = CanvasData(case)
            builder = SceneBuilder(data, lambda text: 7.0 * len(text))
        else:
            builder.apply(edits)
        assert order.apply(changes) is not None
        assert_same_data(data, CanvasData(case))
        fresh = SceneBuilder(CanvasData(case), lambda text: 7.0 * len(text))
        assert (builder.lead_px, builder.trail_px, builder.spans) == (
            fresh.lead_px, fresh.trail_px, fresh.spans
        )  # fmt: skip
        for viewport in viewports(data):  # cached packings are kept only where still right
            assert builder.build(viewport, 300.0) == fresh.build(viewport, 300.0)
        assert order.events == case.events_in_time_order()
        assert order.ranks() == {ev.id: r for r, ev in enumerate(case.events_in_time_order())}
        assert all(order.rank(ev.id) == r for r, ev in enumerate(order.events))


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10**6), built=st.booleans())
def test_canvas_data_edited_in_place_equals_a_rebuild(seed: int, built: bool) -> None:
    run_edits(seed, 25, built)


def test_span_index_edits_equal_a_rebuild() -> None:
    rng = random.Random(7)
    items = sorted((rng.choice((0.0, 1.0, 2.5)), rng.random() * 100) for _ in range(60))
    starts = [s for s, _ in items]
    ends = [s + d for s, d in items]
    index = SpanIndex(starts, ends, range(60))
    index.overlapping(0, 1)  # the duration classes are built, and kept up to date
    index.remove(starts[10], ends[10], 10)
    index.shift_keys(11, -1)
    del starts[10], ends[10]
    index.shift_keys(3, +1)
    index.insert(1.0, 1.5, 3)
    starts.insert(3, 1.0), ends.insert(3, 1.5)
    fresh = SpanIndex(starts, ends, range(60))
    assert index_state(index) == index_state(fresh)
    for lo, hi in ((0, 1), (1, 2), (50, 60), (-5, 200)):
        assert index.overlapping(lo, hi) == fresh.overlapping(lo, hi)
        assert index.count_overlapping(lo, hi) == fresh.count_overlapping(lo, hi)


def test_only_commands_of_one_event_are_updated_in_place() -> None:
    event = Event("x", "X", When.parse("2017"))
    assert edited_event_ids(UpdateEvent("x", {"title": "Y"})) == {"x"}
    assert edited_event_ids(AddEvent(event)) == {"x"}
    assert edited_event_ids(Macro([AddEvent(event)])) is None
    assert edited_event_ids(AddLane(Lane("l", "L"))) is None


# -- the window -------------------------------------------------------------------------------


def list_rows(model: EventTableModel) -> list[str]:
    return [model.event_at(row).id for row in range(model.rowCount())]  # type: ignore[union-attr]


def rebuilt_rows(case: Case, column: int, order: Qt.SortOrder) -> list[str]:
    model = EventTableModel()
    model.set_case(case)
    model.sort(column, order)
    return list_rows(model)


@pytest.fixture()
def window(qtbot, tmp_path: Path, default_case_path: Path) -> MainWindow:
    folder = tmp_path / "case"
    shutil.copytree(default_case_path, folder)
    window = MainWindow()

    def forget_edits() -> None:
        if window.editing.history is not None:
            window.editing.history.set_clean()

    qtbot.addWidget(window, before_close_func=lambda _w: forget_edits())
    assert window.open_case(folder)
    window.resize(1100, 700)
    window.show()
    qtbot.waitExposed(window)
    return window


SORTS = [
    (DATE_COLUMN, Qt.SortOrder.AscendingOrder),
    (TITLE_COLUMN, Qt.SortOrder.AscendingOrder),
    (LANE_COLUMN, Qt.SortOrder.DescendingOrder),
    (DATE_COLUMN, Qt.SortOrder.DescendingOrder),
]


@pytest.mark.parametrize(("column", "order"), SORTS)
@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 10**6))
def test_window_after_edits_shows_what_a_rebuild_shows(
    window: MainWindow, column: int, order: Qt.SortOrder, seed: int
) -> None:
    rng = random.Random(seed)
    window.event_list.sortByColumn(column, order)
    case = window.case
    assert case is not None
    for _ in range(12):
        action = rng.random()
        if action < 0.15 and window.editing.history.can_undo():  # type: ignore[union-attr]
            window.editing.undo()
        elif action < 0.25 and window.editing.history.can_redo():  # type: ignore[union-attr]
            window.editing.redo()
        else:
            command = random_command(rng, case, rng.randrange(10**9))
            window.editing.push(command, select=getattr(command, "event_id", None))
        model = window.event_list.source_model
        assert list_rows(model) == rebuilt_rows(case, column, order)
        assert all(model.row_of(i) == r for r, i in enumerate(list_rows(model)))
        proxy = window.event_list.proxy_model
        shown = [proxy.index(r, 0).data(EVENT_ID_ROLE) for r in range(proxy.rowCount())]
        assert shown == list_rows(model)
        assert_same_data(window.canvas._data, CanvasData(case))  # type: ignore[arg-type]
        selected = window.selected_id()
        assert window.event_list.selected_id() == selected
        assert window.canvas.selected_id() == selected
        assert (window.detail_pane.event.id if window.detail_pane.event else None) == selected
    window.select_first_event()
    assert window.selected_id() == case.events_in_time_order()[0].id
    window.select_next_event()
    assert window.selected_id() == case.events_in_time_order()[1].id


def test_an_edit_of_one_event_updates_the_views_in_place(window: MainWindow, qtbot) -> None:
    case = window.case
    assert case is not None
    event = case.events_in_time_order()[3]
    window.select_event(event.id)
    data = window.canvas._data
    resets: list[int] = []
    window.event_list.source_model.modelReset.connect(lambda: resets.append(1))
    assert window.editing.push(UpdateEvent(event.id, {"title": "Renamed", "when": "1999"}))
    assert window.canvas._data is data and not resets  # updated, not rebuilt
    assert window.selected_id() == event.id
    assert window.event_list.selected_id() == event.id
    assert window.detail_pane.title_label.text() == "Renamed"
    assert list_rows(window.event_list.source_model) == rebuilt_rows(
        case, DATE_COLUMN, Qt.SortOrder.AscendingOrder
    )
    window.editing.undo()
    assert window.canvas._data is data and not resets
    assert list_rows(window.event_list.source_model) == rebuilt_rows(
        case, DATE_COLUMN, Qt.SortOrder.AscendingOrder
    )


def test_ids_used_twice_are_ranked_as_before_and_never_edited_in_place() -> None:
    events = [Event("x", "One", When.parse("2017")), Event("x", "Two", When.parse("2016"))]
    order = TimeOrder(Case(events=events))
    assert order.rank("x") == 1 and order.events[1].title == "One"
    assert order.apply({"x": None}) is None
