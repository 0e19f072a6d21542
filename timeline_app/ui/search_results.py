"""Search results as a flat list model: an "Events" heading, its hits, a "Documents" heading,
its hits (:mod:`timeline_app.ui.search_delegate` paints them).

Snippets are untrusted document text: the model hands them out as plain text with match
offsets; tooltips, which Qt may read as rich text, are built by :func:`snippet_html`, which
escapes everything and adds ``<b>`` only around matches.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QWidget

from timeline_app.core.query import Phrase, find_matches
from timeline_app.core.search import Hit

HIT_ROLE = Qt.ItemDataRole.UserRole + 1  # the Hit of a row (None for a heading)
SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 2  # (snippet text, matches in it)
HEADING_ROLE = Qt.ItemDataRole.UserRole + 3  # True for the "Events"/"Documents" headings
TITLE_MATCHES_ROLE = Qt.ItemDataRole.UserRole + 4
WHEN_ROLE = Qt.ItemDataRole.UserRole + 5  # the date shown at the right of the title

Index = QModelIndex | QPersistentModelIndex
Spans = list[tuple[int, int]]
Describe = Callable[[Hit], tuple[str, str]]
SNIPPET_LEAD = 40  # characters of context shown before the first match


def snippet_html(text: str, matches: Spans) -> str:
    """``text`` as escaped HTML with ``<b>`` around each match (overlaps merged)."""
    out: list[str] = []
    pos = 0
    for start, end in sorted(matches):
        start = max(start, pos)
        if end <= start:
            continue
        out.append(html.escape(text[pos:start]) + "<b>" + html.escape(text[start:end]) + "</b>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def focus_snippet(text: str, spans: Spans, before: int = SNIPPET_LEAD) -> tuple[str, Spans]:
    """``text`` starting about ``before`` characters ahead of its first match (at a word
    boundary, "…" in front), so that the match is in the two lines a row shows."""
    if not spans or spans[0][0] <= before + 1:
        return text, list(spans)
    first = spans[0][0]
    space = text.find(" ", first - before, first)
    start = space + 1 if space >= 0 else first - before
    shift = 1 - start
    return "…" + text[start:], [(a + shift, b + shift) for a, b in spans if a >= start]


GROUPS = (("event", "Events"), ("document", "Documents"))


@dataclass
class _Row:
    """One row: a group's heading (``hit`` is None) or a hit with what the delegate shows."""

    kind: str
    hit: Hit | None = None
    when: str = ""
    second_line: tuple[str, Spans] = ("", [])


class SearchResultsModel(QAbstractListModel):
    """Events then documents, each group under a heading row that cannot be selected.

    :meth:`set_hits` replaces the list; :meth:`add_hits` appends to its groups (keeping the
    current row and the scroll position), for results that arrive in two steps.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[_Row] = []
        self._phrases: list[Phrase] = []
        self._title_matches: dict[tuple[str, str], Spans] = {}
        self._counts = {"event": 0, "document": 0}

    @property
    def event_count(self) -> int:
        return self._counts["event"]

    @property
    def document_count(self) -> int:
        return self._counts["document"]

    def set_hits(
        self,
        hits: list[Hit],
        phrases: list[Phrase],
        describe: Describe | None = None,
    ) -> None:
        """Show ``hits``; ``describe(hit)`` gives the (date, summary) text of a hit's item
        (asked only for the hits shown)."""
        self.beginResetModel()
        self._phrases = phrases
        self._title_matches = {}
        self._rows = []
        self._counts = {"event": 0, "document": 0}
        for kind, _label in GROUPS:
            group = [h for h in hits if h.kind == kind]
            if group:
                self._rows.append(_Row(kind))
                self._rows += [self._hit_row(h, describe) for h in group]
                self._counts[kind] = len(group)
        self.endResetModel()

    def add_hits(self, hits: list[Hit], describe: Describe | None = None) -> int:
        """Append the hits not listed yet to their groups; returns how many were added."""
        have = {(row.kind, row.hit.id) for row in self._rows if row.hit is not None}
        added = 0
        for kind, _label in GROUPS:
            group = [h for h in hits if h.kind == kind and (kind, h.id) not in have]
            if group:
                self._append_to_group(kind, [self._hit_row(h, describe) for h in group])
                added += len(group)
        return added

    def _append_to_group(self, kind: str, rows: list[_Row]) -> None:
        heading = next(
            (n for n, r in enumerate(self._rows) if r.hit is None and r.kind == kind), -1
        )
        if heading < 0:
            at = 0 if kind == "event" else len(self._rows)
            rows = [_Row(kind), *rows]
        else:
            at = heading + 1
            while at < len(self._rows) and self._rows[at].hit is not None:
                at += 1
        self.beginInsertRows(QModelIndex(), at, at + len(rows) - 1)
        self._rows[at:at] = rows
        self._counts[kind] += sum(1 for r in rows if r.hit is not None)
        self.endInsertRows()
        if heading >= 0:
            self.dataChanged.emit(self.index(heading), self.index(heading))

    @staticmethod
    def _hit_row(hit: Hit, describe: Describe | None) -> _Row:
        second = focus_snippet(hit.snippet, hit.snippet_matches)
        when, summary = describe(hit) if describe is not None else ("", "")
        if hit.kind == "event" and hit.field == "title":  # the title is already on line one
            second = (" ".join(summary.split()), [])
        return _Row(hit.kind, hit=hit, when=when, second_line=second)

    def clear(self) -> None:
        self.set_hits([], [])

    def hits(self) -> list[Hit]:
        """The hits shown, in row order."""
        return [row.hit for row in self._rows if row.hit is not None]

    def row_of(self, kind: str, item_id: str) -> int:
        """The row of a hit, -1 when it is not listed."""
        for number, row in enumerate(self._rows):
            if row.hit is not None and row.kind == kind and row.hit.id == item_id:
                return number
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid() or self._rows[index.row()].hit is None:
            return Qt.ItemFlag.NoItemFlags  # headings are skipped by the keyboard
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        hit = row.hit
        if role == Qt.ItemDataRole.DisplayRole:
            if hit is None:
                return f"{dict(GROUPS)[row.kind]}  ·  {self._counts[row.kind]}"
            return hit.title
        if role == HEADING_ROLE:
            return hit is None
        if hit is None:
            return None
        if role == HIT_ROLE:
            return hit
        if role == SNIPPET_ROLE:
            return row.second_line
        if role == WHEN_ROLE:
            return row.when
        if role == TITLE_MATCHES_ROLE:
            return self._title_spans(hit)
        if role == Qt.ItemDataRole.ToolTipRole:
            text, spans = row.second_line
            title = snippet_html(hit.title, self._title_spans(hit))
            return f"<qt><b>{title}</b><br>{snippet_html(text, spans)}</qt>"
        return None

    def _title_spans(self, hit: Hit) -> Spans:
        key = (hit.kind, hit.id)
        if key not in self._title_matches:
            self._title_matches[key] = find_matches(hit.title, self._phrases)
        return self._title_matches[key]
