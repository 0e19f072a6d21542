"""Editing the open case: every change is a command through one History.

:class:`EditController` belongs to the main window. It owns the case's
:class:`~timeline_app.core.commands.History` and the editing actions: Undo/Redo named after
the command (Edit menu, Ctrl+Z / Ctrl+Shift+Z), new/edit/duplicate/delete event, lanes,
citations, events and citations made from a passage selected in a document, and drags on the
canvas. It keeps the "[*]" of the title bar and the read-only state (folders the user cannot
write, the shipped default case). Saving and safety (Save, Save As, the question on close,
recovery copies, changes on disk) are its :class:`~timeline_app.ui.case_keeper.CaseKeeper`'s.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QLabel, QMenu, QMessageBox, QToolBar

from timeline_app.core.commands import (
    AddEvent,
    AddSource,
    Command,
    DeleteEvent,
    DuplicateEvent,
    EditError,
    History,
    RemoveSource,
    UpdateEvent,
    passage_source,
    suggest_event_id,
)
from timeline_app.core.dates import DateError, When
from timeline_app.core.model import Case, Event, SourceRef
from timeline_app.ui import case_keeper
from timeline_app.ui.actions import ActionSpec, create_actions
from timeline_app.ui.case_keeper import CaseKeeper
from timeline_app.ui.event_list import EVENT_ID_ROLE

if TYPE_CHECKING:
    from timeline_app.ui.main_window import MainWindow

APP_NAME = "timeline-app"

FILE, EDIT = "&File", "&Edit"
# fmt: off
EDIT_SPECS: tuple[ActionSpec, ...] = (
    ActionSpec("save", "&Save", "save", FILE, ("Ctrl+S",), "save", "Save the case"),
    ActionSpec("save_as", "Save &As…", "save_as", FILE, ("Ctrl+Shift+S",), "",
               "Save the case to another folder"),
    ActionSpec("restore_unsaved", "&Restore unsaved changes…", "restore_unsaved", FILE, (), "",
               "Bring back the changes kept in this case's recovery copy"),
    ActionSpec("undo", "&Undo", "undo", EDIT, ("Ctrl+Z",), "undo"),
    ActionSpec("redo", "&Redo", "redo", EDIT, ("Ctrl+Shift+Z", "Ctrl+Y"), "redo"),
    ActionSpec("new_event", "&New event…", "new_event", EDIT, ("Ctrl+N",), "add-event",
               "Add an event to the timeline"),
    ActionSpec("edit_event", "&Edit event…", "edit_event", EDIT, ("Ctrl+E", "F2"), "",
               "Change the selected event"),
    ActionSpec("duplicate_event", "D&uplicate event", "duplicate_event", EDIT, ("Ctrl+D",), "",
               "Copy the selected event"),
    ActionSpec("delete_event", "&Delete event", "delete_event", EDIT, ("Del",), "",
               "Remove the selected event"),
    ActionSpec("add_citation", "Add &citation…", "add_citation", EDIT, (), "",
               "Cite a document that is not in the case (publisher, title, date, link)"),
    ActionSpec("edit_lanes", "&Lanes…", "edit_lanes", EDIT, ("Ctrl+L",), "",
               "Add, rename, recolour, reorder or delete lanes"),
)
# fmt: on
EDITING_IDS = (
    "undo",
    "redo",
    "new_event",
    "edit_event",
    "duplicate_event",
    "delete_event",
    "add_citation",
    "edit_lanes",
)


def _menu_text(text: str) -> str:
    """Text from a case shown in a menu: '&' is literal, not a mnemonic."""
    return text.replace("&", "&&")


class EditController(QObject):
    """The editing side of the main window; see the module docstring.

    ``case_edited`` is emitted after every change of the case (a command, an undo, a redo).
    """

    case_edited = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._history: History | None = None
        self._read_only = False
        self.last_message: QMessageBox | None = None
        self.actions_by_id: dict[str, QAction] = create_actions(self, EDIT_SPECS)
        self._install_actions()
        self._read_only_label = self._build_read_only_label()
        self.keeper = CaseKeeper(self)
        window.canvas.event_activated.connect(self.edit_event_by_id)
        window.event_list.doubleClicked.connect(self._on_list_double_clicked)
        window.canvas.event_dragged.connect(self.move_event)
        window.detail_pane.passage_action.connect(self._on_passage_action)
        self._update_actions()

    @property
    def _window(self) -> MainWindow:
        # The parent, looked up each time: an attribute would make a reference cycle that
        # leaves closed windows to the garbage collector (which may run inside a Qt event).
        return self.parent()  # type: ignore[return-value]

    # -- building ---------------------------------------------------------------------------

    def _install_actions(self) -> None:
        window = self._window
        menus = {action.text(): action.menu() for action in window.menuBar().actions()}
        file_menu = menus.get(FILE)
        if file_menu is not None:
            self._add_to_file_menu(file_menu, window.actions_by_id.get("quit"))
        edit_menu = QMenu(EDIT, window.menuBar())
        first_after_file = next((a for a in window.menuBar().actions() if a.text() != FILE), None)
        if first_after_file is not None:
            window.menuBar().insertMenu(first_after_file, edit_menu)
        else:
            window.menuBar().addMenu(edit_menu)
        for action_id in EDITING_IDS:
            if action_id in ("new_event", "add_citation", "edit_lanes"):
                edit_menu.addSeparator()
            edit_menu.addAction(self.actions_by_id[action_id])
        self._add_to_toolbar()
        for action in self.actions_by_id.values():
            window.addAction(action)
        window.actions_by_id.update(self.actions_by_id)

    def _add_to_file_menu(self, file_menu: QMenu, quit_action: QAction | None) -> None:
        actions = file_menu.actions()
        group = [self.actions_by_id[i] for i in ("save", "save_as", "restore_unsaved")]
        if quit_action not in actions:
            file_menu.addSeparator()
            file_menu.addActions(group)
            return
        at = actions.index(quit_action)
        anchor = actions[at - 1] if at and actions[at - 1].isSeparator() else quit_action
        file_menu.insertActions(anchor, group)
        file_menu.insertSeparator(group[0])

    def _add_to_toolbar(self) -> None:
        toolbar = self._window.findChild(QToolBar, "main_toolbar")
        if toolbar is None:
            return
        first = toolbar.actions()[1] if len(toolbar.actions()) > 1 else None
        group = [self.actions_by_id[i] for i in ("save", "undo", "redo", "new_event")]
        toolbar.insertActions(first, group)
        if first is not None:
            toolbar.insertSeparator(first)

    def _build_read_only_label(self) -> QLabel:
        label = QLabel("Read-only: Save As… to edit a copy")
        label.setObjectName("status_read_only")
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setContentsMargins(8, 0, 8, 0)
        label.setStyleSheet("QLabel { color: #8a4b00; font-weight: bold; }")
        label.setToolTip("This case cannot be changed here. Save As… makes a copy you can edit.")
        label.hide()
        self._window.statusBar().addPermanentWidget(label)
        return label

    # -- state --------------------------------------------------------------------------------

    @property
    def history(self) -> History | None:
        return self._history

    @property
    def read_only(self) -> bool:
        return self._read_only

    @property
    def case(self) -> Case | None:
        return self._history.case if self._history else None

    def is_dirty(self) -> bool:
        return self._history is not None and not self._history.is_clean()

    def case_shown(self, case: Case) -> None:
        """The window now shows ``case`` (opened, reloaded or restored): start its history."""
        restoring = self.keeper.take_restoring()
        if self._history is not None:
            self._history.remove_listener(self._on_history_changed)
        self._history = History(case, saved=not restoring)
        self._history.add_listener(self._on_history_changed)
        self.set_read_only(case_keeper.is_read_only_folder(case.folder))
        self.keeper.case_shown(case, restoring)

    def mark_unsaved(self) -> None:
        """The shown case is not on disk as it is (e.g. a new case made from imported
        documents): the title shows it, closing asks, autosave keeps a recovery copy."""
        if self._history is not None:
            self._history = History(self._history.case, saved=False)
            self._history.add_listener(self._on_history_changed)
            self._on_history_changed()

    def set_read_only(self, read_only: bool) -> None:
        """Allow or forbid edits (the title, the actions, the views' editing gestures)."""
        self._read_only = read_only
        self._window.detail_pane.set_editable(not read_only)
        self._window.canvas.set_editable(not read_only)
        self._on_history_changed()

    def _on_history_changed(self) -> None:
        self._update_actions()
        self._update_title()

    def _update_title(self) -> None:
        window = self._window
        case = self.case
        if case is None:
            return
        marker = " (read-only)" if self._read_only else ""
        window.setWindowTitle(f"{case.title}[*]{marker} — {APP_NAME}")
        window.setWindowModified(self.is_dirty())
        self._read_only_label.setVisible(self._read_only)

    def _update_actions(self) -> None:
        history = self._history
        editable = history is not None and not self._read_only
        for action_id in EDITING_IDS:
            self.actions_by_id[action_id].setEnabled(editable)
        self.actions_by_id["save"].setEnabled(editable)
        self.actions_by_id["save_as"].setEnabled(history is not None)
        self.actions_by_id["restore_unsaved"].setEnabled(editable)
        undo, redo = self.actions_by_id["undo"], self.actions_by_id["redo"]
        undo.setEnabled(editable and history.can_undo())  # type: ignore[union-attr]
        redo.setEnabled(editable and history.can_redo())  # type: ignore[union-attr]
        undo_name = history.undo_text() if history else ""
        redo_name = history.redo_text() if history else ""
        undo.setText(f"&Undo {_menu_text(undo_name)}" if undo_name else "&Undo")
        redo.setText(f"&Redo {_menu_text(redo_name)}" if redo_name else "&Redo")
        undo.setToolTip(f"Undo {undo_name} (Ctrl+Z)" if undo_name else "Nothing to undo")
        redo.setToolTip(f"Redo {redo_name} (Ctrl+Shift+Z)" if redo_name else "Nothing to redo")

    # -- commands -----------------------------------------------------------------------------

    def push(self, command: Command, select: str | None = None) -> bool:
        """Do ``command`` through the history and show the result; False (and a message) when
        it cannot be done. ``select`` is the event to select afterwards (default: keep)."""
        if self._history is None or self._read_only:
            return False
        try:
            self._history.push(command)
        except EditError as err:
            self.inform(QMessageBox.Icon.Warning, "Cannot make this change", str(err))
            return False
        self._after_change(select or self._window.selected_id(), command)
        return True

    def undo(self) -> None:
        if self._history is None or not self._history.can_undo():
            return
        command = self._history.commands[self._history.index - 1]
        self._history.undo()
        self._after_change(_event_of(command) or self._window.selected_id(), command)

    def redo(self) -> None:
        if self._history is None or not self._history.can_redo():
            return
        command = self._history.commands[self._history.index]
        self._history.redo()
        self._after_change(_event_of(command) or self._window.selected_id(), command)

    def _after_change(self, select: str | None, command: Command | None = None) -> None:
        case = self.case
        if case is not None and select is not None and case.event_by_id(select) is None:
            select = None
        edited = edited_event_ids(command) if command is not None else None
        self._window.refresh_after_edit(select, edited)
        self._update_title()
        self.case_edited.emit()

    # -- event actions ------------------------------------------------------------------------

    def _selected_event(self) -> Event | None:
        case, event_id = self.case, self._window.selected_id()
        if case is None or event_id is None:
            return None
        return case.event_by_id(event_id)

    def _need_selection(self) -> Event | None:
        event = self._selected_event()
        if event is None:
            self._window.statusBar().showMessage("Select an event first.", 4000)
        return event

    def new_event(self) -> None:
        """Open the event editor for a new event (in the selected event's lane, else the first)."""
        selected, case = self._selected_event(), self.case
        first_lane = case.lanes[0].id if case is not None and case.lanes else None
        self.create_event_with_editor(lane=selected.lane if selected else first_lane)

    def create_event_with_editor(
        self,
        *,
        title: str = "",
        when: str = "",
        lane: str | None = None,
        sources: list[SourceRef] | None = None,
    ) -> str | None:
        """Ask for a new event (prefilled); add it; its id, or None when cancelled."""
        from timeline_app.ui.event_editor import EventEditor

        case = self.case
        if case is None or self._read_only:
            return None
        editor = EventEditor(
            case, None, title=title, when=when, lane=lane, sources=sources, parent=self._window
        )
        accepted, values = editor.exec(), editor.values()
        editor.deleteLater()
        if not accepted:
            return None
        event = Event(
            id=suggest_event_id(case, values["title"]),
            title=values["title"],
            when=When.parse(values["when"]),
            lane=values["lane"],
            summary=values["summary"],
            tags=values["tags"],
            actors=values["actors"],
            sources=values["sources"],
        )
        return event.id if self.push(AddEvent(event), select=event.id) else None

    def _on_list_double_clicked(self, index: QModelIndex) -> None:
        event_id = index.data(EVENT_ID_ROLE)
        if isinstance(event_id, str):
            self.edit_event_by_id(event_id)

    def edit_event(self) -> None:
        event = self._need_selection()
        if event is not None:
            self.edit_event_by_id(event.id)

    def edit_event_by_id(self, event_id: str) -> bool:
        """Open the editor on an event; push the changes made. True when something changed."""
        from timeline_app.ui.event_editor import EventEditor

        case = self.case
        event = case.event_by_id(event_id) if case else None
        if case is None or event is None or self._read_only:
            return False
        self._window.select_event(event_id)
        editor = EventEditor(case, event, parent=self._window)
        accepted, values = editor.exec(), editor.values()
        editor.deleteLater()
        if not accepted:
            return False
        changed = changed_fields(event, values)
        return bool(changed) and self.push(UpdateEvent(event_id, changed), select=event_id)

    def duplicate_event(self) -> None:
        event = self._need_selection()
        if event is not None:
            command = DuplicateEvent(event.id)
            if self.push(command, select=None):
                self._window.select_event(command.new_id)

    def delete_event(self) -> None:
        event = self._need_selection()
        if event is None or self.case is None:
            return
        ordered = [ev.id for ev in self.case.events_in_time_order()]
        at = ordered.index(event.id)
        neighbour = ordered[at + 1] if at + 1 < len(ordered) else (ordered[at - 1] if at else None)
        self.push(DeleteEvent(event.id), select=neighbour)

    def move_event(self, event_id: str, days: float, lane_id: str) -> bool:
        """A drag on the canvas: shift the date by ``days`` (snapped to its precision) and put
        it in lane ``lane_id`` ("" keeps no lane). True when the event changed."""
        case = self.case
        event = case.event_by_id(event_id) if case else None
        if case is None or event is None or self._read_only:
            return False
        fields: dict[str, object] = {}
        shifted = shifted_edtf(event.when, days)
        if shifted is None:
            self._window.statusBar().showMessage(
                "This date cannot be dragged; edit it instead (F2).", 5000
            )
        elif shifted != event.when.edtf:
            fields["when"] = shifted
        lane = lane_id or None
        if lane != event.lane and (lane is None or case.lane_by_id(lane) is not None):
            fields["lane"] = lane
        return bool(fields) and self.push(UpdateEvent(event_id, fields), select=event_id)

    def add_citation(self) -> None:
        """Ask for a citation (publisher, title, date, link) and add it to the selected event."""
        from timeline_app.ui.event_editor import CitationDialog

        event = self._need_selection()
        if event is None:
            return
        dialog = CitationDialog(self._window)
        accepted, citation = dialog.exec(), dialog.citation()
        dialog.deleteLater()
        if accepted:
            self.push(AddSource(event.id, SourceRef(citation=citation)), select=event.id)

    def edit_lanes(self) -> None:
        from timeline_app.ui.lane_editor import LaneEditor

        if self.case is None or self._read_only:
            return
        editor = LaneEditor(self.case, self.push, self.undo, self._window)
        editor.exec()
        editor.deleteLater()

    # -- passages of documents ----------------------------------------------------------------

    def _on_passage_action(self, kind: str, document_id: str, start: int, end: int) -> None:
        if kind == "cite":
            self.cite_passage(document_id, start, end)
        else:
            self.new_event_from_passage(document_id, start, end)

    def cite_passage(self, document_id: str, start: int, end: int) -> bool:
        """Add the passage ``start:end`` of a document as a source of an event the user picks."""
        case = self.case
        document = case.document_by_id(document_id) if case else None
        if case is None or document is None or not case.events or self._read_only:
            return False
        ordered = case.events_in_time_order()
        labels = [f"{ev.title} — {ev.when.human()}" for ev in ordered]
        selected = self._window.selected_id()
        current = next((i for i, ev in enumerate(ordered) if ev.id == selected), 0)
        label, ok = QInputDialog.getItem(
            self._window, "Cite in event", "Add the passage as a source of:", labels, current, False
        )
        if not ok or label not in labels:
            return False
        event = ordered[labels.index(label)]
        try:
            source = passage_source(document, start, end)
        except EditError as err:
            self.inform(QMessageBox.Icon.Warning, "Cannot cite this passage", str(err))
            return False
        return self.push(AddSource(event.id, source), select=event.id)

    def new_event_from_passage(self, document_id: str, start: int, end: int) -> str | None:
        """Open the event editor on a new event citing the passage, its date taken from a date
        in or near the passage; the new event's id, or None."""
        case = self.case
        document = case.document_by_id(document_id) if case else None
        if case is None or document is None or self._read_only:
            return None
        try:
            source = passage_source(document, start, end)
        except EditError as err:
            self.inform(QMessageBox.Icon.Warning, "Cannot cite this passage", str(err))
            return None
        selected = self._selected_event()
        return self.create_event_with_editor(
            title=title_from_passage(source.quote),
            when=date_near(document.text, start, end, document.date),
            lane=selected.lane if selected else None,
            sources=[source],
        )

    # -- saving and safety (the CaseKeeper) -------------------------------------------------

    def save(self) -> bool:
        return self.keeper.save()

    def save_as(self) -> bool:
        return self.keeper.save_as()

    def restore_unsaved(self) -> bool:
        return self.keeper.restore_unsaved()

    def may_replace_case(self, *, closing: bool = False) -> bool:
        """Before the case goes away: True when saved or the user chose (Save/Discard/Cancel)."""
        return self.keeper.may_replace_case(closing=closing)

    def confirm_close(self) -> bool:
        return self.keeper.confirm_close()

    def autosave_now(self) -> Path | None:
        return self.keeper.autosave_now()

    def check_disk(self) -> bool:
        return self.keeper.check_disk()

    # -- messages -----------------------------------------------------------------------------

    def inform(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        """A window-modal message that does not block (kept as ``last_message`` for tests)."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self._window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_message = box
        box.open()


# -- pure helpers ---------------------------------------------------------------------------


def _event_of(command: Command) -> str | None:
    """The event a command is about (to select it after undo/redo), if any."""
    for name in ("new_id", "event_id"):
        value = getattr(command, name, None)
        if isinstance(value, str):
            return value
    event = getattr(command, "event", None)
    return event.id if isinstance(event, Event) else None


def edited_event_ids(command: Command) -> set[str] | None:
    """The ids of the only events ``command`` (done or undone) adds, changes or removes, when
    it is a command of one event that leaves lanes and documents alone; None otherwise."""
    kind = type(command)
    if kind in (UpdateEvent, DeleteEvent, AddSource, RemoveSource):
        return {command.event_id}  # type: ignore[attr-defined]
    if kind is AddEvent:
        return {command.event.id}  # type: ignore[attr-defined]
    if kind is DuplicateEvent and command.new_id is not None:  # type: ignore[attr-defined]
        return {command.new_id}  # type: ignore[attr-defined]
    return None


def changed_fields(event: Event, values: dict[str, object]) -> dict[str, object]:
    """The editor's values that differ from ``event`` (``when`` compared as EDTF)."""
    changed: dict[str, object] = {}
    for name, value in values.items():
        current = getattr(event, name)
        if name == "when":
            current = current.edtf
        if value != current:
            changed[name] = value
    return changed


def title_from_passage(quote: str, limit: int = 70) -> str:
    """A first title for an event made from a passage: its first sentence, cut at a word."""
    text = " ".join(quote.split())
    sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0].rstrip(".")
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def date_near(text: str, start: int, end: int, anchor: str = "", reach: int = 400) -> str:
    """EDTF of a date written in ``text[start:end]``, else the nearest one before it, else the
    nearest after (within ``reach`` characters); "" when there is none."""
    try:
        from timeline_app.core.extract import find_dates
    except ImportError:  # pragma: no cover (extract ships with the app)
        return ""
    low, high = max(0, start - reach), min(len(text), end + reach)
    day_anchor = anchor if re.fullmatch(r"\d{4}-\d{2}-\d{2}", anchor or "") else None
    try:
        mentions = find_dates(text[low:high], day_anchor)
    except ValueError:
        mentions = find_dates(text[low:high])
    inside = [m for m in mentions if m.start + low < end and m.end + low > start]
    if inside:
        return inside[0].value
    before = [m for m in mentions if m.end + low <= start]
    after = [m for m in mentions if m.start + low >= end]
    if before:
        return before[-1].value
    return after[0].value if after else ""


_EDTF_DATE = re.compile(r"(?P<year>-?\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?(?P<q>[?~%]?)")


def shifted_edtf(when: When, days: float) -> str | None:
    """``when`` moved by about ``days``, snapped to its precision (a month-precision date moves
    by whole months, a year by whole years); None for forms that cannot be shifted this way
    (unspecified digits, seasons, times, long years)."""
    parts = when.edtf.split("/")
    shifted: list[str] = []
    for part in parts:
        if part in ("", ".."):
            shifted.append(part)
            continue
        match = _EDTF_DATE.fullmatch(part)
        if match is None:
            return None
        moved = _shift_date(match, days)
        if moved is None:
            return None
        shifted.append(moved)
    result = "/".join(shifted)
    try:
        return When.parse(result).edtf
    except DateError:
        return None


def _shift_date(match: re.Match[str], days: float) -> str | None:
    from timeline_app.core.dates import civil_from_day, day_number

    year, q = int(match["year"]), match["q"]
    if match["month"] and not 1 <= int(match["month"]) <= 12:
        return None  # a season, quarter or half (2017-21..2017-41), not a month
    if match["day"]:
        new_day = day_number(year, int(match["month"]), int(match["day"])) + round(days)
        y, m, d = civil_from_day(new_day)
        return f"{_year(y)}-{m:02d}-{d:02d}{q}" if -9999 <= y <= 9999 else None
    if match["month"]:
        months = year * 12 + int(match["month"]) - 1 + round(days / 30.436875)
        y, m = divmod(months, 12)
        return f"{_year(y)}-{m + 1:02d}{q}" if -9999 <= y <= 9999 else None
    y = year + round(days / 365.2425)
    return f"{_year(y)}{q}" if -9999 <= y <= 9999 else None


def _year(year: int) -> str:
    return f"-{-year:04d}" if year < 0 else f"{year:04d}"


def move_preview(case: Case, event_id: str, days: float, lane_id: str) -> str:
    """What dropping a dragged event here would do ("→ 5 July 2017 · City of Milwaukee")."""
    event = case.event_by_id(event_id)
    if event is None:
        return ""
    shifted = shifted_edtf(event.when, days)
    if shifted is None:
        return "This date cannot be dragged; double-click to edit it"
    lane = case.lane_by_id(lane_id or None)
    lane_name = lane.name if lane else "Other"
    return f"→ {When.parse(shifted).human()} · {lane_name}"
