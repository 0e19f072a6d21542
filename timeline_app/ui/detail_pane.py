"""The detail pane: the selected event and, for each of its sources, the source text.

Everything that comes from a case file (titles, summaries, document text) is shown as
plain text. Each source gets a tab holding a view from :mod:`timeline_app.ui.source_views`.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from timeline_app.core.model import Case, Document, Event, SourceRef
from timeline_app.ui.plain_text import (
    fact_form,
    fact_name,
    plain_label,
    plain_tooltip,
    scaled_font,
    set_muted,
)
from timeline_app.ui.search_document import DocumentMatchesPage
from timeline_app.ui.source_views import CitationSourceView, PassageSourceView, citation_name

# Events without a known lane: named and coloured as the canvas draws them.
OTHER_LANE_NAME = "Other"
OTHER_LANE_COLOUR = "#8a8f98"
TAB_TEXT_WIDTH = 220  # pixels: several sources' tabs fit side by side
EMPTY_HINT = (
    "Select an event on the timeline or in the list to read what its sources say.\n\n"
    "\u2190 \u2192\tprevious / next event\n"
    "Home, End\tfirst / last event\n"
    "+ \u2212 0\tzoom in, zoom out, fit all"
)


class LaneSwatch(QLabel):
    """A small square of the lane's colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedSize(QSize(12, 12))

    def set_colour(self, colour: str) -> None:
        pixmap = QPixmap(12, 12)
        pixmap.fill(QColor(colour) if QColor(colour).isValid() else QColor("#999999"))
        self.setPixmap(pixmap)


