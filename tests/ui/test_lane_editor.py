"""The lanes dialog: each change is a command through the history, and undoes exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QColorDialog, QInputDialog

from timeline_app.core.casefile import case_to_dict, load_case
from timeline_app.core.commands import History
from timeline_app.core.model import LANE_PALETTE, Case, next_lane_colour
from timeline_app.ui.lane_editor import LaneEditor, lane_id_for


@pytest.fixture()
def case(default_case_path: Path) -> Case:
    return load_case(default_case_path)[0]


@pytest.fixture()
def history(case: Case) -> History:
    return History(case)


@pytest.fixture()
def editor(qtbot, case: Case, history: History) -> LaneEditor:
    def push(command) -> bool:
        history.push(command)
        return True

    dialog = LaneEditor(case, push, history.undo)
    qtbot.addWidget(dialog)
    return dialog


def snapshot(case: Case) -> str:
    return json.dumps(case_to_dict(case), sort_keys=True)


def lane_names(editor: LaneEditor) -> list[str]:
    return [editor.lane_list.item(i).text() for i in range(editor.lane_list.count())]


def test_the_list_shows_lanes_in_order_with_their_event_counts(editor, case: Case) -> None:
    names = lane_names(editor)
    assert len(names) == len(case.lanes)
    first = case.lanes[0]
    count = sum(1 for ev in case.events if ev.lane == first.id)
    assert names[0] == f"{first.name}   ({count} events)"
    assert not editor.buttons["up"].isEnabled()  # the first lane is current
    assert editor.buttons["down"].isEnabled()


def test_rename_recolour_delete_with_move_then_undo_all(
    editor: LaneEditor, case: Case, history: History, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(case)
    lane, target = case.lanes[1], case.lanes[0]
    moved = [ev.id for ev in case.events if ev.lane == lane.id]
    assert moved
    editor.lane_list.setCurrentRow(1)

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("City Hall", True)))
    editor.buttons["rename"].click()
    assert lane.name == "City Hall"
    assert "City Hall" in lane_names(editor)[1]

    chosen = QColor("#123456")
    monkeypatch.setattr(QColorDialog, "getColor", staticmethod(lambda *a, **k: chosen))
    editor.buttons["colour"].click()
    assert lane.colour == "#123456"

    asked: list[str] = []

    def pick(_parent, _title, label, items, _current, _editable):
        asked.append(label)
        return target.name, True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(pick))
    editor.buttons["delete"].click()
    assert f"holds {len(moved)} events" in asked[0]
    assert case.lane_by_id(lane.id) is None
    assert all(case.event_by_id(ev_id).lane == target.id for ev_id in moved)
    assert editor.current_lane_id() == target.id

    assert [c.text for c in history.commands] == [
        "Rename lane “City of Milwaukee”",
        "Recolour lane “City Hall”",
        "Delete lane “City Hall”",
    ]
    for _ in range(3):
        editor.buttons["undo"].click()
    assert snapshot(case) == before
    assert len(lane_names(editor)) == len(case.lanes)


def test_add_and_reorder(editor: LaneEditor, case: Case, history: History, monkeypatch) -> None:
    before = snapshot(case)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Courts", True)))
    editor.buttons["add"].click()
    added = case.lanes[-1]
    assert (added.id, added.name) == ("courts", "Courts")
    assert added.colour == next_colour_before(case, added.colour)
    assert editor.current_lane_id() == "courts"
    assert not editor.buttons["down"].isEnabled()
    editor.buttons["up"].click()
    assert case.lanes[-2].id == "courts"
    assert editor.current_lane_id() == "courts"
    history.undo()
    history.undo()
    editor.refresh()
    assert snapshot(case) == before


def next_colour_before(case: Case, colour: str) -> str:
    """The colour a new lane got is a palette colour no other lane had."""
    others = {lane.colour.lower() for lane in case.lanes[:-1]}
    assert colour in LANE_PALETTE and colour not in others
    return colour


def test_deleting_an_empty_lane_asks_nothing(editor: LaneEditor, case: Case, monkeypatch) -> None:
    editor.add_lane("Empty")
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: pytest.fail()))
    editor.buttons["delete"].click()
    assert case.lane_by_id("empty") is None


def test_a_refused_change_leaves_the_lanes_as_they_were(qtbot, case: Case) -> None:
    refused = LaneEditor(case, lambda _command: False)
    qtbot.addWidget(refused)
    before = snapshot(case)
    assert refused.rename_lane(case.lanes[0].id, "Nope") is False
    assert snapshot(case) == before


def test_lane_ids_and_colours_for_new_lanes(case: Case) -> None:
    taken = {lane.id for lane in case.lanes}
    assert lane_id_for(case, "Courts & Judges") == "courts-judges"
    assert lane_id_for(case, "???") == "lane"
    for lane in case.lanes:
        assert lane_id_for(case, lane.id) not in taken
    assert next_lane_colour(case) in LANE_PALETTE
