"""The event list: a sortable table model over the case's events, selection by id."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor

from timeline_app.core.dates import When
from timeline_app.core.model import Case, Event, Lane
from timeline_app.ui.event_list import (
    DATE_COLUMN,
    EVENT_ID_ROLE,
    LANE_COLUMN,
    TITLE_COLUMN,
    EventListView,
)


def make_case() -> Case:
    def event(event_id: str, when: str, title: str, lane: str) -> Event:
        return Event(id=event_id, title=title, when=When.parse(when), lane=lane)

    return Case(
        title="Sorting",
        lanes=[Lane("a", "Alpha", "#ff0000"), Lane("b", "Beta", "#00ff00")],
        events=[
            event("late", "2019-12-18", "Zebra crossing", "a"),
            event("early", "1996-09-30", "apple harvest", "b"),
            event("month", "2017-05~", "Middle of May", "a"),
            event("day", "2017-05-02", "Bee day", "b"),
        ],
    )


@pytest.fixture()
def view(qtbot) -> EventListView:
    view = EventListView()
    qtbot.addWidget(view)
    view.case = make_case()
    view.set_case(view.case)
    view.resize(600, 300)
    view.show()
    qtbot.waitExposed(view)
    return view


def view_case_event(view: EventListView, event_id: str) -> Event:
    return view.case.event_by_id(event_id)


def column_ids(view: EventListView) -> list[str]:
    proxy = view.proxy_model
    return [proxy.index(row, 0).data(EVENT_ID_ROLE) for row in range(proxy.rowCount())]


def test_model_adapts_the_case_list_without_copying(view: EventListView) -> None:
    model = view.source_model
    assert model.rowCount() == 4 and model.columnCount() == 3
    assert model.rowCount(model.index(0, 0)) == 0  # a table, not a tree
    headers = [
        model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        for c in range(3)
    ]
    assert headers == ["Date", "Title", "Lane"]
    row = model.row_of("late")
    assert model.event_at(row) is view_case_event(view, "late")  # the case's own object
    assert model.index(row, DATE_COLUMN).data() == When.parse("2019-12-18").human()
    assert model.index(row, TITLE_COLUMN).data() == "Zebra crossing"
    assert model.index(row, LANE_COLUMN).data() == "Alpha"
    colour = model.index(row, LANE_COLUMN).data(Qt.ItemDataRole.DecorationRole)
    assert colour == QColor("#ff0000")
    assert model.data(QModelIndex()) is None


def test_date_column_sorts_by_time_not_by_text(view: EventListView) -> None:
    # "2017-05~" starts on 1 May, so it sorts before 2 May although "Middle..." > "Bee...".
    assert column_ids(view) == ["early", "month", "day", "late"]
    view.sortByColumn(DATE_COLUMN, Qt.SortOrder.DescendingOrder)
    assert column_ids(view) == ["late", "day", "month", "early"]


def test_title_and_lane_columns_sort_case_insensitively(view: EventListView) -> None:
    view.sortByColumn(TITLE_COLUMN, Qt.SortOrder.AscendingOrder)
    assert column_ids(view) == ["early", "day", "month", "late"]
    view.sortByColumn(LANE_COLUMN, Qt.SortOrder.AscendingOrder)
    assert [view.proxy_model.index(r, LANE_COLUMN).data() for r in range(4)] == [
        "Alpha",
        "Alpha",
        "Beta",
        "Beta",
    ]


def test_a_new_case_is_sorted_as_the_header_says(view: EventListView) -> None:
    view.sortByColumn(TITLE_COLUMN, Qt.SortOrder.DescendingOrder)
    view.set_case(make_case())
    assert column_ids(view) == ["late", "month", "day", "early"]


def test_user_selecting_a_row_emits_its_event_id(view: EventListView, qtbot) -> None:
    rect = view.visualRect(view.proxy_model.index(2, TITLE_COLUMN))
    with qtbot.waitSignal(view.event_selected, timeout=1000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == ["day"]
    assert view.selected_id() == "day"


def test_selecting_by_id_is_quiet_and_follows_sorting(view: EventListView, qtbot) -> None:
    with qtbot.assertNotEmitted(view.event_selected):
        view.select_event_id("month")
    assert view.selected_id() == "month"
    assert view.selectionModel().selectedRows()[0].row() == 1
    view.sortByColumn(DATE_COLUMN, Qt.SortOrder.DescendingOrder)
    assert view.selected_id() == "month"
    view.select_event_id(None)
    assert view.selected_id() is None
    assert view.selectionModel().selectedRows() == []


def test_tooltips_show_titles_literally(qtbot) -> None:
    view = EventListView()
    qtbot.addWidget(view)
    case = make_case()
    case.events[0].title = "<b>bold?</b>"
    view.set_case(case)
    row = view.source_model.row_of(case.events[0].id)
    tip = view.source_model.index(row, TITLE_COLUMN).data(Qt.ItemDataRole.ToolTipRole)
    assert "&lt;b&gt;bold?&lt;/b&gt;" in tip


def test_events_without_a_known_lane_are_listed_under_other(qtbot) -> None:
    view = EventListView()
    qtbot.addWidget(view)
    case = make_case()
    case.events[1].lane = None
    view.set_case(case)
    row = view.source_model.row_of(case.events[1].id)
    assert view.source_model.index(row, LANE_COLUMN).data() == "Other"
