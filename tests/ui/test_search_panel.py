"""Search in the window: typing lists grouped hits, hits open events and documents, F3 steps
through matches, the canvas emphasises matches, Esc clears, bad queries get a message."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from timeline_app.core.dates import When
from timeline_app.core.model import Case, Document, Event, Lane, SourceRef
from timeline_app.core.search import Hit
from timeline_app.ui import search_index
from timeline_app.ui.main_window import MainWindow
from timeline_app.ui.search_document import join_adjacent
from timeline_app.ui.search_panel import SearchPanel
from timeline_app.ui.search_results import (
    HEADING_ROLE,
    HIT_ROLE,
    SNIPPET_ROLE,
    focus_snippet,
    snippet_html,
)
from timeline_app.ui.source_views import utf16_offset

EMOJI_TEXT = (
    "Minutes 😀😀 of the hearing. The Voces de la Frontera delegation spoke first.\n\n"
    "Next, 🎉 the <b>x</b> speaker for Voces said the policy should stay.\n\n"
    + "".join(f"Filler paragraph {n} about other business entirely.\n\n" for n in range(60))
    + "Finally 🙂 Voces closed the hearing."
)


def emoji_case() -> Case:
    lanes = [Lane("city", "City"), Lane("groups", "Advocates")]
    events = [
        Event("hearing", "Hearing on the policy", When.parse("2017-07-01"), "city",
              summary="A public hearing.", sources=[SourceRef(document="minutes")]),
        Event("rally", "Voces rally at City Hall", When.parse("2017-07-05"), "groups",
              summary="Voces de la Frontera rally."),
        Event("vote", "Council vote", When.parse("2017-08-01"), "city", summary="Unrelated."),
    ]  # fmt: skip
    documents = [
        Document("minutes", "Hearing minutes", "2017-07-01", text=EMOJI_TEXT),
        Document("memo", "Budget memo", "2017-06-01", text="Nothing relevant here at all."),
    ]
    return Case(title="Emoji case", lanes=lanes, documents=documents, events=events)


@pytest.fixture()
def window(qtbot, default_case_path: Path) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.open_case(default_case_path)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.search_panel.index_ready)
    return window


@pytest.fixture()
def emoji_window(qtbot, window: MainWindow) -> MainWindow:
    window.set_case(emoji_case(), [])
    qtbot.waitUntil(lambda: window.search_panel.index_ready)
    return window


def search(qtbot, window: MainWindow, text: str) -> SearchPanel:
    panel = window.search_panel
    panel.field.clear()
    qtbot.keyClicks(panel.field, text)
    qtbot.waitUntil(lambda: panel.answered_text == text)
    return panel


def listed(panel: SearchPanel) -> list[tuple[str, str]]:
    """(kind, id) of every hit row, or ("heading", text) of a heading row, in order."""
    rows = []
    for row in range(panel.model.rowCount()):
        index = panel.model.index(row)
        if index.data(HEADING_ROLE):
            rows.append(("heading", index.data()))
        else:
            hit: Hit = index.data(HIT_ROLE)
            rows.append((hit.kind, hit.id))
    return rows


def choose(panel: SearchPanel, kind: str, item_id: str) -> None:
    row = panel.model.row_of(kind, item_id)
    assert row >= 0, f"{kind} {item_id} is not listed"
    panel.results_view.setCurrentIndex(panel.model.index(row))


def word_ranges_utf16(text: str, word: str) -> list[tuple[int, int]]:
    """Qt positions of every whole-word, case-insensitive occurrence of ``word``."""
    return [
        (utf16_offset(text, m.start()), utf16_offset(text, m.end()))
        for m in re.finditer(rf"\b{re.escape(word)}\b", text, re.IGNORECASE)
    ]


def test_ctrl_f_focuses_the_field(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.canvas, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search_panel.field.hasFocus()


def test_typing_lists_events_then_documents_after_a_short_pause(qtbot, window: MainWindow) -> None:
    panel = window.search_panel
    qtbot.keyClicks(panel.field, "LULAC")
    # the first key is answered at once; the rest of a fast burst once typing pauses
    assert panel.answered_text == "L"
    qtbot.waitUntil(lambda: panel.answered_text == "LULAC")
    rows = listed(panel)
    assert rows[0] == ("heading", "Events  ·  3")
    assert rows[1] == ("event", "lulac-proposal")  # the title match ranks first
    assert ("heading", "Documents  ·  1") in rows
    assert rows[-1] == ("document", "aclu-letter")
    assert panel.isVisible()
    assert "3 events" in panel.summary_label.text()
    text, spans = panel.model.index(1).data(SNIPPET_ROLE)
    assert [text[a:b] for a, b in spans] == ["LULAC"]


def test_choosing_a_document_hit_highlights_every_match_in_utf16(
    qtbot, emoji_window: MainWindow
) -> None:
    panel = search(qtbot, emoji_window, "voces")
    choose(panel, "document", "minutes")
    page = emoji_window.detail_pane.shown_document_page()
    assert page is not None and page.document_id == "minutes"
    view = page.text_view
    expected = word_ranges_utf16(EMOJI_TEXT, "voces")
    assert len(expected) == 3
    selections = [
        (s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in view.extraSelections()
    ]
    assert selections == expected
    assert view.match_ranges() == expected
    found = [s.cursor.selectedText().lower() for s in view.extraSelections()]
    assert found == ["voces"] * 3  # Qt's own text agrees
    assert view.textCursor().position() == expected[0][0]  # the hit is scrolled into view
    assert panel.status_widget.label.text() == "Match 1 of 3"
    assert emoji_window.detail_pane.event is None


def test_f3_and_shift_f3_step_through_the_matches_and_wrap(qtbot, emoji_window) -> None:
    panel = search(qtbot, emoji_window, "voces")
    choose(panel, "document", "minutes")
    view = emoji_window.detail_pane.shown_document_page().text_view
    expected = word_ranges_utf16(EMOJI_TEXT, "voces")
    positions = []
    for _ in range(3):
        qtbot.keyClick(panel.results_view, Qt.Key.Key_F3)
        positions.append((view.textCursor().position(), panel.status_widget.label.text()))
    assert positions == [
        (expected[1][0], "Match 2 of 3"),
        (expected[2][0], "Match 3 of 3"),
        (expected[0][0], "Match 1 of 3"),  # wrapped around
    ]
    qtbot.keyClick(panel.results_view, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert view.textCursor().position() == expected[2][0]
    assert panel.status_widget.label.text() == "Match 3 of 3"


def test_choosing_an_event_hit_selects_the_event(qtbot, window: MainWindow) -> None:
    panel = search(qtbot, window, "LULAC")
    choose(panel, "event", "city-hall-rally")
    assert window.selected_id() == "city-hall-rally"
    assert window.canvas.selected_id() == "city-hall-rally"
    assert window.detail_pane.event.id == "city-hall-rally"


def test_matches_are_emphasised_show_only_hides_the_rest_and_esc_restores(
    qtbot, window: MainWindow
) -> None:
    panel = search(qtbot, window, "LULAC")
    matching = {hit.id for hit in panel.model.hits() if hit.kind == "event"}
    assert panel.matching_event_ids == matching
    others = [ev.id for ev in window.case.events if ev.id not in matching]
    drawn_before = {ev: window.canvas.rect_of(ev) is not None for ev in others}
    assert any(drawn_before.values())
    panel.only_matches.setChecked(True)
    assert all(window.canvas.rect_of(ev) is None for ev in others)
    assert all(window.canvas.rect_of(ev) is not None for ev in matching)
    window.select_event("city-hall-rally")
    panel.field.setFocus()
    qtbot.keyClick(panel.field, Qt.Key.Key_Escape)
    assert panel.field.text() == ""
    assert panel.matching_event_ids is None
    assert panel.model.rowCount() == 0 and not panel.isVisible()
    assert {ev: window.canvas.rect_of(ev) is not None for ev in others} == drawn_before
    assert window.selected_id() == "city-hall-rally"  # Esc in the field is not "clear selection"


def test_esc_after_a_document_hit_goes_back_to_the_selected_event(qtbot, window) -> None:
    window.select_event("city-hall-rally")
    panel = search(qtbot, window, "LULAC")
    choose(panel, "document", "aclu-letter")
    assert window.detail_pane.shown_document_page() is not None
    window.actions_by_id["clear_search"].trigger()
    assert window.detail_pane.shown_document_page() is None
    assert window.detail_pane.event.id == "city-hall-rally"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("-", "Type a word to search for."),
        ("-sop", "Add a word to search for: -word only leaves things out."),
        ("lane:", "lane: needs a value, for example lane:federal."),
        ("after:soon", "after: needs a date such as 2017-06 (not “soon”)."),
    ],
)
def test_a_bad_query_shows_the_core_message_in_the_panel(
    qtbot, window: MainWindow, query: str, message: str
) -> None:
    panel = search(qtbot, window, query)
    assert panel.message_label.text() == message
    assert panel.model.rowCount() == 0
    assert panel.matching_event_ids is None
    assert window.findChild(QMessageBox) is None


def test_odd_queries_do_not_crash(qtbot, window: MainWindow) -> None:
    for query in ['"unbalanced', "c++", "AND", "*", ":", "😀", "x" * 10_000]:
        panel = window.search_panel
        panel.field.setText(query)
        panel.run_query_now()
        assert panel.model.rowCount() > 0 or panel.message_label.text()


def test_document_text_that_looks_like_html_is_shown_literally(qtbot, emoji_window) -> None:
    panel = search(qtbot, emoji_window, "speaker")
    row = panel.model.row_of("document", "minutes")
    index = panel.model.index(row)
    text, spans = index.data(SNIPPET_ROLE)
    assert "the <b>x</b> speaker" in text
    assert [text[a:b] for a, b in spans] == ["speaker"]
    tooltip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert "&lt;b&gt;x&lt;/b&gt; <b>speaker</b>" in tooltip
    assert "<b>x</b>" not in tooltip


def test_snippet_html_escapes_everything_but_its_own_bold() -> None:
    text = "a <i>&amp</i> word"
    assert snippet_html(text, [(14, 18)]) == "a &lt;i&gt;&amp;amp&lt;/i&gt; <b>word</b>"
    assert snippet_html("abc", [(0, 2), (1, 3)]) == "<b>ab</b><b>c</b>"


def test_a_query_typed_while_indexing_runs_when_the_index_is_ready(
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = emoji_case()
    for n in range(5000):
        case.events.append(Event(f"e{n}", f"Routine item {n}", When.parse("2016-01-01")))
    panel = window.search_panel
    percents: list[int] = []
    panel.keeper.progressed.connect(percents.append)
    window.set_case(case, [])
    assert not panel.index_ready
    panel.field.setText("voces")
    panel.run_query_now()
    assert "Indexing" in panel.message_label.text()
    qtbot.waitUntil(lambda: panel.model.row_of("document", "minutes") >= 0, timeout=20_000)
    assert percents and percents[-1] == 100
    assert percents == sorted(percents)
    assert not panel.message_label.isVisible()


def test_a_slow_index_build_shows_progress_and_the_window_stays_responsive(
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    real_open_index = search_index.open_index

    def slow_open_index(case, progress=None, cancelled=None):
        progress(1, 2)
        release.wait(10)
        return real_open_index(case, progress, cancelled)

    monkeypatch.setattr(search_index, "open_index", slow_open_index)
    window.set_case(emoji_case(), [])
    status = window.search_panel.status_widget
    qtbot.waitUntil(lambda: status.label.text() == "Indexing… 50%")
    assert status.progress.isVisible() and status.progress.value() == 50
    assert window.select_event("rally")  # the main thread is free while the index builds
    assert window.detail_pane.event.id == "rally"
    release.set()
    qtbot.waitUntil(lambda: window.search_panel.index_ready)
    assert status.label.text() == "" and not status.progress.isVisible()


def test_more_hits_arrive_from_a_worker_without_losing_the_chosen_row(
    qtbot, window: MainWindow
) -> None:
    case = emoji_case()
    for n in range(120):
        day = f"2018-01-{n % 28 + 1:02d}"
        case.events.append(Event(f"m{n}", f"Voces meeting {n}", When.parse(day), "groups"))
    window.set_case(case, [])
    qtbot.waitUntil(lambda: window.search_panel.index_ready)
    panel = search(qtbot, window, "voces")
    first = panel.model.event_count
    assert first < 120
    choose(panel, "event", panel.model.hits()[2].id)
    chosen = panel.model.hits()[2].id
    qtbot.waitUntil(lambda: panel.model.event_count == 121)  # 120 meetings and the rally
    assert panel.results_view.currentIndex().data(HIT_ROLE).id == chosen
    assert window.selected_id() == chosen
    assert panel.matching_event_ids == {h.id for h in panel.model.hits() if h.kind == "event"}
    assert panel.model.document_count == 1
    assert listed(panel)[0] == ("heading", "Events  ·  121")


def test_words_next_to_each_other_are_one_match() -> None:
    text = "immigration status and immigration, status"
    spans = [(0, 11), (12, 18), (23, 34), (36, 42)]
    assert join_adjacent(text, spans) == [(0, 18), (23, 34), (36, 42)]


def test_an_edit_updates_the_index_and_the_results(qtbot, emoji_window: MainWindow) -> None:
    panel = search(qtbot, emoji_window, "zebra")
    assert panel.message_label.text() == "No event or document matches."
    emoji_window.case.event_by_id("vote").title = "Zebra crossing vote"
    emoji_window.refresh_after_edit(None)
    qtbot.waitUntil(lambda: listed(panel) == [("heading", "Events  ·  1"), ("event", "vote")])
    assert panel.matching_event_ids == {"vote"}


def test_esc_in_an_empty_field_returns_to_the_timeline(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.actions_by_id["find"].trigger()
    field = window.search_panel.field
    assert field.hasFocus()
    qtbot.keyClicks(field, "sop")
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert field.text() == "" and field.hasFocus()
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert window.canvas.hasFocus()


def test_a_snippet_starts_shortly_before_its_first_match() -> None:
    text = "one two three four five six seven eight nine ten eleven twelve LULAC thirteen"
    start = text.index("LULAC")
    shown, spans = focus_snippet(text, [(start, start + 5)], before=20)
    assert shown.startswith("…") and len(shown) < len(text)
    assert [shown[a:b] for a, b in spans] == ["LULAC"]
    assert focus_snippet("LULAC first", [(0, 5)]) == ("LULAC first", [(0, 5)])
