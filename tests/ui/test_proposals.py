"""From documents to events in the window: import a folder in the background (progress,
Cancel, drops), review proposals, accept two, and they are on the timeline citing their
sentences; one undo removes them."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QInputDialog, QPushButton

from timeline_app.core import documents as core_documents
from timeline_app.ui.main_window import MainWindow
from timeline_app.ui.proposals_dialog import ProposalsDialog

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "documents"


def forget_edits(window: MainWindow) -> None:
    """Before pytest-qt closes the window: nothing unsaved, so closing asks nothing."""
    if window.editing.history is not None:
        window.editing.history.set_clean()


def make_window(qtbot, case_path: Path) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window, before_close_func=forget_edits)
    assert window.open_case(case_path)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture()
def case_folder(tmp_path: Path, default_case_path: Path) -> Path:
    folder = tmp_path / "case"
    shutil.copytree(default_case_path, folder)
    return folder


def import_and_wait(window: MainWindow, qtbot, paths: list[Path]) -> None:
    controller = window.documents
    controller.last_report = []
    assert controller.import_paths(paths)
    qtbot.waitUntil(
        lambda: not controller.reader.busy and bool(controller.last_report), timeout=10000
    )
    if controller.last_message is not None:
        controller.last_message.close()


def row_of(dialog: ProposalsDialog, mention: str) -> int:
    return next(r for r in range(dialog.row_count()) if dialog.proposal(r).mention_text == mention)


def test_import_folder_review_accept_two_then_undo(
    qtbot, case_folder: Path, tmp_path: Path
) -> None:
    window = make_window(qtbot, case_folder)
    before = [doc.id for doc in window.case.documents]
    folder = tmp_path / "incoming"
    shutil.copytree(FIXTURES / "folder", folder)
    import_and_wait(window, qtbot, [folder])
    assert [doc.id for doc in window.case.documents] == [*before, "a-letter", "report"]
    assert window.isWindowModified()
    assert window.documents.panel.isVisible()
    assert window.documents.panel.list.count() == len(before) + 2
    events_before = len(window.case.events)

    dialog = window.documents.find_events(["a-letter", "report"])
    assert dialog is not None
    qtbot.waitExposed(dialog)
    mentions = [dialog.proposal(r).mention_text for r in range(dialog.row_count())]
    assert mentions == ["June 30, 2017", "Thursday", "2017"]  # not "Jul 4, 2017": its date line
    letter_row, thursday_row = row_of(dialog, "June 30, 2017"), row_of(dialog, "Thursday")
    dialog.set_checked(letter_row)
    dialog.set_checked(thursday_row)
    dialog.set_title(thursday_row, "Fire and Police Commission meets")
    dialog.set_date(thursday_row, "29 June 2017")  # free text, read as EDTF
    assert dialog.date_of(thursday_row) == "2017-06-29"
    assert dialog.accept_button.text() == "Accept checked (2)"
    proposals = [dialog.proposal(letter_row), dialog.proposal(thursday_row)]

    dialog.accept_button.click()

    assert dialog.row_count() == 1  # the accepted ones left the list
    assert len(window.case.events) == events_before + 2
    letter_event, meeting = window.case.events[-2:]
    assert meeting.title == "Fire and Police Commission meets"
    assert meeting.when.edtf == "2017-06-29"
    assert letter_event.when.edtf == "2017-06-30"
    document = window.case.document_by_id("a-letter")
    for event, proposal in zip((letter_event, meeting), proposals, strict=True):
        source = event.sources[0]
        assert source.document == "a-letter"
        assert source.quote == proposal.quote
        assert document.text[source.start : source.end] == proposal.quote
        assert proposal.start <= proposal.mention_start < proposal.mention_end <= proposal.end
    assert letter_event.sources[0].quote == (
        "The ACLU of Wisconsin sent the letter on June 30, 2017."
    )
    # on the timeline: the canvas draws them and the event list lists them
    window.canvas.fit_all()
    for event in (letter_event, meeting):
        assert window.canvas.rect_of(event.id) is not None
        assert window.event_list.source_model.row_of(event.id) is not None
    assert window.selected_id() == letter_event.id
    # one undo takes both away
    assert window.actions_by_id["undo"].text() == "&Undo Add 2 events from documents"
    window.actions_by_id["undo"].trigger()
    assert len(window.case.events) == events_before
    assert window.event_list.source_model.row_of(meeting.id) is None
    dialog.close()


def test_default_case_proposes_nothing_it_already_cites(qtbot, default_case_path: Path) -> None:
    window = make_window(qtbot, default_case_path)
    dialog = window.documents.find_events(["aclu-letter"])
    assert dialog is not None
    assert "June 30, 2017" not in [
        dialog.proposal(r).mention_text for r in range(dialog.row_count())
    ]
    dialog.close()


def test_importing_into_the_read_only_default_case_makes_a_new_case(
    qtbot, default_case_path: Path
) -> None:
    window = make_window(qtbot, default_case_path)
    import_and_wait(window, qtbot, [FIXTURES / "notes.md", FIXTURES / "binary.txt"])
    assert window.case.title == "Imported documents"
    assert window.case.folder is None
    assert [doc.id for doc in window.case.documents] == ["notes"]
    report = "\n".join(window.documents.last_report)
    assert "binary.txt: it is a binary file" in report
    assert not window.editing.read_only
    assert window.isWindowModified()  # not on disk yet: closing asks, autosave keeps a copy


def test_reading_runs_in_the_background_with_progress_and_cancel(
    qtbot, case_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(qtbot, case_folder)
    release = threading.Event()
    real_read = core_documents.read_document_file

    def slow_read(path: Path, max_bytes: int | None = None):
        release.wait(5)
        return real_read(path, max_bytes)

    monkeypatch.setattr(core_documents, "read_document_file", slow_read)
    controller = window.documents
    documents_before = len(window.case.documents)
    assert controller.import_paths([FIXTURES])
    dialog = controller.reader.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.maximum() > 0, timeout=3000)  # the window keeps working
    assert dialog.value() == 0 and "Reading document 1 of" in dialog.labelText()
    cancel_button = dialog.findChild(QPushButton)
    assert cancel_button is not None and cancel_button.text() == "Cancel"
    cancel_button.click()
    release.set()
    qtbot.waitUntil(lambda: not controller.reader.busy, timeout=5000)
    assert controller.last_report == ["Import cancelled; no document was added"]
    assert len(window.case.documents) == documents_before
    assert not window.isWindowModified()


def test_dropping_document_files_imports_them(qtbot, case_folder: Path) -> None:
    window = make_window(qtbot, case_folder)
    mime = QMimeData()
    mime.setUrls(
        [
            QUrl.fromLocalFile(str(FIXTURES / "page.html")),
            QUrl.fromLocalFile(str(FIXTURES / "notes.md")),
        ]
    )
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    window.documents.last_report = []
    drop = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(window, drop)
    qtbot.waitUntil(lambda: bool(window.documents.last_report), timeout=10000)
    assert [doc.id for doc in window.case.documents][-2:] == ["page", "notes"]
    page = window.case.document_by_id("page")
    assert page.title == "Council delays vote on police policy & budget"
    assert page.date == "2017-07-06"
    assert page.extra["source_file"] == str((FIXTURES / "page.html").resolve())


def test_menu_actions_show_a_document_and_find_events(
    qtbot, case_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(qtbot, case_folder)
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    file_actions = [a.text() for a in menus["&File"].actions()]
    assert "Import &documents…" in file_actions
    assert "Import a fo&lder of documents…" in file_actions
    assert [a.text() for a in menus["&Documents"].actions() if a.text()] == [
        "&Show document…",
        "&Find events in documents…",
        "Documents &list",
    ]
    asked: list[list[str]] = []

    def choose(_parent, _title, _label, items, current, _editable):
        asked.append(list(items))
        return items[current], True

    window.select_event("aclu-letter-sent")  # its source is the ACLU letter: offered first
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(choose))
    window.actions_by_id["show_document"].trigger()
    shown = window.documents.document_windows["aclu-letter"]
    assert shown.isVisible() and asked and len(asked[0]) == len(window.case.documents)
    shown.view.find_button.click()
    dialog = window.documents.proposals_dialog
    assert dialog is not None and dialog.isVisible()
    assert {dialog.proposal(r).document for r in range(dialog.row_count())} <= {"aclu-letter"}
    dialog.close()
    window.actions_by_id["find_events"].trigger()
    assert window.documents.proposals_dialog is not None
    window.documents.proposals_dialog.close()


def test_many_documents_are_searched_for_dates_in_the_background(
    qtbot, case_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from timeline_app.ui import documents_panel

    monkeypatch.setattr(documents_panel, "PROPOSE_IN_PLACE_CHARS", 0)
    window = make_window(qtbot, case_folder)
    controller = window.documents
    case = window.case
    case.events = [ev for ev in case.events if ev.id != "aclu-letter-sent"]
    assert controller.find_events() is None  # working in the background
    assert controller.finder.busy
    qtbot.waitUntil(lambda: controller.proposals_dialog is not None, timeout=10000)
    dialog = controller.proposals_dialog
    mentions = {dialog.proposal(r).mention_text for r in range(dialog.row_count())}
    assert "June 30, 2017" in mentions
    dialog.close()


def test_delete_key_rejects_the_selected_proposals(qtbot, case_folder: Path) -> None:
    window = make_window(qtbot, case_folder)
    window.case.events = []  # nothing cited: every date is proposed
    dialog = window.documents.find_events()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    count = dialog.row_count()
    assert count >= 3
    first = dialog.proposal(0)
    dialog.table.selectRow(0)
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)
    assert dialog.row_count() == count - 1
    assert first not in [dialog.proposal(r) for r in range(dialog.row_count())]
    assert window.case.events == []  # rejecting changes nothing in the case
    dialog.close()
