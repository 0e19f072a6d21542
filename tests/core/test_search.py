"""The search index: ranking, query features, filters, offsets, caching, updates."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline_app.core import search
from timeline_app.core.dates import When
from timeline_app.core.model import Case, Document, Event, Lane, SourceRef
from timeline_app.core.query import QueryError
from timeline_app.core.search import BuildCancelled, SearchIndex, split_passages
from timeline_app.core.search_cache import cache_dir, cached_index_if_fresh, open_index


def ev(id: str, title: str, when: str = "2017-06-30", **kw) -> Event:
    return Event(id=id, title=title, when=When.parse(when), **kw)


def small_case() -> Case:
    return Case(
        title="Test",
        lanes=[Lane("fed", "Federal government"), Lane("city", "City of Milwaukee")],
        documents=[
            Document("letter", "A letter about policy", "2017-06-30", text=LETTER),
            Document("memo", "Memo", text="Nothing about the zebra here.\n\nJust a memo."),
        ],
        events=[
            ev("e-title", "Zebra crossing approved", "2017-07-13", lane="city", tags=["Roads"]),
            ev(
                "e-body",
                "Council meeting",
                "2016-03-24",
                lane="fed",
                summary="The council discussed a zebra.",
                actors=["Mayor Barrett"],
                sources=[SourceRef(document="letter", quote="x")],
            ),  # fmt: skip
            ev("e-open", "Policy drafted", "../2016-03-24", lane="city", tags=["policy"]),
        ],
    )


LETTER = (
    "Dear Mayor,\n\nThe department shall inform the public. Officers shall, using discretion, "
    "inform ICE.\n\nCafé owners in Zürich 😀🤔 said: informs and informed. C++ is a language."
)


@pytest.fixture(params=["ranked", "unranked"])
def index(request, monkeypatch) -> SearchIndex:
    """The small case's index; "unranked" pretends every word is too common to rank with
    bm25 and every filter too broad to drive the query (the paths big cases take)."""
    if request.param == "unranked":
        monkeypatch.setattr(search, "RANK_CAP", 0)
    return SearchIndex.build(small_case())


def ids(hits) -> list[str]:
    return [h.id for h in hits]


def test_title_match_ranks_above_body_match(index: SearchIndex) -> None:
    hits = index.search("zebra")
    assert ids(hits)[0] == "e-title"
    assert set(ids(hits)) == {"e-title", "e-body", "memo"}
    assert hits[0].matches == [(0, 5)]  # offsets into the event title
    body = next(h for h in hits if h.id == "e-body")
    assert body.matches == [] and body.field == "summary"
    assert body.snippet[slice(*body.snippet_matches[0])] == "zebra"


def test_phrase_versus_words(index: SearchIndex) -> None:
    assert ids(index.search('"inform the public"')) == ["letter"]
    assert ids(index.search('"inform public"')) == []
    assert ids(index.search("public inform")) == ["letter"]
    hit = index.search('"shall inform"')[0]
    assert [LETTER[a:b] for a, b in hit.matches] == ["shall", "inform"]


def test_stemming_and_prefix(index: SearchIndex) -> None:
    hit = index.search("informing")[0]
    assert [LETTER[a:b] for a, b in hit.matches] == ["inform", "inform", "informs", "informed"]
    assert ids(index.search("zeb*")) and not ids(index.search("zeb"))
    assert ids(index.search("counc*")) == ["e-body"]


def test_exclusion(index: SearchIndex) -> None:
    assert set(ids(index.search("zebra -crossing"))) == {"e-body", "memo"}
    assert set(ids(index.search('zebra -"just a memo"'))) == {"e-title", "e-body"}


def test_or(index: SearchIndex) -> None:
    assert set(ids(index.search("crossing OR council"))) == {"e-title", "e-body"}
    assert ids(index.search("zebra crossing OR nothing")) == ["e-title"] or set(
        ids(index.search("zebra crossing OR nothing"))
    ) == {"e-title", "memo"}


def test_lane_filter_by_id_or_name(index: SearchIndex) -> None:
    assert ids(index.search("zebra lane:city")) == ["e-title"]
    assert ids(index.search('zebra lane:"federal GOVERNMENT"')) == ["e-body"]
    assert ids(index.search("zebra lane:federal")) == ["e-body"]  # the start of a name
    assert set(ids(index.search("lane:city"))) == {"e-title", "e-open"}
    assert "e-title" not in ids(index.search("zebra -lane:city"))
    with pytest.raises(QueryError, match="No lane called “nowhere”"):
        index.search("zebra lane:nowhere")


def test_tag_filter(index: SearchIndex) -> None:
    assert ids(index.search("tag:roads")) == ["e-title"]
    assert ids(index.search("zebra tag:ROADS")) == ["e-title"]
    assert "e-title" not in ids(index.search("zebra -tag:roads"))
    assert ids(index.search("tag:nonesuch")) == []


def test_doc_filter_finds_the_document_and_events_citing_it(index: SearchIndex) -> None:
    assert set(ids(index.search("doc:letter"))) == {"letter", "e-body"}
    assert ids(index.search("zebra doc:LETTER")) == ["e-body"]
    with pytest.raises(QueryError, match="No document"):
        index.search("doc:nope")


def test_date_filters(index: SearchIndex) -> None:
    # after:X keeps what ends on/after X's start; before:X what starts before X's end
    assert set(ids(index.search("after:2017-07"))) == {"e-title"}
    assert set(ids(index.search("after:2017-06"))) == {"e-title", "letter"}  # dated document
    assert set(ids(index.search("before:2016-02"))) == {"e-open"}  # open start: may be earlier
    assert set(ids(index.search("before:2016-03-24"))) == {"e-body", "e-open"}
    assert ids(index.search("zebra after:2017 before:2017")) == ["e-title"]


def test_offsets_after_non_ascii_and_emoji(index: SearchIndex) -> None:
    hit = index.search("cafe zurich c")[0]
    assert [LETTER[a:b] for a, b in hit.matches] == ["Café", "Zürich", "C"]
    assert hit.snippet[slice(*hit.snippet_matches[0])] == "Café"


def test_one_hit_per_document_with_many_passages() -> None:
    text = "\n\n".join(f"Paragraph {i} mentions walrus. " + "filler " * 150 for i in range(6))
    index = SearchIndex.build(Case(documents=[Document("big", "Big", text=text)]))
    hits = index.search("walrus")
    assert ids(hits) == ["big"]
    passage = hits[0].passage
    assert passage is not None and text[passage[0] : passage[1]].startswith("Paragraph")
    every = index.document_matches("big", "walrus")
    assert len(every) == 6 and all(text[a:b] == "walrus" for a, b in every)


def test_exclusion_drops_a_document_whose_other_passage_has_the_word() -> None:
    text = "Walrus here. " + "filler " * 150 + "\n\n" + "Seal there. " + "filler " * 150
    index = SearchIndex.build(Case(documents=[Document("d", "D", text=text)]))
    assert len(split_passages(text)) == 2
    assert ids(index.search("walrus")) == ["d"]
    assert ids(index.search("walrus -seal")) == []


def test_date_filter_lists_ongoing_items_first_then_in_time_order(monkeypatch) -> None:
    monkeypatch.setattr(search, "RANK_CAP", 0)  # walk the time index, no driver
    case = Case(
        events=[
            ev("long", "Long", "2016-01-01/2018-12-31"),
            ev("before", "Before", "2016-05-01"),
            ev("later", "Later", "2017-09-01"),
            ev("start", "Start", "2017-06-15"),
            ev("open", "Open", "2015-02-01/.."),
        ]
    )
    index = SearchIndex.build(case)
    assert ids(index.search("after:2017-06")) == ["open", "long", "start", "later"]
    assert ids(index.search("after:2017-06 before:2017-06")) == ["open", "long", "start"]
    assert ids(index.search("before:2016-05")) == ["open", "long", "before"]


def test_text_with_lone_surrogates_from_json_escapes_is_indexed() -> None:
    bad = "Broken \ud800 zebra"
    case = Case(
        lanes=[Lane("l\udc00", "Lane \ud800")],
        documents=[Document("d\ud800", bad, text=bad)],
        events=[ev("e\ud800", bad, lane="l\udc00", tags=["t\ud800"])],
    )
    index = SearchIndex.build(case)
    hits = index.search("zebra")
    assert len(hits) == 2 and all(h.matches for h in hits)
    index.update_event(case.events[0])
    index.remove_document("d\ud800")
    assert len(index.search("zebra")) == 1


def test_passages_cover_paragraphs_and_cut_long_ones() -> None:
    text = "Short one.\n\nShort two.\n\n" + "A long sentence here. " * 200
    spans = split_passages(text, words=50)
    assert spans[0] == (0, len("Short one.\n\nShort two."))
    assert len(spans) > 5
    assert all(text[a:b] == text[a:b].strip() for a, b in spans)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["word", "Sentence.", " ", "\n", "\n\n", "\r\n", "\t", "é", "😀"])
    ).map("".join),
    st.integers(1, 8),
)
def test_passages_cover_every_non_space_character_in_order(text: str, words: int) -> None:
    spans = split_passages(text, words)
    assert all(a < b for a, b in spans)
    assert all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1))
    covered = "".join(text[a:b] for a, b in spans)
    assert "".join(covered.split()) == "".join(text.split())


def test_updates_reach_the_index(index: SearchIndex) -> None:
    index.update_event(ev("e-new", "Walrus sighted", lane="fed"))
    assert ids(index.search("walrus")) == ["e-new"]
    assert ids(index.search("walrus lane:federal")) == ["e-new"]
    index.update_event(ev("e-new", "Seal sighted", lane="fed"))
    assert ids(index.search("walrus")) == [] and ids(index.search("seal")) == ["e-new"]
    index.remove_event("e-new")
    assert ids(index.search("seal")) == []
    index.update_document(Document("memo", "Memo", text="Now about a walrus."))
    assert ids(index.search("walrus")) == ["memo"] and "memo" not in ids(index.search("zebra"))
    index.remove_document("memo")
    assert ids(index.search("walrus")) == []
    index.update_lanes([Lane("fed", "Washington"), Lane("city", "City of Milwaukee")])
    assert ids(index.search("washington")) == ["e-body"]


def test_sync_reindexes_only_what_changed(index: SearchIndex) -> None:
    case = small_case()
    assert index.sync(case) == 0
    case.events[0].title = "Giraffe crossing"
    case.documents.pop()
    assert index.sync(case) == 2
    assert ids(index.search("giraffe")) == ["e-title"]
    assert "memo" not in ids(index.search("zebra"))


def copy_default_case(default_case_path: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "case"
    shutil.copytree(default_case_path, folder)
    for path in folder.rglob("*"):
        path.chmod(0o644 if path.is_file() else 0o755)
    return folder


def test_cache_is_reused_and_rebuilt_when_a_document_changes(default_case_path, tmp_path) -> None:
    from timeline_app.core.casefile import load_case

    folder = copy_default_case(default_case_path, tmp_path)
    case, _ = load_case(folder)
    assert cached_index_if_fresh(case) is None
    first = open_index(case)
    first.close()
    files = list(cache_dir().glob("*.sqlite"))
    assert len(files) == 1 and str(cache_dir()).startswith(str(tmp_path.parent))
    reused = cached_index_if_fresh(load_case(folder)[0])
    assert reused is not None and ids(reused.search("LULAC"))
    reused.close()

    doc = folder / "documents" / "8-usc-1373.txt"
    doc.write_text(doc.read_text(encoding="utf-8") + "\nAardvark.\n", encoding="utf-8")
    changed, _ = load_case(folder)
    assert cached_index_if_fresh(changed) is None  # stale
    updated = open_index(changed)
    assert ids(updated.search("aardvark")) == ["usc-1373"]
    updated.close()
    assert cached_index_if_fresh(changed) is not None
    assert list(cache_dir().glob("*.sqlite")) == files


def test_cancelled_update_leaves_the_cached_index_usable(tmp_path) -> None:
    case = small_case()
    case.folder = tmp_path
    open_index(case).close()
    case.events[0].title = "Okapi crossing"
    with pytest.raises(BuildCancelled):
        open_index(case, cancelled=lambda: True)
    assert cached_index_if_fresh(case) is None  # still stale, not damaged
    steps: list[tuple[int, int]] = []
    index = open_index(case, progress=lambda done, total: steps.append((done, total)))
    assert ids(index.search("okapi")) == ["e-title"] and steps[-1] == (1, 1)
    index.close()


def test_build_in_a_thread_with_progress_and_cancel(tmp_path) -> None:
    case = Case(events=[ev(f"e{i}", f"Event number {i}") for i in range(5000)])
    seen: list[tuple[int, int]] = []
    result: list[SearchIndex] = []
    worker = threading.Thread(
        target=lambda: result.append(
            SearchIndex.build(case, tmp_path / "i.sqlite", lambda d, t: seen.append((d, t)))
        )
    )
    worker.start()
    worker.join()
    assert seen[0] == (0, 5000) and seen[-1] == (5000, 5000)
    assert ids(result[0].search("4999")) == ["e4999"]  # used from another thread
    with pytest.raises(BuildCancelled):
        SearchIndex.build(case, tmp_path / "c.sqlite", cancelled=lambda: True)
    assert not (tmp_path / "c.sqlite").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["i.sqlite"]


@pytest.fixture(scope="module")
def default_index():
    from timeline_app.core.casefile import load_case
    from timeline_app.paths import default_case_dir

    case, _ = load_case(default_case_dir())
    return SearchIndex.build(case), case


def test_default_case_queries(default_index) -> None:
    index, case = default_index
    lulac = index.search("LULAC")
    assert {"lulac-proposal", "city-hall-rally", "aclu-letter"} <= set(ids(lulac))
    assert ids(lulac)[0] == "lulac-proposal"  # the title says LULAC
    letter = case.document_by_id("aclu-letter").text
    doc_hit = next(h for h in lulac if h.id == "aclu-letter")
    assert all(letter[a:b] == "LULAC" for a, b in doc_hit.matches)

    n1373 = index.search("1373")
    assert {"usc-1373", "iirira-1373", "aclu-letter"} <= set(ids(n1373))
    assert all(h.matches for h in n1373 if h.kind == "event" and "1373" in h.title)

    shall = index.search('"shall inform"')
    assert ids(shall)[0] == "fpc-shall-inform"
    assert [shall[0].title[a:b].lower() for a, b in shall[0].matches] == ["shall", "inform"]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=200) | st.lists(st.sampled_from(
    ['"', "-", "*", "OR", "AND", "NOT", ":", "lane:", "tag:", "after:", "before:2017", "doc:",
     "c++", "(", ")", "^", "NEAR", "{title}", "zebra", "😀", "\\", "'", " ", "lane:city"]
)).map("".join))  # fmt: skip
def test_any_text_gives_results_or_a_query_error(default_index, text: str) -> None:
    index, _ = default_index
    try:
        hits = index.search(text, limit=5)
    except QueryError as err:
        assert str(err) and len(str(err)) < 200
    else:
        assert len(hits) <= 5
