"""The document view: dates underlined with tooltips, cited passages highlighted, the events
citing them listed and selectable, a new event from a selection; offsets with non-BMP text."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QToolTip

from timeline_app.core.casefile import load_case
from timeline_app.core.dates import When
from timeline_app.core.model import Case, Document, Event, SourceRef
from timeline_app.ui.document_view import DocumentView, TextOffsets
from timeline_app.ui.event_editor import EventEditor
from timeline_app.ui.main_window import MainWindow

# U+1F600 (two UTF-16 units) before the dates moves every Qt position after it.
TEXT = (
    "Notes 😀 on the <b>policy</b>\n\n"
    "The council met on June 30, 2017. 🙂 It voted on July 4, 2017 to approve it."
)


def emoji_case() -> Case:
    quote = "It voted on July 4, 2017 to approve it."
    start = TEXT.index(quote)
    event = Event(
        id="vote",
        title="Council votes <b>yes</b>",
        when=When.parse("2017-07-04"),
        sources=[SourceRef(document="notes", quote=quote, start=start, end=start + len(quote))],
    )
    return Case(documents=[Document(id="notes", title="Notes", text=TEXT)], events=[event])


@pytest.fixture()
def view(qtbot) -> DocumentView:
    view = DocumentView()
    qtbot.addWidget(view)
    view.set_document(*_case_and_document(emoji_case(), "notes"))
    view.resize(900, 500)
    view.show()
    qtbot.waitExposed(view)
    return view


def _case_and_document(case: Case, doc_id: str) -> tuple[Case, Document]:
    document = case.document_by_id(doc_id)
    assert document is not None
    return case, document


def formats_by_range(view: DocumentView) -> dict[tuple[int, int], list[tuple[bool, str]]]:
    """(underlined, background colour) of each extra selection, by its Qt range."""
    found: dict[tuple[int, int], list[tuple[bool, str]]] = {}
    for selection in view.text_edit.extraSelections():
        cursor, fmt = selection.cursor, selection.format
        key = (cursor.selectionStart(), cursor.selectionEnd())
        background = fmt.background().color().name() if fmt.background().style() else ""
        found.setdefault(key, []).append((fmt.fontUnderline(), background))
    return found


def test_text_offsets_round_trip() -> None:
    offsets = TextOffsets(TEXT)
    for index in range(len(TEXT) + 1):
        assert offsets.to_python(offsets.to_qt(index)) == index
    emoji = TEXT.index("😀")
    assert offsets.to_qt(emoji + 1) == emoji + 2
    assert offsets.to_python(emoji + 1) == emoji + 1  # inside the pair: after the character


def test_every_date_is_underlined_and_cited_passages_highlighted(view: DocumentView) -> None:
    offsets = TextOffsets(TEXT)
    formats = formats_by_range(view)
    assert [m.text for m in view.mentions] == ["June 30, 2017", "July 4, 2017"]
    for mention in view.mentions:
        qt_range = (offsets.to_qt(mention.start), offsets.to_qt(mention.end))
        assert any(underlined for underlined, _ in formats[qt_range])
        cursor = QTextCursor(view.text_edit.document())
        cursor.setPosition(qt_range[0])
        cursor.setPosition(qt_range[1], QTextCursor.MoveMode.KeepAnchor)
        assert cursor.selectedText() == mention.text  # the Qt range covers the mention
    quote = "It voted on July 4, 2017 to approve it."
    start = TEXT.index(quote)
    qt_range = (offsets.to_qt(start), offsets.to_qt(start + len(quote)))
    assert (False, "#ffe08a") in formats[qt_range]
    assert view.citations[0].event_id == "vote"


def test_tooltips_show_edtf_and_human_reading_as_plain_text(view: DocumentView, qtbot) -> None:
    june = view.mentions[0]
    assert view.tooltip_at(june.start + 2) == "30 June 2017  (2017-06-30)\nwritten “June 30, 2017”"
    july = view.mentions[1]
    tip = view.tooltip_at(july.start)
    assert "4 July 2017  (2017-07-04)" in tip
    assert "Cited by 4 July 2017 — Council votes <b>yes</b>" in tip
    assert view.tooltip_at(TEXT.index("Notes")) == ""
    viewport = view.text_edit.viewport()
    point = view.point_of(july.start + 1)
    event = QHelpEvent(QEvent.Type.ToolTip, point, viewport.mapToGlobal(point))
    QApplication.sendEvent(viewport, event)
    shown = QToolTip.text()
    assert "2017-07-04" in shown
    assert "&lt;b&gt;yes&lt;/b&gt;" in shown and "<b>yes" not in shown  # escaped, not bold
    QToolTip.hideText()


def test_document_text_is_plain(view: DocumentView) -> None:
    assert view.text_edit.toPlainText().startswith("Notes 😀 on the <b>policy</b>")
    assert view.text_edit.isReadOnly()


def test_selection_offsets_are_python_offsets(view: DocumentView) -> None:
    assert not view.new_event_action.isEnabled()
    start = TEXT.index("🙂")
    end = TEXT.index(" to approve")
    view.select_range(start, end)
    assert view.selection_range() == (start, end)
    assert view.new_event_action.isEnabled()
    requested: list[tuple[str, int, int]] = []
    view.new_event_requested.connect(lambda *args: requested.append(args))
    view.new_event_action.trigger()
    assert requested == [("notes", start, end)]


# ------------------------------------------------------------------------------- in the window


def forget_edits(window: MainWindow) -> None:
    """Before pytest-qt closes the window: nothing unsaved, so closing asks nothing."""
    if window.editing.history is not None:
        window.editing.history.set_clean()


@pytest.fixture()
def window(qtbot, tmp_path: Path, default_case_path: Path) -> MainWindow:
    folder = tmp_path / "case"
    shutil.copytree(default_case_path, folder)
    window = MainWindow()
    qtbot.addWidget(window, before_close_func=forget_edits)
    assert window.open_case(folder)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_events_citing_the_document_are_listed_and_select_on_click(
    window: MainWindow, qtbot
) -> None:
    shown = window.documents.show_document("aclu-letter")
    assert shown is not None
    qtbot.waitExposed(shown)
    view = shown.view
    listed = [view.events_list.item(row).text() for row in range(view.events_list.count())]
    assert "30 June 2017 — ACLU of Wisconsin urges the mayor to reject the changes" in listed
    row = next(i for i, text in enumerate(listed) if "urges the mayor" in text)
    item = view.events_list.item(row)
    rect = view.events_list.visualItemRect(item)
    qtbot.mouseClick(view.events_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.selected_id() == "aclu-letter-sent"
    selected = view.text_edit.textCursor()
    document = window.case.document_by_id("aclu-letter")
    cited = next(c for c in view.citations if c.event_id == "aclu-letter-sent")
    assert selected.position() == cited.start  # scrolled to the passage (ASCII text)
    assert document.text[cited.start : cited.end].startswith("sent the following letter")


def test_new_event_from_selection_quotes_it_with_the_date_inside(
    window: MainWindow, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(EventEditor, "exec", lambda editor: 1)  # accept as prefilled
    view = window.documents.show_document("aclu-letter").view
    document = window.case.document_by_id("aclu-letter")
    passage = "the Milwaukee Police Department is planning to make to its standard"
    start = document.text.index(passage)
    view.select_range(start, start + len(passage))
    view.new_event_action.trigger()
    added = window.case.events[-1]
    source = added.sources[0]
    assert (source.document, source.quote, source.start) == ("aclu-letter", passage, start)
    # no date inside: the nearest one before the selection
    assert added.when.edtf == "2017-06-30"
    assert window.selected_id() == added.id
    # the view lists the new event at once
    labels = [view.events_list.item(i).text() for i in range(view.events_list.count())]
    assert any(added.title in label for label in labels)


def test_read_only_case_says_why_no_event_is_added(qtbot, default_case_path: Path) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.open_case(default_case_path)
    view = window.documents.show_document("aclu-letter").view
    view.select_range(0, 20)
    before = len(window.case.events)
    view.new_event_action.trigger()
    assert len(window.case.events) == before
    message = window.documents.last_message
    assert message is not None and "read-only" in message.text()
    message.close()
    loaded, _ = load_case(default_case_path)
    assert len(loaded.events) == before


def test_the_file_date_is_offered_not_used_and_taking_it_reads_relative_dates(
    window: MainWindow, qtbot, tmp_path: Path
) -> None:
    memo = tmp_path / "memo.txt"
    filler = "".join(f"Item {n} was discussed.\n" for n in range(10))  # no date up top
    memo.write_text(
        f"Board memo\n\n{filler}The board met on Friday and again on June 30, 2017.\n",
        encoding="utf-8",
    )
    os.utime(memo, (1499212800, 1499212800))  # 2017-07-05, a Wednesday
    window.documents.import_paths([memo])
    qtbot.waitUntil(lambda: window.case.document_by_id("memo") is not None, timeout=10000)
    if window.documents.last_message is not None:
        window.documents.last_message.close()
    document = window.case.document_by_id("memo")
    assert document.date == ""  # never used silently
    view = window.documents.show_document("memo").view
    button = view.use_file_date_button
    assert button.isVisible() and button.text() == "Use the file's date, 5 July 2017"
    assert [m.text for m in view.mentions] == ["June 30, 2017"]  # "Friday" needs a date
    button.click()
    assert document.date == "2017-07-05"
    assert not button.isVisible()
    assert [m.text for m in view.mentions] == ["Friday", "June 30, 2017"]
    assert view.mentions[0].value == "2017-06-30"
    window.actions_by_id["undo"].trigger()
    assert document.date == ""
    assert button.isVisible()
