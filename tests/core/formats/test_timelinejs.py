"""TimelineJS: JSON export and its round trip; JSON and spreadsheet CSV imports."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from timeline_app.core.formats.common import FormatError, ImportResult
from timeline_app.core.formats.timelinejs import to_timelinejs, write_timelinejs
from timeline_app.core.formats.timelinejs_import import read_timelinejs
from timeline_app.core.formats.timelinejs_sheet import read_timelinejs_csv
from timeline_app.core.model import Case

from .helpers import make_case


def export_json(case: Case, tmp_path: Path) -> Path:
    out = tmp_path / "timeline.json"
    with open(out, "wb") as stream:
        write_timelinejs(case, stream)
    return out


def by_title(result: ImportResult) -> dict:
    return {ev.title: ev for ev in result.case.events}


# -- export


def test_dates_are_given_only_to_their_precision() -> None:
    case = make_case(
        ("y", "2017", "a"),
        ("m", "2017-06", "a"),
        ("d", "2017-06-30", "b"),
        ("t", "2017-06-30T14:05", None),
        ("r", "2017-06-19/2017-07", None),
        ("dec", "201X", None),
        ("o", "../2017-06-30", None),
    )
    slides = {s["unique_id"]: s for s in to_timelinejs(case)[0]["events"]}
    assert slides["y"]["start_date"] == {"year": 2017}
    assert slides["m"]["start_date"] == {"year": 2017, "month": 6}
    assert slides["d"]["start_date"] == {"year": 2017, "month": 6, "day": 30}
    assert slides["t"]["start_date"] == dict(year=2017, month=6, day=30, hour=14, minute=5)
    assert slides["r"]["end_date"] == {"year": 2017, "month": 7}
    decade = (slides["dec"]["start_date"], slides["dec"]["end_date"])
    assert decade == ({"year": 2010}, {"year": 2019})
    assert "end_date" not in slides["y"] and "end_date" not in slides["o"]
    assert slides["o"]["display_date"] == "on or before 30 June 2017"
    assert slides["d"]["group"] == "Lane B"


def test_display_date_carries_qualifiers_and_text_is_escaped() -> None:
    case = make_case(("m", "2017-05~", "a"))
    case.title = "Cases <& co>"
    case.events[0].title = '<script>alert("x")</script>'
    case.events[0].summary = "one\ntwo & three"
    data, _ = to_timelinejs(case)
    slide = data["events"][0]
    assert slide["display_date"] == "May 2017 (approximate)"
    assert slide["text"]["headline"] == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    assert slide["text"]["text"] == "one<br>two &amp; three"
    assert data["title"]["text"]["headline"] == "Cases &lt;&amp; co&gt;"


def test_periods_become_eras() -> None:
    case = make_case(("x", "2017", "a"))
    case.extra["periods"] = [{"title": "Fight", "when": "2017-06-19/2017-07-13"}, {"title": "Bad"}]
    data, report = to_timelinejs(case)
    assert data["eras"] == [
        {
            "start_date": {"year": 2017, "month": 6, "day": 19},
            "end_date": {"year": 2017, "month": 7, "day": 13},
            "text": {"headline": "Fight"},
        }
    ]
    assert [item.where for item in report] == ["periods[1]"]


def test_round_trip_keeps_titles_dates_and_lanes(default_case: Case, tmp_path: Path) -> None:
    result = read_timelinejs(export_json(default_case, tmp_path))
    back = result.case
    assert result.report == []
    assert back.title == default_case.title
    assert back.description == default_case.description
    assert len(back.events) == len(default_case.events)
    lanes = {lane.id: lane.name for lane in default_case.lanes}
    back_lanes = {lane.id: lane.name for lane in back.lanes}
    for original in default_case.events:
        copy = back.event_by_id(original.id)
        assert copy is not None, original.id
        assert copy.title == original.title
        assert copy.when.edtf == original.when.edtf
        assert copy.when.precision == original.when.precision
        assert back_lanes[copy.lane] == lanes[original.lane]
        assert copy.summary == original.summary


def test_round_trip_of_deep_time_and_media(tmp_path: Path) -> None:
    case = make_case(("bang", "Y-13800000000", None), ("ides", "-0044-03-15", "a"))
    result = read_timelinejs(export_json(case, tmp_path))
    assert {ev.id: ev.when.edtf for ev in result.case.events} == {
        "bang": "Y-13800000000",
        "ides": "-0044-03-15",
    }


# -- JSON import


def test_json_fixture_covers_every_field(fixtures: Path) -> None:
    result = read_timelinejs(fixtures / "timelinejs_full.json")
    case = result.case
    assert case.title == "The Long View & Beyond"
    assert case.description == "From the Big Bang\nto the present — roughly."
    events = by_title(result)
    assert events["Big Bang"].when.edtf == "Y-13800000000"  # cosmological year kept
    assert events["Founding, around 500 BCE"].when.edtf == "-0500~"  # strings, "", c.
    letter = events["Letter sent"]  # HTML in headline and text
    assert letter.id == "letter"
    assert letter.when.edtf == "2017-06-30T14:05"
    assert letter.summary == "First paragraph with <angle> text.\nSecond paragraph."
    (media,) = letter.sources
    assert media.citation is not None and media.note == "media"
    assert (media.citation.url, media.citation.publisher, media.citation.title) == (
        "https://example.org/letter.pdf",
        "ACLU of Wisconsin",
        "The letter",
    )
    assert media.citation.extra["thumbnail"] == "https://example.org/thumb.png"
    assert letter.extra["background"] == {"color": "#ffeecc"}
    revision = events["Revision period"]
    assert revision.when.edtf == "2017-06-19?/2017-07-13?"
    assert revision.id == "letter-2"  # duplicate unique_id
    assert revision.lane == letter.lane  # "advocates" and "Advocates": one lane
    assert events["LULAC proposal"].when.edtf == "../2017-06-30"
    assert events["Warrant rule in force"].when.edtf == "2019-12/.."
    assert events["Only a body, no headline"].when.edtf == "1996"
    assert events["End before start"].when.edtf == "2018"
    assert [lane.name for lane in case.lanes] == ["Cosmos", "Ancient world", "Advocates"]
    assert len({lane.colour for lane in case.lanes}) == 3
    assert case.extra["periods"] == [{"title": "The SOP 130 years", "when": "2016/2019-12"}]


def test_json_fixture_reports_what_it_skipped(fixtures: Path) -> None:
    result = read_timelinejs(fixtures / "timelinejs_full.json")
    skipped = {item.where: item.message for item in result.skipped}
    assert skipped == {
        "events[7]": "'Bad month': start_date: month 13 is not 1-12",
        "events[8]": "'No date at all': no start_date",
        "events[9]": "'Words for a year': start_date: 'twenty' is not a whole number",
        "events[11]": "a slide is text; expected an object",
        "eras[1]": "era 'Broken era': start_date: 'x' is not a whole number",
    }
    notes = [str(item) for item in result.report if not item.skipped]
    assert "timelinejs_full.json: events[10]: note: end_date 2016 is not after" in notes[-1]


def test_malformed_json_names_line_and_column(fixtures: Path) -> None:
    with pytest.raises(FormatError, match=r"malformed\.json:4:1: malformed JSON"):
        read_timelinejs(fixtures / "malformed.json")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[1, 2]", "expected a TimelineJS JSON object"),
        ('{"slides": []}', 'expected a JSON object with an "events" list'),
        ('{"events": {}}', '"events" is an object'),
        (b"\xff\xfe{", "not UTF-8"),
    ],
)
def test_json_that_is_not_timelinejs(tmp_path: Path, content: str | bytes, message: str) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(FormatError, match=message):
        read_timelinejs(path)


# -- spreadsheet import


def test_sheet_fixture_covers_every_column(fixtures: Path) -> None:
    result = read_timelinejs_csv(fixtures / "timelinejs_sheet.csv")
    case = result.case
    assert (case.title, case.description) == ("Sheet Timeline", "A timeline & its spreadsheet")
    events = by_title(result)
    letter = events["Letter sent"]
    assert letter.when.edtf == "2017-06-30T14:05"  # "2:05 PM"
    assert letter.summary == 'Quoted, with a comma\nand "quotes"'
    assert letter.sources[0].citation.url == "https://example.org/a.jpg"
    assert letter.sources[0].citation.publisher == "AP"
    assert letter.sources[0].citation.title == "Photo caption"
    assert letter.extra["background"] == {"color": "#ccddee"}
    assert events["Revision"].when.edtf == "2017-06-19/2017-07-13"  # month name "June"
    assert events["Revision"].extra["background"] == {"url": "https://example.org/bg.jpg"}
    assert events["Advice"].when.edtf == "2017-05~"  # "about May 2017", numbers as text
    assert events["Ides of March"].when.edtf == "-0044-03-15"
    assert events["Bad time"].when.edtf == "2018-01-01"
    assert events["Odd type"].when.edtf == "2015"
    assert {lane.name for lane in case.lanes} == {"Advocates", "City", "Rome"}
    assert case.extra["periods"] == [{"title": "SOP 130 years", "when": "2016/2019-12"}]
    skipped = {item.where: item.message for item in result.skipped}
    assert skipped == {
        "row 9": "'No year here': start_date has no year",
        "row 10": "'Thirtieth of February': start_date: day 30 is not in 2017-02",
    }
    notes = {item.where: item.message for item in result.report if not item.skipped}
    assert notes["row 8"] == "Time '25:99' is not a time of day; ignored"


def test_sheet_without_year_and_headline_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("Date,Title\n2017,X\n", encoding="utf-8")
    with pytest.raises(FormatError, match="expected the columns Year and Headline"):
        read_timelinejs_csv(path)


def test_exported_json_is_valid_utf8_json(default_case: Case) -> None:
    stream = io.BytesIO()
    write_timelinejs(default_case, stream)
    data = json.loads(stream.getvalue().decode("utf-8"))
    assert len(data["events"]) == 19


def test_version_2_json(fixtures: Path) -> None:
    result = read_timelinejs(fixtures / "timelinejs_v2.json")
    case = result.case
    assert (case.title, case.description) == (
        "SOP 130 (TimelineJS 2)",
        "Made with the old verite.co TimelineJS.",
    )
    events = by_title(result)
    assert {title: ev.when.edtf for title, ev in events.items()} == {
        "ACLU letter": "2017-06-30",
        "Revision fight": "2017-06-19/2017-07-13",
        "Commission meeting": "2017-07-13T18:30",
    }
    assert events["ACLU letter"].sources[0].citation.url == "https://example.org/letter.jpg"
    assert [lane.name for lane in case.lanes] == ["Advocates", "City"]
    assert case.extra["periods"] == [{"title": "The SOP 130 years", "when": "2016/2019-12"}]
    assert [(i.where, i.message) for i in result.skipped] == [
        ("timeline.date[3]", "'No date': no start_date")
    ]
