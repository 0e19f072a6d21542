"""Search in the window: the field (in the toolbar), the results dock and the status readout.

Typing runs the query ~150 ms after the last keystroke, on the main thread (the core answers
in a few milliseconds) for the best FIRST_HITS hits; when there are more, a worker thread (its
own SQLite connection) finds up to MAX_EMPHASIS once typing pauses, appends the best MAX_HITS
to the list and emphasises every matching event. A request counter drops any answer to text
that is no longer in the field. Results are grouped into events and documents. Choosing an
event hit selects the event; choosing a document hit shows the whole document in the detail
pane with every match highlighted, and F3 / Shift+F3 step through them. Matching events are
emphasised on the canvas ("Show only matches" hides the rest); Esc in the field clears it all.

The index is built or refreshed in the background (:class:`IndexKeeper`); a query typed
meanwhile waits and runs as soon as the index is ready.
"""

from __future__ import annotations

import sqlite3
from concurrent.futures import Future
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDockWidget,
    QHBoxLayout,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from timeline_app.core.model import Case, Document, Event
from timeline_app.core.query import QueryError, parse_query
from timeline_app.core.search import Hit
from timeline_app.ui.background import BackgroundJob, run_in_background
from timeline_app.ui.plain_text import human_date, plain_label, set_muted
from timeline_app.ui.search_delegate import HitDelegate
from timeline_app.ui.search_document import DocumentMatchesPage, join_adjacent
from timeline_app.ui.search_index import IndexKeeper, search_in_worker
from timeline_app.ui.search_results import HIT_ROLE, SearchResultsModel
from timeline_app.ui.search_widgets import SearchField, SearchStatus

if TYPE_CHECKING:
    from timeline_app.ui.main_window import MainWindow

DEBOUNCE_MS = 150
FIRST_HITS = 40  # found on the main thread, at once
MAX_HITS = 200  # listed at most; the rest come from a worker thread
MAX_EMPHASIS = 3000  # matching events emphasised on the canvas at most
MORE_DELAY_MS = 350  # the worker starts once typing pauses: it competes for the GIL
PROGRESS_DELAY_MS = 300  # a quick index build shows no progress at all
FIELD_WIDTH = 300
DOCK_WIDTH = 360