class DetailPane(QStackedWidget):
    """Shows one event (or a hint when none is selected).

    ``passage_action(kind, document id, start, end)``: the user chose "New event from
    selection" ("new_event") or "Cite in event" ("cite") on a passage (when editable).
    """

    passage_action = Signal(str, str, int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editable = False
        self._case: Case | None = None
        self._event: Event | None = None
        self._document_page: DocumentMatchesPage | None = None  # made on first use (search)
        self.empty_page = self._build_empty_page()
        self.addWidget(self.empty_page)
        self.addWidget(self._build_details())
        self.setMinimumWidth(320)

    def _build_empty_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(24, 32, 24, 24)
        layout.setSpacing(10)
        self.case_title_label = plain_label("", "case_title")
        self.case_title_label.setFont(scaled_font(self, 1.35, bold=True))
        self.case_description_label = plain_label("", "case_description")
        self.empty_hint = plain_label(EMPTY_HINT, "empty_hint")
        set_muted(self.empty_hint)
        layout.addWidget(self.case_title_label)
        layout.addWidget(self.case_description_label)
        layout.addSpacing(12)
        layout.addWidget(self.empty_hint)
        layout.addStretch(1)
        return page

    def _build_details(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(14, 12, 14, 10)
        layout.setSpacing(6)
        self.title_label = plain_label("", "title")
        self.title_label.setFont(scaled_font(self, 1.45, bold=True))
        layout.addWidget(self.title_label)
        self.date_label = plain_label("", "date")
        self.date_label.setFont(scaled_font(self, 1.1))
        layout.addWidget(self.date_label)
        layout.addLayout(self._build_facts())
        self.summary_label = plain_label("", "summary")
        layout.addWidget(self.summary_label)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(line)
        self.sources_tabs = QTabWidget()
        self.sources_tabs.setDocumentMode(True)
        self.sources_tabs.setElideMode(Qt.TextElideMode.ElideRight)
        layout.addWidget(self.sources_tabs, 1)
        return page

    def _build_facts(self) -> QFormLayout:
        form = fact_form()
        lane_row = QHBoxLayout()
        lane_row.setSpacing(6)
        self.lane_swatch = LaneSwatch()
        self.lane_label = plain_label("", "lane")
        lane_row.addWidget(self.lane_swatch)
        lane_row.addWidget(self.lane_label, 1)
        self.actors_label = plain_label("", "actors")
        self.tags_label = plain_label("", "tags")
        form.addRow(fact_name("Lane"), lane_row)
        form.addRow(fact_name("Actors"), self.actors_label)
        form.addRow(fact_name("Tags"), self.tags_label)
        return form

    @property
    def event(self) -> Event | None:
        return self._event

    def set_editable(self, editable: bool) -> None:
        """Offer (or not) making events and citations from selected passages."""
        self._editable = editable
        for view in self.source_views():
            if isinstance(view, PassageSourceView):
                view.text_view.set_selection_actions(editable)

    def set_case(self, case: Case | None) -> None:
        """Forget the shown event; the empty page introduces ``case``."""
        self._case = case
        self.case_title_label.setText(case.title if case else "")
        self.case_description_label.setText(case.description if case else "")
        self.case_description_label.setVisible(bool(case and case.description))
        self.show_event(None)

    def show_event(self, event: Event | None) -> None:
        """Show ``event`` and its sources; None shows the hint."""
        self._event = event
        self._clear_sources()
        if event is None:
            self.setCurrentIndex(0)
            return
        self.title_label.setText(event.title)
        self.date_label.setText(event.when.human())
        self._show_lane(event)
        self.actors_label.setText(", ".join(event.actors) or "—")
        self.tags_label.setText(", ".join(event.tags) or "—")
        self.summary_label.setText(event.summary)
        self.summary_label.setVisible(bool(event.summary))
        for number, source in enumerate(event.sources, start=1):
            self._add_source(number, source)
        if not event.sources:
            self.sources_tabs.addTab(plain_label("No source is given for this event."), "Sources")
        self.setCurrentIndex(1)

    def show_document(
        self, document: Document, matches: list[tuple[int, int]], current: int = 0
    ) -> DocumentMatchesPage:
        """Show a whole document (a search hit) with ``matches`` (offsets into its text)
        highlighted and ``matches[current]`` scrolled into view. No event is shown."""
        if self._document_page is None:
            self._document_page = DocumentMatchesPage()
            self._document_page.setObjectName("document_page")
            self.addWidget(self._document_page)
        self._event = None
        self._clear_sources()
        self._document_page.show_document(document, matches, current)
        self.setCurrentWidget(self._document_page)
        return self._document_page

    def shown_document_page(self) -> DocumentMatchesPage | None:
        """The document page when a document (not an event) is shown, else None."""
        page = self._document_page
        return page if page is not None and self.currentWidget() is page else None

    def _show_lane(self, event: Event) -> None:
        lane = self._case.lane_by_id(event.lane) if self._case else None
        self.lane_label.setText(lane.name if lane else OTHER_LANE_NAME)
        self.lane_swatch.set_colour(lane.colour if lane else OTHER_LANE_COLOUR)

    def _add_source(self, number: int, source: SourceRef) -> None:
        view: QWidget
        if source.is_passage:
            document = self._case.document_by_id(source.document) if self._case else None
            view = PassageSourceView(source, document)
            view.text_view.set_selection_actions(self._editable)
            view.selection_action.connect(self.passage_action)
            name = document.title if document and document.title else str(source.document)
        elif source.citation is not None:
            view = CitationSourceView(source, source.citation)
            name = citation_name(source.citation)
        else:
            view = plain_label(source.note or "This source has neither a passage nor a citation.")
            name = "Source"
        label = self.fontMetrics().elidedText(
            f"{number}. {name}", Qt.TextElideMode.ElideRight, TAB_TEXT_WIDTH
        )
        index = self.sources_tabs.addTab(view, label)
        self.sources_tabs.setTabToolTip(index, plain_tooltip(name))

    def _clear_sources(self) -> None:
        while self.sources_tabs.count():
            widget = self.sources_tabs.widget(0)
            self.sources_tabs.removeTab(0)
            widget.deleteLater()

    def source_views(self) -> list[QWidget]:
        """The widgets showing the current event's sources, in order."""
        return [self.sources_tabs.widget(i) for i in range(self.sources_tabs.count())]
