"""The standalone HTML export: parses, holds every event escaped, clickable SVG events, no
external requests, and case text can never inject markup or script."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from timeline_app.cli.export import SnapshotOptions
from timeline_app.core.casefile import load_case
from timeline_app.core.dates import When
from timeline_app.core.formats.html_page import SCRIPT, content_security_policy
from timeline_app.core.model import Case, Citation, Document, Event, Lane, SourceRef
from timeline_app.paths import default_case_dir
from timeline_app.ui.export_html import export_html


class Page(HTMLParser):
    """Every start tag with its attributes, the text of every element, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._in: list[str] = []
        self.texts_in: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in.append(tag)

    def handle_endtag(self, tag) -> None:
        if tag in self._in:
            while self._in and self._in.pop() != tag:
                pass

    def handle_data(self, data) -> None:
        self.text.append(data)
        if self._in:
            self.texts_in.setdefault(self._in[-1], []).append(data)

    def attrs_of(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def export(case: Case, tmp_path: Path) -> tuple[str, Page]:
    out = tmp_path / "case.html"
    assert export_html(case, out, SnapshotOptions("html")) == []
    markup = out.read_text(encoding="utf-8")
    page = Page()
    page.feed(markup)
    page.close()
    return markup, page


@pytest.fixture(scope="module")
def default_case() -> Case:
    return load_case(default_case_dir())[0]


def test_every_event_is_listed_with_its_date_and_sources(default_case, qapp, tmp_path) -> None:
    markup, page = export(default_case, tmp_path)
    headings = page.texts_in["h3"]
    assert headings == [ev.title for ev in default_case.events_in_time_order()]
    text = " ".join(page.text)
    for event in default_case.events:
        assert event.when.human() in text
    marks = page.texts_in.get("mark", [])
    quotes = [s.quote for ev in default_case.events for s in ev.sources if s.is_passage]
    assert quotes and sorted(marks) == sorted(quotes)
    assert default_case.title in page.texts_in["title"]


def test_timeline_events_carry_their_ids(default_case, qapp, tmp_path) -> None:
    _, page = export(default_case, tmp_path)
    hits = [a["data-id"] for a in page.attrs_of("rect") if a.get("class") == "hit"]
    assert sorted(hits) == sorted(ev.id for ev in default_case.events)
    listed = [a["data-id"] for a in page.attrs_of("li")]
    assert set(hits) <= set(listed)
    assert len(page.attrs_of("svg")) == 1
    assert any("Federal" in t for t in page.texts_in["text"])  # lane names drawn as text


def test_no_external_requests(default_case, qapp, tmp_path) -> None:
    markup, page = export(default_case, tmp_path)
    links = [a for a in page.attrs_of("a")]
    assert links
    for attrs in links:
        assert re.match(r"https?://", attrs["href"] or "")
        assert attrs["rel"] == "noopener noreferrer"
    link_urls = {a["href"] for a in links}
    for url in re.findall(r"https?://[^\s\"'<>]+", markup):
        assert url.replace("&amp;", "&") in link_urls, url
    for tag, attrs in page.tags:
        for name in ("src", "srcset", "xlink:href", "href"):
            value = attrs.get(name)
            if value and tag != "a":
                assert value.startswith("data:"), (tag, name, value[:40])
    assert not page.attrs_of("link") and not page.attrs_of("iframe")
    csp = [a for a in page.attrs_of("meta") if a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and csp[0]["content"] == content_security_policy()
    assert "default-src 'none'" in csp[0]["content"]
    scripts = page.attrs_of("script")
    assert scripts == [{}]
    assert page.texts_in["script"] == [SCRIPT]  # the script the CSP hash allows


def hostile_case(tmp_path: Path) -> Case:
    text = "Before <b>bold</b> & <quote> after"
    quote = "<quote>"
    document = Document(
        "d<1>",
        title="Doc <i>one</i>",
        citation=Citation("P & Q", url="javascript:alert(1)"),
        text=text,
    )
    event = Event(
        'e"1<',
        "</text><script>alert(2)</script>",
        When.parse("2017-06~"),
        "a",
        summary="a < b & c > d",
        sources=[
            SourceRef("d<1>", quote, text.index(quote), text.index(quote) + len(quote)),
            SourceRef(citation=Citation("Pub", "T", url="https://example.org/a?b=1&c=<2>")),
        ],
    )
    plain = Event("e2", "Plain", When.parse("2017-07-01/.."), "a")
    return Case(
        title="<script>alert('t')</script> & co",
        description="desc <b>bold</b>",
        lanes=[Lane("a", '<i>Lane</i> & "q"', 'red" onload="x')],
        documents=[document],
        events=[event, plain],
    )


def test_case_text_is_shown_literally_never_as_markup(qapp, tmp_path) -> None:
    case = hostile_case(tmp_path)
    markup, page = export(case, tmp_path)
    assert page.texts_in["h1"] == ["<script>alert('t')</script> & co"]
    assert "</text><script>alert(2)</script>" in page.texts_in["h3"]
    assert page.attrs_of("script") == [{}]  # only the page's own script
    assert not page.attrs_of("b") and not page.attrs_of("i") and not page.attrs_of("quote")
    assert "a < b & c > d" in page.texts_in["p"]
    assert page.texts_in["mark"] == ["<quote>"]
    hrefs = [a["href"] for a in page.attrs_of("a")]
    assert hrefs == ["https://example.org/a?b=1&c=<2>"]  # javascript: is not linked
    assert "onload" not in " ".join(str(a) for _t, a in page.tags if "style" in a)
    ids = {a["data-id"] for a in page.attrs_of("li")}
    assert ids == {'e"1<', "e2"}


def test_a_case_without_events_still_exports(qapp, tmp_path) -> None:
    case = dataclasses.replace(hostile_case(tmp_path), events=[])
    _, page = export(case, tmp_path)
    assert page.texts_in["h2"] == ["Events (0)"]
