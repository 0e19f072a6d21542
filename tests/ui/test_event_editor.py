"""The event editor and citation dialogs: live date reading, refusals, values."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from timeline_app.core.casefile import load_case
from timeline_app.core.model import Case, Citation, SourceRef
from timeline_app.ui.event_editor import (
    NO_LANE,
    CitationDialog,
    DateField,
    EventEditor,
    split_list,
)


@pytest.fixture(scope="module")
def case(default_case_path_module: Path) -> Case:
    return load_case(default_case_path_module)[0]


@pytest.fixture(scope="module")
def default_case_path_module() -> Path:
    from timeline_app.paths import default_case_dir

    return default_case_dir()


def type_date(qtbot, field: DateField, text: str) -> None:
    field.line_edit.clear()
    qtbot.keyClicks(field.line_edit, text)


@pytest.mark.parametrize(
    ("typed", "edtf", "human"),
    [
        ("2017-06-30", "2017-06-30", "30 June 2017"),
        ("late June 2017", "2017-06-21/2017-06-30", "21 June 2017 – 30 June 2017"),
        ("before 30 June 2017", "../2017-06-30", "on or before 30 June 2017"),
        ("c. 1996", "1996~", "1996"),
        ("June 19-21, 2017", "2017-06-19/2017-06-21", "19 June 2017 – 21 June 2017"),
    ],
)
def test_the_date_field_shows_edtf_and_the_human_reading_as_the_user_types(
    qtbot, typed: str, edtf: str, human: str
) -> None:
    field = DateField()
    qtbot.addWidget(field)
    type_date(qtbot, field, typed)
    assert field.edtf() == edtf
    assert field.is_valid() and field.reason() == ""
    shown = field.feedback.text()
    assert human in shown and f"EDTF: {edtf}" in shown


def test_the_reading_follows_each_keystroke(qtbot) -> None:
    field = DateField()
    qtbot.addWidget(field)
    seen: list[str | None] = []
    field.changed.connect(lambda: seen.append(field.edtf()))
    qtbot.keyClicks(field.line_edit, "2017-06")
    assert "2017" in seen and seen[-1] == "2017-06"
    assert "June 2017" in field.feedback.text()


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("soonish 2017", "unknown words"),
        ("June 30", "no year"),
        ("6/7/2017", "ambiguous"),
        ("31/6/2017", "out of range"),
    ],
)
def test_the_date_field_refuses_nonsense_with_a_reason(qtbot, typed: str, reason: str) -> None:
    field = DateField()
    qtbot.addWidget(field)
    type_date(qtbot, field, typed)
    assert field.edtf() is None and not field.is_valid()
    assert reason in field.reason()
    assert field.feedback.text().startswith("✗ ")
    assert reason in field.feedback.text()


def test_an_empty_date_is_refused_unless_allowed(qtbot) -> None:
    required, optional = DateField(), DateField(allow_empty=True)
    qtbot.addWidget(required)
    qtbot.addWidget(optional)
    assert required.edtf() is None and "Type" in required.feedback.text()
    assert optional.edtf() == ""


def test_the_editor_will_not_accept_an_unreadable_date_or_no_title(qtbot, case: Case) -> None:
    editor = EventEditor(case)
    qtbot.addWidget(editor)
    assert editor.windowTitle() == "New event"
    assert not editor.ok_button.isEnabled()
    qtbot.keyClicks(editor.title_edit, "Council votes")
    type_date(qtbot, editor.date_field, "sometime")
    assert not editor.ok_button.isEnabled()
    assert "date" in editor.ok_button.toolTip()
    editor.accept()
    assert editor.result() == 0  # refused: still open
    type_date(qtbot, editor.date_field, "mid July 2017")
    assert editor.ok_button.isEnabled()
    editor.title_edit.clear()
    assert not editor.ok_button.isEnabled()


def test_values_of_a_new_event(qtbot, case: Case) -> None:
    lane = case.lanes[1]
    editor = EventEditor(case, title="Rally", when="2017-07-04", lane=lane.id)
    qtbot.addWidget(editor)
    editor.tags_edit.setText("protest,  policy , protest,")
    editor.actors_edit.setText("Voces de la Frontera")
    editor.summary_edit.setPlainText("People gather at City Hall.")
    values = editor.values()
    assert values == {
        "title": "Rally",
        "when": "2017-07-04",
        "lane": lane.id,
        "summary": "People gather at City Hall.",
        "tags": ["protest", "policy"],
        "actors": ["Voces de la Frontera"],
        "sources": [],
    }
    editor.lane_combo.setCurrentIndex(editor.lane_combo.findText(NO_LANE))
    assert editor.values()["lane"] is None


def test_an_unchanged_event_gives_back_its_own_values(qtbot, case: Case) -> None:
    from timeline_app.ui.editing import changed_fields

    for event in case.events:
        editor = EventEditor(case, event)
        qtbot.addWidget(editor)
        assert changed_fields(event, editor.values()) == {}, event.id


def test_an_unknown_lane_is_kept_unless_changed(qtbot, case: Case) -> None:
    event = copy.deepcopy(case.events[0])
    event.lane = "gone"
    editor = EventEditor(case, event)
    qtbot.addWidget(editor)
    assert editor.values()["lane"] == "gone"
    assert "not a lane of this case" in editor.lane_combo.currentText()


def test_editing_an_event_shows_it_and_sources_can_be_removed(qtbot, case: Case) -> None:
    event = next(ev for ev in case.events if len(ev.sources) >= 1)
    editor = EventEditor(case, event)
    qtbot.addWidget(editor)
    assert editor.windowTitle() == "Edit event"
    assert editor.title_edit.text() == event.title
    assert editor.date_field.edtf() == event.when.edtf
    assert editor.lane_combo.currentData() == event.lane
    assert editor.sources_list.count() == len(event.sources)
    assert not editor.remove_source_button.isEnabled()  # nothing chosen yet
    editor.sources_list.setCurrentRow(0)
    editor.remove_selected_source()
    assert editor.values()["sources"] == event.sources[1:]
    assert len(event.sources) >= 1  # the event itself is untouched until a command runs
    citation = Citation(publisher="Urban Milwaukee", title="Story", url="https://example.org")
    editor.add_source(SourceRef(citation=citation))
    assert editor.values()["sources"][-1].citation == citation
    assert "Urban Milwaukee" in editor.sources_list.item(editor.sources_list.count() - 1).text()


def test_the_citation_dialog_needs_a_name_and_a_readable_date(qtbot) -> None:
    dialog = CitationDialog()
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.publisher_edit, "Milwaukee Journal Sentinel")
    assert dialog.ok_button.isEnabled()  # a date is optional
    qtbot.keyClicks(dialog.date_field.line_edit, "July 5th, 2017")
    dialog.url_edit.setText(" https://www.jsonline.com/story ")
    assert dialog.citation() == Citation(
        publisher="Milwaukee Journal Sentinel",
        title="",
        date="2017-07-05",
        url="https://www.jsonline.com/story",
    )
    type_date(qtbot, dialog.date_field, "yesterday-ish")
    assert not dialog.ok_button.isEnabled()


def test_split_list() -> None:
    assert split_list(" a, b ,,a, c ") == ["a", "b", "c"]
    assert split_list("") == []


def test_the_date_field_has_room_for_a_two_line_reason(qtbot) -> None:
    field = DateField("soonish 2017")
    qtbot.addWidget(field)
    field.show()
    assert field.feedback.minimumHeight() >= 2 * field.feedback.fontMetrics().lineSpacing()
    assert field.feedback.textFormat() == Qt.TextFormat.PlainText
