"""A document shown for a search hit: its whole text with every match highlighted.

The current match is drawn stronger and scrolled into view; :meth:`DocumentMatchesPage.step`
moves to the next or previous match, wrapping around. Text stays plain text; match offsets
(Python code points) are converted to Qt's UTF-16 positions once per document.
"""

from __future__ import annotations

from bisect import bisect_left

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextEdit, QVBoxLayout, QWidget

from timeline_app.core.model import Document
from timeline_app.ui.plain_text import human_date, plain_label, scaled_font, set_muted
from timeline_app.ui.source_views import HIGHLIGHT_COLOUR, PassageView

CURRENT_MATCH_COLOUR = QColor("#ff9f3a")


def utf16_ranges(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` (Python offsets into ``text``) as Qt positions (UTF-16 code units)."""
    if text.isascii():
        return list(spans)
    astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
    if not astral:
        return list(spans)
    return [(a + bisect_left(astral, a), b + bisect_left(astral, b)) for a, b in spans]


def join_adjacent(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted ``spans`` with those separated only by spaces joined: the words of
    "immigration status" are one match to step to, not two."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and (start <= out[-1][1] or not text[out[-1][1] : start].strip()):
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


class MatchesTextView(PassageView):
    """A document's text, read-only, with every match highlighted and one of them current."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._matches: list[tuple[int, int]] = []
        self._current = -1
        self._all_format = QTextCharFormat()
        self._all_format.setBackground(HIGHLIGHT_COLOUR)
        self._current_format = QTextCharFormat()
        self._current_format.setBackground(CURRENT_MATCH_COLOUR)

    def show_matches(self, text: str, spans: list[tuple[int, int]], current: int) -> None:
        """Show ``text`` with ``spans`` (Python offsets) highlighted; centre ``spans[current]``."""
        self._matches = utf16_ranges(text, spans)
        self._current = min(max(current, 0), len(spans) - 1) if spans else -1
        self.show_text(text, spans[self._current] if spans else None)

    def match_ranges(self) -> list[tuple[int, int]]:
        """Every highlighted match in Qt positions (UTF-16 code units)."""
        return list(self._matches)

    def current_index(self) -> int:
        """Which match is current (0-based), -1 when there are none."""
        return self._current

    def set_current(self, index: int) -> None:
        """Make match ``index`` current (wrapping around) and scroll it into view."""
        if not self._matches:
            return
        self._current = index % len(self._matches)
        self._range = self._matches[self._current]
        self._apply_highlight()
        self._user_scrolled = False
        self.centre_passage()

    def _apply_highlight(self) -> None:  # draws all matches, not PassageView's one passage
        selections = []
        for number, (start, end) in enumerate(self._matches):
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            current = number == self._current
            selection.format = self._current_format if current else self._all_format
            selections.append(selection)
        self.setExtraSelections(selections)


class DocumentMatchesPage(QWidget):
    """The detail pane's page for a document hit: title, date and author, match counter, text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document_id: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 10)
        layout.setSpacing(4)
        self.heading = plain_label("", "document_title")
        self.heading.setFont(scaled_font(self, 1.3, bold=True))
        layout.addWidget(self.heading)
        self.meta = plain_label("", "document_meta")
        set_muted(self.meta)
        layout.addWidget(self.meta)
        self.counter = plain_label("", "match_counter")
        layout.addWidget(self.counter)
        self.text_view = MatchesTextView(self)
        layout.addWidget(self.text_view, 1)

    def show_document(self, document: Document, matches: list[tuple[int, int]], current: int):
        """Show ``document`` with ``matches`` (offsets into its text); ``current`` in view."""
        self.document_id = document.id
        self.heading.setText(document.title or document.id)
        parts = [human_date(document.date) if document.date else "", document.author]
        parts.append(document.kind)
        self.meta.setText(" · ".join(p for p in parts if p))
        self.meta.setVisible(bool(self.meta.text()))
        self.text_view.show_matches(document.text, matches, current)
        self._update_counter()

    def step(self, delta: int) -> tuple[int, int]:
        """Move to the next (+1) or previous (-1) match, wrapping; returns (number, total)."""
        self.text_view.set_current(self.text_view.current_index() + delta)
        self._update_counter()
        return self.position()

    def position(self) -> tuple[int, int]:
        """(1-based number of the current match, number of matches); (0, 0) when none."""
        total = len(self.text_view.match_ranges())
        return (self.text_view.current_index() + 1 if total else 0), total

    def _update_counter(self) -> None:
        number, total = self.position()
        if total:
            self.counter.setText(f"Match {number} of {total}   ·   F3 next, Shift+F3 previous")
        else:
            self.counter.setText("The search words are not in this document's text.")
