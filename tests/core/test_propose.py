"""Proposed events from date mentions: sentences, titles, cited mentions left out, ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline_app.core.casefile import load_case
from timeline_app.core.commands import AddEvent, History, Macro
from timeline_app.core.model import Case, Document
from timeline_app.core.propose import (
    event_from_proposal,
    propose,
    sentence_spans,
    suggest_title,
)

TEXT = """City Council notes

Story Date:
Jul 4, 2017

Ald. Bob Donovan met the U.S. attorney on Jan. 5, 2017. The Common Council voted on \
Friday to approve the plan, 12 to 3. Mayor Tom Barrett signed it last week.
- The policy takes effect Sept. 1, 2017.
- Officers were trained in 2016.

In a letter dated June 30, 2017, Dr. J. Smith of the ACLU of Wisconsin – “São Paulo” 🙂 – \
wrote to the mayor asking him to reject a long list of changes that were never discussed."""


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def by_mention(case: Case) -> dict[str, object]:
    return {p.mention_text: p for p in propose(case)}


@pytest.fixture()
def notes_case() -> Case:
    return Case(documents=[Document(id="notes", title="Notes", date="2017-07-04", text=TEXT)])


# ------------------------------------------------------------------------------- sentences


def test_sentences_respect_abbreviations_initials_and_lines() -> None:
    assert sentences(TEXT) == [
        "City Council notes",
        "Story Date:",
        "Jul 4, 2017",
        "Ald. Bob Donovan met the U.S. attorney on Jan. 5, 2017.",
        "The Common Council voted on Friday to approve the plan, 12 to 3.",
        "Mayor Tom Barrett signed it last week.",
        "The policy takes effect Sept. 1, 2017.",
        "Officers were trained in 2016.",
        "In a letter dated June 30, 2017, Dr. J. Smith of the ACLU of Wisconsin – “São Paulo” "
        "🙂 – wrote to the mayor asking him to reject a long list of changes that were never "
        "discussed.",
    ]


def test_hard_wrapped_lines_stay_one_sentence() -> None:
    text = (
        "The Milwaukee Police Department revised its standard operating procedure on\n"
        "June 19, 2017, without asking the community. It took effect in July.\n"
    )
    assert sentences(text) == [
        "The Milwaukee Police Department revised its standard operating procedure on\n"
        "June 19, 2017, without asking the community.",
        "It took effect in July.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He left. She stayed.", ["He left.", "She stayed."]),
        ("Is it? “Yes,” he said.", ["Is it?", "“Yes,” he said."]),
        ("It costs 3.5 million. Fine.", ["It costs 3.5 million.", "Fine."]),
        (
            "Gov. Scott Walker and Sen. Tammy Baldwin met.",
            ["Gov. Scott Walker and Sen. Tammy Baldwin met."],
        ),
        ("See 8 U.S.C. § 1373 (a). The end.", ["See 8 U.S.C. § 1373 (a).", "The end."]),
        ("The meeting ended at 9 p.m. Friday.", ["The meeting ended at 9 p.m. Friday."]),
    ],
)
def test_sentence_cases(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("sentence", "title"),
    [
        ("The Common Council voted on Friday.", "The Common Council voted on Friday"),
        ("- the policy takes effect Sept. 1, 2017;", "The policy takes effect Sept. 1, 2017"),
        ("“We object,” the ACLU wrote.", "We object,” the ACLU wrote"),
        ("  Two\n lines   here!  ", "Two lines here"),
    ],
)
def test_suggest_title(sentence: str, title: str) -> None:
    assert suggest_title(sentence) == title


def test_long_titles_are_cut_at_a_word() -> None:
    sentence = (
        "In a letter dated June 30, 2017, the ACLU of Wisconsin asked the mayor to reject " * 2
    )
    title = suggest_title(sentence)
    assert len(title) <= 80
    assert sentence.startswith(title)
    assert sentence[len(title)] == " "  # cut between words
    assert not title.endswith((",", " "))


# ------------------------------------------------------------------------------- proposals


def test_proposals_on_hand_written_text(notes_case: Case) -> None:
    found = by_mention(notes_case)
    assert "Jul 4, 2017" not in found  # the document's own date, on its "Story Date:" line
    expected = {
        "Jan. 5, 2017": ("2017-01-05", "Ald. Bob Donovan met the U.S. attorney on Jan. 5, 2017."),
        "Friday": (
            "2017-06-30",
            "The Common Council voted on Friday to approve the plan, 12 to 3.",
        ),
        "last week": ("2017-06-26/2017-07-02", "Mayor Tom Barrett signed it last week."),
        "Sept. 1, 2017": ("2017-09-01", "The policy takes effect Sept. 1, 2017."),
        "2016": ("2016", "Officers were trained in 2016."),
    }
    for mention, (when, quote) in expected.items():
        proposal = found[mention]
        assert (proposal.when, proposal.quote) == (when, quote)
        assert TEXT[proposal.start : proposal.end] == proposal.quote
        assert TEXT[proposal.mention_start : proposal.mention_end] == mention
        assert proposal.start <= proposal.mention_start < proposal.mention_end <= proposal.end
    assert found["Sept. 1, 2017"].title == "The policy takes effect Sept. 1, 2017"
    assert "12 to 3" not in found


def test_offsets_are_python_offsets_with_non_ascii_text(notes_case: Case) -> None:
    letter = by_mention(notes_case)["June 30, 2017"]
    assert TEXT[letter.start : letter.end] == letter.quote
    assert "🙂" in letter.quote and letter.quote.endswith("never discussed.")


def test_without_a_document_date_relative_mentions_are_not_proposed() -> None:
    case = Case(documents=[Document(id="d", text=TEXT)])
    mentions = set(by_mention(case))
    assert {"Jan. 5, 2017", "Sept. 1, 2017"} <= mentions
    assert not {"Friday", "last week"} & mentions


def test_ids_are_deterministic(notes_case: Case) -> None:
    first = [p.id for p in propose(notes_case)]
    again = [p.id for p in propose(notes_case)]
    assert first == again and len(set(first)) == len(first)
    friday = by_mention(notes_case)["Friday"]
    assert friday.id == f"notes/{friday.mention_start}-{friday.mention_end}"


def test_mentions_cited_by_the_default_case_are_not_proposed_again(
    default_case_path: Path,
) -> None:
    case, _ = load_case(default_case_path)
    letter = case.document_by_id("aclu-letter")
    assert letter is not None
    assert "June 30, 2017" in letter.text
    assert not [p for p in propose(case, ["aclu-letter"]) if p.mention_text == "June 30, 2017"]
    # without the event that cites it, the mention is proposed, with its sentence
    case.events = [ev for ev in case.events if ev.id != "aclu-letter-sent"]
    proposal = next(p for p in propose(case, ["aclu-letter"]) if p.mention_text == "June 30, 2017")
    assert proposal.when == "2017-06-30"
    assert proposal.quote.startswith("The ACLU of Wisconsin sent the following letter")
    assert letter.text[proposal.start : proposal.end] == proposal.quote


def test_unknown_document_is_named(notes_case: Case) -> None:
    with pytest.raises(KeyError, match="no document 'nope'"):
        propose(notes_case, ["nope"])


def test_accepted_proposals_become_events_citing_their_sentences(notes_case: Case) -> None:
    document = notes_case.documents[0]
    chosen = [by_mention(notes_case)[m] for m in ("Friday", "Sept. 1, 2017")]
    taken: set[str] = set()
    events = [
        event_from_proposal(notes_case, document, chosen[0], title="Council approves", taken=taken),
        event_from_proposal(notes_case, document, chosen[1], when="2017-09", taken=taken),
    ]
    history = History(notes_case)
    history.push(Macro([AddEvent(ev) for ev in events], "Add 2 events"))
    assert [ev.title for ev in notes_case.events] == [
        "Council approves",
        "The policy takes effect Sept. 1, 2017",
    ]
    assert notes_case.events[1].when.edtf == "2017-09"
    for event, proposal in zip(notes_case.events, chosen, strict=True):
        source = event.sources[0]
        assert (source.document, source.quote) == ("notes", proposal.quote)
        assert (source.start, source.end) == (proposal.start, proposal.end)
    # now cited: not proposed again
    assert not {"Friday", "Sept. 1, 2017"} & set(by_mention(notes_case))
    history.undo()
    assert notes_case.events == []


def test_same_titles_get_distinct_ids(notes_case: Case) -> None:
    document = notes_case.documents[0]
    proposal = by_mention(notes_case)["Friday"]
    taken: set[str] = set()
    ids = [
        event_from_proposal(notes_case, document, proposal, title="Vote", taken=taken).id
        for _ in range(3)
    ]
    assert ids == ["vote", "vote-2", "vote-3"]
