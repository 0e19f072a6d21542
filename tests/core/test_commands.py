"""Commands: every change undoes exactly; invalid changes are refused and change nothing."""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline_app.core.casefile import case_to_dict, load_case
from timeline_app.core.commands import (
    AddEvent,
    AddLane,
    AddSource,
    Command,
    DeleteEvent,
    DeleteLane,
    DuplicateEvent,
    EditError,
    History,
    Macro,
    MoveLane,
    RemoveSource,
    UpdateEvent,
    UpdateLane,
    passage_source,
    suggest_event_id,
)
from timeline_app.core.dates import When
from timeline_app.core.model import Case, Citation, Event, Lane, SourceRef
from timeline_app.paths import default_case_dir

_DEFAULT_CASE: Case = load_case(default_case_dir())[0]


@pytest.fixture()
def case() -> Case:
    return copy.deepcopy(_DEFAULT_CASE)


def new_event(event_id: str = "rally", **fields: object) -> Event:
    values: dict = {"title": "Rally at City Hall", "when": When.parse("2017-07-01"), "lane": "city"}
    values.update(fields)
    return Event(id=event_id, **values)


def assert_refused(case: Case, command: Command, field: str, words: str = "") -> None:
    """do() raises EditError naming ``field`` and leaves the case exactly as it was."""
    before = case_to_dict(case)
    with pytest.raises(EditError) as info:
        command.do(case)
    assert info.value.field == field
    assert words in info.value.message
    assert case_to_dict(case) == before


def assert_round_trip(case: Case, command: Command) -> dict:
    """do changes the case, undo restores it exactly, redo gives the same edited case."""
    before = case_to_dict(case)
    command.do(case)
    after = case_to_dict(case)
    assert after != before
    command.undo(case)
    assert case_to_dict(case) == before
    command.do(case)
    assert case_to_dict(case) == after
    return after


# --- each command: effect, undo, text -----------------------------------------------------------


def test_add_event_appends_and_undo_removes(case: Case) -> None:
    command = AddEvent(new_event())
    assert_round_trip(case, command)
    assert case.events[-1].id == "rally"
    assert command.text == "Add event “Rally at City Hall”"


def test_add_event_finds_the_offsets_of_a_quote(case: Case) -> None:
    text = case.document_by_id("aclu-letter").text
    quote = text[200:260]
    source = SourceRef(document="aclu-letter", quote=quote)
    AddEvent(new_event(sources=[source])).do(case)
    added = case.event_by_id("rally").sources[0]
    assert text[added.start : added.end] == quote
    assert source.start is None  # the caller's object is not modified


def test_update_event_keeps_the_old_values_for_undo(case: Case) -> None:
    command = UpdateEvent("aclu-letter-sent", {"when": "2017-06~", "title": "Letter", "tags": []})
    assert_round_trip(case, command)
    event = case.event_by_id("aclu-letter-sent")
    assert event.when == When.parse("2017-06~") and event.title == "Letter"


def test_update_event_text_names_the_field_changed(case: Case) -> None:
    command = UpdateEvent("aclu-letter-sent", {"when": "2017-06-30~"})
    command.do(case)
    assert command.text.startswith("Change date of “")


def test_delete_event_is_restored_at_the_same_index(case: Case) -> None:
    ids = [ev.id for ev in case.events]
    command = DeleteEvent(ids[5])
    assert_round_trip(case, command)
    command.undo(case)
    assert [ev.id for ev in case.events] == ids


def test_duplicate_event_inserts_a_copy_after_the_original(case: Case) -> None:
    command = DuplicateEvent("aclu-letter-sent")
    assert_round_trip(case, command)
    index = next(i for i, ev in enumerate(case.events) if ev.id == "aclu-letter-sent")
    duplicate = case.events[index + 1]
    assert duplicate.id == command.new_id == "aclu-letter-sent-copy"
    assert duplicate.sources == case.events[index].sources
    assert duplicate.sources is not case.events[index].sources


