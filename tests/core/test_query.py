"""The query language parser and the Python side of matching (tokenizer, stemmer)."""

from __future__ import annotations

import random
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline_app.core.query import (
    MAX_TERMS,
    Phrase,
    QueryError,
    _phrase_spans,
    find_matches,
    parse_query,
    stem,
    tokenize,
    word_stems,
)


def test_words_must_all_match_and_are_quoted() -> None:
    q = parse_query("shall inform")
    assert q.fts_match() == '"shall" AND "inform"'
    assert q.exclusion_match() is None


def test_phrase_prefix_exclusion_and_or() -> None:
    q = parse_query('"shall inform" polic* -lulac x OR y')
    assert q.fts_match() == '"shall inform" AND "polic" * AND ("x" OR "y")'
    assert q.exclusion_match() == '"lulac"'


def test_operators_that_are_words_or_dangling() -> None:
    assert parse_query("flynn OR").fts_match() == '"flynn"'
    assert parse_query("OR flynn").fts_match() == '"flynn"'
    assert parse_query("a AND b").fts_match() == '"a" AND "b"'
    assert parse_query("NOT a b").exclusion_match() == '"a"'
    assert parse_query("or and not").fts_match() == '"or" AND "and" AND "not"'


def test_punctuation_is_split_like_the_index_splits_it() -> None:
    assert parse_query("c++").fts_match() == '"c"'
    assert parse_query("e-mail").fts_match() == '"e mail"'
    assert parse_query('say "unbalanced').fts_match() == '"say" AND "unbalanced"'
    # an unbalanced quote runs to the end; its punctuation is dropped, never passed to SQLite
    assert parse_query('x"); DROP TABLE items; --').fts_match() == '"x" AND "DROP TABLE items"'


def test_filters() -> None:
    q = parse_query('lane:Federal tag:"SOP 130" -tag:press doc:usc-1373 -lane:city word')
    assert (q.lanes, q.tags, q.not_tags, q.docs, q.not_lanes) == (
        ["Federal"],
        ["SOP 130"],
        ["press"],
        ["usc-1373"],
        ["city"],
    )
    assert q.fts_match() == '"word"'


def test_date_filters_use_the_bounds_of_the_dates() -> None:
    from timeline_app.core.dates import When

    q = parse_query("after:2017-06 before:2017-07")
    assert q.after == When.parse("2017-06").earliest  # start of June
    assert q.before == When.parse("2017-07").latest  # end of July (exclusive)
    assert parse_query("after:2016 after:2017-06").after == When.parse("2017-06").earliest


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Type a word"),
        ("   ", "Type a word"),
        ("AND", "Type a word"),
        ("*", "Type a word"),
        (":", "Type a word"),
        ("-", "Type a word"),
        ("😀", "Type a word"),
        ("-flynn", "-word only leaves things out"),
        ("after:junk", "after: needs a date such as 2017-06"),
        ("before:2017-13", "before: needs a date"),
        ("lane:", "lane: needs a value"),
        ("m*", "at least two letters before \\*"),
        ("-after:2017", "use before: instead"),
        ("word " * (MAX_TERMS + 1), "too many words"),
    ],
)
def test_bad_queries_get_a_short_message(text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse_query(text)


def test_ten_thousand_characters() -> None:
    with pytest.raises(QueryError, match="too many words"):
        parse_query("lorem ipsum " * 900)
    assert parse_query("x" * 10_000).fts_match() == '"' + "x" * 10_000 + '"'


def test_stemmer_examples() -> None:
    cases = {
        "running": b"run", "caresses": b"caress", "ponies": b"poni", "informs": b"inform",
        "information": b"inform", "relational": b"relat", "hopping": b"hop", "happy": b"happi",
        "at": b"at",
    }  # fmt: skip
    assert {w: stem(w) for w in cases} == cases


def _sqlite_terms(text: str) -> list[bytes]:
    con = sqlite3.connect(":memory:")
    con.execute(
        "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='porter unicode61 remove_diacritics 2')"
    )
    con.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    con.execute("INSERT INTO t(rowid, x) VALUES (1, ?)", (text,))
    terms = dict(con.execute("SELECT offset, term FROM v"))
    con.close()
    return [terms[k].encode() for k in sorted(terms)]


def test_tokens_and_stems_are_exactly_sqlites() -> None:
    rnd = random.Random(3)
    alphabet = "abcdefghijklmnoprstuyAEIOUY éèüößçñİı'-.,\u0301😀🤔日本Ά"
    suffixes = ["ational", "izer", "ness", "ing", "ed", "ies", "sses", "ement", "ly", "ion", ""]
    for _ in range(200):
        words = [
            "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 8))) + rnd.choice(suffixes)
            for _ in range(rnd.randint(0, 12))
        ]
        text = " ".join(words)
        mine = [stem(tok.folded) for tok in tokenize(text)]
        assert mine == _sqlite_terms(text), text


def test_offsets_after_non_ascii_and_emoji() -> None:
    text = "Zürich 😀👍🏽 — «Ñandú» said: ÉCOLE écoles 𝒳 Straße informs"
    phrases = parse_query("ecole inform nandu").phrases()
    found = [text[a:b] for a, b in find_matches(text, phrases)]
    assert found == ["Ñandú", "ÉCOLE", "écoles", "informs"]


def test_phrase_and_prefix_matching() -> None:
    text = "shall inform, shall not inform; Shall Informs"
    spans = find_matches(text, [Phrase(("shall", "inform"))])
    assert [text[a:b] for a, b in spans] == ["shall", "inform", "Shall", "Informs"]
    spans = find_matches("informal informs in", [Phrase(("inf",), prefix=True)])
    assert len(spans) == 2


WORDS = (
    "inform informs Information shall Shäll café CAFÉ cafe\u0301 ability able running run "
    "😀x 🤔x 日本 e-mail c++ ñandú"
).split()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(WORDS) | st.text(max_size=6), max_size=25).map(" ".join),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=3),
    st.booleans(),
)
def test_fast_matching_agrees_with_scanning_every_word(
    text: str, words: list[str], prefix: bool
) -> None:
    prefix = prefix and len(tokenize(words[-1])[-1:][0].folded) > 1
    phrase = parse_query('"' + " ".join(words) + '"' + ("*" if prefix else "")).phrases()[0]
    expected = sorted(set(_phrase_spans(word_stems(text), phrase.stems, phrase.prefix)))
    assert find_matches(text, [phrase]) == expected
