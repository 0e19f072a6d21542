"""The event list: a sortable table (date, title, lane) over the case's events.

:class:`EventTableModel` is a thin QAbstractTableModel adapter over the case's own
list of events (no copies in a QStandardItemModel); :class:`EventListView` puts a
QSortFilterProxyModel in front of it and reports the user's selection by event id.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from timeline_app.core.model import Case, Event
from timeline_app.ui.detail_pane import OTHER_LANE_COLOUR, OTHER_LANE_NAME
from timeline_app.ui.plain_text import plain_tooltip
from timeline_app.ui.time_order import TimeOrder

DATE_COLUMN, TITLE_COLUMN, LANE_COLUMN = range(3)
HEADERS = ("Date", "Title", "Lane")

SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # a value that sorts the column the right way
EVENT_ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the event's id, on every column

AnyIndex = QModelIndex | QPersistentModelIndex
Select = QItemSelectionModel.SelectionFlag


class EventTableModel(QAbstractTableModel):
    """Rows are the case's events (the same objects, not copies) in the chosen order.

    Sorting happens here, in Python, with plain sort keys (about 0.1 s for 100,000
    events): sorting through a proxy's per-pair data() calls would take many seconds.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._events: list[Event] = []
        self._ids: list[str] = []  # the events' ids, row by row
        self._time = TimeOrder()
        self._lane_names: dict[str, str] = {}
        self._lane_colours: dict[str, QColor] = {}
        self._other_colour = QColor(OTHER_LANE_COLOUR)
        self._sorted_by = (DATE_COLUMN, Qt.SortOrder.AscendingOrder)

    def set_case(self, case: Case | None) -> None:
        """Show the events of ``case`` in time order (None empties the table)."""
        self.beginResetModel()
        self._time = TimeOrder(case)
        self._set_rows(list(self._time.events))
        lanes = case.lanes if case else []
        self._lane_names = {lane.id: lane.name for lane in lanes}
        self._lane_colours = {lane.id: QColor(lane.colour) for lane in lanes}
        self._sorted_by = (DATE_COLUMN, Qt.SortOrder.AscendingOrder)
        self.endResetModel()

    def _set_rows(self, events: list[Event]) -> None:
        self._events = events
        self._ids = [ev.id for ev in events]

    def update_events(self, case: Case, changes: dict[str, Event | None]) -> bool:
        """After an edit of one event in place (``changes``: its id -> the event now, None:
        removed): move, insert or remove its row, keeping the order. False (nothing
        changed) when the table must be set anew instead."""
        if len(changes) != 1 or self._lane_names != {lane.id: lane.name for lane in case.lanes}:
            return False
        event_id, event = next(iter(changes.items()))
        old = self.row_of(event_id)
        moves = self._time.apply(changes)
        if moves is None or len(self._time) != len(case.events):
            return False
        if moves:
            self._move_row(old, event)
        return True

    def _move_row(self, old: int | None, event: Event | None) -> None:
        """Take the row ``old`` out (None: none) and put ``event`` in its sorted place."""
        rows, ids, root = self._events, self._ids, QModelIndex()
        if old is not None:
            moved, moved_id = rows.pop(old), ids.pop(old)
        new = self._sorted_row(event) if event is not None else None
        if old is not None:
            rows.insert(old, moved)  # back for the signals below
            ids.insert(old, moved_id)
        if old is not None and new == old:
            rows[old], ids[old] = event, event.id  # type: ignore[union-attr]
            last = self.index(old, len(HEADERS) - 1)
            self.dataChanged.emit(self.index(old, 0), last)
        elif old is not None and new is not None:
            self.beginMoveRows(root, old, old, root, new + 1 if new > old else new)
            del rows[old], ids[old]
            rows.insert(new, event)  # type: ignore[arg-type]
            ids.insert(new, event.id)  # type: ignore[union-attr]
            self.endMoveRows()
        elif old is not None:
            self.beginRemoveRows(root, old, old)
            del rows[old], ids[old]
            self.endRemoveRows()
        elif new is not None:
            self.beginInsertRows(root, new, new)
            rows.insert(new, event)  # type: ignore[arg-type]
            ids.insert(new, event.id)  # type: ignore[union-attr]
            self.endInsertRows()

    def _sorted_row(self, event: Event) -> int:
        """Where ``event`` goes among the rows (sorted as they are): its row when it is one."""
        column, order = self._sorted_by
        key, descending = self._sort_key_for(column), order == Qt.SortOrder.DescendingOrder
        wanted, rows = key(event), self._events
        lo, hi = 0, len(rows)
        while lo < hi:
            mid = (lo + hi) // 2
            here = key(rows[mid])
            if (here > wanted) if descending else (here < wanted):
                lo = mid + 1
            else:
                hi = mid
        return lo

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by ``column``; ties fall back to time order. Selection follows."""
        key = self._sort_key_for(column, self._time.ranks().__getitem__)
        self.layoutAboutToBeChanged.emit()
        moved = self.persistentIndexList()
        moved_ids = [self._events[index.row()].id for index in moved]
        descending = order == Qt.SortOrder.DescendingOrder
        self._events.sort(key=key, reverse=descending)
        self._set_rows(self._events)
        self._sorted_by = (column, order)
        row_of = {event_id: row for row, event_id in enumerate(self._ids)}
        targets = [
            self.index(row_of[ev_id], index.column())
            for index, ev_id in zip(moved, moved_ids, strict=True)
        ]
        self.changePersistentIndexList(moved, targets)
        self.layoutChanged.emit()

    def _sort_key_for(self, column: int, rank: Callable[[str], int | None] | None = None):
        by_rank = rank or self._time.rank
        if column == TITLE_COLUMN:
            return lambda ev: (ev.title.casefold(), by_rank(ev.id))
        if column == LANE_COLUMN:
            return lambda ev: (self._display(ev, LANE_COLUMN).casefold(), by_rank(ev.id))
        return lambda ev: by_rank(ev.id)

    def event_at(self, row: int) -> Event | None:
        return self._events[row] if 0 <= row < len(self._events) else None

    def row_of(self, event_id: str) -> int | None:
        """The row of ``event_id`` (None: not shown)."""
        rank = self._time.rank(event_id)
        if rank is None:
            return None
        column, order = self._sorted_by
        if column == DATE_COLUMN:  # rows in time order: no search
            row = rank if order == Qt.SortOrder.AscendingOrder else len(self._ids) - 1 - rank
            if 0 <= row < len(self._ids) and self._ids[row] == event_id:
                return row
        try:  # the last row, should an id be used twice
            return len(self._ids) - 1 - self._ids[::-1].index(event_id)
        except ValueError:
            return None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._events)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        event = self.event_at(index.row()) if index.isValid() else None
        if event is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(event, column)
        if role == SORT_ROLE:
            return self._sort_value(event, column)
        if role == EVENT_ID_ROLE:
            return event.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(f"{event.title}\n{event.when.human()}")
        if role == Qt.ItemDataRole.DecorationRole and column == LANE_COLUMN:
            return self._lane_colours.get(event.lane or "", self._other_colour)
        return None

    def _display(self, event: Event, column: int) -> str:
        if column == DATE_COLUMN:
            return event.when.human()
        if column == TITLE_COLUMN:
            return event.title
        return self._lane_names.get(event.lane or "", OTHER_LANE_NAME)

    def _sort_value(self, event: Event, column: int) -> int | str:
        if column == DATE_COLUMN:
            return self._time.rank(event.id) or 0
        return self._display(event, column).casefold()


class EventSortProxy(QSortFilterProxyModel):
    """Passes sorting on to the :class:`EventTableModel` (fast); filtering stays here."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, EventTableModel) and column >= 0:
            source.sort(column, order)