def test_lane_commands_round_trip(case: Case) -> None:
    assert_round_trip(case, AddLane(Lane("courts", "Courts", "#123456"), index=1))
    assert [lane.id for lane in case.lanes][:2] == ["federal", "courts"]
    assert_round_trip(case, UpdateLane("city", name="City", colour="#000000"))
    assert case.lane_by_id("city").name == "City"
    assert_round_trip(case, MoveLane("press", 0))
    assert case.lanes[0].id == "press"


def test_delete_lane_moves_its_events_and_undo_moves_them_back(case: Case) -> None:
    in_press = [ev.id for ev in case.events if ev.lane == "press"]
    assert in_press
    command = DeleteLane("press", move_to="advocates")
    assert_round_trip(case, command)
    assert case.lane_by_id("press") is None
    assert all(case.event_by_id(i).lane == "advocates" for i in in_press)
    command.undo(case)
    assert all(case.event_by_id(i).lane == "press" for i in in_press)


def test_source_commands_round_trip(case: Case) -> None:
    citation = SourceRef(citation=Citation(publisher="Milwaukee Journal Sentinel", title="x"))
    assert_round_trip(case, AddSource("aclu-letter-sent", citation, index=0))
    assert case.event_by_id("aclu-letter-sent").sources[0].citation.publisher.startswith("Mil")
    assert_round_trip(case, RemoveSource("aclu-letter-sent", 0))


def test_macro_is_one_step_and_rolls_back_when_a_part_fails(case: Case) -> None:
    good = Macro(
        [AddLane(Lane("courts", "Courts")), UpdateEvent("aclu-letter-sent", {"lane": "courts"})],
        "Move to new lane",
    )
    assert_round_trip(case, good)
    bad = Macro([AddEvent(new_event("one")), AddEvent(new_event("one"))], "Add twice")
    assert_refused(case, bad, "id", "already exists")


def test_a_new_event_from_a_selection_keeps_its_passage(case: Case) -> None:
    document = case.document_by_id("aclu-letter")
    source = passage_source(document, 300, 340)
    assert source.quote == document.text[300:340] and source.prefix == document.text[268:300]
    event_id = suggest_event_id(case, "ACLU letter: sent!")
    assert event_id == "aclu-letter-sent-2"  # "aclu-letter-sent" is taken
    AddEvent(new_event(event_id, sources=[source])).do(case)
    assert case.event_by_id(event_id).sources[0].start == 300
    with pytest.raises(EditError):
        passage_source(document, 10, 10)


# --- validation: refused with the field named, case untouched -------------------------------------


