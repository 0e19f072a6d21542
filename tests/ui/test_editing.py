"""Editing in the main window: commands with undo/redo, saving, closing, recovery, disk changes."""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QTextCursor
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLabel, QMessageBox

from timeline_app.core import recovery
from timeline_app.core.casefile import case_to_dict, load_case
from timeline_app.core.commands import UpdateEvent
from timeline_app.core.dates import When
from timeline_app.core.model import Case, Lane
from timeline_app.ui import case_keeper
from timeline_app.ui.case_keeper import AUTOSAVE_INTERVAL_MS
from timeline_app.ui.editing import (
    date_near,
    shifted_edtf,
    title_from_passage,
)
from timeline_app.ui.event_editor import EventEditor
from timeline_app.ui.main_window import MainWindow
from timeline_app.ui.source_views import PassageSourceView

Std = QMessageBox.StandardButton


@pytest.fixture()
def case_folder(tmp_path: Path, default_case_path: Path) -> Path:
    folder = tmp_path / "case"
    shutil.copytree(default_case_path, folder)
    return folder


def forget_edits(window: MainWindow) -> None:
    """Before pytest-qt closes a window: nothing unsaved, so closing asks nothing."""
    if window.editing.history is not None:
        window.editing.history.set_clean()


def open_window(qtbot, folder: Path) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window, before_close_func=forget_edits)
    assert window.open_case(folder)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture()
def window(qtbot, case_folder: Path) -> MainWindow:
    return open_window(qtbot, case_folder)


