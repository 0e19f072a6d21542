"""The detail pane shows an event and its sources as plain text, passage highlighted."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QTextCursor

from timeline_app.core.dates import When
from timeline_app.core.model import Case, Citation, Document, Event, Lane, SourceRef
from timeline_app.ui.detail_pane import DetailPane
from timeline_app.ui.source_views import (
    CitationSourceView,
    PassageSourceView,
    open_link,
    passage_span,
    utf16_offset,
)

QUOTE = "the council voted to keep the policy"
TEXT = (
    "Minutes 😀 of the meeting.\n"
    + "".join(f"Line {n} of the preamble <b>html</b> & more.\n" for n in range(120))
    + f"At 9 pm {QUOTE} unchanged.\n"
    + "".join(f"Closing line {n}.\n" for n in range(80))
)
URL = "https://example.org/story?a=1&b=<two>"


def make_case() -> Case:
    start = TEXT.index(QUOTE)
    passage = SourceRef(document="minutes", quote=QUOTE, start=start, end=start + len(QUOTE))
    citation = SourceRef(citation=Citation("The <i>Gazette</i>", "Council vote", "2017-07-05", URL))
    event = Event(
        id="vote",
        title="Council <b>keeps</b> policy",
        when=When.parse("2017-07-04"),
        lane="city",
        summary="A summary with <a href='x'>a link</a>.",
        tags=["policy"],
        actors=["Council"],
        sources=[passage, citation],
    )
    document = Document(id="minutes", title="Council minutes", date="2017-07-04", text=TEXT)
    lane = Lane(id="city", name="City", colour="#3366cc")
    return Case(title="Test", lanes=[lane], documents=[document], events=[event])


@pytest.fixture()
def pane(qtbot) -> DetailPane:
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.resize(520, 700)
    case = make_case()
    pane.set_case(case)
    pane.show()
    qtbot.waitExposed(pane)
    pane.show_event(case.events[0])
    return pane


def test_utf16_offset_counts_characters_outside_the_bmp_twice() -> None:
    text = "a😀b"
    assert utf16_offset(text, 1) == 1
    assert utf16_offset(text, 2) == 3
    assert utf16_offset(text, 3) == len(text.encode("utf-16-le")) // 2


def test_passage_span_refinds_a_quote_whose_offsets_moved() -> None:
    source = SourceRef(document="d", quote="world", start=0, end=5)
    assert passage_span("hello world", source) == (6, 11)
    assert passage_span("hello", source) is None


def test_empty_state_shows_a_hint(qtbot) -> None:
    pane = DetailPane()
    qtbot.addWidget(pane)
    assert pane.currentWidget() is pane.empty_page
    assert "Select an event" in pane.empty_hint.text()


def test_event_fields_are_shown_as_plain_text(pane: DetailPane) -> None:
    assert pane.title_label.text() == "Council <b>keeps</b> policy"
    for label in (pane.title_label, pane.summary_label, pane.date_label, pane.lane_label):
        assert label.textFormat() == Qt.TextFormat.PlainText
    assert pane.date_label.text() == When.parse("2017-07-04").human()
    assert pane.lane_label.text() == "City"
    assert pane.actors_label.text() == "Council"
    assert pane.tags_label.text() == "policy"


def test_passage_is_highlighted_at_its_utf16_range_and_scrolled_into_view(
    pane: DetailPane, qtbot
) -> None:
    view = pane.source_views()[0]
    assert isinstance(view, PassageSourceView)
    text_view = view.text_view
    start = TEXT.index(QUOTE)
    expected = (utf16_offset(TEXT, start), utf16_offset(TEXT, start + len(QUOTE)))
    assert expected[0] == start + 1  # the emoji before the quote counts twice in UTF-16
    assert text_view.highlighted_range() == expected
    (selection,) = text_view.extraSelections()
    assert (selection.cursor.selectionStart(), selection.cursor.selectionEnd()) == expected
    assert selection.cursor.selectedText() == QUOTE
    cursor = QTextCursor(text_view.document())
    cursor.setPosition(expected[0])
    qtbot.waitUntil(lambda: text_view.viewport().rect().contains(text_view.cursorRect(cursor)))


def test_document_text_is_shown_literally(pane: DetailPane) -> None:
    text_view = pane.source_views()[0].text_view
    assert text_view.toPlainText() == TEXT
    assert "<b>html</b>" in text_view.toPlainText()
    assert text_view.isReadOnly()


def test_citation_shows_its_link_and_opens_it_only_on_click(
    pane: DetailPane, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    pane.sources_tabs.setCurrentIndex(1)
    view = pane.source_views()[1]
    assert isinstance(view, CitationSourceView)
    assert "https://example.org/story?a=1&amp;b=&lt;two&gt;" in view.link.text()
    assert view.link.openExternalLinks() is False
    assert pane.sources_tabs.tabText(1).startswith("2. The <i>Gazette</i>")  # literal
    assert "The &lt;i&gt;Gazette&lt;/i&gt;, 5 July 2017" in pane.sources_tabs.tabToolTip(1)
    qtbot.wait(50)
    assert opened == []
    qtbot.waitExposed(view.link)
    qtbot.mouseClick(view.link, Qt.MouseButton.LeftButton, pos=QPoint(4, view.link.height() // 2))
    assert opened == [QUrl(URL).toString()]


def test_citation_with_a_non_web_link_is_not_clickable(qtbot) -> None:
    source = SourceRef(citation=Citation("P", "T", "", "javascript:alert(1)"))
    view = CitationSourceView(source, source.citation)
    qtbot.addWidget(view)
    assert view.link.textFormat() == Qt.TextFormat.PlainText
    assert view.link.text() == "javascript:alert(1)"


def test_missing_quote_is_reported_not_hidden(qtbot) -> None:
    case = make_case()
    case.events[0].sources[0].quote = "words that are not in the minutes"
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.set_case(case)
    pane.show_event(case.events[0])
    view = pane.source_views()[0]
    assert view.text_view.highlighted_range() is None
    assert "not found" in view.meta.text()


def test_selecting_nothing_returns_to_the_hint(pane: DetailPane) -> None:
    pane.show_event(None)
    assert pane.currentWidget() is pane.empty_page
    assert pane.source_views() == []


def test_long_facts_wrap_instead_of_being_cut(qtbot) -> None:
    case = make_case()
    case.events[0].actors = [f"Actor number {n} of a long list" for n in range(12)]
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.resize(420, 700)
    pane.set_case(case)
    pane.show()
    pane.show_event(case.events[0])
    label = pane.actors_label
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()))
    assert label.heightForWidth(label.width()) > 3 * label.fontMetrics().height()


def test_open_link_refuses_anything_but_web_links(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    for url in ("javascript:alert(1)", "file:///etc/passwd", "smb://host/share"):
        assert open_link(url) is False
    assert opened == []