@pytest.mark.parametrize(
    ("make", "field", "words"),
    [
        (lambda: AddEvent(new_event("aclu-letter-sent")), "id", "already exists"),
        (lambda: AddEvent(new_event("")), "id", "non-empty"),
        (lambda: AddEvent(new_event(title="  ")), "title", "empty"),
        (lambda: AddEvent(new_event(lane="mars")), "lane", "no lane"),
        (lambda: AddEvent(new_event(tags="a,b")), "tags", "list"),
        (
            lambda: AddEvent(new_event(sources=[SourceRef(document="nope", quote="x")])),
            "sources[0].document",
            "no document",
        ),
        (
            lambda: AddEvent(
                new_event(sources=[SourceRef(document="aclu-letter", quote="zzz qqq")])
            ),
            "sources[0].quote",
            "is not in document",
        ),
        (
            lambda: AddEvent(
                new_event(sources=[SourceRef(document="aclu-letter", quote="the", start=0, end=3)])
            ),
            "sources[0].start",
            "not the quote",
        ),
        (lambda: AddEvent(new_event(sources=[SourceRef()])), "sources[0]", "needs a document"),
        (lambda: AddEvent(new_event(), index=99), "index", "position"),
        (lambda: UpdateEvent("nope", {"title": "x"}), "id", "no event"),
        (lambda: UpdateEvent("aclu-letter-sent", {"when": "2017-13"}), "when", "not a valid date"),
        (lambda: UpdateEvent("aclu-letter-sent", {"colour": "#fff"}), "colour", "unknown"),
        (
            lambda: UpdateEvent("aclu-letter-sent", {"title": "ok", "lane": "mars"}),
            "lane",
            "no lane",
        ),
        (lambda: UpdateEvent("aclu-letter-sent", {}), "fields", "nothing"),
        (lambda: DeleteEvent("nope"), "id", "no event"),
        (lambda: DuplicateEvent("aclu-letter-sent", new_id="lulac-proposal"), "new_id", "exists"),
        (lambda: AddLane(Lane("city", "City again")), "id", "already exists"),
        (lambda: AddLane(Lane("new", "")), "name", "empty"),
        (lambda: AddLane(Lane("new", "New", "red")), "colour", "colour"),
        (lambda: UpdateLane("mars", name="x"), "id", "no lane"),
        (lambda: UpdateLane("city"), "name", "give"),
        (lambda: MoveLane("city", 5), "index", "position"),
        (lambda: DeleteLane("press"), "move_to", "which lane"),
        (lambda: DeleteLane("press", move_to="press"), "move_to", "being deleted"),
        (lambda: DeleteLane("press", move_to="mars"), "move_to", "no lane"),
        (lambda: AddSource("nope", SourceRef(citation=Citation(title="t"))), "event", "no event"),
        (
            lambda: AddSource("aclu-letter-sent", SourceRef(citation=Citation())),
            "source.citation",
            "needs",
        ),
        (
            lambda: AddSource(
                "aclu-letter-sent", SourceRef(citation=Citation(title="t", date="June"))
            ),
            "source.citation.date",
            "not a valid date",
        ),
        (lambda: RemoveSource("aclu-letter-sent", 7), "index", "position"),
    ],
)
def test_invalid_commands_are_refused_and_change_nothing(
    case: Case, make: Callable[[], Command], field: str, words: str
) -> None:
    assert_refused(case, make(), field, words)


# --- History ------------------------------------------------------------------------------------


def test_history_undo_redo_texts_and_clean_state(case: Case) -> None:
    history = History(case)
    calls: list[int] = []
    history.add_listener(lambda: calls.append(history.index))
    assert (history.can_undo(), history.can_redo(), history.is_clean()) == (False, False, True)
    history.push(AddEvent(new_event()))
    history.push(DeleteEvent("rally"))
    assert history.undo_text() == "Delete event “Rally at City Hall”"
    assert not history.is_clean()
    history.set_clean()
    history.undo()
    assert history.redo_text() == "Delete event “Rally at City Hall”"
    assert history.undo_text() == "Add event “Rally at City Hall”"
    assert not history.is_clean() and case.event_by_id("rally") is not None
    history.redo()
    assert history.is_clean() and case.event_by_id("rally") is None
    assert calls == [1, 2, 2, 1, 2]


def test_push_after_undo_drops_redo_and_the_saved_state_becomes_unreachable(case: Case) -> None:
    history = History(case)
    history.push(AddEvent(new_event("a")))
    history.set_clean()
    history.undo()
    history.push(AddEvent(new_event("b")))
    assert not history.can_redo()
    history.undo()
    assert not history.is_clean()  # event "a" is not there: not the saved state


def test_a_restored_case_starts_unsaved_until_saved(case: Case) -> None:
    history = History(case, saved=False)
    history.push(AddEvent(new_event()))
    history.undo()
    assert not history.is_clean() and history.clean_index is None
    history.set_clean()
    assert history.is_clean()


def test_a_refused_command_is_not_recorded(case: Case) -> None:
    history = History(case)
    with pytest.raises(EditError):
        history.push(DeleteEvent("nope"))
    assert not history.can_undo() and history.is_clean()


def test_history_limit_drops_the_oldest(case: Case) -> None:
    history = History(case, limit=2)
    for name in "abc":
        history.push(AddEvent(new_event(name)))
    history.undo()
    history.undo()
    assert not history.can_undo()
    assert case.event_by_id("a") is not None and case.event_by_id("b") is None


