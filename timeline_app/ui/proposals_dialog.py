"""Review the events proposed from the dates in documents: tick, edit, accept or reject.

Each row is a :class:`~timeline_app.core.propose.Proposal`: its date (editable: EDTF or free
text such as "30 June 2017"), its title (editable), how the date reads, the sentence it is in
(the source quote) and the document. "Accept checked" adds the ticked proposals as events in
one undoable step (a Macro of AddEvent commands); "Reject" drops the selected rows;
"Edit…" opens the full event editor on the current proposal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from timeline_app.core.commands import AddEvent, Command, Macro
from timeline_app.core.model import Case, Event
from timeline_app.core.propose import Proposal, event_from_proposal
from timeline_app.ui.plain_text import plain_label, scaled_font, set_muted
from timeline_app.ui.proposals_model import (
    DATE,
    DOCUMENT,
    ERROR_COLOUR,
    READS_AS,
    SENTENCE,
    TITLE,
    ProposalsModel,
)

MENTION_COLOUR = QColor("#1f5fbf")

Push = Callable[[Command], bool]
OpenEditor = Callable[[Proposal, str, str], "str | None"]  # proposal, title, when -> event id


class ProposalsDialog(QDialog):
    """The review list. ``push`` runs a command through the window's history (True when done);
    ``open_editor`` (optional) opens the event editor on one proposal and returns the id of the
    event it added. ``events_added`` carries the ids of accepted events."""

    events_added = Signal(list)

    def __init__(
        self,
        case: Case,
        proposals: Sequence[Proposal],
        push: Push,
        open_editor: OpenEditor | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("proposals_dialog")
        self.setWindowTitle("Find events in documents")
        self._case = case
        self._push = push
        self._open_editor = open_editor
        self.last_error = ""
        self._model = ProposalsModel(case, proposals)
        self._model.counts_changed.connect(self._update_counts)
        self._build()
        if proposals:
            self._table.setCurrentIndex(self._model.index(0, TITLE))
        self._update_counts()
        self.resize(self.sizeHint())

    # -- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        self._heading = plain_label(name="proposals_heading")
        self._heading.setFont(scaled_font(self, 1.15, bold=True))
        explanation = plain_label(
            "Each date found in the documents, with the sentence it is in. Tick the ones that "
            "are events, correct their date or title (double-click), then accept them. Dates "
            "that an event already cites are not listed.",
            "proposals_explanation",
        )
        set_muted(explanation)
        self._table = self._make_table()
        self._preview = self._make_preview()
        self._lane = QComboBox()
        self._lane.setObjectName("proposals_lane")
        self._lane.addItem("No lane", None)
        for lane in self._case.lanes:
            self._lane.addItem(lane.name, lane.id)
        self._error = plain_label(name="proposals_error")
        self._error.setStyleSheet(f"color: {ERROR_COLOUR.name()};")
        self._error.hide()
        self._preview_caption = plain_label(name="proposals_preview_caption")
        set_muted(self._preview_caption)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(8)
        layout.addWidget(self._heading)
        layout.addWidget(explanation)
        layout.addWidget(self._table, 1)
        layout.addWidget(self._preview_caption)
        layout.addWidget(self._preview)
        layout.addWidget(self._error)
        layout.addSpacing(4)
        layout.addLayout(self._make_buttons())

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("proposals_table")
        table.setModel(self._model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 12)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(SENTENCE, QHeaderView.ResizeMode.Stretch)
        for column, width in ((DATE, 118), (TITLE, 320), (READS_AS, 140), (DOCUMENT, 160)):
            table.setColumnWidth(column, width)
        table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        table.installEventFilter(self)  # Delete rejects the selected rows
        return table

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if (
            watched is getattr(self, "_table", None)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            and self._table.state() != QAbstractItemView.State.EditingState
        ):
            self.reject_selected()
            return True
        return super().eventFilter(watched, event)

    def _make_preview(self) -> QPlainTextEdit:
        preview = QPlainTextEdit()
        preview.setObjectName("proposals_preview")
        preview.setReadOnly(True)
        preview.setFrameShape(QPlainTextEdit.Shape.StyledPanel)
        lines = 4
        preview.setFixedHeight(preview.fontMetrics().lineSpacing() * lines + 18)
        preview.setPlaceholderText("The sentence of the current proposal is shown here.")
        return preview

    def _make_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(6)
        self.check_all_button = self._button("Check all", self.check_all, "check_all")
        self.check_none_button = self._button("Check none", self.check_none, "check_none")
        self.reject_button = self._button("Reject", self.reject_selected, "reject")
        self.reject_button.setToolTip("Drop the selected proposals from the list (Delete)")
        self.edit_button = self._button("Edit…", self.edit_current, "edit")
        self.edit_button.setToolTip("Open the current proposal in the event editor")
        self.edit_button.setEnabled(self._open_editor is not None)
        self.accept_button = self._button("Accept checked", self.accept_checked, "accept")
        self.accept_button.setDefault(True)
        close = self._button("Close", self.close, "close")
        row.addWidget(self.check_all_button)
        row.addWidget(self.check_none_button)
        row.addSpacing(12)
        row.addWidget(self.reject_button)
        row.addWidget(self.edit_button)
        row.addStretch(1)
        lane_label = QLabel("Lane for new events:")
        row.addWidget(lane_label)
        row.addWidget(self._lane)
        row.addSpacing(12)
        row.addWidget(self.accept_button)
        row.addWidget(close)
        return row

    def _button(self, text: str, slot: Callable[[], object], name: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(f"proposals_{name}")
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(1180, 640)

    # -- rows -------------------------------------------------------------------------------

    def row_count(self) -> int:
        return self._model.rowCount()

    @property
    def table(self) -> QTableView:
        return self._table

    @property
    def model(self) -> ProposalsModel:
        return self._model

    def proposal(self, row: int) -> Proposal:
        return self._model.row(row).proposal

    def set_checked(self, row: int, checked: bool = True) -> None:
        self._model.set_checked(row, checked)

    def is_checked(self, row: int) -> bool:
        return self._model.row(row).checked

    def set_date(self, row: int, text: str) -> None:
        self._model.setData(self._model.index(row, DATE), text)

    def set_title(self, row: int, text: str) -> None:
        self._model.setData(self._model.index(row, TITLE), text)

    def date_of(self, row: int) -> str | None:
        """The EDTF of the row's date as typed; None when it cannot be read."""
        return self._model.row(row).edtf

    def title_of(self, row: int) -> str:
        return " ".join(self._model.row(row).title.split())

    def check_all(self) -> None:
        self._model.set_all_checked(True)

    def check_none(self) -> None:
        self._model.set_all_checked(False)

    def checked_rows(self) -> list[int]:
        return self._model.checked_rows()

    # -- actions ----------------------------------------------------------------------------

    def accept_checked(self) -> list[str]:
        """Add the checked proposals as events (one undo step); the ids of the new events."""
        rows = self.checked_rows()
        if not rows:
            return self._say("Tick the proposals to accept first.")
        bad = [row for row in rows if self.date_of(row) is None or not self.title_of(row)]
        if bad:
            self._table.setCurrentIndex(self._model.index(bad[0], DATE))
            return self._say(f"Row {bad[0] + 1}: give a readable date and a title first.")
        events = self._events_for(rows)
        count = len(events)
        text = f"Add {count} event" + ("" if count == 1 else "s") + " from documents"
        if not self._push(Macro([AddEvent(event) for event in events], text)):
            return self._say("The events could not be added (see the message).")
        self._remove_rows(rows)
        ids = [event.id for event in events]
        self._say("")
        self.events_added.emit(ids)
        return ids

    def _events_for(self, rows: list[int]) -> list[Event]:
        taken: set[str] = set()
        events = []
        lane = self._lane.currentData()
        for row in rows:
            proposal = self.proposal(row)
            document = self._case.document_by_id(proposal.document)
            assert document is not None
            events.append(
                event_from_proposal(
                    self._case,
                    document,
                    proposal,
                    title=self.title_of(row),
                    when=self.date_of(row),
                    lane=lane,
                    taken=taken,
                )
            )
        return events

    def reject_selected(self) -> None:
        """Drop the selected proposals from the list (nothing changes in the case)."""
        self._remove_rows([index.row() for index in self._table.selectionModel().selectedRows()])

    def edit_current(self) -> str | None:
        """Open the event editor on the current proposal; its row goes when an event is made."""
        row = self._table.currentIndex().row()
        if self._open_editor is None or row < 0:
            return None
        when = self.date_of(row) or ""
        event_id = self._open_editor(self.proposal(row), self.title_of(row), when)
        if event_id:
            self._remove_rows([row])
            self.events_added.emit([event_id])
        return event_id

    def _remove_rows(self, rows: list[int]) -> None:
        self._model.remove_rows(rows)
        if self.row_count() == 0:
            self._preview.setPlainText("")
            self._preview_caption.setText("")

    # -- feedback ---------------------------------------------------------------------------

    def _say(self, message: str) -> list[str]:
        self.last_error = message
        self._error.setText(message)
        self._error.setVisible(bool(message))
        return []

    def _update_counts(self) -> None:
        checked = self._model.checked_count
        total = self.row_count()
        self.accept_button.setText(f"Accept checked ({checked})")
        self.accept_button.setEnabled(checked > 0)
        if total:
            documents = self._model.document_count()
            self._heading.setText(
                f"{total} proposed event" + ("" if total == 1 else "s") + f" in {documents} "
                "document" + ("" if documents == 1 else "s")
            )
        else:
            self._heading.setText("No proposals left: every date found is cited by an event")

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = current.row()
        if row < 0 or row >= self.row_count():
            return
        proposal = self.proposal(row)
        document = self._case.document_by_id(proposal.document)
        name = (document.title or document.id) if document else proposal.document
        self._preview_caption.setText(f"In “{name}” (the date found is underlined):")
        self._preview.setPlainText(proposal.quote)
        start = proposal.mention_start - proposal.start
        end = proposal.mention_end - proposal.start
        cursor = QTextCursor(self._preview.document())
        cursor.setPosition(_utf16(proposal.quote, start))
        cursor.setPosition(_utf16(proposal.quote, end), QTextCursor.MoveMode.KeepAnchor)
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor
        fmt = QTextCharFormat()
        fmt.setFontUnderline(True)
        fmt.setForeground(MENTION_COLOUR)
        fmt.setFontWeight(700)
        selection.format = fmt
        self._preview.setExtraSelections([selection])


def _utf16(text: str, index: int) -> int:
    return index + sum(1 for ch in text[:index] if ord(ch) > 0xFFFF)
