"""Dialogs to create or change an event, and to write a citation.

The date field accepts EDTF or free text ("late June 2017", "c. 1996", "before 30 June 2017")
and shows, as the user types, the EDTF it becomes and how it reads, or why it cannot be read.
The dialogs only gather values; the window turns them into commands.
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPalette, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from timeline_app.core.freetext import describe
from timeline_app.core.model import Case, Citation, Event, SourceRef
from timeline_app.ui.plain_text import plain_tooltip

DATE_HINT = "e.g. 2017-06-30, June 2017, late June 2017, c. 1996, before 30 June 2017"
NO_LANE = "No lane (Other)"
OK_COLOUR = "#2d6a3e"
ERROR_COLOUR = "#b3261e"
QUOTE_CHARS = 90


def split_list(text: str) -> list[str]:
    """Comma-separated text as a list of trimmed, non-empty items in order, without repeats."""
    items: list[str] = []
    for part in text.split(","):
        item = part.strip()
        if item and item not in items:
            items.append(item)
    return items


def colour_icon(colour: str, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour) if QColor(colour).isValid() else QColor("#999999"))
    return QIcon(pixmap)


def source_label(case: Case, source: SourceRef) -> str:
    """One line naming a source: the document and the start of the quote, or the citation."""
    if source.document is not None:
        document = case.document_by_id(source.document)
        name = (document.title or document.id) if document else source.document
        quote = " ".join(source.quote.split())
        if len(quote) > QUOTE_CHARS:
            quote = quote[: QUOTE_CHARS - 1] + "…"
        return f"{name}: “{quote}”"
    if source.citation is not None:
        return f"Citation: {source.citation.label()}"
    return source.note or "Source"


class DateField(QWidget):
    """A line edit for a date in EDTF or free text, with a live reading below it."""

    changed = Signal()

    def __init__(self, text: str = "", *, allow_empty: bool = False, parent=None) -> None:
        super().__init__(parent)
        self._allow_empty = allow_empty
        self._edtf: str | None = None
        self._reason = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        self.line_edit = QLineEdit(text)
        self.line_edit.setObjectName("date_edit")
        self.line_edit.setPlaceholderText(DATE_HINT)
        self.line_edit.setClearButtonEnabled(True)
        self.feedback = QLabel()
        self.feedback.setObjectName("date_feedback")
        self.feedback.setTextFormat(Qt.TextFormat.PlainText)
        self.feedback.setWordWrap(True)
        self.feedback.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.feedback.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # Room for a two-line reason, so that the dialog does not jump while the user types.
        self.feedback.setMinimumHeight(self.feedback.fontMetrics().lineSpacing() * 2 + 2)
        layout.addWidget(self.line_edit)
        layout.addWidget(self.feedback)
        self.line_edit.textChanged.connect(self._on_text_changed)
        self._on_text_changed(text)

    def text(self) -> str:
        return self.line_edit.text()

    def set_text(self, text: str) -> None:
        self.line_edit.setText(text)

    def edtf(self) -> str | None:
        """The EDTF the text reads as ("" for an allowed empty field); None when unreadable."""
        return self._edtf

    def is_valid(self) -> bool:
        return self._edtf is not None

    def reason(self) -> str:
        """Why the text cannot be read ("" when it can)."""
        return self._reason

    def _on_text_changed(self, text: str) -> None:
        if not text.strip() and self._allow_empty:
            self._edtf, self._reason = "", ""
            self._show("Optional", None)
        elif not text.strip():
            self._edtf, self._reason = None, "Type the date of the event."
            self._show(f"Type a date: {DATE_HINT}", None)
        else:
            edtf, reading = describe(text)
            self._edtf = edtf
            self._reason = "" if edtf is not None else reading
            if edtf is None:
                self._show(f"✗ {reading[:1].upper()}{reading[1:]}", ERROR_COLOUR)
            else:
                self._show(f"✓ {reading}\nEDTF: {edtf}", OK_COLOUR)
        self.changed.emit()

    def _show(self, text: str, colour: str | None) -> None:
        self.feedback.setText(text)
        palette = self.feedback.palette()
        role = QPalette.ColorRole.WindowText
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
        palette.setColor(role, QColor(colour) if colour else muted)
        self.feedback.setPalette(palette)


class EventEditor(QDialog):
    """Create (``event`` None) or change an event; :meth:`values` holds what the user entered.

    ``title``, ``when``, ``lane`` and ``sources`` prefill a new event (e.g. from a passage).
    """

    def __init__(
        self,
        case: Case,
        event: Event | None = None,
        *,
        title: str = "",
        when: str = "",
        lane: str | None = None,
        sources: list[SourceRef] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._case = case
        self._event = event
        if event is not None:
            title, when, lane = event.title, event.when.edtf, event.lane
            sources = event.sources
        self._sources: list[SourceRef] = copy.deepcopy(list(sources or []))
        self.setWindowTitle("Edit event" if event else "New event")
        self.setObjectName("event_editor")
        self.setMinimumWidth(600)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(12)
        layout.addLayout(self._build_form(title, when, lane))
        layout.addWidget(self._build_buttons())
        self._fill_sources()
        self._update_ok()
        self.title_edit.setFocus()

    # -- building -----------------------------------------------------------------------------

    def _build_form(self, title: str, when: str, lane: str | None) -> QFormLayout:
        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(9)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        event = self._event
        self.title_edit = QLineEdit(title)
        self.title_edit.setObjectName("title_edit")
        self.title_edit.setPlaceholderText("What happened")
        self.title_edit.textChanged.connect(self._update_ok)
        self.date_field = DateField(when)
        self.date_field.changed.connect(self._update_ok)
        self.lane_combo = self._build_lane_combo(lane)
        self.actors_edit = QLineEdit(", ".join(event.actors) if event else "")
        self.actors_edit.setPlaceholderText("People or bodies involved, separated by commas")
        self.tags_edit = QLineEdit(", ".join(event.tags) if event else "")
        self.tags_edit.setPlaceholderText("Keywords, separated by commas")
        self.summary_edit = QPlainTextEdit(event.summary if event else "")
        self.summary_edit.setObjectName("summary_edit")
        self.summary_edit.setPlaceholderText("What the sources say happened, in a sentence or two")
        self.summary_edit.setTabChangesFocus(True)
        lines = self.summary_edit.fontMetrics().lineSpacing()
        self.summary_edit.setFixedHeight(lines * 4 + 14)
        form.addRow("&Title", self.title_edit)
        form.addRow("&Date", self.date_field)
        form.addRow("&Lane", self.lane_combo)
        form.addRow("&Actors", self.actors_edit)
        form.addRow("Ta&gs", self.tags_edit)
        form.addRow("&Summary", self.summary_edit)
        form.addRow("Sources", self._build_sources())
        return form

    def _build_lane_combo(self, lane: str | None) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName("lane_combo")
        for item in self._case.lanes:
            combo.addItem(colour_icon(item.colour), item.name, item.id)
        combo.addItem(colour_icon("#8a8f98"), NO_LANE, None)
        if lane is not None and combo.findData(lane) < 0:  # kept as it is unless changed
            combo.addItem(colour_icon("#8a8f98"), f"{lane} (not a lane of this case)", lane)
        index = combo.findData(lane) if lane is not None else combo.findData(None)
        combo.setCurrentIndex(max(index, 0))
        return combo

    def _build_sources(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.sources_list = QListWidget()
        self.sources_list.setObjectName("sources_list")
        self.sources_list.setWordWrap(True)
        self.sources_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sources_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.sources_list.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 14)
        self.sources_list.currentRowChanged.connect(self._update_source_buttons)
        row = QHBoxLayout()
        row.setSpacing(6)
        self.add_citation_button = QPushButton("Add citation…")
        self.add_citation_button.setToolTip(
            "Cite a document that is not in the case: publisher, title, date, link"
        )
        self.add_citation_button.clicked.connect(self._ask_citation)
        self.remove_source_button = QPushButton("Remove")
        self.remove_source_button.setToolTip("Remove the selected source from this event")
        self.remove_source_button.clicked.connect(self.remove_selected_source)
        hint = QLabel("Quote a passage: select it in a document, then right-click.")
        hint.setTextFormat(Qt.TextFormat.PlainText)
        hint.setWordWrap(True)
        _mute(hint)
        row.addWidget(self.add_citation_button)
        row.addWidget(self.remove_source_button)
        row.addStretch(1)
        layout.addWidget(self.sources_list)
        layout.addLayout(row)
        layout.addWidget(hint)
        return box

    def _build_buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Save changes" if self._event else "Add event")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        return buttons

    # -- sources ------------------------------------------------------------------------------

    def sources(self) -> list[SourceRef]:
        return list(self._sources)

    def add_source(self, source: SourceRef) -> None:
        self._sources.append(source)
        self._fill_sources()
        self.sources_list.setCurrentRow(len(self._sources) - 1)

    def remove_selected_source(self) -> None:
        row = self.sources_list.currentRow()
        if 0 <= row < len(self._sources):
            del self._sources[row]
            self._fill_sources()
            self.sources_list.setCurrentRow(min(row, len(self._sources) - 1))

    def _ask_citation(self) -> None:
        dialog = CitationDialog(self)
        accepted, citation = dialog.exec(), dialog.citation()
        dialog.deleteLater()
        if accepted:
            self.add_source(SourceRef(citation=citation))

    def _fill_sources(self) -> None:
        self.sources_list.clear()
        for number, source in enumerate(self._sources, start=1):
            text = f"{number}. {source_label(self._case, source)}"
            item = QListWidgetItem(text)
            item.setToolTip(plain_tooltip(source.quote or text))
            self.sources_list.addItem(item)
        if not self._sources:
            empty = QListWidgetItem("No source yet")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.sources_list.addItem(empty)
        self._update_source_buttons()

    def _update_source_buttons(self, *_args: object) -> None:
        row = self.sources_list.currentRow()
        self.remove_source_button.setEnabled(0 <= row < len(self._sources))

    # -- values -------------------------------------------------------------------------------

    def _update_ok(self, *_args: object) -> None:
        problems = []
        if not self.title_edit.text().strip():
            problems.append("give the event a title")
        if not self.date_field.is_valid():
            problems.append("give a date that can be read")
        self.ok_button.setEnabled(not problems)
        self.ok_button.setToolTip("To save: " + " and ".join(problems) if problems else "")

    def values(self) -> dict[str, Any]:
        """title, when (EDTF), lane (id or None), summary, tags, actors, sources."""
        return {
            "title": self.title_edit.text().strip(),
            "when": self.date_field.edtf() or "",
            "lane": self.lane_combo.currentData(),
            "summary": _text_or_empty(self.summary_edit.toPlainText()),
            "tags": split_list(self.tags_edit.text()),
            "actors": split_list(self.actors_edit.text()),
            "sources": self.sources(),
        }

    def accept(self) -> None:
        if self.ok_button.isEnabled():
            super().accept()


class CitationDialog(QDialog):
    """Publisher, title, date and link of a document that is not shipped with the case."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add citation")
        self.setObjectName("citation_dialog")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(12)
        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(9)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.publisher_edit = QLineEdit()
        self.publisher_edit.setPlaceholderText("e.g. Milwaukee Journal Sentinel")
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("Title of the article, letter or record")
        self.date_field = DateField(allow_empty=True)
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("https://…")
        form.addRow("&Publisher", self.publisher_edit)
        form.addRow("&Title", self.title_edit)
        form.addRow("&Date", self.date_field)
        form.addRow("&Link", self.url_edit)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Add citation")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for edit in (self.publisher_edit, self.title_edit, self.url_edit):
            edit.textChanged.connect(self._update_ok)
        self.date_field.changed.connect(self._update_ok)
        self._update_ok()

    def _update_ok(self, *_args: object) -> None:
        named = any(e.text().strip() for e in (self.publisher_edit, self.title_edit, self.url_edit))
        self.ok_button.setEnabled(named and self.date_field.is_valid())
        self.ok_button.setToolTip("" if named else "Give at least a publisher, a title or a link")

    def citation(self) -> Citation:
        return Citation(
            publisher=self.publisher_edit.text().strip(),
            title=self.title_edit.text().strip(),
            date=self.date_field.edtf() or "",
            url=self.url_edit.text().strip(),
        )

    def accept(self) -> None:
        if self.ok_button.isEnabled():
            super().accept()


def _text_or_empty(text: str) -> str:
    """``text`` as typed, or "" when it is only white space."""
    return text if text.strip() else ""


def _mute(label: QLabel) -> None:
    palette = label.palette()
    palette.setColor(
        QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.PlaceholderText)
    )
    label.setPalette(palette)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 0.92)
    label.setFont(font)
