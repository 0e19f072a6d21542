"""The problems panel: what was wrong in the case file, listed when the case opens."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QDockWidget, QTreeWidget, QTreeWidgetItem, QWidget

from timeline_app.core.casefile import Problem
from timeline_app.ui.plain_text import plain_tooltip

COLUMNS = ("Where", "Field", "Problem")


def problem_location(problem: Problem) -> str:
    """ "case.json:12:5": the file's name, the line and the column (when known)."""
    name = Path(problem.file).name if problem.file else "?"
    if problem.line:
        return f"{name}:{problem.line}:{problem.col}" if problem.col else f"{name}:{problem.line}"
    return name


class ProblemsPanel(QDockWidget):
    """A dockable list of problems: location, JSON path and message, one per row."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Problems", parent)
        self.setObjectName("problems_panel")
        self.setAllowedAreas(
            Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.TopDockWidgetArea
        )
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setColumnWidth(0, 160)
        self.tree.setColumnWidth(1, 220)
        self.setWidget(self.tree)
        self._problems: list[Problem] = []

    def set_problems(self, problems: Sequence[Problem]) -> None:
        """List ``problems``; the panel's title counts them."""
        self._problems = list(problems)
        self.tree.clear()
        for problem in self._problems:
            item = QTreeWidgetItem([problem_location(problem), problem.path, problem.message])
            item.setToolTip(0, plain_tooltip(problem.file))
            item.setToolTip(2, plain_tooltip(problem.message))
            self.tree.addTopLevelItem(item)
        count = len(self._problems)
        self.setWindowTitle(f"Problems ({count})" if count else "Problems")

    def preferred_height(self, max_rows: int = 6) -> int:
        """Tall enough for up to ``max_rows`` problems, so the timeline keeps its room."""
        rows = max(1, min(len(self._problems), max_rows))
        row_height = self.tree.fontMetrics().height() + 6
        title_and_header = 2 * row_height + 16
        return title_and_header + rows * row_height

    def problems(self) -> list[Problem]:
        return list(self._problems)

    def row_texts(self) -> list[str]:
        """Each row as one line, "WHERE  FIELD  MESSAGE" (for tests and copying)."""
        rows = []
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            rows.append("  ".join(item.text(c) for c in range(len(COLUMNS))))
        return rows
