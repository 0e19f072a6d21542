"""A document of the case: its text with every date mention underlined and every passage an
event cites highlighted, and the events citing it listed beside it.

The text is plain text in a read-only QPlainTextEdit. Hovering a date shows its EDTF value
and how it reads; hovering a cited passage names the events citing it. "New event from
selection" in the context menu asks for an event quoting the selected passage
(``new_event_requested``); clicking an event in the list selects it (``event_chosen``).
Qt counts positions in UTF-16 code units, Python in code points: :class:`TextOffsets`
converts between them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QHelpEvent,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextEdit,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from timeline_app.core.extract import DateMention, find_dates
from timeline_app.core.model import Case, Document
from timeline_app.core.propose import citations_of, document_anchor
from timeline_app.ui.plain_text import (
    human_date,
    plain_label,
    plain_tooltip,
    scaled_font,
    set_muted,
)

CITED_COLOUR = QColor("#ffe08a")
CURRENT_COLOUR = QColor("#ffc04d")
MENTION_COLOUR = QColor("#1f5fbf")
# The event whose passage is marked in CURRENT_COLOUR is drawn in that colour in the list.
EVENTS_STYLE = (
    "QListWidget#citing_events::item { padding: 5px 4px; border-bottom: 1px solid #e4e4e4; }"
    "QListWidget#citing_events::item:selected { background: #ffc04d; color: black; }"
    "QListWidget#citing_events::item:hover:!selected { background: #f3f3f3; }"
)
EVENT_ID_ROLE = Qt.ItemDataRole.UserRole
SPAN_ROLE = Qt.ItemDataRole.UserRole + 1


class TextOffsets:
    """Converts Python str offsets of ``text`` to Qt positions (UTF-16 units) and back."""

    def __init__(self, text: str) -> None:
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        self._astral_qt = [i + k for k, i in enumerate(self._astral)]

    def to_qt(self, index: int) -> int:
        return index + bisect.bisect_left(self._astral, index)

    def to_python(self, position: int) -> int:
        """The Python offset of a Qt position (one inside a surrogate pair counts as after)."""
        return position - bisect.bisect_right(self._astral_qt, position - 2)


@dataclass(frozen=True)
class Citation:
    """A passage of the document cited by an event."""

    start: int
    end: int
    event_id: str
    label: str  # "30 June 2017 — ACLU urges the mayor…"


class DocumentTextEdit(QPlainTextEdit):
    """The read-only text; tooltips for dates and cited passages; a context menu action."""

    def __init__(self, view: DocumentView) -> None:
        super().__init__(view)
        self._view = view
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.document().setDocumentMargin(12)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            position = self.cursorForPosition(event.pos()).position()
            text = self._view.tooltip_at(self._view.offsets.to_python(position))
            if text:
                QToolTip.showText(event.globalPos(), plain_tooltip(text), self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt override)
        menu = self.createStandardContextMenu(event.pos())
        menu.addSeparator()
        menu.addAction(self._view.new_event_action)
        menu.exec(event.globalPos())
        menu.deleteLater()


class DocumentView(QWidget):
    """One document of a case, with its dates and cited passages; see the module docstring."""

    event_chosen = Signal(str)
    new_event_requested = Signal(str, int, int)  # document id, start, end (Python offsets)
    find_events_requested = Signal(str)  # document id
    date_chosen = Signal(str, str)  # document id, EDTF: the user took the offered file date

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case: Case | None = None
        self._document: Document | None = None
        self._mentions: list[DateMention] = []
        self._mention_starts: list[int] = []
        self._citations: list[Citation] = []
        self._dated = ""
        self.offsets = TextOffsets("")
        self.new_event_action = QAction("New event from selection…", self)
        self.new_event_action.setObjectName("action_new_event_from_selection")
        self.new_event_action.setEnabled(False)
        self.new_event_action.triggered.connect(self.request_new_event)
        self._build()

    # -- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        self._title = plain_label(name="document_title")
        self._title.setFont(scaled_font(self, 1.25, bold=True))
        self._meta = plain_label(name="document_meta")
        set_muted(self._meta)
        self.use_file_date_button = QPushButton()
        self.use_file_date_button.setObjectName("use_file_date")
        self.use_file_date_button.setFlat(True)
        self.use_file_date_button.setStyleSheet(
            "QPushButton#use_file_date { color: #1f5fbf; text-decoration: underline;"
            " border: none; padding: 0 2px; text-align: left; }"
        )
        self.use_file_date_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.use_file_date_button.setToolTip(
            "The document does not say when it was written. Its file was last changed on this "
            "day, which may or may not be its date."
        )
        self.use_file_date_button.clicked.connect(self._on_use_file_date)
        self._text = DocumentTextEdit(self)
        self._text.setObjectName("document_text")
        self._text.selectionChanged.connect(self._on_selection_changed)
        self._legend = plain_label(name="document_legend")
        set_muted(self._legend)
        self._events = QListWidget()
        self._events.setObjectName("citing_events")
        self._events.setWordWrap(True)
        self._events.setUniformItemSizes(False)
        self._events.setSpacing(2)
        self._events.setResizeMode(QListWidget.ResizeMode.Adjust)
        self._events.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._events.setStyleSheet(EVENTS_STYLE)
        self._events.itemClicked.connect(self._on_event_clicked)
        self._events.itemActivated.connect(self._on_event_clicked)
        self._hint = plain_label(
            "Select a passage and right-click it to make an event that quotes it.",
            "document_hint",
        )
        set_muted(self._hint)
        self._events_caption = plain_label(name="citing_caption")
        self._events_caption.setFont(scaled_font(self, 1.0, bold=True))
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(8, 0, 0, 0)
        self.find_button = QPushButton("Find events in this document…")
        self.find_button.setObjectName("document_find_events")
        self.find_button.setToolTip("Propose events from the dates not yet cited")
        self.find_button.clicked.connect(self._on_find_clicked)
        side_layout.addWidget(self._events_caption)
        side_layout.addWidget(self._events, 1)
        side_layout.addStretch(0)
        side_layout.addWidget(self._hint)
        side_layout.addWidget(self.find_button)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("document_splitter")
        splitter.addWidget(self._text)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([700, 280])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(4)
        layout.addWidget(self._title)
        layout.addWidget(self._meta)
        offer_row = QHBoxLayout()
        offer_row.addWidget(self.use_file_date_button)
        offer_row.addStretch(1)
        layout.addLayout(offer_row)
        layout.addSpacing(4)
        layout.addWidget(splitter, 1)
        legend_row = QHBoxLayout()
        legend_row.addWidget(self._legend, 1)
        layout.addLayout(legend_row)

    # -- public API -------------------------------------------------------------------------

    @property
    def document(self) -> Document | None:
        return self._document

    @property
    def text_edit(self) -> DocumentTextEdit:
        return self._text

    @property
    def events_list(self) -> QListWidget:
        return self._events

    @property
    def mentions(self) -> list[DateMention]:
        return list(self._mentions)

    @property
    def citations(self) -> list[Citation]:
        return list(self._citations)

    def set_document(self, case: Case, document: Document) -> None:
        """Show ``document`` of ``case``: text, date mentions, cited passages, citing events."""
        self._case, self._document = case, document
        self._title.setText(document.title or document.id)
        self.offsets = TextOffsets(document.text)
        self._text.setPlainText(document.text)
        self._read_dates()
        self.refresh_citations()
        self._text.moveCursor(QTextCursor.MoveOperation.Start)

    def refresh(self) -> None:
        """After an edit of the case: the citing events, and the dates again when the
        document's own date (the anchor of relative dates) changed."""
        if self._document is not None and self._document.date != self._dated:
            self._read_dates()
        self.refresh_citations()

    def _read_dates(self) -> None:
        document = self._document
        assert document is not None
        self._dated = document.date
        try:
            self._mentions = find_dates(document.text, document_anchor(document))
        except ValueError:
            self._mentions = find_dates(document.text)
        self._mention_starts = [m.start for m in self._mentions]
        self._meta.setText(_meta_text(document))
        offered = _offered_date(document)
        self.use_file_date_button.setVisible(bool(offered))
        if offered:
            self.use_file_date_button.setText(f"Use the file's date, {human_date(offered)}")

    def refresh_citations(self) -> None:
        """Read again which events cite the document (after an edit of the case)."""
        case, document = self._case, self._document
        if case is None or document is None:
            return
        self._citations = [
            Citation(start, end, event_id, _event_label(case, event_id))
            for start, end, event_id in citations_of(case, document)
        ]
        self._fill_events()
        self._apply_selections()
        dates = len(self._mentions)
        passages = len({(c.start, c.end) for c in self._citations})
        self._legend.setText(
            f"Underlined: {dates} date" + ("" if dates == 1 else "s") + " found.  "
            f"Highlighted: {passages} passage" + ("" if passages == 1 else "s") + " cited."
        )

    def mention_at(self, offset: int) -> DateMention | None:
        """The date mention covering the Python offset ``offset``, if any."""
        index = bisect.bisect_right(self._mention_starts, offset) - 1
        if index >= 0 and offset < self._mentions[index].end:
            return self._mentions[index]
        return None

    def tooltip_at(self, offset: int) -> str:
        """Plain text for the tooltip at a Python offset: the date there, the citing events."""
        lines = []
        mention = self.mention_at(offset)
        if mention is not None:
            lines.append(f"{human_date(mention.value)}  ({mention.value})")
            lines.append(f"written “{' '.join(mention.text.split())}”")
        citing = [c.label for c in self._citations if c.start <= offset < c.end]
        if citing:
            lines.append("Cited by " + "; ".join(dict.fromkeys(citing)))
        return "\n".join(lines)

    def selection_range(self) -> tuple[int, int] | None:
        """The selected passage as Python offsets, or None when nothing is selected."""
        cursor = self._text.textCursor()
        if not cursor.hasSelection():
            return None
        return (
            self.offsets.to_python(cursor.selectionStart()),
            self.offsets.to_python(cursor.selectionEnd()),
        )

    def select_range(self, start: int, end: int) -> None:
        """Select the passage ``start:end`` (Python offsets) and scroll it into view."""
        cursor = QTextCursor(self._text.document())
        cursor.setPosition(self.offsets.to_qt(start))
        cursor.setPosition(self.offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self._text.setTextCursor(cursor)
        self._text.centerCursor()

    def show_citation(self, event_id: str) -> bool:
        """Scroll to the passage ``event_id`` cites, mark it, and pick its row in the list."""
        for row in range(self._events.count()):
            item = self._events.item(row)
            if item.data(EVENT_ID_ROLE) == event_id:
                self._events.setCurrentRow(row)
                self._show_item(item)
                return True
        return False

    def request_new_event(self) -> None:
        """Ask for a new event quoting the selection (emits ``new_event_requested``)."""
        selected = self.selection_range()
        if self._document is None or selected is None or selected[0] >= selected[1]:
            return
        self.new_event_requested.emit(self._document.id, *selected)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(1000, 680)

    # -- internals --------------------------------------------------------------------------

    def _fill_events(self) -> None:
        self._events.clear()
        for citation in self._citations:
            item = QListWidgetItem(citation.label)
            item.setData(EVENT_ID_ROLE, citation.event_id)
            item.setData(SPAN_ROLE, (citation.start, citation.end))
            quote = self._document.text[citation.start : citation.end] if self._document else ""
            item.setToolTip(plain_tooltip(quote[:600]))
            self._events.addItem(item)
        count = len({c.event_id for c in self._citations})
        self._events.setVisible(bool(count))
        self._events_caption.setText(
            "No event cites this document yet"
            if not count
            else f"Cited by {count} event" + ("" if count == 1 else "s")
        )

    def _apply_selections(self, current: tuple[int, int] | None = None) -> None:
        selections = []
        for citation in self._citations:
            colour = CURRENT_COLOUR if (citation.start, citation.end) == current else CITED_COLOUR
            selections.append(self._background_selection(citation.start, citation.end, colour))
        selections += [self._mention_selection(m) for m in self._mentions]
        self._text.setExtraSelections(selections)

    def _cursor(self, start: int, end: int) -> QTextCursor:
        cursor = QTextCursor(self._text.document())
        cursor.setPosition(self.offsets.to_qt(start))
        cursor.setPosition(self.offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def _mention_selection(self, mention: DateMention) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        selection.cursor = self._cursor(mention.start, mention.end)
        fmt = QTextCharFormat()
        fmt.setFontUnderline(True)
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
        fmt.setUnderlineColor(MENTION_COLOUR)
        fmt.setForeground(MENTION_COLOUR)
        selection.format = fmt
        return selection

    def _background_selection(self, start: int, end: int, colour: QColor):
        selection = QTextEdit.ExtraSelection()
        selection.cursor = self._cursor(start, end)
        fmt = QTextCharFormat()
        fmt.setBackground(colour)
        selection.format = fmt
        return selection

    def _on_use_file_date(self) -> None:
        offered = _offered_date(self._document) if self._document else ""
        if self._document is not None and offered:
            self.date_chosen.emit(self._document.id, offered)

    def _on_find_clicked(self) -> None:
        if self._document is not None:
            self.find_events_requested.emit(self._document.id)

    def _on_selection_changed(self) -> None:
        self.new_event_action.setEnabled(self._text.textCursor().hasSelection())

    def _on_event_clicked(self, item: QListWidgetItem) -> None:
        self._show_item(item)
        self.event_chosen.emit(item.data(EVENT_ID_ROLE))

    def _show_item(self, item: QListWidgetItem) -> None:
        start, end = item.data(SPAN_ROLE)
        self._apply_selections(current=(start, end))
        cursor = QTextCursor(self._text.document())
        cursor.setPosition(self.offsets.to_qt(start))
        self._text.setTextCursor(cursor)
        self._text.centerCursor()

    def point_of(self, offset: int) -> QPoint:
        """Where the character at Python offset ``offset`` is drawn, in viewport coordinates
        (for tests and tooltips)."""
        cursor = QTextCursor(self._text.document())
        cursor.setPosition(self.offsets.to_qt(offset))
        return self._text.cursorRect(cursor).center()


def _meta_text(document: Document) -> str:
    date = human_date(document.date) if document.date else "date not known"
    parts = [date, document.kind, document.author]
    source = document.extra.get("source_file")
    if isinstance(source, str) and source:
        parts.append(f"imported from {source}")
    return "  ·  ".join(part for part in parts if part)


def _offered_date(document: Document) -> str:
    """The file's modification day, offered for a document without a date ("" otherwise)."""
    offered = document.extra.get("file_modified")
    if document.date or not isinstance(offered, str):
        return ""
    return offered if re.fullmatch(r"\d{4}-\d{2}-\d{2}", offered) else ""


def _event_label(case: Case, event_id: str) -> str:
    event = case.event_by_id(event_id)
    if event is None:
        return event_id
    return f"{event.when.human()} — {event.title}"


class DocumentWindow(QWidget):
    """A window showing one document (several can be open side by side)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.view = DocumentView(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.resize(1000, 680)

    def set_document(self, case: Case, document: Document) -> None:
        self.view.set_document(case, document)
        self.setWindowTitle(f"{document.title or document.id} — document")


__all__ = ["DocumentView", "DocumentWindow", "TextOffsets"]