class Answers:
    """Stands in for QMessageBox.exec: answers in turn and records what was asked."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *answers: Std) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []

        def fake_exec(box: QMessageBox) -> int:  # a plain function: binds ``box`` like exec
            self.asked.append(f"{box.text()}\n{box.informativeText()}")
            return self.answers.pop(0) if self.answers else Std.Cancel

        monkeypatch.setattr(QMessageBox, "exec", fake_exec)


def accept_editor(monkeypatch: pytest.MonkeyPatch, **changes: str) -> list[EventEditor]:
    """Make EventEditor.exec accept at once (after setting title/date); the editors shown."""
    shown: list[EventEditor] = []

    def fake_exec(editor: EventEditor) -> int:
        shown.append(editor)
        if "title" in changes:
            editor.title_edit.setText(changes["title"])
        if "when" in changes:
            editor.date_field.set_text(changes["when"])
        return 1 if editor.ok_button.isEnabled() else 0

    monkeypatch.setattr(EventEditor, "exec", fake_exec)
    return shown


def passage_event_id(window: MainWindow, needle: str = "June 30, 2017") -> str:
    """An event whose first source is a passage of a document holding ``needle``."""
    case = window.case
    return next(
        ev.id
        for ev in case.events_in_time_order()
        if ev.sources
        and ev.sources[0].is_passage
        and needle in case.document_by_id(ev.sources[0].document).text
    )


def select_in_passage(window: MainWindow, needle: str) -> tuple[PassageSourceView, int, int]:
    """Select ``needle`` in the first passage view of the selected event."""
    view = next(v for v in window.detail_pane.source_views() if isinstance(v, PassageSourceView))
    text = window.case.document_by_id(view.document_id).text
    start = text.index(needle)
    cursor = view.text_view.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(needle), QTextCursor.MoveMode.KeepAnchor)
    view.text_view.setTextCursor(cursor)
    return view, start, start + len(needle)


def edit_title(window: MainWindow, title: str = "Edited title") -> str:
    event_id = passage_event_id(window)
    window.select_event(event_id)
    assert window.editing.push(UpdateEvent(event_id, {"title": title}))
    return event_id


# -- events from passages, undo, redo, save, reopen -----------------------------------------------


def test_new_event_from_a_selection_undo_redo_save_reopen(
    window: MainWindow, case_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.select_event(passage_event_id(window))
    view, start, end = select_in_passage(window, "June 30, 2017")
    shown = accept_editor(monkeypatch, title="Letter sent to the mayor")
    count = len(window.case.events)

    assert view.text_view.emit_selection_action("new_event")

    editor = shown[0]
    assert editor.date_field.edtf() == "2017-06-30"  # prefilled from the date in the passage
    assert "30 June 2017" in editor.date_field.feedback.text()
    assert len(window.case.events) == count + 1
    new_id = window.selected_id()
    event = window.case.event_by_id(new_id)
    assert event.title == "Letter sent to the mayor"
    assert event.sources[0].document == view.document_id
    assert (event.sources[0].start, event.sources[0].end) == (start, end)
    assert window.isWindowModified()
    undo, redo = window.actions_by_id["undo"], window.actions_by_id["redo"]
    assert undo.text() == "&Undo Add event “Letter sent to the mayor”"
    assert undo.shortcut() == QKeySequence("Ctrl+Z")
    assert redo.shortcuts()[0] == QKeySequence("Ctrl+Shift+Z")

    undo.trigger()
    assert window.case.event_by_id(new_id) is None
    assert not window.isWindowModified()
    assert redo.text() == "&Redo Add event “Letter sent to the mayor”"
    redo.trigger()
    assert window.selected_id() == new_id
    assert window.event_list.selected_id() == new_id
    assert window.canvas.selected_id() == new_id
    assert window.detail_pane.title_label.text() == "Letter sent to the mayor"

    window.actions_by_id["save"].trigger()
    assert not window.isWindowModified()
    reopened, problems = load_case(case_folder)
    assert problems == []
    saved = reopened.event_by_id(new_id)
    assert saved is not None and saved.when.edtf == "2017-06-30"
    assert saved.sources[0].quote == "June 30, 2017"
    assert (saved.sources[0].start, saved.sources[0].end) == (start, end)


def test_cite_in_event_adds_the_passage_to_the_chosen_event(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = window.case.events_in_time_order()[0]
    window.select_event(passage_event_id(window))
    view, start, end = select_in_passage(window, "June 30, 2017")

    def choose(_parent, _title, _label, items, _current, _editable):
        return next(item for item in items if item.startswith(target.title)), True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(choose))
    before = len(target.sources)
    assert view.text_view.emit_selection_action("cite")
    assert len(target.sources) == before + 1
    assert target.sources[-1].quote == "June 30, 2017"
    assert window.selected_id() == target.id
    assert window.actions_by_id["undo"].text().startswith("&Undo Add source to “")
    window.editing.undo()
    assert len(target.sources) == before


def test_duplicate_delete_and_edit_are_commands_that_undo(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = json.dumps(case_to_dict(window.case), sort_keys=True)
    event_id = passage_event_id(window)
    window.select_event(event_id)
    window.actions_by_id["duplicate_event"].trigger()
    copy_id = window.selected_id()
    assert copy_id != event_id and window.case.event_by_id(copy_id).title.endswith("(copy)")
    window.actions_by_id["delete_event"].trigger()
    assert window.case.event_by_id(copy_id) is None
    assert window.actions_by_id["delete_event"].shortcut() == QKeySequence(QKeySequence.Delete)
    window.select_event(event_id)
    accept_editor(monkeypatch, title="Retitled", when="c. 2017")
    window.actions_by_id["edit_event"].trigger()
    event = window.case.event_by_id(event_id)
    assert (event.title, event.when.edtf) == ("Retitled", "2017~")
    for _ in range(3):
        window.editing.undo()
    assert json.dumps(case_to_dict(window.case), sort_keys=True) == original
    assert not window.isWindowModified()


def test_double_click_on_the_canvas_edits_the_event(
    window: MainWindow, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = accept_editor(monkeypatch, title="Edited on the canvas")
    event_id = next(ev for ev in window.case.events if window.canvas.rect_of(ev.id)).id
    rect = window.canvas.rect_of(event_id)
    qtbot.mouseDClick(window.canvas, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert len(shown) == 1
    assert window.case.event_by_id(event_id).title == "Edited on the canvas"


def test_double_click_on_a_row_of_the_list_edits_the_event(
    window: MainWindow, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    accept_editor(monkeypatch, title="Edited from the list")
    event_id = passage_event_id(window)
    window.select_event(event_id)
    view = window.event_list
    view.doubleClicked.emit(view.currentIndex())  # what the view emits on a double-click
    assert window.case.event_by_id(event_id).title == "Edited from the list"


def test_dragging_moves_the_date_by_its_precision_and_changes_lane(window: MainWindow) -> None:
    event = next(ev for ev in window.case.events if ev.when.edtf == "2017-05~")
    other_lane = next(lane.id for lane in window.case.lanes if lane.id != event.lane)
    old_lane = event.lane
    assert window.editing.move_event(event.id, 45.0, other_lane)
    assert (event.when.edtf, event.lane) == ("2017-06~", other_lane)
    window.editing.undo()
    assert (event.when.edtf, event.lane) == ("2017-05~", old_lane)


@pytest.mark.parametrize(
    ("edtf", "days", "expected"),
    [
        ("2017-06-30", 3.4, "2017-07-03"),
        ("2017-06", 40, "2017-07"),
        ("2017-06", 10, "2017-06"),
        ("2017", 400, "2018"),
        ("2017-06-19/2017-07-13", -2, "2017-06-17/2017-07-11"),
        ("../2017-06-30?", 1, "../2017-07-01?"),
        ("-0044-03-15", 1, "-0044-03-16"),
        ("201X", 5, None),
        ("2017-22", 40, None),  # summer 2017: a season is not dragged as a month
        ("2017-06-30T14:05Z", 1, None),
    ],
)
def test_shifted_edtf_snaps_to_the_precision(edtf: str, days: float, expected: str | None) -> None:
    assert shifted_edtf(When.parse(edtf), days) == expected


def test_a_date_in_or_near_the_passage_prefills_new_events() -> None:
    text = "On June 30, 2017 the ACLU wrote to the mayor. He replied a week later."
    assert date_near(text, 3, 16) == "2017-06-30"  # inside
    assert date_near(text, 46, 69) == "2017-06-30"  # the nearest before
    assert date_near("Nothing dated here.", 0, 7) == ""
    assert title_from_passage("The ACLU wrote.  Then more.") == "The ACLU wrote"
    assert title_from_passage("word " * 40).endswith("…")


# -- saving -------------------------------------------------------------------------------------


def test_save_marks_the_title_and_writes_atomically(window: MainWindow, case_folder: Path) -> None:
    assert window.windowTitle().endswith("[*] — timeline-app")
    assert not window.isWindowModified()
    edit_title(window)
    assert window.isWindowModified()
    assert window.actions_by_id["save"].shortcut() == QKeySequence("Ctrl+S")
    assert window.actions_by_id["save_as"].shortcut() == QKeySequence("Ctrl+Shift+S")
    window.actions_by_id["save"].trigger()
    assert not window.isWindowModified()
    titles = [ev.title for ev in load_case(case_folder)[0].events]
    assert "Edited title" in titles
    assert not [p.name for p in case_folder.iterdir() if p.name.endswith(".tmp")]


def test_a_failed_save_says_why_keeps_the_edits_and_the_old_file(
    window: MainWindow, case_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = (case_folder / "case.json").read_bytes()
    edit_title(window)

    def disk_full(_src, _dst) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", disk_full)
        assert window.editing.save() is False
    message = window.editing.last_message
    assert message is not None and message.isVisible()
    assert "No space left on device" in message.text()
    assert "still here, unsaved" in message.text()
    message.close()
    assert window.isWindowModified()
    assert any(ev.title == "Edited title" for ev in window.case.events)
    assert (case_folder / "case.json").read_bytes() == before
    assert not [p.name for p in case_folder.rglob("*.tmp")]
    assert window.editing.save() is True  # the edits were kept: a later save works
    assert b"Edited title" in (case_folder / "case.json").read_bytes()


def test_close_with_unsaved_changes_asks(
    window: MainWindow, case_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit_title(window)
    answers = Answers(monkeypatch, Std.Cancel, Std.Save)
    assert window.close() is False  # Cancel: the window stays, with the edits
    assert window.isVisible() and window.isWindowModified()
    assert "Save the changes" in answers.asked[0]
    assert window.close() is True  # Save
    assert b"Edited title" in (case_folder / "case.json").read_bytes()


def test_close_and_discard_forgets_the_changes(
    window: MainWindow, case_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = (case_folder / "case.json").read_bytes()
    edit_title(window)
    window.editing.autosave_now()
    Answers(monkeypatch, Std.Discard)
    assert window.close() is True
    assert (case_folder / "case.json").read_bytes() == before
    assert recovery.find_recovery(case_folder) is None


def test_a_clean_window_closes_without_asking(window: MainWindow, monkeypatch) -> None:
    answers = Answers(monkeypatch)
    assert window.close() is True
    assert answers.asked == []


# -- read-only ----------------------------------------------------------------------------------


def test_a_read_only_folder_opens_read_only(
    qtbot, case_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(case_keeper, "is_writable_folder", lambda _folder: False)
    window = open_window(qtbot, case_folder)
    assert window.editing.read_only
    assert window.windowTitle().endswith("(read-only) — timeline-app")
    for action_id in ("new_event", "edit_event", "delete_event", "edit_lanes", "undo", "save"):
        assert not window.actions_by_id[action_id].isEnabled(), action_id
    assert window.actions_by_id["save_as"].isEnabled()
    assert window.statusBar().findChild(QLabel, "status_read_only").isVisible()
    assert window.editing.push(UpdateEvent(window.case.events[0].id, {"title": "x"})) is False


def test_the_default_case_is_read_only_and_save_as_makes_an_editable_copy(
    qtbot, default_case_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(qtbot, default_case_path)
    assert window.editing.read_only
    target = tmp_path / "my-copy"
    target.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a, **_k: str(target))
    window.actions_by_id["save_as"].trigger()
    assert not window.editing.read_only
    assert window.case.folder == target.resolve()
    assert "(read-only)" not in window.windowTitle()
    copy, problems = load_case(target)
    assert problems == [] and len(copy.events) == len(window.case.events)
    assert all((target / doc.path).is_file() for doc in copy.documents if doc.path)
    assert window.actions_by_id["new_event"].isEnabled()


def test_save_as_refuses_the_default_case_folder(
    window: MainWindow, default_case_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", lambda *_a, **_k: str(default_case_path)
    )
    assert window.editing.save_as() is False
    assert "read-only" in window.editing.last_message.text()
    window.editing.last_message.close()


# -- autosave and recovery ----------------------------------------------------------------------


def test_autosave_writes_a_recovery_copy_and_the_next_start_offers_it(
    qtbot, window: MainWindow, case_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.editing.keeper.autosave_timer.interval() == AUTOSAVE_INTERVAL_MS == 30_000
    assert window.editing.keeper.autosave_timer.isActive()
    assert window.editing.autosave_now() is None  # nothing unsaved: nothing written
    event_id = edit_title(window, "Kept by autosave")
    window.editing.keeper.autosave_timer.timeout.emit()  # the timer's slot
    found = recovery.find_recovery(case_folder)
    assert found is not None and found.event_count == len(window.case.events)
    written = (found.folder / "case.json").stat().st_mtime_ns
    assert window.editing.autosave_now() == found.folder  # up to date: not written again
    assert (found.folder / "case.json").stat().st_mtime_ns == written
    # a crash: the window goes away without saving; the next window offers the copy
    window.editing.history.set_clean()
    window.close()
    answers = Answers(monkeypatch, Std.Yes)
    restored = open_window(qtbot, case_folder)
    qtbot.waitUntil(lambda: bool(answers.asked))  # asked once the window shows the case
    assert "unsaved changes from an earlier session" in answers.asked[0]
    assert restored.case.event_by_id(event_id).title == "Kept by autosave"
    assert restored.isWindowModified()
    assert restored.editing.save()
    assert recovery.find_recovery(case_folder) is None


def test_declining_the_restore_keeps_the_copy_for_later(
    qtbot, window: MainWindow, case_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit_title(window, "Kept for later")
    window.editing.autosave_now()
    window.editing.history.set_clean()
    window.close()
    answers = Answers(monkeypatch, Std.Cancel)
    later = open_window(qtbot, case_folder)
    qtbot.waitUntil(lambda: bool(answers.asked))
    assert all(ev.title != "Kept for later" for ev in later.case.events)
    assert recovery.find_recovery(case_folder) is not None
    assert later.editing.restore_unsaved()
    assert any(ev.title == "Kept for later" for ev in later.case.events)


# -- changes on disk ----------------------------------------------------------------------------


def change_on_disk(folder: Path, title: str) -> None:
    data = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    data["title"] = title
    (folder / "case.json").write_text(json.dumps(data), encoding="utf-8")


def test_a_change_on_disk_offers_to_reload_keeping_the_edits(
    window: MainWindow, case_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    event_id = edit_title(window, "My unsaved edit")
    assert window.editing.check_disk() is False  # nothing changed yet
    change_on_disk(case_folder, "Changed by a colleague")
    answers = Answers(monkeypatch, Std.Yes)
    assert window.editing.check_disk() is True
    assert "changed outside this window" in answers.asked[0]
    assert "recovery copy" in answers.asked[0]
    assert window.case.title == "Changed by a colleague"
    assert not window.isWindowModified()
    assert window.editing.restore_unsaved()  # the edits were kept aside
    assert window.case.event_by_id(event_id).title == "My unsaved edit"


def test_own_saves_are_not_reported_as_changes_on_disk(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = Answers(monkeypatch)
    edit_title(window)
    assert window.editing.save()
    assert window.editing.check_disk() is False
    assert answers.asked == []


def test_the_watcher_notices_a_change_on_disk(
    qtbot, window: MainWindow, case_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = Answers(monkeypatch, Std.No)
    change_on_disk(case_folder, "Changed elsewhere")
    qtbot.waitUntil(lambda: bool(answers.asked), timeout=5000)
    assert window.case.title != "Changed elsewhere"  # "Not now" keeps what is shown


def test_the_document_view_menu_offers_the_selection_actions_when_editable(
    qtbot, window: MainWindow, case_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.select_event(passage_event_id(window))
    view, _start, _end = select_in_passage(window, "June 30, 2017")
    menu = view.text_view.context_menu(view.text_view.rect().center())
    actions = {a.data(): a for a in menu.actions() if a.data()}
    assert actions["new_event"].text() == "New event from selection…"
    assert actions["cite"].isEnabled() and actions["new_event"].isEnabled()
    assert any("Copy" in a.text() for a in menu.actions())
    menu.deleteLater()
    monkeypatch.setattr(case_keeper, "is_writable_folder", lambda _folder: False)
    read_only = open_window(qtbot, case_folder)
    read_only.select_event(passage_event_id(read_only))
    view, _start, _end = select_in_passage(read_only, "June 30, 2017")
    menu = view.text_view.context_menu(view.text_view.rect().center())
    assert not [a for a in menu.actions() if a.data()]
    assert view.text_view.emit_selection_action("new_event") is False
    menu.deleteLater()


def test_a_new_case_marked_unsaved_is_offered_after_a_crash(
    qtbot, window: MainWindow, case_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.set_case(Case(title="Imported notes", lanes=[Lane("notes", "Notes")]), [], None)
    assert not window.isWindowModified()
    window.editing.mark_unsaved()  # e.g. a new case made from imported documents
    assert window.isWindowModified()
    assert window.editing.autosave_now() is not None
    window.editing.history.set_clean()
    window.close()
    monkeypatch.setattr(case_keeper.CaseKeeper, "_never_saved_offered", False)
    answers = Answers(monkeypatch, Std.Yes)
    restored = open_window(qtbot, case_folder)
    qtbot.waitUntil(lambda: bool(answers.asked))
    assert "never saved" in answers.asked[0]
    assert restored.case.title == "Imported notes" and restored.case.folder is None
    assert restored.isWindowModified()
    target = tmp_path / "notes"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a, **_k: str(target))
    assert restored.editing.save()  # no folder yet: Save As
    assert load_case(target)[0].title == "Imported notes"
    assert recovery.find_recovery(None) is None
    assert not restored.isWindowModified()


def test_restoring_over_unsaved_changes_asks_first(
    window: MainWindow, case_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    event_id = edit_title(window, "Autosaved title")
    window.editing.autosave_now()
    window.editing.push(UpdateEvent(event_id, {"title": "Newer title"}))
    answers = Answers(monkeypatch, Std.Cancel, Std.Yes)
    assert window.editing.restore_unsaved() is False  # Cancel: nothing changes
    assert window.case.event_by_id(event_id).title == "Newer title"
    assert window.editing.restore_unsaved() is True
    assert "replaces the unsaved changes" in answers.asked[1]
    assert window.case.event_by_id(event_id).title == "Autosaved title"
    assert window.isWindowModified()
