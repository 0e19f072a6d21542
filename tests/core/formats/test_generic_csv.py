"""Generic CSV import: a column map, free-text dates turned into EDTF to their precision."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from timeline_app.core.formats.common import FormatError
from timeline_app.core.formats.csv_export import write_csv
from timeline_app.core.formats.generic_csv import parse_mapping, read_generic_csv, text_to_edtf
from timeline_app.core.model import Case

FIXTURE_MAP = "title=Headline,when=Date,end=End Date,lane=Group,summary=Notes,url=Link"


@pytest.mark.parametrize(
    ("text", "edtf"),
    [
        ("30 June 2017", "2017-06-30"),
        ("June 30, 2017", "2017-06-30"),
        ("June 2017", "2017-06"),
        ("Jun 2017", "2017-06"),
        ("2017", "2017"),
        ("2017-06-30", "2017-06-30"),
        ("2017-06", "2017-06"),
        ("6/30/2017", "2017-06-30"),
        ("6/30/2017 14:05", "2017-06-30T14:05"),
        ("2017-06-30T14:05:30Z", "2017-06-30T14:05:30Z"),
        ("2017-06-30 16:05 +02:00", "2017-06-30T14:05Z"),
        ("c. 1996", "1996~"),
        ("about June 2017", "2017-06~"),
        ("June 2017?", "2017-06?"),
        ("44 BC", "-0043"),
        ("AD 476", "0476"),
        ("../2017-06-30", "../2017-06-30"),
        ("Y-13800000000", "Y-13800000000"),
    ],
)
def test_text_to_edtf(text: str, edtf: str) -> None:
    assert text_to_edtf(text) == edtf


def test_day_first_option() -> None:
    assert text_to_edtf("01/02/2017") == "2017-01-02"
    assert text_to_edtf("01/02/2017", dayfirst=True) == "2017-02-01"


@pytest.mark.parametrize(("text", "why"), [("June 30", "has no year"), ("soon", "is not a date")])
def test_text_that_is_no_full_date(text: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        text_to_edtf(text)


def test_parse_mapping() -> None:
    assert parse_mapping("title=Headline, when = Date ,end=End Date") == {
        "title": "Headline",
        "when": "Date",
        "end": "End Date",
    }
    with pytest.raises(ValueError, match="'colour' is unknown"):
        parse_mapping("colour=Red")
    with pytest.raises(ValueError, match="is not FIELD=COLUMN"):
        parse_mapping("title")


def test_fixture_with_map(fixtures: Path) -> None:
    result = read_generic_csv(fixtures / "generic.csv", parse_mapping(FIXTURE_MAP))
    events = {ev.title: ev for ev in result.case.events}
    assert {title: ev.when.edtf for title, ev in events.items()} == {
        "ACLU letter": "2017-06-30",
        "City Attorney advice": "2017-06",
        "IIRIRA": "1996",
        "Commission meeting": "2017-06-30T14:05",
        "Old policy": "1996~",
        "Ides of March": "-0043",
        "Revision signed": "2017-06-19?",
        "Revision period": "2017-06-19/2017-07-13",
        "LULAC proposal": "../2017-06-30",
        "Rally": "2017-07-05",
    }
    letter = events["ACLU letter"]
    assert letter.summary == "Urges the mayor, firmly."
    assert letter.sources[0].citation.url == "https://example.org/letter"
    assert letter.tags == ["letter", "aclu"]  # found without a map entry
    assert [lane.name for lane in result.case.lanes] == ["Advocates", "City", "Federal", "Rome"]
    assert {item.where: item.message for item in result.skipped} == {
        "row 12": "'No year': 'June 30' has no year",
        "row 13": "'Gibberish': 'not a date' is not a date (EDTF or text dateutil reads)",
        "row 14": "no title",
        "row 15": "'Missing date': no date",
    }
    notes = [item.message for item in result.report if not item.skipped]
    assert notes == ["end 'July 1 2017' is not after 'July 5, 2017'; end ignored"]


def test_semicolons_and_day_first(fixtures: Path) -> None:
    mapping = parse_mapping("title=Event,when=Datum,lane=Gruppe")
    (event,) = read_generic_csv(fixtures / "semicolon.csv", mapping, dayfirst=True).case.events
    assert (event.title, event.when.edtf) == ("Brief", "2017-06-30")


def test_own_csv_export_imports_without_a_map(default_case: Case, tmp_path: Path) -> None:
    stream = io.BytesIO()
    write_csv(default_case, stream)
    path = tmp_path / "export.csv"
    path.write_bytes(stream.getvalue())
    result = read_generic_csv(path)
    assert result.report == []
    back = {ev.id: ev for ev in result.case.events}
    lanes = {lane.id: lane.name for lane in default_case.lanes}
    back_lanes = {lane.id: lane.name for lane in result.case.lanes}
    for ev in default_case.events:
        assert back[ev.id].title == ev.title
        assert back[ev.id].when == ev.when
        assert back_lanes[back[ev.id].lane] == lanes[ev.lane]
        assert back[ev.id].tags == ev.tags
        assert back[ev.id].actors == ev.actors


def test_cp1252_file_is_read_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "old.csv"
    path.write_bytes("title,date\nCaf\xe9 opens,1996\n".encode("cp1252"))
    result = read_generic_csv(path)
    assert result.case.events[0].title == "Café opens"
    assert "Windows-1252" in result.report[0].message


@pytest.mark.parametrize(
    ("content", "mapping", "message"),
    [
        ("Headline,Day\nX,2017\n", {}, "no column for 'when': use --map when=COLUMN"),
        ("Headline,Day\nX,2017\n", {"when": "Date"}, "--map when=Date: no such column"),
        ("", {}, "the file is empty"),
        ('title,when\n"unclosed,2017\n', {}, "malformed CSV"),
    ],
)
def test_unusable_csv(tmp_path: Path, content: str, mapping: dict, message: str) -> None:
    path = tmp_path / "x.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FormatError, match=message):
        read_generic_csv(path, mapping)


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(FormatError, match="binary file"):
        read_generic_csv(path)


def test_duplicate_ids_are_renamed_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "ids.csv"
    path.write_text("id,title,when\nx,First,2017\nx,Second,2018\n", encoding="utf-8")
    result = read_generic_csv(path)
    assert [ev.id for ev in result.case.events] == ["x", "x-2"]
    assert [str(item) for item in result.report] == [
        "ids.csv: row 3: note: id 'x' is used twice; id 'x-2'"
    ]