class EventListView(QTableView):
    """The table of events; emits ``event_selected(id)`` when the user picks a row."""

    event_selected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = EventTableModel(self)
        self._proxy = EventSortProxy(self)
        self._proxy.setSourceModel(self._model)
        self._proxy.setSortRole(SORT_ROLE)
        self.setModel(self._proxy)
        self._quiet = False
        self._configure()
        self.selectionModel().currentRowChanged.connect(self._on_current_row_changed)

    def _configure(self) -> None:
        self.setSortingEnabled(True)
        self.sortByColumn(DATE_COLUMN, Qt.SortOrder.AscendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(DATE_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TITLE_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(LANE_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(DATE_COLUMN, 200)
        header.resizeSection(LANE_COLUMN, 150)

    @property
    def source_model(self) -> EventTableModel:
        return self._model

    @property
    def proxy_model(self) -> QSortFilterProxyModel:
        return self._proxy

    def set_case(self, case: Case | None) -> None:
        """Show ``case``'s events, sorted as the header says."""
        self._quiet = True
        try:
            self._model.set_case(case)
            header = self.horizontalHeader()
            column, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
            if (column, order) != (DATE_COLUMN, Qt.SortOrder.AscendingOrder):
                self._model.sort(column, order)  # set_case gives time order
        finally:
            self._quiet = False

    def update_events(self, case: Case, changes: dict[str, Event | None]) -> None:
        """After an edit of a few events in place (``changes``: id -> the event now, None:
        removed): update their rows, in the order the header says."""
        self._quiet = True
        try:
            self.selectionModel().clear()  # as a reset would (the window selects again)
            if not self._model.update_events(case, changes):
                self.set_case(case)
        finally:
            self._quiet = False

    def selected_id(self) -> str | None:
        current = self.currentIndex()
        return current.data(EVENT_ID_ROLE) if current.isValid() else None

    def select_event_id(self, event_id: str | None) -> None:
        """Select (and scroll to) the row of ``event_id`` without emitting event_selected."""
        self._quiet = True
        try:
            self._select_quietly(event_id)
        finally:
            self._quiet = False

    def _select_quietly(self, event_id: str | None) -> None:
        row = self._model.row_of(event_id) if event_id is not None else None
        if row is None:
            self.clearSelection()
            self.selectionModel().setCurrentIndex(QModelIndex(), Select.Clear)
            return
        index = self._proxy.mapFromSource(self._model.index(row, DATE_COLUMN))
        flags = Select.ClearAndSelect | Select.Rows
        self.selectionModel().setCurrentIndex(index, flags)
        self.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet or not current.isValid():
            return
        event_id = current.data(EVENT_ID_ROLE)
        if event_id:
            self.event_selected.emit(event_id)