class SearchPanel(QDockWidget):
    """The results dock; it also owns the field and status readout the window places."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__("Search results", window)
        self.setObjectName("search_dock")
        self._case: Case | None = None
        self._request = 0  # bumped by every edit of the field
        self._shown_request = -1  # the request whose results are shown
        self._ran_request = -1  # the request last searched for
        self.answered_text = ""  # the field text the panel shows the answer (hits or message) for
        self._query_text = ""  # the text whose results are shown
        self._waiting_for_index = False
        self._matching_events: set[str] | None = None
        self._more_job: BackgroundJob | None = None
        self._more_for: tuple[int, str] | None = None  # (request, text) wanting more hits
        self._by_id: dict[str, object] | None = None  # "e:ID"/"d:ID" -> event/document
        self.field = SearchField()
        self.field.setFixedWidth(FIELD_WIDTH)
        self.status_widget = SearchStatus()
        self.keeper = IndexKeeper(self)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._progress_delay = QTimer(self)
        self._progress_delay.setSingleShot(True)
        self._progress_delay.setInterval(PROGRESS_DELAY_MS)
        self._last_percent = 0
        self._more_timer = QTimer(self)
        self._more_timer.setSingleShot(True)
        self._more_timer.setInterval(MORE_DELAY_MS)
        self._reindex = QTimer(self)  # after an edit: once the views have painted it
        self._reindex.setSingleShot(True)
        self._reindex.setInterval(0)
        self.setWidget(self._build_contents())
        self.setAllowedAreas(
            Qt.DockWidgetArea.LeftDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea
        )
        self._connect()

    def _build_contents(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        top = QHBoxLayout()
        top.setContentsMargins(10, 0, 8, 0)
        self.summary_label = plain_label("", "search_summary")
        self.summary_label.setWordWrap(False)
        set_muted(self.summary_label)
        self.only_matches = QCheckBox("Show only matches")
        self.only_matches.setObjectName("only_matches")
        self.only_matches.setToolTip("Hide the events that do not match on the timeline")
        top.addWidget(self.summary_label, 1)
        top.addWidget(self.only_matches)
        layout.addLayout(top)
        self.message_label = plain_label("", "search_message")
        self.message_label.setContentsMargins(10, 4, 10, 4)
        self.message_label.hide()
        layout.addWidget(self.message_label)
        self.model = SearchResultsModel(self)
        self.results_view = QTreeView()
        self.results_view.setObjectName("search_results")
        self.results_view.setModel(self.model)
        self.results_view.setItemDelegate(HitDelegate(self.results_view))
        self.results_view.setHeaderHidden(True)
        self.results_view.setRootIsDecorated(False)
        self.results_view.setIndentation(0)
        self.results_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results_view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results_view.setMouseTracking(False)
        layout.addWidget(self.results_view, 1)
        return box

    def _connect(self) -> None:
        self.field.textChanged.connect(self._text_edited)
        self.field.escape_pressed.connect(self._escape_in_field)
        self.field.down_pressed.connect(self._enter_results)
        self._debounce.timeout.connect(self._typing_paused)
        self._more_timer.timeout.connect(self._start_more)
        self._reindex.timeout.connect(self._start_indexing)
        self._progress_delay.timeout.connect(self._show_progress_now)
        self.only_matches.toggled.connect(self._apply_emphasis)
        self.results_view.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.results_view.clicked.connect(self._row_clicked)
        self.keeper.index_ready.connect(self._index_ready)
        self.keeper.index_failed.connect(self._index_failed)
        self.keeper.progressed.connect(self._index_progressed)

    def _main_window(self) -> MainWindow:
        """The window (its Qt parent; not kept in an attribute: no wrapper cycle for the GC)."""
        return self.parent()  # type: ignore[return-value]

    # ---- public API -----------------------------------------------------------------------

    @property
    def index_ready(self) -> bool:
        return self.keeper.index is not None

    @property
    def matching_event_ids(self) -> set[str] | None:
        """The events emphasised on the canvas; None when there is no search."""
        return self._matching_events

    def set_case(self, case: Case) -> None:
        """A new case: clear the search and start making its index."""
        self._case = case
        self._by_id = None
        self._reindex.stop()
        self.clear_search()
        self._start_indexing()

    def case_changed(self) -> None:
        """The open case was edited: update the index, then search again. The old index is
        closed at once; the update starts when the event loop next turns, after the views
        have painted the edit (its worker thread would slow their painting down)."""
        self._by_id = None
        self.keeper.stop()
        self._reindex.start()

    def focus_field(self) -> None:
        """Ctrl+F: put the cursor in the field with its text selected."""
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def clear_search(self) -> None:
        """Empty the field, the results and the emphasis; back to the selected event."""
        self._debounce.stop()
        self.field.blockSignals(True)
        self.field.clear()
        self.field.blockSignals(False)
        self._request += 1
        self._clear_results()

    def _escape_in_field(self) -> None:
        """Esc clears the search; in an empty field it goes back to the timeline."""
        if self.field.text():
            self.clear_search()
        else:
            self._main_window().canvas.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def next_match(self) -> None:
        self._step(+1)

    def previous_match(self) -> None:
        self._step(-1)

    def run_query_now(self) -> None:
        """Run the field's query now; show hits or a message."""
        self._debounce.stop()
        self._search_field_text()

    def _typing_paused(self) -> None:
        if self._ran_request != self._request:
            self._search_field_text()

    def _search_field_text(self) -> None:
        text = self.field.text()
        request = self._ran_request = self._request
        if not text.strip():
            self._clear_results()
            return
        index = self.keeper.index
        try:
            if index is None:
                parse_query(text)  # a bad query is told at once, index or not
                self._wait_for_index()
                return
            hits = index.search(text, limit=FIRST_HITS)
        except QueryError as err:
            self._show_message(str(err))
            self.answered_text = text
            return
        if request == self._request:  # stale answers are dropped
            self._show_hits(text, hits, request)
            self.answered_text = text
            if len(hits) >= FIRST_HITS:
                self._fetch_more(request, text)
            else:
                self._more_for = None

    # ---- typing and results -----------------------------------------------------------------

    def _text_edited(self, text: str) -> None:
        self._request += 1
        self._more_timer.stop()
        if not text.strip():
            self._debounce.stop()
            self._clear_results()
        elif self._debounce.isActive():  # typing fast: search when it pauses
            self._debounce.start()
        else:  # the first key after a pause is answered at once (queries take a few ms)
            self._search_field_text()
            self._debounce.start()

    def _show_hits(self, text: str, hits: list[Hit], request: int) -> None:
        self._waiting_for_index = False
        self._query_text = text
        self._shown_request = request
        phrases = parse_query(text).phrases()
        self.model.set_hits(hits, phrases, self._describe)
        events, documents = self.model.event_count, self.model.document_count
        self.summary_label.setText(_count_text(events, documents, len(hits)))
        if hits:
            self.message_label.hide()
        else:
            self._set_message("No event or document matches.")
        self._matching_events = {h.id for h in hits if h.kind == "event"}
        self._apply_emphasis()
        self._show_dock()
        self._refresh_shown_document()

    # ---- the rest of the results, from a worker thread ---------------------------------

    def _fetch_more(self, request: int, text: str) -> None:
        """Find up to MAX_EMPHASIS hits in a worker (its own connection): list the best
        MAX_HITS, emphasise every matching event. One such search runs at a time."""
        self._more_for = (request, text)
        if self._more_job is None:
            self._more_timer.start()

    def _start_more(self) -> None:
        key = self.keeper.worker_key
        if key is None or self._more_for is None or self._more_for[0] != self._request:
            return
        request, text = self._more_for
        self._more_job = run_in_background(
            partial(search_in_worker, key, text, MAX_EMPHASIS),
            partial(self._more_hits_arrived, request),
            owner=self,
        )

    def _more_hits_arrived(self, request: int, future: Future) -> None:
        self._more_job = None
        current = self._request == self._shown_request
        if request != self._request or not current:
            if self._more_for is not None and self._more_for[0] == self._request and current:
                self._more_timer.start()  # the query changed while this one ran
            return
        self._more_for = None
        try:
            hits = future.result()
        except (QueryError, ValueError, OSError, sqlite3.Error):
            return  # the first results stay; nothing worth a message
        self.model.add_hits(hits[:MAX_HITS], self._describe)
        events, documents = self.model.event_count, self.model.document_count
        self.summary_label.setText(_count_text(events, documents, len(hits)))
        self._matching_events = {h.id for h in hits if h.kind == "event"}
        self._apply_emphasis()

    def _show_message(self, message: str) -> None:
        """A query that cannot run: say why in the panel; nothing is listed or emphasised."""
        self._waiting_for_index = False
        self._query_text = ""
        self._more_for = None
        self.model.clear()
        self.summary_label.setText("")
        self._set_message(message)
        self._matching_events = None
        self._apply_emphasis()
        self._show_dock()

    def _set_message(self, message: str) -> None:
        self.message_label.setText(message)
        self.message_label.show()

    def _clear_results(self) -> None:
        self._waiting_for_index = False
        self._query_text = ""
        self._more_for = None
        self.model.clear()
        self.summary_label.setText("")
        self.message_label.hide()
        self._matching_events = None
        self._apply_emphasis()
        if not self.keeper.building:
            self.status_widget.show_text("")
        window = self._main_window()
        if window.detail_pane.shown_document_page() is not None:
            window.select_event(window.selected_id())  # back to the event view
        self.hide()  # also when a saved window layout showed it with nothing in it

    def _wait_for_index(self) -> None:
        self._waiting_for_index = True
        self.model.clear()
        self.summary_label.setText("")
        self._set_message("Indexing the case… results appear as soon as it is ready.")
        self._show_dock()

    def _apply_emphasis(self) -> None:
        ids = self._matching_events
        self._main_window().canvas.set_emphasis(ids, only=self.only_matches.isChecked())

    def _show_dock(self) -> None:
        if not self.isVisible() and not self.isFloating():
            self.show()
            window = self._main_window()
            width = min(DOCK_WIDTH, max(240, round(window.width() * 0.28)))  # room for the canvas
            window.resizeDocks([self], [width], Qt.Orientation.Horizontal)
        else:
            self.show()

    def _describe(self, hit: Hit) -> tuple[str, str]:
        """The date and summary shown in a hit's row."""
        if self._by_id is None:
            case = self._case
            self._by_id = {"e:" + ev.id: ev for ev in case.events} if case else {}
            self._by_id.update({"d:" + doc.id: doc for doc in case.documents} if case else {})
        item = self._by_id.get(("e:" if hit.kind == "event" else "d:") + hit.id)
        if isinstance(item, Event):
            return item.when.human(), item.summary
        if isinstance(item, Document) and item.date:
            return human_date(item.date), ""
        return "", ""

    # ---- choosing a hit -----------------------------------------------------------------

    def _enter_results(self) -> None:
        if self.model.rowCount():
            self.results_view.setFocus(Qt.FocusReason.OtherFocusReason)
            if not self.results_view.currentIndex().isValid():
                self._select_row(self._next_hit_row(-1, +1))

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._choose(current.data(HIT_ROLE))

    def _row_clicked(self, index: QModelIndex) -> None:
        hit = index.data(HIT_ROLE)
        if hit is not None and not self._is_shown(hit):
            self._choose(hit)

    def _is_shown(self, hit: Hit) -> bool:
        if hit.kind == "event":
            page = self._main_window().detail_pane.shown_document_page()
            return page is None and self._main_window().selected_id() == hit.id
        page = self._main_window().detail_pane.shown_document_page()
        return page is not None and page.document_id == hit.id

    def _choose(self, hit: Hit | None) -> None:
        if hit is None:
            return
        if hit.kind == "event":
            self._main_window().select_event(hit.id)
            self.status_widget.show_text("")
        else:
            self._show_document(hit)

    def _show_document(self, hit: Hit) -> None:
        document = self._case.document_by_id(hit.id) if self._case else None
        index = self.keeper.index
        if document is None or index is None:
            return
        try:
            matches = index.document_matches(hit.id, self._query_text)
        except QueryError:
            matches = list(hit.matches)
        matches = join_adjacent(document.text, matches)
        first = hit.matches[0][0] if hit.matches else (hit.passage or (0, 0))[0]
        current = next((i for i, (_start, end) in enumerate(matches) if end > first), 0)
        page = self._main_window().detail_pane.show_document(document, matches, current)
        self._show_position(page)

    def _refresh_shown_document(self) -> None:
        """A new query while a document is shown: highlight the new query's matches."""
        page = self._main_window().detail_pane.shown_document_page()
        if page is None or page.document_id is None:
            return
        row = self.model.row_of("document", page.document_id)
        if row >= 0:
            self._select_row(row)
            self._show_document(self.model.index(row).data(HIT_ROLE))

    def _step(self, delta: int) -> None:
        """F3 / Shift+F3: the next match in the shown document, else the next hit."""
        page = self._main_window().detail_pane.shown_document_page()
        if page is not None and page.position()[1]:
            page.step(delta)
            self._show_position(page)
            return
        if not self.model.hits():
            self.status_widget.show_text("No search results" if self._query_text else "")
            return
        self._select_row(self._next_hit_row(self.results_view.currentIndex().row(), delta))

    def _next_hit_row(self, row: int, delta: int) -> int:
        count = self.model.rowCount()
        for _ in range(count):
            row = (row + delta) % count
            if self.model.index(row).data(HIT_ROLE) is not None:
                return row
        return -1

    def _select_row(self, row: int) -> None:
        if row < 0:
            return
        index = self.model.index(row)
        self.results_view.setCurrentIndex(index)
        self.results_view.scrollTo(index)

    def _show_position(self, page: DocumentMatchesPage) -> None:
        number, total = page.position()
        self.status_widget.show_text(f"Match {number} of {total}" if total else "No matches")

    # ---- the index ----------------------------------------------------------------------

    def _start_indexing(self) -> None:
        self._last_percent = 0
        self.field.setEnabled(True)
        self.keeper.set_case(self._case)
        self._progress_delay.start()

    def _index_progressed(self, percent: int) -> None:
        self._last_percent = percent
        if not self._progress_delay.isActive():
            self.status_widget.show_progress(percent)

    def _show_progress_now(self) -> None:
        if self.keeper.building:
            self.status_widget.show_progress(self._last_percent)

    def _index_ready(self) -> None:
        self._progress_delay.stop()
        self.status_widget.show_text("")
        if self.field.text().strip():
            self.run_query_now()

    def _index_failed(self, message: str) -> None:
        self._progress_delay.stop()
        self.status_widget.show_text("Search unavailable")
        self.status_widget.label.setToolTip(message)
        self._waiting_for_index = False
        if self.field.text().strip():
            self._show_message(message)


def _count_text(events: int, documents: int, found: int) -> str:
    """ "3 events · 1 document", or "best 200 of 5,000+" when not all are listed."""
    listed = events + documents
    if found > listed:
        more = "+" if found >= MAX_EMPHASIS else ""
        return f"best {listed:,} of {found:,}{more} matches"
    return "  ·  ".join(
        [f"{events:,} event" + ("" if events == 1 else "s"),
         f"{documents:,} document" + ("" if documents == 1 else "s")]
    )  # fmt: skip
