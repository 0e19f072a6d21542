"""The table model behind the proposals review list: one row per proposal, its date and title
editable, a check box to accept it. Thousands of rows stay fast (counts kept as they change)."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from timeline_app.core.freetext import describe
from timeline_app.core.model import Case
from timeline_app.core.propose import Proposal
from timeline_app.ui.plain_text import plain_tooltip

DATE, TITLE, READS_AS, SENTENCE, DOCUMENT = range(5)
HEADERS = ("Date", "Title", "Reads as", "Sentence (the source quote)", "Document")
ERROR_COLOUR = QColor("#b3261e")
AnyIndex = QModelIndex | QPersistentModelIndex


@functools.lru_cache(maxsize=4096)
def reading_of(text: str) -> tuple[str | None, str]:
    """(EDTF or None, how it reads / why it cannot be read) of a typed date."""
    return describe(text)


@dataclass
class ProposalRow:
    """A proposal as the user has it in the list: checked or not, title and date edited."""

    proposal: Proposal
    title: str
    date_text: str
    document_name: str
    checked: bool = False

    @property
    def edtf(self) -> str | None:
        return reading_of(self.date_text)[0]

    @property
    def reading(self) -> str:
        edtf, reading = reading_of(self.date_text)
        return reading if edtf is not None else f"✗ {reading}"


class ProposalsModel(QAbstractTableModel):
    """Rows of :class:`ProposalRow`. ``counts_changed`` follows every check, edit or removal."""

    counts_changed = Signal()

    def __init__(self, case: Case, proposals: Sequence[Proposal]) -> None:
        super().__init__()
        names = {doc.id: doc.title or doc.id for doc in case.documents}
        self._rows = [
            ProposalRow(p, p.title, p.when, names.get(p.document, p.document)) for p in proposals
        ]
        self._checked = 0

    # -- reading ----------------------------------------------------------------------------

    def row(self, number: int) -> ProposalRow:
        return self._rows[number]

    @property
    def rows(self) -> Sequence[ProposalRow]:
        return tuple(self._rows)

    @property
    def checked_count(self) -> int:
        return self._checked

    def checked_rows(self) -> list[int]:
        return [number for number, row in enumerate(self._rows) if row.checked]

    def document_count(self) -> int:
        return len({row.proposal.document for row in self._rows})

    # -- Qt model ---------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == DATE:
            flags |= Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEditable
        elif index.column() == TITLE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(row, column)
        if role == Qt.ItemDataRole.CheckStateRole and column == DATE:
            return Qt.CheckState.Checked if row.checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == READS_AS and row.edtf is None:
            return QBrush(ERROR_COLOUR)
        return None

    def _text(self, row: ProposalRow, column: int) -> str:
        if column == DATE:
            return row.date_text
        if column == TITLE:
            return row.title
        if column == READS_AS:
            return row.reading
        if column == SENTENCE:
            return " ".join(row.proposal.quote.split())
        return row.document_name

    def _tooltip(self, row: ProposalRow, column: int) -> str | None:
        if column == SENTENCE:
            return plain_tooltip(row.proposal.quote)
        if column == READS_AS:
            edtf, reading = reading_of(row.date_text)
            return plain_tooltip(reading if edtf is None else f"{reading}\nEDTF: {edtf}")
        if column in (TITLE, DOCUMENT):
            return plain_tooltip(self._text(row, column))
        return None

    def setData(self, index: AnyIndex, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid():
            return False
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == DATE:
            self._set_checked(index.row(), _is_checked(value))
            return True
        if role != Qt.ItemDataRole.EditRole or not isinstance(value, str):
            return False
        if column == DATE:
            row.date_text = value.strip()
            self.dataChanged.emit(index, self.index(index.row(), READS_AS))
        elif column == TITLE:
            row.title = value
            self.dataChanged.emit(index, index)
        else:
            return False
        self.counts_changed.emit()
        return True

    # -- changes ----------------------------------------------------------------------------

    def _set_checked(self, number: int, checked: bool) -> None:
        row = self._rows[number]
        if row.checked == checked:
            return
        row.checked = checked
        self._checked += 1 if checked else -1
        index = self.index(number, DATE)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.counts_changed.emit()

    def set_checked(self, number: int, checked: bool = True) -> None:
        self._set_checked(number, checked)

    def set_all_checked(self, checked: bool) -> None:
        for row in self._rows:
            row.checked = checked
        self._checked = len(self._rows) if checked else 0
        if self._rows:
            top, bottom = self.index(0, DATE), self.index(len(self._rows) - 1, DATE)
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.CheckStateRole])
        self.counts_changed.emit()

    def remove_rows(self, numbers: Iterable[int]) -> None:
        """Remove rows (any order), in contiguous blocks from the bottom up."""
        for first, last in reversed(_blocks(sorted(set(numbers)))):
            self.beginRemoveRows(QModelIndex(), first, last)
            removed = self._rows[first : last + 1]
            del self._rows[first : last + 1]
            self._checked -= sum(1 for row in removed if row.checked)
            self.endRemoveRows()
        self.counts_changed.emit()


def _is_checked(value: object) -> bool:
    if isinstance(value, Qt.CheckState):
        return value == Qt.CheckState.Checked
    return value == Qt.CheckState.Checked.value or value is True


def _blocks(numbers: list[int]) -> list[tuple[int, int]]:
    blocks: list[tuple[int, int]] = []
    for number in numbers:
        if blocks and blocks[-1][1] == number - 1:
            blocks[-1] = (blocks[-1][0], number)
        else:
            blocks.append((number, number))
    return blocks
