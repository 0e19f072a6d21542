"""The main window on the default case: click-through, keyboard, sync, problems."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QLineEdit,
    QMessageBox,
    QToolBar,
    QToolButton,
)

from timeline_app.ui import app as app_module
from timeline_app.ui.event_list import TITLE_COLUMN
from timeline_app.ui.main_window import MainWindow
from timeline_app.ui.settings import KEY_LAST_CASE, app_settings, last_case_path
from timeline_app.ui.source_views import PassageSourceView, utf16_offset


@pytest.fixture()
def window(qtbot, default_case_path: Path) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.open_case(default_case_path)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def time_order(window: MainWindow) -> list[str]:
    return [event.id for event in window.case.events_in_time_order()]


def click_on_canvas(window: MainWindow, qtbot, event_id: str) -> None:
    canvas = window.canvas
    rect = canvas.rect_of(event_id)
    assert rect is not None, f"{event_id} is not drawn"
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())


def drawn_events(window: MainWindow) -> list[str]:
    """Events drawn on the canvas as it is now (not hidden in a cluster), in time order."""
    return [ev for ev in time_order(window) if window.canvas.rect_of(ev) is not None]


def drawn_passage_event(window: MainWindow) -> str:
    return next(
        ev_id
        for ev_id in drawn_events(window)
        if window.case.event_by_id(ev_id).sources[0].is_passage
    )


def test_title_menus_toolbar_and_status(window: MainWindow) -> None:
    assert window.windowTitle() == f"{window.case.title}[*] (read-only) — timeline-app"
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["&File", "&Edit", "&View", "&Go", "&Search", "&Documents", "&Help"]
    next_action = window.actions_by_id["next_event"]
    assert next_action.shortcut().toString() == "Right"
    assert "(Right)" in next_action.toolTip()
    assert window.findChild(QMessageBox) is None
    count = window.statusBar().findChild(QLabel, "status_count").text()
    assert count == f"{len(window.case.events)} events"
    assert window.statusBar().findChild(QLabel, "status_case").text() == window.case.title
    toolbar_actions = window.findChild(QToolBar, "main_toolbar").actions()
    assert window.actions_by_id["zoom_in"] in toolbar_actions


def test_click_on_canvas_selects_event_and_highlights_its_passage(
    window: MainWindow, qtbot
) -> None:
    event_id = drawn_passage_event(window)
    click_on_canvas(window, qtbot, event_id)
    assert window.selected_id() == event_id
    assert window.canvas.selected_id() == event_id
    assert window.event_list.selected_id() == event_id
    event = window.case.event_by_id(event_id)
    assert window.detail_pane.title_label.text() == event.title
    view = window.detail_pane.source_views()[0]
    assert isinstance(view, PassageSourceView)
    source = event.sources[0]
    text = window.case.document_by_id(source.document).text
    start = text.index(source.quote) if source.start is None else source.start
    expected = (utf16_offset(text, start), utf16_offset(text, start + len(source.quote)))
    (selection,) = view.text_view.extraSelections()
    assert (selection.cursor.selectionStart(), selection.cursor.selectionEnd()) == expected
    cursor = QTextCursor(view.text_view.document())
    cursor.setPosition(expected[0])
    qtbot.waitUntil(
        lambda: view.text_view.viewport().rect().contains(view.text_view.cursorRect(cursor))
    )
    status = window.statusBar().findChild(QLabel, "status_selected").text()
    assert status == event.when.human()


def test_keys_move_through_events_in_time_order(window: MainWindow, qtbot) -> None:
    order = time_order(window)
    canvas = window.canvas
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Right)  # nothing selected: Right starts at the first
    assert window.selected_id() == order[0]
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    assert window.selected_id() == order[2]
    qtbot.keyClick(canvas, Qt.Key.Key_Left)
    assert window.selected_id() == order[1]
    assert canvas.selected_id() == order[1]
    qtbot.keyClick(canvas, Qt.Key.Key_End)
    assert window.selected_id() == order[-1]
    qtbot.keyClick(canvas, Qt.Key.Key_Right)  # stays on the last
    assert window.selected_id() == order[-1]
    qtbot.keyClick(canvas, Qt.Key.Key_Home)
    assert window.selected_id() == order[0]
    assert window.event_list.selected_id() == order[0]
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    assert window.selected_id() is None
    assert window.detail_pane.event is None and window.event_list.selected_id() is None


def test_the_canvas_keeps_the_selected_event_in_view(window: MainWindow, qtbot) -> None:
    window.canvas.setFocus()
    for event_id in time_order(window):
        qtbot.keyClick(window.canvas, Qt.Key.Key_Right)
        assert window.selected_id() == event_id
        assert window.canvas.rect_of(event_id) is not None, f"{event_id} is out of view"


def test_left_and_right_in_a_text_field_edit_the_text(window: MainWindow, qtbot) -> None:
    field = QLineEdit("search words")
    dock = QDockWidget("Search", window)
    dock.setWidget(field)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    window.select_event(time_order(window)[3])
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    field.setCursorPosition(5)
    qtbot.keyClick(field, Qt.Key.Key_Left)
    qtbot.keyClick(field, Qt.Key.Key_Home)
    qtbot.keyClick(field, Qt.Key.Key_Minus)
    assert field.cursorPosition() == 1 and field.text() == "-search words"
    assert window.selected_id() == time_order(window)[3]


def test_right_follows_time_order_even_when_the_list_is_sorted_by_title(
    window: MainWindow, qtbot
) -> None:
    order = time_order(window)
    window.event_list.sortByColumn(TITLE_COLUMN, Qt.SortOrder.AscendingOrder)
    window.select_event(order[4])
    window.event_list.setFocus()
    qtbot.keyClick(window.event_list, Qt.Key.Key_Right)
    assert window.selected_id() == order[5]
    assert window.event_list.selected_id() == order[5]


def test_up_and_down_in_the_list_select_rows(window: MainWindow, qtbot) -> None:
    order = time_order(window)
    window.select_event(order[1])
    table = window.event_list
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert window.selected_id() == order[2] == window.canvas.selected_id()
    qtbot.keyClick(table, Qt.Key.Key_Up)
    qtbot.keyClick(table, Qt.Key.Key_Up)
    assert window.selected_id() == order[0]
    assert window.detail_pane.event.id == order[0]


def test_list_selection_drives_canvas_and_pane(window: MainWindow, qtbot) -> None:
    table = window.event_list
    target_row = 6
    index = table.proxy_model.index(target_row, TITLE_COLUMN)
    table.scrollTo(index)
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center()
    )
    event_id = table.selected_id()
    assert event_id == time_order(window)[target_row]
    assert window.selected_id() == event_id
    assert window.canvas.selected_id() == event_id
    assert window.detail_pane.event.id == event_id
    other = next(ev for ev in drawn_events(window) if ev != event_id)
    click_on_canvas(window, qtbot, other)
    assert table.selected_id() == other
    assert window.detail_pane.event.id == other


def test_select_event_rejects_unknown_ids(window: MainWindow) -> None:
    window.select_event(time_order(window)[0])
    assert window.select_event("no-such-event") is False
    assert window.selected_id() == time_order(window)[0]
    assert window.select_event(None)
    assert window.detail_pane.event is None
    assert window.canvas.selected_id() is None


def test_opening_a_non_case_says_why_and_keeps_the_current_case(
    window: MainWindow, tmp_path: Path
) -> None:
    before = window.case
    not_a_case = tmp_path / "notes.json"
    not_a_case.write_text("this is not JSON", encoding="utf-8")
    assert window.open_case(not_a_case) is False
    assert window.case is before
    assert window.windowTitle().startswith(before.title)
    message = window.last_message
    assert message is not None and message.isVisible()
    assert str(not_a_case) in message.text()
    assert "current case stays open" in message.text()
    message.close()


def test_dropping_a_case_folder_opens_it(
    window: MainWindow, qtbot, default_case_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "dropped"
    shutil.copytree(default_case_path, folder)
    data = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    data["title"] = "Dropped case"
    (folder / "case.json").write_text(json.dumps(data), encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    two = QMimeData()
    two.setUrls([QUrl.fromLocalFile(str(folder)), QUrl.fromLocalFile(str(tmp_path))])
    refused = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, two, buttons, keys)
    QApplication.sendEvent(window, refused)
    assert not refused.isAccepted()
    enter = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(window, drop)
    assert window.case.title == "Dropped case"
    assert window.windowTitle() == "Dropped case[*] — timeline-app"


def test_problems_are_listed_and_what_is_valid_still_opens(
    qtbot, default_case_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "case"
    shutil.copytree(default_case_path, folder)
    data = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    data["events"][3]["when"] = "2017-13-45"
    (folder / "case.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.open_case(folder)
    panel = window.problems_panel
    assert panel.isVisible()
    rows = panel.row_texts()
    assert any("events[3]" in row and "2017-13-45" in row for row in rows), rows
    assert "case.json:" in rows[0]
    status = window.statusBar().findChild(QToolButton, "status_problems")
    assert status.isVisible() and status.text() == "1 problem"
    assert len(window.case.events) >= 18
    window.open_case(default_case_path)
    assert not panel.isVisible() and not status.isVisible()
    window.show_problems()
    assert panel.isVisible() and panel.row_texts() == []


def test_settings_remember_the_last_case(
    qtbot, default_case_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIMELINE_APP_SETTINGS", str(tmp_path / "settings.ini"))
    folder = tmp_path / "copy"
    shutil.copytree(default_case_path, folder)
    window = MainWindow(app_settings())
    qtbot.addWidget(window)
    window.open_case(folder)
    window.resize(700, 500)
    window.close()
    settings = app_settings()
    assert settings.value(KEY_LAST_CASE) == str(folder.resolve())
    assert last_case_path(settings) == str(folder.resolve())
    again = MainWindow(app_settings())
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (700, 500)
    shutil.rmtree(folder)
    assert last_case_path(app_settings()) is None


def test_uncaught_errors_are_logged_and_shown(qtbot, capsys) -> None:
    try:
        raise RuntimeError("boom <b>")
    except RuntimeError:
        app_module._show_uncaught(*sys.exc_info())
    assert "RuntimeError: boom <b>" in capsys.readouterr().err
    box = app_module._error_box
    assert box is not None and box.isVisible()
    assert "boom <b>" in box.text() and box.textFormat() == Qt.TextFormat.PlainText
    box.close()


@pytest.mark.parametrize("key", [Qt.Key.Key_Plus, Qt.Key.Key_Equal, Qt.Key.Key_Minus, Qt.Key.Key_0])
def test_zoom_keys_change_the_canvas_viewport(window: MainWindow, qtbot, key: Qt.Key) -> None:
    window.canvas.setFocus()
    if key == Qt.Key.Key_0:
        window.zoom_in()
    with qtbot.waitSignal(window.canvas.viewport_changed, timeout=1000):
        qtbot.keyClick(window.canvas, key)


def open_like_run_gui(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, path: str | None
) -> MainWindow:
    """What run_gui() shows before it enters the event loop."""
    monkeypatch.setenv("TIMELINE_APP_SETTINGS", str(tmp_path / "settings.ini"))
    return app_module.open_main_window(path)


def test_startup_opens_the_default_case_for_a_new_user(
    qtbot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, default_case_path: Path
) -> None:
    window = open_like_run_gui(monkeypatch, tmp_path, None)
    qtbot.addWidget(window)
    assert Path(window.case_path) == default_case_path
    assert window.isVisible()


def test_startup_reopens_the_last_case(
    qtbot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, default_case_path: Path
) -> None:
    folder = tmp_path / "mine"
    shutil.copytree(default_case_path, folder)
    first = open_like_run_gui(monkeypatch, tmp_path, str(folder))
    qtbot.addWidget(first)
    first.close()
    again = open_like_run_gui(monkeypatch, tmp_path, None)
    qtbot.addWidget(again)
    assert Path(again.case_path) == folder.resolve()


def test_startup_with_a_bad_path_shows_the_window_and_says_why(
    qtbot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, default_case_path: Path
) -> None:
    missing = tmp_path / "no-such-case"
    window = open_like_run_gui(monkeypatch, tmp_path, str(missing))
    qtbot.addWidget(window)
    assert window.isVisible()
    assert Path(window.case_path) == default_case_path
    messages = [box for box in window.findChildren(QMessageBox) if str(missing) in box.text()]
    assert messages and messages[0].isVisible()
    messages[0].close()


def test_run_gui_installs_the_error_hook_and_returns_the_loop_exit_code(
    qapp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    monkeypatch.setenv("TIMELINE_APP_SETTINGS", str(tmp_path / "settings.ini"))
    monkeypatch.setattr(QApplication, "exec", lambda *args: 7)
    assert app_module.run_gui(None) == 7
    assert sys.excepthook is app_module._show_uncaught
