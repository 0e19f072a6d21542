"""The lanes dialog: add, rename, recolour, reorder and delete lanes.

Every button makes one command and hands it to ``push`` (the window's history), so each change
shows on the timeline behind the dialog at once and can be undone, here or later from the
Edit menu. Deleting a lane that holds events asks which lane they move to.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from timeline_app.core.commands import AddLane, Command, DeleteLane, MoveLane, UpdateLane
from timeline_app.core.model import Case, Lane, next_lane_colour, unique_id
from timeline_app.ui.event_editor import colour_icon

LANE_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def lane_id_for(case: Case, name: str) -> str:
    """A new lane id made from its name, unique among the case's lanes."""
    base = "-".join(re.findall(r"[a-z0-9]+", name.lower()))[:30].strip("-") or "lane"
    return unique_id(base, (lane.id for lane in case.lanes))


class LaneEditor(QDialog):
    """A list of the case's lanes with buttons that change them through ``push``."""

    def __init__(
        self,
        case: Case,
        push: Callable[[Command], bool],
        undo: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._case = case
        self._push = push
        self._undo = undo
        self.setWindowTitle("Lanes")
        self.setObjectName("lane_editor")
        self.setMinimumSize(480, 360)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        intro = QLabel("Lanes are the horizontal bands of the timeline, from top to bottom.")
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        body = QHBoxLayout()
        body.setSpacing(10)
        self.lane_list = QListWidget()
        self.lane_list.setObjectName("lane_list")
        self.lane_list.currentRowChanged.connect(self._update_buttons)
        self.lane_list.itemDoubleClicked.connect(self._ask_rename)
        body.addWidget(self.lane_list, 1)
        body.addLayout(self._build_buttons())
        layout.addLayout(body, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.refresh()

    def _build_buttons(self) -> QVBoxLayout:
        column = QVBoxLayout()
        column.setSpacing(6)
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (
            ("add", "Add…", self._ask_add),
            ("rename", "Rename…", self._ask_rename),
            ("colour", "Colour…", self._ask_colour),
            ("up", "Move up", self._move_up),
            ("down", "Move down", self._move_down),
            ("delete", "Delete…", self._ask_delete),
            ("undo", "Undo", self._undo_last),
        ):
            button = QPushButton(text)
            button.setObjectName(f"lane_{key}")
            button.clicked.connect(slot)
            self.buttons[key] = button
            if key in ("up", "delete", "undo"):
                column.addSpacing(8)
            column.addWidget(button)
        self.buttons["undo"].setVisible(self._undo is not None)
        column.addStretch(1)
        return column

    # -- list ---------------------------------------------------------------------------------

    def refresh(self, select: str | None = None) -> None:
        """Show the case's lanes again; keep (or move to) ``select``."""
        keep = select or self.current_lane_id()
        counts: dict[str | None, int] = {}
        for event in self._case.events:
            counts[event.lane] = counts.get(event.lane, 0) + 1
        self.lane_list.clear()
        for lane in self._case.lanes:
            count = counts.get(lane.id, 0)
            noun = "event" if count == 1 else "events"
            item = QListWidgetItem(colour_icon(lane.colour, 14), f"{lane.name}   ({count} {noun})")
            item.setData(LANE_ID_ROLE, lane.id)
            self.lane_list.addItem(item)
        ids = [lane.id for lane in self._case.lanes]
        self.lane_list.setCurrentRow(ids.index(keep) if keep in ids else min(0, len(ids) - 1))
        self._update_buttons()

    def current_lane_id(self) -> str | None:
        item = self.lane_list.currentItem()
        return item.data(LANE_ID_ROLE) if item is not None else None

    def _current_lane(self) -> Lane | None:
        return self._case.lane_by_id(self.current_lane_id())

    def _update_buttons(self, *_args: object) -> None:
        row, count = self.lane_list.currentRow(), self.lane_list.count()
        has = 0 <= row < count
        for key in ("rename", "colour", "delete"):
            self.buttons[key].setEnabled(has)
        self.buttons["up"].setEnabled(has and row > 0)
        self.buttons["down"].setEnabled(has and row < count - 1)

    # -- changes (each one command) -----------------------------------------------------------

    def add_lane(self, name: str, colour: str | None = None) -> str | None:
        """Add a lane at the bottom; its id, or None when it could not be added."""
        lane = Lane(
            lane_id_for(self._case, name), name.strip(), colour or next_lane_colour(self._case)
        )
        return lane.id if self._apply(AddLane(lane), lane.id) else None

    def rename_lane(self, lane_id: str, name: str) -> bool:
        return self._apply(UpdateLane(lane_id, name=name.strip()), lane_id)

    def recolour_lane(self, lane_id: str, colour: str) -> bool:
        return self._apply(UpdateLane(lane_id, colour=colour), lane_id)

    def move_lane(self, lane_id: str, delta: int) -> bool:
        ids = [lane.id for lane in self._case.lanes]
        target = ids.index(lane_id) + delta
        if not 0 <= target < len(ids):
            return False
        return self._apply(MoveLane(lane_id, target), lane_id)

    def delete_lane(self, lane_id: str, move_to: str | None = None) -> bool:
        return self._apply(DeleteLane(lane_id, move_to), move_to)

    def _apply(self, command: Command, select: str | None) -> bool:
        done = self._push(command)
        self.refresh(select if done else None)
        return done

    # -- buttons ------------------------------------------------------------------------------

    def _ask_add(self) -> None:
        name, ok = QInputDialog.getText(self, "Add lane", "Name of the new lane:")
        if ok and name.strip():
            self.add_lane(name)

    def _ask_rename(self, *_args: object) -> None:
        lane = self._current_lane()
        if lane is None:
            return
        name, ok = QInputDialog.getText(self, "Rename lane", "New name:", text=lane.name)
        if ok and name.strip() and name.strip() != lane.name:
            self.rename_lane(lane.id, name)

    def _ask_colour(self) -> None:
        lane = self._current_lane()
        if lane is None:
            return
        colour = QColorDialog.getColor(QColor(lane.colour), self, f"Colour of “{lane.name}”")
        if colour.isValid() and colour.name() != lane.colour.lower():
            self.recolour_lane(lane.id, colour.name())

    def _move_up(self) -> None:
        lane_id = self.current_lane_id()
        if lane_id is not None:
            self.move_lane(lane_id, -1)

    def _move_down(self) -> None:
        lane_id = self.current_lane_id()
        if lane_id is not None:
            self.move_lane(lane_id, +1)

    def _ask_delete(self) -> None:
        lane = self._current_lane()
        if lane is None:
            return
        count = sum(1 for event in self._case.events if event.lane == lane.id)
        if count == 0:
            self.delete_lane(lane.id)
            return
        others = [other for other in self._case.lanes if other.id != lane.id]
        if not others:
            QMessageBox.information(
                self,
                "Cannot delete the last lane",
                f"“{lane.name}” holds {count} events and there is no other lane to move them "
                "to. Add a lane first.",
            )
            return
        names = [other.name for other in others]
        noun = "event" if count == 1 else "events"
        choice, ok = QInputDialog.getItem(
            self,
            "Delete lane",
            f"“{lane.name}” holds {count} {noun}. Move them to:",
            names,
            0,
            False,
        )
        if ok and choice in names:
            self.delete_lane(lane.id, others[names.index(choice)].id)

    def _undo_last(self) -> None:
        if self._undo is not None:
            self._undo()
            self.refresh()
