"""Views of one source of an event: a passage of a shipped document, or a citation.

A passage shows the whole document, read-only and as plain text, with the quoted
passage highlighted and centred. Qt counts text positions in UTF-16 code units while
Python counts code points, so offsets are converted (:func:`utf16_offset`). A citation
shows where to find the document; its link opens in the system browser only on a click.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QPoint, Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QDesktopServices,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QLabel, QMenu, QPlainTextEdit, QTextEdit, QVBoxLayout, QWidget

from timeline_app.core.model import Citation, Document, SourceRef
from timeline_app.ui.plain_text import (
    fact_form,
    fact_name,
    human_date,
    plain_label,
    scaled_font,
    set_muted,
)

HIGHLIGHT_COLOUR = QColor("#ffe08a")
OPENABLE_SCHEMES = ("http", "https")


def utf16_offset(text: str, index: int) -> int:
    """Qt's position (UTF-16 code units) of the Python str offset ``index`` in ``text``."""
    return index + sum(1 for ch in text[:index] if ord(ch) > 0xFFFF)


def python_offset(text: str, position: int) -> int:
    """The Python str offset of Qt's ``position`` (UTF-16 code units) in ``text``."""
    if text.isascii() or max(text, default="\0") <= "\uffff":
        return min(position, len(text))
    units = 0
    for index, ch in enumerate(text):
        if units >= position:
            return index
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


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


class PassageView(QPlainTextEdit):
    """A document's full text, read-only, with one passage highlighted and centred.

    When selection actions are on, its context menu offers "New event from selection" and
    "Cite in event"; both emit ``selection_action(kind, start, end)`` ("new_event" or "cite",
    Python offsets of the selection).
    """

    selection_action = Signal(str, int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._selection_actions = False
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.document().setDocumentMargin(10)
        self._range: tuple[int, int] | None = None
        self._centred_for_height = -1
        self._user_scrolled = False

    def show_text(self, text: str, span: tuple[int, int] | None) -> None:
        """Show ``text``; highlight ``span`` (Python offsets into ``text``) when given."""
        self.setPlainText(text)
        self._text = text
        self._range = None
        if span is not None:
            self._range = (utf16_offset(text, span[0]), utf16_offset(text, span[1]))
        self._apply_highlight()
        self._centred_for_height = -1
        self._user_scrolled = False
        self.centre_passage()

    def set_selection_actions(self, enabled: bool) -> None:
        """Offer (or not) the context menu actions that make events from the selection."""
        self._selection_actions = enabled

    def selected_span(self) -> tuple[int, int] | None:
        """The selected passage as Python offsets into the text, or None."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start = python_offset(self._text, cursor.selectionStart())
        end = python_offset(self._text, cursor.selectionEnd())
        return (start, end) if end > start else None

    def emit_selection_action(self, kind: str) -> bool:
        """Emit ``selection_action`` for the current selection; False when there is none."""
        span = self.selected_span()
        if span is None or not self._selection_actions:
            return False
        self.selection_action.emit(kind, span[0], span[1])
        return True

    def context_menu(self, pos: QPoint) -> QMenu:
        """The standard menu (Copy, Select All), plus the selection actions when they are on."""
        menu = self.createStandardContextMenu(pos)
        if self._selection_actions:
            has_selection = self.selected_span() is not None
            menu.addSeparator()
            for kind, text in (
                ("new_event", "New event from selection…"),
                ("cite", "Cite in event…"),
            ):
                action = menu.addAction(text)
                action.setData(kind)
                action.setEnabled(has_selection)
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt override)
        menu = self.context_menu(event.pos())
        chosen = menu.exec(event.globalPos())
        menu.deleteLater()
        if chosen is not None and chosen.data() in ("new_event", "cite"):
            self.emit_selection_action(chosen.data())

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
        if self._centred_for_height != self.viewport().height() and not self._user_scrolled:
            self.centre_passage()

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802 (Qt override)
        super().scrollContentsBy(dx, dy)
        if self.verticalScrollBar().isSliderDown():
            self._user_scrolled = True

    def wheelEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._user_scrolled = True
        super().wheelEvent(event)


class PassageSourceView(QWidget):
    """A passage source: the document's title and date above its highlighted text.

    ``selection_action(kind, document id, start, end)`` relays the text view's actions.
    """

    selection_action = Signal(str, str, int, int)

    def __init__(self, source: SourceRef, document: Document | None, parent=None) -> None:
        super().__init__(parent)
        self.document_id = document.id if document else None
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
        self.text_view.selection_action.connect(self._relay_selection_action)
        layout.addWidget(self.text_view, 1)
        self._show(source, document)

    @staticmethod
    def _meta_text(document: Document | None) -> str:
        if document is None:
            return "This document is not in the case."
        parts = [human_date(document.date) if document.date else "", document.author]
        parts.append(document.kind)
        return " · ".join(p for p in parts if p)

    def _relay_selection_action(self, kind: str, start: int, end: int) -> None:
        if self.document_id is not None:
            self.selection_action.emit(kind, self.document_id, start, end)

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
