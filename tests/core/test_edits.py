"""The JSONL edit format: each op becomes its command; problems name the line and the field."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline_app.core.casefile import case_to_dict, load_case
from timeline_app.core.commands import AddEvent, EditError, Macro
from timeline_app.core.edits import OPS, apply_edits, command_from_json, edit_lines
from timeline_app.core.model import Case
from timeline_app.paths import default_case_dir

_DEFAULT_CASE: Case = load_case(default_case_dir())[0]


@pytest.fixture()
def case() -> Case:
    return copy.deepcopy(_DEFAULT_CASE)


def jsonl(*objects: object) -> str:
    return "\n".join(json.dumps(obj) for obj in objects) + "\n"


def test_every_op_of_the_issue_applies_and_undoes(case: Case) -> None:
    quote = case.document_by_id("aclu-letter").text[100:140]
    text = jsonl(
        {
            "op": "add_event",
            "id": "x",
            "title": "Rally",
            "when": "2017-06-30",
            "lane": "city",
            "tags": ["protest"],
            "sources": [{"document": "aclu-letter", "quote": quote}],
        },
        {"op": "update_event", "id": "x", "when": "2017-06-30~", "summary": "s"},
        {"op": "duplicate_event", "id": "x", "new_id": "y"},
        {"op": "delete_event", "id": "y"},
        {"op": "add_lane", "id": "courts", "name": "Courts", "colour": "#112233", "index": 0},
        {"op": "update_lane", "id": "courts", "name": "Court", "index": 2},
        {"op": "delete_lane", "id": "press", "move_to": "advocates"},
        {"op": "add_source", "event": "x", "source": {"citation": {"publisher": "JS"}}},
        {"op": "remove_source", "event": "x", "index": 0},
    )
    before = case_to_dict(case)
    applied, problems = apply_edits(case, text)
    assert problems == []
    assert [edit.op for edit in applied] == [json.loads(line)["op"] for line in text.splitlines()]
    assert set(OPS) == {edit.op for edit in applied}
    event = case.event_by_id("x")
    assert event.when.edtf == "2017-06-30~" and event.summary == "s"
    assert [src.citation.publisher for src in event.sources] == ["JS"]
    assert [lane.id for lane in case.lanes][:3] == ["federal", "city", "courts"]
    assert case.lane_by_id("courts").name == "Court"
    for edit in reversed(applied):
        edit.command.undo(case)
    assert case_to_dict(case) == before


def test_a_quote_without_offsets_gets_them(case: Case) -> None:
    text = case.document_by_id("sop-130-2017").text
    quote = text[50:90]
    applied, problems = apply_edits(
        case,
        jsonl(
            {"op": "add_event", "id": "x", "title": "t", "when": "2017"},
            {
                "op": "add_source",
                "event": "x",
                "source": {"document": "sop-130-2017", "quote": quote},
            },
        ),
    )
    assert problems == []
    source = case.event_by_id("x").sources[0]
    assert text[source.start : source.end] == quote


def test_blank_lines_and_comments_are_skipped() -> None:
    text = '# a comment\n\n   \n  # indented comment\n{"op": "delete_event", "id": "x"}\n'
    assert list(edit_lines(text)) == [(5, '{"op": "delete_event", "id": "x"}')]


def test_every_problem_is_listed_with_its_line_and_field(case: Case) -> None:
    text = (
        "# edits\n"
        '{"op": "add_event", "id": "x", "title": "t", "when": "2017-13"}\n'
        "{not json\n"
        '{"op": "update_event", "id": "nope", "title": "t"}\n'
        '{"op": "add_event", "id": "z", "title": "t", "when": "2017", "tittle": "t"}\n'
        '{"op": "add_source", "event": "aclu-letter-sent", "source": '
        '{"document": "aclu-letter", "quote": "not in the letter at all"}}\n'
        '{"op": "delete_lane", "id": "press"}\n'
        '{"op": "explode"}\n'
        "[1, 2]\n"
        '{"op": "remove_source", "event": "aclu-letter-sent"}\n'
        '{"op": "add_event", "id": "ok", "title": "fine", "when": "2017"}\n'
    )
    before = case_to_dict(case)
    applied, problems = apply_edits(case, text)
    found = [(p.line, p.field) for p in problems]
    assert found == [
        (2, "when"),
        (3, ""),
        (4, "id"),
        (5, "tittle"),
        (6, "source.quote"),
        (7, "move_to"),
        (8, "op"),
        (9, "op"),
        (10, "index"),
    ]
    assert (
        problems[0]
        .format("EDITS.jsonl")
        .startswith("EDITS.jsonl:2: when: '2017-13' is not a valid date")
    )
    assert problems[1].format("E").startswith("E:3: not valid JSON")
    assert [edit.line for edit in applied] == [11]
    applied[0].command.undo(case)
    assert case_to_dict(case) == before  # the refused lines changed nothing


def test_only_newlines_end_a_line(case: Case) -> None:
    title = "line\u2028separator\x1cinside"
    text = json.dumps(
        {"op": "add_event", "id": "x", "title": title, "when": "2017"}, ensure_ascii=False
    )
    _, problems = apply_edits(case, text + "\r\n")
    assert problems == [] and case.event_by_id("x").title == title


def test_deeply_nested_json_is_refused_not_crashed(case: Case) -> None:
    _, problems = apply_edits(case, "[" * 100_000 + "]" * 100_000)
    assert len(problems) == 1 and "JSON" in problems[0].message


def test_lines_see_the_effect_of_earlier_lines(case: Case) -> None:
    _, problems = apply_edits(
        case,
        jsonl(
            {"op": "delete_event", "id": "aclu-letter-sent"},
            {"op": "update_event", "id": "aclu-letter-sent", "title": "gone"},
        ),
    )
    assert [(p.line, p.field) for p in problems] == [(2, "id")]


@pytest.mark.parametrize(
    ("obj", "field"),
    [
        ({"op": "add_event", "title": "t", "when": "2017"}, "id"),
        ({"op": "add_event", "id": "x", "when": "2017"}, "title"),
        ({"op": "add_event", "id": "x", "title": "t"}, "when"),
        ({"op": "add_event", "id": "x", "title": "t", "when": 2017}, "when"),
        ({"op": "add_event", "id": "x", "title": "t", "when": "2017", "sources": {}}, "sources"),
        (
            {"op": "add_event", "id": "x", "title": "t", "when": "2017", "sources": [{"page": 1}]},
            "sources[0].page",
        ),
        (
            {
                "op": "add_event",
                "id": "x",
                "title": "t",
                "when": "2017",
                "sources": [{"document": "d", "quote": "q", "start": -1}],
            },
            "sources[0].start",
        ),
        ({"op": "update_event", "id": "x"}, "op"),
        ({"op": "update_event", "id": 5, "title": "t"}, "id"),
        ({"op": "add_lane", "id": "x"}, "name"),
        ({"op": "update_lane", "id": "x"}, "op"),
        ({"op": "update_lane", "id": "x", "index": "top"}, "index"),
        ({"op": "add_source", "event": "x"}, "source"),
        ({"op": "add_source", "event": "x", "source": {"citation": []}}, "source.citation"),
        (
            {"op": "add_source", "event": "x", "source": {"citation": {"date": "soon"}}},
            "source.citation.date",
        ),
        ({"op": "remove_source", "event": "x", "index": True}, "index"),
        ({"op": "delete_lane"}, "id"),
        ({"id": "x"}, "op"),
        ({"op": ["add_event"]}, "op"),
        ("add_event", "op"),
    ],
)
def test_malformed_edit_objects_name_the_field(obj: object, field: str) -> None:
    with pytest.raises(EditError) as info:
        command_from_json(obj)
    assert info.value.field == field


def test_ops_build_the_commands_the_window_uses() -> None:
    command = command_from_json({"op": "add_event", "id": "x", "title": "t", "when": "2017"})
    assert isinstance(command, AddEvent) and command.event.when.edtf == "2017"
    both = command_from_json({"op": "update_lane", "id": "city", "name": "C", "index": 0})
    assert isinstance(both, Macro) and len(both.commands) == 2


_KEYS = ["id", "title", "when", "lane", "sources", "tags", "document", "quote", "citation"]
_KEYS += ["event", "source", "index", "move_to", "name", "colour", "new_id", "start", "end"]
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-2, 3) | st.sampled_from(["", "x", "city", "2017"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(_KEYS), inner),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(OPS), st.dictionaries(st.sampled_from(_KEYS), _JSON, max_size=5))
def test_any_edit_object_is_applied_or_refused_with_a_field(op: str, fields: dict) -> None:
    case = copy.deepcopy(_DEFAULT_CASE)
    before = case_to_dict(case)
    applied, problems = apply_edits(case, json.dumps({"op": op, **fields}))
    if problems:
        assert not applied and case_to_dict(case) == before
        assert problems[0].field and problems[0].message
    else:
        applied[0].command.undo(case)
        assert case_to_dict(case) == before
