"""The Timeline Project .timeline XML import."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline_app.core.formats.common import FormatError
from timeline_app.core.formats.timeline_project import read_timeline_project


def test_fixture_maps_every_element(fixtures: Path) -> None:
    result = read_timeline_project(fixtures / "sop130.timeline")
    case = result.case
    events = {ev.title: ev for ev in case.events}
    lanes = {lane.id: lane for lane in case.lanes}
    # categories -> lanes, parents flattened into the name, colours kept
    assert [(lane.name, lane.colour) for lane in case.lanes] == [
        ("Government", "#4c72b0"),
        ("Government / City", "#dd8452"),
        ("Advocates", "#55a868"),
    ]
    letter = events["ACLU letter to the mayor"]
    assert letter.when.edtf == "2017-06-30"
    assert lanes[letter.lane].name == "Advocates"
    assert letter.summary == "The ACLU of Wisconsin urges the mayor to reject the changes."
    (source,) = letter.sources  # hyperlink -> citation
    assert source.citation.url == "https://www.aclu-wi.org/en/news/milwaukee-police-rewrite-policy"
    assert letter.extra == {"locked": True}
    advice = events["City Attorney advice"]
    assert advice.when.edtf == "2017-05~"  # fuzzy, whole month
    assert lanes[advice.lane].name == "Government / City"
    assert events["Commission meeting"].when.edtf == "2017-07-13T18:30"  # milestone
    assert events["Judicial warrant rule"].when.edtf == "2019-12-18/.."  # ends_today
    assert events["Petition drive"].when.edtf == "2017-06-20~/2017-06-22"  # fuzzy_start
    # the container is a tag of its subevents, not an event
    assert "Protests" not in events
    assert events["Rally at City Hall"].tags == ["Protests"]
    assert events["Petition drive"].tags == ["Protests"]
    assert events["(draft) policy note"].lane is None  # the added space is removed
    assert events["Ides of March"].when.edtf == "-0044-03-15"
    assert case.extra["periods"] == [
        {"title": "Revision fight", "when": "2017-06-19/2017-07-13", "colour": "#ffe6c8"},
        {"title": "After the rule", "when": "2019-12-18/..", "colour": "#c8c8c8"},
    ]


def test_fixture_reports_skipped_elements_with_lines(fixtures: Path) -> None:
    result = read_timeline_project(fixtures / "sop130.timeline")
    skipped = [str(item) for item in result.skipped]
    assert skipped == [
        "sop130.timeline: line 125 <event>: skipped: 'Impossible date': day 30 is not in 2017-02",
        "sop130.timeline: line 130 <event>: skipped: 'Ends before it starts': the end "
        "2017-01-01 00:00:00 is before the start",
        "sop130.timeline: line 135 <event>: skipped: an event without text (title)",
    ]
    notes = [item.message for item in result.report if not item.skipped]
    assert notes == ["category 'Press' is not defined; no lane"]


def test_version_0_dates_without_padding(fixtures: Path) -> None:
    case = read_timeline_project(fixtures / "old_v0.timeline").case
    assert [ev.when.edtf for ev in case.events] == ["2010-08-31/2010-09-02", "2012-07-04T13:20"]
    assert [lane.name for lane in case.lanes] == ["Test"]


def test_container_without_subevents_is_an_event(tmp_path: Path) -> None:
    path = tmp_path / "c.timeline"
    path.write_text(
        "<timeline><version>2.0.0</version><categories/><events><event>"
        "<start>2017-06-01 00:00:00</start><end>2017-06-30 00:00:00</end><text>[7]Lonely</text>"
        "</event></events></timeline>",
        encoding="utf-8",
    )
    (event,) = read_timeline_project(path).case.events
    assert (event.title, event.when.edtf) == ("Lonely", "2017-06")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("malformed.timeline", r"malformed\.timeline:7:23: malformed XML: mismatched tag"),
        ("doctype.timeline", r"doctype\.timeline:2:\d+: the file has a DOCTYPE"),
        ("numeric.timeline", r"numeric\.timeline:4: timetype 'numtime' has no calendar dates"),
        ("timelinejs_full.json", r"json:1:1: malformed XML: not well-formed"),
    ],
)
def test_unreadable_files_give_clear_errors(fixtures: Path, name: str, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        read_timeline_project(fixtures / name)


def test_other_root_element_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.timeline"
    path.write_text("<?xml version='1.0'?>\n<svg></svg>", encoding="utf-8")
    with pytest.raises(FormatError, match=r"x\.timeline:2: the root element is <svg>"):
        read_timeline_project(path)


def test_unknown_elements_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "x.timeline"
    path.write_text(
        "<timeline><version>3.1.0</version><plugins><p/></plugins><events>"
        "<note>not an event</note><event><start>2017-01-01 00:00:00</start>"
        "<end>2017-12-31 00:00:00</end><text>Year</text><weird>1</weird></event></events>"
        "</timeline>",
        encoding="utf-8",
    )
    result = read_timeline_project(path)
    assert [(ev.title, ev.when.edtf) for ev in result.case.events] == [("Year", "2017")]
    (note,) = result.report
    assert note.message == "version 3.1.0 is newer than 2.x; read as 2.x"