# --- property: random command sequences undo exactly ----------------------------------------------

_WHENS = [
    "2017-06-30",
    "2017-06~",
    "../2017-06-30",
    "2017-06-19/2017-07-13",
    "1996?",
    "2017-13",
    "",
]
_COLOURS = ["#123456", "#abc", "red"]


@st.composite
def commands_for(draw: st.DrawFn, case: Case) -> Command:
    event_ids = [ev.id for ev in case.events] + ["new-a", "new-b", ""]
    lane_ids = [lane.id for lane in case.lanes] + ["new-lane", "mars"]
    event_id = draw(st.sampled_from(event_ids))
    lane_id = draw(st.sampled_from(lane_ids))
    new_event_id = draw(st.sampled_from(["new-a", "new-b", "new-c", event_ids[0], ""]))
    new_lane_id = draw(st.sampled_from(["lane-a", "lane-b", lane_ids[0]]))
    kind = draw(st.integers(0, 10))
    if kind == 0:
        return AddEvent(
            Event(
                id=new_event_id,
                title=draw(st.sampled_from(["A", "Rally “quoted”", ""])),
                when=When.parse(draw(st.sampled_from(_WHENS[:5]))),
                lane=draw(st.sampled_from([*lane_ids, None])),
                sources=[draw(sources_for(case))],
            ),
            draw(st.none() | st.integers(0, len(case.events) + 1)),
        )
    if kind == 1:
        fields = draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "title": st.sampled_from(["Changed", ""]),
                    "when": st.sampled_from(_WHENS),
                    "lane": st.sampled_from([*lane_ids, None]),
                    "tags": st.lists(st.sampled_from(["x", "y"]), max_size=2),
                    "sources": st.lists(sources_for(case), max_size=2),
                },
            )
        )
        return UpdateEvent(event_id, fields)
    if kind == 2:
        return DeleteEvent(event_id)
    if kind == 3:
        return DuplicateEvent(event_id)
    if kind == 4:
        return AddLane(Lane(new_lane_id, "Lane", draw(st.sampled_from(_COLOURS))))
    if kind == 5:
        return UpdateLane(lane_id, draw(st.sampled_from([None, "Renamed"])), "#654321")
    if kind == 6:
        return MoveLane(lane_id, draw(st.integers(0, len(case.lanes))))
    if kind == 7:
        return DeleteLane(lane_id, draw(st.sampled_from([*lane_ids, None])))
    if kind == 8:
        return AddSource(event_id, draw(sources_for(case)), draw(st.none() | st.integers(0, 2)))
    if kind == 9:
        return RemoveSource(event_id, draw(st.integers(0, 2)))
    first, second = draw(commands_for(case)), draw(commands_for(case))
    return Macro([first, second], "Both")


@st.composite
def sources_for(draw: st.DrawFn, case: Case) -> SourceRef:
    documents = [doc for doc in case.documents if doc.text]
    if draw(st.booleans()) or not documents:
        return SourceRef(citation=Citation(publisher=draw(st.sampled_from(["P", ""]))))
    doc = draw(st.sampled_from(documents))
    start = draw(st.integers(0, len(doc.text) - 1))
    end = draw(st.integers(start + 1, min(len(doc.text), start + 80)))
    return SourceRef(document=doc.id, quote=doc.text[start:end])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_command_sequences_undo_and_redo_exactly(data: st.DataObject) -> None:
    case = copy.deepcopy(_DEFAULT_CASE)
    history = History(case)
    original = case_to_dict(case)
    for _ in range(data.draw(st.integers(1, 12), label="steps")):
        command = data.draw(commands_for(case), label="command")
        before = case_to_dict(case)
        try:
            history.push(command)
        except EditError:
            assert case_to_dict(case) == before  # refused: nothing changed
    edited = case_to_dict(case)
    while history.can_undo():
        history.undo()
    assert case_to_dict(case) == original
    while history.can_redo():
        history.redo()
    assert case_to_dict(case) == edited
