"""The detail pane: the selected event and, for each of its sources, the source text.

Everything that comes from a case file (titles, summaries, document text) is shown as
plain text. A passage source shows the whole document, read-only, with the quoted
passage highlighted and centred; a citation shows where to find the document, with its
link opened in the system browser only when the user clicks it.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QFont,
    QPalette,
    QPixmap,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QStackedWidget,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from timeline_app.core.dates import DateError, When
from timeline_app.core.model import Case, Citation, Document, Event, SourceRef

HIGHLIGHT_COLOUR = QColor("#ffe08a")
# Events without a known lane: named and coloured as the canvas draws them.
OTHER_LANE_NAME = "Other"
OTHER_LANE_COLOUR = "#8a8f98"
OPENABLE_SCHEMES = ("http", "https")
EMPTY_HINT = (
    "Select an event on the timeline or in the list to read what its sources say.\n\n"
    "\u2190 \u2192\tprevious / next event\n"
    "Home, End\tfirst / last event\n"
    "+ \u2212 0\tzoom in, zoom out, fit all"
)


def utf16_offset(text: str, index: int) -> int:
    """Qt's position (UTF-16 code units) of the Python str offset ``index`` in ``text``."""
    return index + sum(1 for ch in text[:index] if ord(ch) > 0xFFFF)


def passage_span(text: str, source: SourceRef) -> tuple[int, int] | None:
    """Where the source's quote is in ``text`` (Python offsets); None when it is not there."""
    quote = source.quote
    if not quote:
        return None
    start, end = source.start, source.end
    if start is not None and end is not None and text[start:end] == quote:
        return start, end
    found = text.find(quote)
    return (found, found + len(quote)) if found >= 0 else None


def human_date(edtf: str) -> str:
    """``edtf`` as a person reads it; the raw text when it is not a valid date."""
    try:
        return When.parse(edtf).human()
    except DateError:
        return edtf


def plain_label(text: str = "", name: str = "") -> QLabel:
    """A label that never interprets its text as HTML, wraps, and can be selected."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setText(text)
    if name:
        label.setObjectName(name)
    return label


def set_muted(label: QLabel) -> None:
    """Draw ``label`` in the palette's quieter text colour (for captions and hints)."""
    palette = label.palette()
    palette.setColor(
        QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.PlaceholderText)
    )
    label.setPalette(palette)


def plain_tooltip(text: str) -> str:
    """A tooltip showing ``text`` literally (Qt would otherwise guess HTML in tooltips)."""
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"


def fact_form() -> QFormLayout:
    """A compact two-column form: muted names on the left, values on the right."""
    form = QFormLayout()
    form.setContentsMargins(0, 4, 0, 4)
    form.setHorizontalSpacing(12)
    form.setVerticalSpacing(3)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


def fact_name(text: str) -> QLabel:
    label = plain_label(text)
    set_muted(label)
    return label


def scaled_font(widget: QWidget, factor: float, bold: bool = False) -> QFont:
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    return font


class PassageView(QPlainTextEdit):
    """A document's full text, read-only, with one passage highlighted and centred."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.document().setDocumentMargin(10)
        self._range: tuple[int, int] | None = None
        self._centred_for_height = -1

    def show_text(self, text: str, span: tuple[int, int] | None) -> None:
        """Show ``text``; highlight ``span`` (Python offsets into ``text``) when given."""
        self.setPlainText(text)
        self._range = None
        if span is not None:
            self._range = (utf16_offset(text, span[0]), utf16_offset(text, span[1]))
        self._apply_highlight()
        self._centred_for_height = -1
        self.centre_passage()

    def highlighted_range(self) -> tuple[int, int] | None:
        """The highlighted passage in Qt positions (UTF-16 code units), or None."""
        return self._range

    def _apply_highlight(self) -> None:
        if self._range is None:
            self.setExtraSelections([])
            return
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._range[0])
        cursor.setPosition(self._range[1], QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        fmt = QTextCharFormat()
        fmt.setBackground(HIGHLIGHT_COLOUR)
        selection.format = fmt
        self.setExtraSelections([selection])

    def centre_passage(self) -> None:
        """Scroll so that the start of the passage is in the middle of the view."""
        if self._range is None:
            return
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._range[0])
        self.setTextCursor(cursor)
        self.centerCursor()
        self._centred_for_height = self.viewport().height()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        # The first layouts change the height; keep the passage centred until the user scrolls.
        if self._centred_for_height != self.viewport().height() and not self._user_scrolled():
            self.centre_passage()

    def _user_scrolled(self) -> bool:
        return bool(self.property("userScrolled"))

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802 (Qt override)
        super().scrollContentsBy(dx, dy)
        if self.verticalScrollBar().isSliderDown():
            self.setProperty("userScrolled", True)

    def wheelEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.setProperty("userScrolled", True)
        super().wheelEvent(event)


class PassageSourceView(QWidget):
    """A passage source: the document's title and date above its highlighted text."""

    def __init__(self, source: SourceRef, document: Document | None, parent=None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(4)
        self.heading = plain_label(document.title or document.id if document else "", "heading")
        self.heading.setFont(scaled_font(self, 1.05, bold=True))
        layout.addWidget(self.heading)
        self.meta = plain_label(self._meta_text(document), "meta")
        set_muted(self.meta)
        layout.addWidget(self.meta)
        if source.note:
            layout.addWidget(plain_label(f"Note: {source.note}", "note"))
        self.text_view = PassageView(self)
        layout.addWidget(self.text_view, 1)
        self._show(source, document)

    @staticmethod
    def _meta_text(document: Document | None) -> str:
        if document is None:
            return "This document is not in the case."
        parts = [human_date(document.date) if document.date else "", document.author]
        parts.append(document.kind)
        return " · ".join(p for p in parts if p)

    def _show(self, source: SourceRef, document: Document | None) -> None:
        text = document.text if document else ""
        span = passage_span(text, source)
        self.text_view.show_text(text, span)
        if span is None and source.quote:
            self.meta.setText(self.meta.text() + "\nThe quoted passage was not found in this text.")


class CitationSourceView(QWidget):
    """A citation source: publisher, title, date and a link opened only on a click."""

    def __init__(self, source: SourceRef, citation: Citation, parent=None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(8)
        heading = plain_label(citation.title or citation.publisher or "Citation", "heading")
        heading.setFont(scaled_font(self, 1.05, bold=True))
        layout.addWidget(heading)
        form = fact_form()
        if citation.title and citation.publisher:
            form.addRow(fact_name("Publisher"), plain_label(citation.publisher, "publisher"))
        if citation.date:
            form.addRow(fact_name("Date"), plain_label(human_date(citation.date), "date"))
        self.link = self._link_label(citation.url)
        if citation.url:
            form.addRow(fact_name("Link"), self.link)
        layout.addLayout(form)
        if source.note:
            layout.addWidget(plain_label(f"Note: {source.note}", "note"))
        hint = plain_label(
            "This document is not shipped with the case"
            + ("; the link opens it in your web browser." if citation.url else ".")
        )
        set_muted(hint)
        layout.addWidget(hint)
        layout.addStretch(1)

    def _link_label(self, url: str) -> QLabel:
        label = QLabel()
        label.setObjectName("link")
        label.setWordWrap(True)
        scheme = QUrl(url).scheme().lower()
        if url and scheme in OPENABLE_SCHEMES:
            # The anchor is built here from escaped text; nothing from the case is parsed as HTML.
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setText(f'<a href="{html.escape(url, quote=True)}">{html.escape(url)}</a>')
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
            label.setOpenExternalLinks(False)
            label.setToolTip("Open in your web browser")
            label.linkActivated.connect(open_link)
        else:
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setText(url)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label


def citation_name(citation: Citation) -> str:
    """A short name for a tab: "Publisher, 5 July 2017"."""
    name = citation.publisher or citation.title or "Citation"
    return f"{name}, {human_date(citation.date)}" if citation.date else name


def open_link(url: str) -> bool:
    """Open an http(s) link in the system browser (only ever called on a user's click)."""
    qurl = QUrl(url)
    if qurl.scheme().lower() not in OPENABLE_SCHEMES:
        return False
    return QDesktopServices.openUrl(qurl)


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
    """Shows one event (or a hint when none is selected)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case: Case | None = None
        self._event: Event | None = None
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

    def _show_lane(self, event: Event) -> None:
        lane = self._case.lane_by_id(event.lane) if self._case else None
        self.lane_label.setText(lane.name if lane else OTHER_LANE_NAME)
        self.lane_swatch.set_colour(lane.colour if lane else OTHER_LANE_COLOUR)

    def _add_source(self, number: int, source: SourceRef) -> None:
        view: QWidget
        if source.is_passage:
            document = self._case.document_by_id(source.document) if self._case else None
            view = PassageSourceView(source, document)
            name = document.title if document and document.title else str(source.document)
        elif source.citation is not None:
            view = CitationSourceView(source, source.citation)
            name = citation_name(source.citation)
        else:
            view = plain_label(source.note or "This source has neither a passage nor a citation.")
            name = "Source"
        index = self.sources_tabs.addTab(view, f"{number}. {name}")
        self.sources_tabs.setTabToolTip(index, plain_tooltip(name))

    def _clear_sources(self) -> None:
        while self.sources_tabs.count():
            widget = self.sources_tabs.widget(0)
            self.sources_tabs.removeTab(0)
            widget.deleteLater()

    def source_views(self) -> list[QWidget]:
        """The widgets showing the current event's sources, in order."""
        return [self.sources_tabs.widget(i) for i in range(self.sources_tabs.count())]
