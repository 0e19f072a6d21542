"""Case file v1: load, validate, save (docs/case-format.md)."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline_app.core import casefile
from timeline_app.core.casefile import (
    CaseLoadError,
    Problem,
    case_to_dict,
    load_case,
    locate_quote,
    save_case,
    validate_case,
)
from timeline_app.core.dates import When
from timeline_app.core.jsonpos import JsonPositions, format_path
from timeline_app.core.model import Document, Event, SourceRef

LETTER = "Dear Mayor,\r\nWe write about the policy.\r\nThe policy was changed.\r\n"


def make_case(folder: Path, case_json: str | bytes, documents: dict[str, bytes] | None = None):
    """A case folder holding ``case_json`` as case.json and ``documents/<name>``."""
    folder.mkdir(parents=True, exist_ok=True)
    data = case_json.encode() if isinstance(case_json, str) else case_json
    (folder / "case.json").write_bytes(data)
    for name, content in (documents or {}).items():
        (folder / "documents").mkdir(exist_ok=True)
        (folder / "documents" / name).write_bytes(content)
    return folder


def position(text: str, marker: str, nth: int = 1) -> tuple[int, int]:
    """1-based line and column of the nth occurrence of ``marker`` (found by plain search)."""
    offset = -1
    for _ in range(nth):
        offset = text.index(marker, offset + 1)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def only_problem(excinfo: pytest.ExceptionInfo[CaseLoadError]) -> Problem:
    assert len(excinfo.value.problems) == 1
    return excinfo.value.problems[0]


GOOD = {
    "format": "timeline-app-case",
    "version": 1,
    "title": "Good",
    "description": "A small valid case.",
    "lanes": [{"id": "city", "name": "City", "colour": "#abc"}],
    "documents": [
        {"id": "letter", "title": "Letter", "date": "2017-06-30", "path": "documents/letter.txt"},
        {"id": "web", "citation": {"publisher": "Paper", "url": "https://example.org/x"}},
    ],
    "events": [
        {
            "id": "e1",
            "title": "Policy changed",
            "when": "2017-06~",
            "lane": "city",
            "sources": [{"document": "letter", "quote": "policy was changed"}],
        },
        {"id": "e2", "title": "Letter sent", "when": "2017-06-30"},
    ],
}


@pytest.fixture()
def good_case(tmp_path: Path) -> Path:
    return make_case(tmp_path / "good", json.dumps(GOOD, indent=2), {"letter.txt": LETTER.encode()})


# ---------------------------------------------------------------------------- valid cases


def test_default_case_has_no_problems(default_case_path: Path) -> None:
    assert validate_case(default_case_path) == []


def test_load_accepts_the_folder_or_its_case_json(good_case: Path) -> None:
    by_folder, problems = load_case(good_case)
    by_file, _ = load_case(good_case / "case.json")
    assert problems == []
    assert case_to_dict(by_folder) == case_to_dict(by_file)
    assert by_folder.folder == good_case.resolve()
    assert [ev.id for ev in by_folder.events] == ["e1", "e2"]
    assert by_folder.events[0].when == When.parse("2017-06~")
    assert by_folder.lane_by_id("city").colour == "#abc"
    assert by_folder.document_by_id("web").citation.publisher == "Paper"


def test_document_text_has_newlines_normalised_and_offsets_found(good_case: Path) -> None:
    case, _ = load_case(good_case)
    letter = case.document_by_id("letter")
    assert "\r" not in letter.text
    source = case.events[0].sources[0]
    assert letter.text[source.start : source.end] == "policy was changed"


def test_round_trip_keeps_unknown_fields_and_key_order(tmp_path: Path) -> None:
    data = copy.deepcopy(GOOD)
    data["x-top"] = {"kept": [1, 2]}
    data["lanes"][0]["x-lane"] = True
    data["documents"][0]["x-doc"] = "d"
    data["documents"][1]["citation"]["x-cit"] = None
    data["events"][0]["x-event"] = 3.5
    data["events"][0]["sources"][0]["x-source"] = "s"
    folder = make_case(tmp_path / "in", json.dumps(data), {"letter.txt": LETTER.encode()})

    first, _ = load_case(folder)
    save_case(first, tmp_path / "out")
    saved = json.loads((tmp_path / "out" / "case.json").read_text(encoding="utf-8"))
    second, problems = load_case(tmp_path / "out")

    assert problems == []
    assert case_to_dict(second) == case_to_dict(first)
    assert saved["x-top"] == {"kept": [1, 2]}
    assert list(saved) == [*casefile._CASE_KEYS, "x-top"]
    assert list(saved["events"][0]) == ["id", "title", "when", "lane", "sources", "x-event"]
    assert list(saved["events"][0]["sources"][0]) == [
        "document",
        "quote",
        "start",
        "end",
        "x-source",
    ]
    assert saved["lanes"][0]["x-lane"] is True
    assert saved["documents"][0]["x-doc"] == "d"
    assert saved["documents"][1]["citation"] == {
        "publisher": "Paper",
        "url": "https://example.org/x",
        "x-cit": None,
    }


def test_saving_twice_gives_identical_bytes(good_case: Path, tmp_path: Path) -> None:
    case, _ = load_case(good_case)
    save_case(case, tmp_path / "a")
    again, _ = load_case(tmp_path / "a")
    save_case(again, tmp_path / "b")
    assert (tmp_path / "a" / "case.json").read_bytes() == (
        tmp_path / "b" / "case.json"
    ).read_bytes()


def test_default_case_round_trips(default_case_path: Path, tmp_path: Path) -> None:
    case, _ = load_case(default_case_path)
    save_case(case, tmp_path / "copy")
    copied, problems = load_case(tmp_path / "copy")
    assert problems == []
    assert case_to_dict(copied) == case_to_dict(case)
    original = json.loads((default_case_path / "case.json").read_text(encoding="utf-8"))
    assert case_to_dict(case) == original


# ---------------------------------------------------------------------------- cannot open


def test_malformed_json_reports_where_json_stopped(tmp_path: Path) -> None:
    text = '{\n  "format": "timeline-app-case",\n  "title": "x"\n  "events": []\n}\n'
    folder = make_case(tmp_path, text)
    with pytest.raises(CaseLoadError) as excinfo:
        load_case(folder)
    problem = only_problem(excinfo)
    assert (problem.file, problem.line, problem.col) == (str(folder / "case.json"), 4, 3)
    assert "malformed JSON" in problem.message and "delimiter" in problem.message
    assert validate_case(folder) == [problem]


@pytest.mark.parametrize("content", [b"", b"  \n\t\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    with pytest.raises(CaseLoadError) as excinfo:
        load_case(make_case(tmp_path, content))
    assert "empty" in only_problem(excinfo).message


def test_folder_without_case_json(tmp_path: Path) -> None:
    with pytest.raises(CaseLoadError) as excinfo:
        load_case(tmp_path)
    problem = only_problem(excinfo)
    assert problem.file == str(tmp_path / "case.json")
    assert "no case.json" in problem.message


def test_path_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(CaseLoadError) as excinfo:
        load_case(tmp_path / "nowhere")
    assert "no such file or folder" in only_problem(excinfo).message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[1, 2]", "expected a JSON object describing a case, got an array"),
        ('{"title": "x"}', 'no "format" field'),
        ('{"format": "other-app", "title": "x"}', 'format string "other-app"'),
    ],
)
def test_not_a_case(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(CaseLoadError) as excinfo:
        load_case(make_case(tmp_path, text))
    assert expected in only_problem(excinfo).message


def test_wrong_format_is_reported_at_its_value(tmp_path: Path) -> None:
    text = '{\n  "title": "x",\n  "format": "timeline-app-case-2"\n}'
    with pytest.raises(CaseLoadError) as excinfo:
        load_case(make_case(tmp_path, text))
    problem = only_problem(excinfo)
    assert (problem.line, problem.col, problem.path) == (3, 13, "format")


def test_case_json_not_utf8(tmp_path: Path) -> None:
    text = '{"format": "timeline-app-case",\n "title": "caf\xe9"}'.encode("latin-1")
    with pytest.raises(CaseLoadError) as excinfo:
        load_case(make_case(tmp_path, text))
    problem = only_problem(excinfo)
    assert (problem.line, problem.col) == (2, 15)
    assert "not valid UTF-8 (byte 0xe9)" in problem.message


def test_byte_order_mark_is_reported_but_the_case_opens(tmp_path: Path) -> None:
    folder = make_case(tmp_path, b"\xef\xbb\xbf" + json.dumps(GOOD).encode())
    (folder / "documents").mkdir()
    (folder / "documents" / "letter.txt").write_text(LETTER)
    case, problems = load_case(folder)
    assert [(p.line, p.col, p.path) for p in problems] == [(1, 1, "$")]
    assert "byte order mark" in problems[0].message
    assert len(case.events) == 2


# ---------------------------------------------------------------------------- problems

BAD = """{
  "format": "timeline-app-case",
  "version": 1,
  "title": "Bad",
  "lanes": [
    {"id": "city", "name": "City", "colour": "#12345"},
    {"id": "city", "name": "Again"},
    {"name": "No id"}
  ],
  "documents": [
    {"id": "letter", "title": "Letter", "path": "documents/letter.txt"},
    {"id": "gone", "path": "documents/gone.txt"},
    {"id": "latin1", "path": "documents/latin1.txt"}
  ],
  "events": [
    {"id": "e1", "title": "Fine", "when": "2017-06-30", "lane": "city",
     "sources": [{"document": "letter", "quote": "not in the letter"}]},
    {"id": "e2", "title": "Bad date", "when": "2017-13-01"},
    {"id": "e3", "title": "Ghost lane", "when": "2017", "lane": "ghost"},
    {"id": "e1", "title": "Duplicate", "when": "2018"},
    {"id": "e5", "when": 2017},
    {"id": "e6", "title": "Unknown doc", "when": "2017-07",
     "sources": [{"document": "nowhere", "quote": "x"}]}
  ]
}
"""
BAD_DOCUMENTS = {"letter.txt": LETTER.encode(), "latin1.txt": b"caf\xe9 au lait\n"}


@pytest.fixture()
def bad_case(tmp_path: Path) -> Path:
    return make_case(tmp_path / "bad", BAD, BAD_DOCUMENTS)


def test_every_problem_is_listed_with_place_and_expectation(bad_case: Path) -> None:
    case_json = str(bad_case / "case.json")
    expected = [
        ("lanes[0].colour", position(BAD, '"#12345"'), 'invalid colour string "#12345"'),
        ("lanes[1].id", position(BAD, '"city"', 2), 'duplicate lane id "city"'),
        ("lanes[2].id", position(BAD, '{"name": "No id"}'), 'missing required field "id"'),
        ("documents[1].path", position(BAD, '"documents/gone.txt"'), "document file not found"),
        ("events[0].sources[0].quote", position(BAD, '"not in the'), "quote not found"),
        ("events[1].when", position(BAD, '"2017-13-01"'), "invalid EDTF date: '2017-13-01'"),
        ("events[2].lane", position(BAD, '"ghost"'), 'unknown lane "ghost"'),
        ("events[3].id", position(BAD, '"e1"', 2), 'duplicate event id "e1"'),
        ("events[4].title", position(BAD, '{"id": "e5"'), 'missing required field "title"'),
        ("events[4].when", position(BAD, "2017}"), "expected a non-empty string, got number"),
        ("events[5].sources[0].document", position(BAD, '"nowhere"'), 'unknown document "nowhere"'),
    ]
    problems = validate_case(bad_case)
    in_case_json = [p for p in problems if p.file == case_json]
    assert [(p.path, (p.line, p.col)) for p in in_case_json] == [(e[0], e[1]) for e in expected]
    for problem, (_, _, fragment) in zip(in_case_json, expected, strict=True):
        assert fragment in problem.message
    latin1 = [p for p in problems if p.file != case_json]
    assert [(p.file, p.line, p.col, p.path) for p in latin1] == [
        (str(bad_case / "documents" / "latin1.txt"), 1, 4, "documents[2].path")
    ]
    assert "not valid UTF-8" in latin1[0].message


def test_messages_say_what_was_expected(bad_case: Path) -> None:
    messages = {p.path: p.message for p in validate_case(bad_case)}
    assert '"#rgb" or "#rrggbb"' in messages["lanes[0].colour"]
    assert '"city"' in messages["events[2].lane"]  # the lanes that exist
    assert "expected EDTF" in messages["events[1].when"]  # DateError's own explanation
    assert "ids that are unique" in messages["events[3].id"]
    assert str(bad_case / "documents" / "gone.txt") in messages["documents[1].path"]


def test_problem_prints_as_file_line_col_path_message() -> None:
    problem = Problem("c/case.json", 3, 14, "events[2].when", "bad")
    assert str(problem) == "c/case.json:3:14: events[2].when: bad"


def test_what_is_valid_still_opens(bad_case: Path) -> None:
    case, problems = load_case(bad_case)
    assert problems
    # e2 (invalid when), the duplicate e1 and e5 (no usable when) cannot be placed.
    assert [ev.id for ev in case.events] == ["e1", "e3", "e6"]
    assert case.event_by_id("e3").lane is None  # unknown lane: shown without a lane
    assert [lane.id for lane in case.lanes] == ["city"]
    assert case.lane_by_id("city").colour == casefile.DEFAULT_COLOUR
    not_found = case.events[0].sources[0]
    assert not_found.quote == "not in the letter"  # reported, not dropped
    assert (not_found.start, not_found.end) == (None, None)
    assert case.document_by_id("gone").text == ""


def test_save_after_load_loses_nothing_of_an_invalid_case(bad_case: Path, tmp_path: Path) -> None:
    case, _ = load_case(bad_case)
    save_case(case, tmp_path / "saved")
    saved = json.loads((tmp_path / "saved" / "case.json").read_text(encoding="utf-8"))
    assert saved == json.loads(BAD)
    assert validate_case(tmp_path / "saved") != []


def test_unplaceable_entries_are_written_back_in_place_after_edits(bad_case: Path) -> None:
    case, _ = load_case(bad_case)
    case.events.remove(case.event_by_id("e3"))  # the anchor of the duplicate e1
    case.events.insert(0, Event("new", "Added", When.parse("2016")))
    case.event_by_id("e1").title = "Renamed"
    events = case_to_dict(case)["events"]
    assert [(ev["id"], ev.get("title")) for ev in events] == [
        ("new", "Added"),
        ("e1", "Renamed"),
        ("e2", "Bad date"),
        ("e6", "Unknown doc"),
        ("e1", "Duplicate"),  # its anchor was removed: kept at the end
        ("e5", None),
    ]


def test_a_fixed_value_replaces_the_kept_invalid_one(bad_case: Path) -> None:
    case, _ = load_case(bad_case)
    assert case_to_dict(case)["events"][2]["lane"] == "ghost"
    case.event_by_id("e3").lane = "city"
    case.lane_by_id("city").colour = "#123456"
    saved = case_to_dict(case)
    assert saved["events"][2]["lane"] == "city"
    assert saved["lanes"][0]["colour"] == "#123456"


def test_loaded_cases_compare_equal_and_copy(bad_case: Path) -> None:
    first, _ = load_case(bad_case)
    second, _ = load_case(bad_case)
    assert first == second
    duplicate = copy.deepcopy(first)
    assert duplicate == first
    assert case_to_dict(duplicate) == case_to_dict(first)


def test_opening_changes_nothing_on_disk(bad_case: Path) -> None:
    def snapshot() -> dict[str, tuple[bytes, int]]:
        return {
            str(p): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in bad_case.rglob("*")
            if p.is_file()
        }

    before = snapshot()
    load_case(bad_case)
    validate_case(bad_case)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("field", "value", "path", "fragment"),
    [
        ("title", 5, "events[0].title", "expected a non-empty string, got number 5"),
        ("when", None, "events[0].when", "expected a non-empty string, got null"),
        ("lane", ["city"], "events[0].lane", "expected a lane id (string) or null, got an array"),
        ("summary", {}, "events[0].summary", "expected a string, got an object"),
        ("tags", ["a", 1], "events[0].tags", "expected an array of strings"),
        ("actors", "Flynn", "events[0].actors", "expected an array of strings"),
        ("sources", {}, "events[0].sources", "expected an array, got an object"),
        ("id", "", "events[0].id", 'expected a non-empty string, got string ""'),
    ],
)
def test_wrongly_typed_event_fields(tmp_path: Path, field, value, path, fragment) -> None:
    data = copy.deepcopy(GOOD)
    data["events"][0][field] = value
    folder = make_case(tmp_path, json.dumps(data), {"letter.txt": LETTER.encode()})
    problems = validate_case(folder)
    assert [(p.path, fragment in p.message) for p in problems] == [(path, True)]


@pytest.mark.parametrize(
    ("mutate", "path", "fragment"),
    [
        (lambda d: d.update(version=2), "version", "version 2 is newer than this app supports"),
        (lambda d: d.update(version="1"), "version", 'expected the number 1, got string "1"'),
        (lambda d: d.pop("version"), "version", 'missing required field "version"'),
        (lambda d: d.update(title=None), "title", "expected a string, got null"),
        (lambda d: d.update(lanes={}), "lanes", "expected an array, got an object"),
        (lambda d: d["lanes"][0].pop("name"), "lanes[0].name", 'missing required field "name"'),
        (lambda d: d["documents"][0].pop("id"), "documents[0].id", 'missing required field "id"'),
        (lambda d: d["documents"][0].update(date="June"), "documents[0].date", "invalid EDTF"),
        (
            lambda d: d["documents"][0].update(path="../letter.txt"),
            "documents[0].path",
            "inside the case folder",
        ),
        (
            lambda d: d["events"][0]["sources"][0].update(start="3"),
            "events[0].sources[0].start",
            "expected a character offset (integer >= 0)",
        ),
        (
            lambda d: d["events"][0]["sources"][0].pop("quote"),
            "events[0].sources[0].quote",
            'missing "quote"',
        ),
        (
            lambda d: d["events"][0]["sources"].append(None),
            "events[0].sources[1]",
            "expected a source object, got null",
        ),
        (
            lambda d: d["events"][0]["sources"].append({"note": "?"}),
            "events[0].sources[1]",
            'a source needs "document"',
        ),
    ],
)
def test_other_bad_fields(tmp_path: Path, mutate, path: str, fragment: str) -> None:
    data = copy.deepcopy(GOOD)
    mutate(data)
    folder = make_case(tmp_path, json.dumps(data, indent=2), {"letter.txt": LETTER.encode()})
    problems = validate_case(folder)
    assert problems[0].path == path  # first in the file; later ones may follow from it
    assert fragment in problems[0].message
    text = (folder / "case.json").read_text()
    assert 1 <= problems[0].line <= text.count("\n") + 1


def test_newer_version_is_kept_on_save(tmp_path: Path) -> None:
    data = dict(GOOD, version=7, documents=[], events=[])
    folder = make_case(tmp_path, json.dumps(data))
    case, _ = load_case(folder)
    assert case_to_dict(case)["version"] == 7


# ---------------------------------------------------------------------------- quotes


def test_moved_quote_is_found_again_without_a_problem(tmp_path: Path) -> None:
    data = copy.deepcopy(GOOD)
    data["events"][0]["sources"][0].update(start=0, end=18)  # stale offsets
    folder = make_case(tmp_path, json.dumps(data), {"letter.txt": LETTER.encode()})
    case, problems = load_case(folder)
    source = case.events[0].sources[0]
    assert problems == []
    assert case.documents[0].text[source.start : source.end] == source.quote


def test_prefix_and_suffix_choose_among_repeated_quotes() -> None:
    text = "the policy. A policy! the policy?"
    assert locate_quote(text, "policy") == (4, 10)
    assert locate_quote(text, "policy", near=30) == (26, 32)
    assert locate_quote(text, "policy", near=30, prefix="A ") == (14, 20)
    assert locate_quote(text, "policy", suffix="!") == (14, 20)
    assert locate_quote(text, "absent") is None


def test_offsets_count_characters_of_normalised_text(tmp_path: Path) -> None:
    data = copy.deepcopy(GOOD)
    data["events"][0]["sources"][0] = {"document": "letter", "quote": "é\nfin"}
    documents = {"letter.txt": "caf\u00e9\r\nfin\rend".encode()}
    folder = make_case(tmp_path, json.dumps(data), documents)
    case, problems = load_case(folder)
    assert problems == []
    assert case.documents[0].text == "caf\u00e9\nfin\nend"
    source = case.events[0].sources[0]
    assert (source.start, source.end) == (3, 8)


# ---------------------------------------------------------------------------- saving


def test_save_creates_documents_folder_and_files(tmp_path: Path) -> None:
    case, _ = load_case(make_case(tmp_path / "in", json.dumps(dict(GOOD, documents=[]))))
    case.events[0].sources = []
    case.documents.append(Document(id="memo 1", text="A memo.\n"))
    save_case(case, tmp_path / "out")
    assert case.documents[0].path == "documents/memo-1.txt"
    assert (tmp_path / "out" / "documents" / "memo-1.txt").read_text() == "A memo.\n"
    assert case.folder == (tmp_path / "out").resolve()
    reloaded, problems = load_case(tmp_path / "out")
    assert problems == []
    assert reloaded.documents[0].text == "A memo.\n"


def test_save_rewrites_only_documents_whose_text_changed(good_case: Path, tmp_path: Path) -> None:
    case, _ = load_case(good_case)
    letter = good_case / "documents" / "letter.txt"
    os.utime(letter, ns=(1_000_000_000, 1_000_000_000))
    save_case(case)
    assert letter.stat().st_mtime_ns == 1_000_000_000
    assert letter.read_bytes() == LETTER.encode()  # CRLF kept: not rewritten

    case.documents[0].text += "PS.\n"
    save_case(case)
    assert letter.read_text(encoding="utf-8").endswith("PS.\n")


def test_save_does_not_create_a_missing_document(bad_case: Path) -> None:
    case, _ = load_case(bad_case)
    save_case(case)
    assert not (bad_case / "documents" / "gone.txt").exists()
    assert (bad_case / "documents" / "latin1.txt").read_bytes() == BAD_DOCUMENTS["latin1.txt"]


def test_save_never_overwrites_a_document_that_could_not_be_read(bad_case: Path) -> None:
    case, _ = load_case(bad_case)
    documents = bad_case / "documents"
    (documents / "gone.txt").write_text("Found again.\n", encoding="utf-8")
    (documents / "latin1.txt").write_text("Converted to UTF-8.\n", encoding="utf-8")
    save_case(case)
    assert (documents / "gone.txt").read_text(encoding="utf-8") == "Found again.\n"
    assert (documents / "latin1.txt").read_text(encoding="utf-8") == "Converted to UTF-8.\n"


def test_edited_text_of_an_unreadable_document_is_saved(bad_case: Path) -> None:
    case, _ = load_case(bad_case)
    case.document_by_id("latin1").text = "café au lait\n"
    save_case(case)
    assert (bad_case / "documents" / "latin1.txt").read_text(encoding="utf-8") == "café au lait\n"
    assert "documents[2].path" not in {p.path for p in validate_case(bad_case)}


def _failing(*args, **kwargs):
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize("target", ["os.replace", "os.fsync", "json.dumps"])
def test_failed_save_leaves_the_previous_file_intact(
    good_case: Path, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    case, _ = load_case(good_case)
    before = (good_case / "case.json").read_bytes()
    case.title = "Changed"
    monkeypatch.setattr(target, _failing)
    with pytest.raises(OSError, match="No space left"):
        save_case(case)
    monkeypatch.undo()
    assert (good_case / "case.json").read_bytes() == before
    assert sorted(p.name for p in good_case.iterdir()) == ["case.json", "documents"]
    save_case(case)
    assert load_case(good_case)[0].title == "Changed"


def test_failure_while_writing_midway_keeps_the_old_file(
    good_case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case, _ = load_case(good_case)
    before = (good_case / "case.json").read_bytes()
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, handle) -> None:
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc) -> None:
            self.handle.close()

        def write(self, data: bytes) -> None:
            self.handle.write(data[: len(data) // 2])
            raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: HalfWriter(real_fdopen(fd, mode)))
    with pytest.raises(OSError):
        save_case(case)
    assert (good_case / "case.json").read_bytes() == before
    assert [p.name for p in good_case.iterdir() if p.name.endswith(".tmp")] == []


def test_save_without_folder_needs_one() -> None:
    with pytest.raises(ValueError, match="no folder"):
        save_case(casefile.Case())


def test_save_keeps_file_permissions(good_case: Path) -> None:
    case_json = good_case / "case.json"
    case_json.chmod(0o640)
    case, _ = load_case(good_case)
    save_case(case)
    assert case_json.stat().st_mode & 0o777 == 0o640


def test_case_to_dict_omits_empty_optional_fields() -> None:
    case = casefile.Case(title="T")
    case.events.append(Event("e", "E", When.parse("2017"), sources=[SourceRef(document="d")]))
    assert case_to_dict(case) == {
        "format": "timeline-app-case",
        "version": 1,
        "title": "T",
        "lanes": [],
        "documents": [],
        "events": [{"id": "e", "title": "E", "when": "2017", "sources": [{"document": "d"}]}],
    }


# ---------------------------------------------------------------------------- positions


def test_positions_are_computed_only_when_there_is_a_problem(
    good_case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(casefile, "JsonPositions", _failing)
    assert load_case(good_case)[1] == []


def test_format_path() -> None:
    assert format_path(("events", 3, "sources", 0, "quote")) == "events[3].sources[0].quote"
    assert format_path(("title",)) == "title"
    assert format_path(()) == "$"


def test_missing_path_falls_back_to_the_nearest_existing_value() -> None:
    text = '{"a": [1, {"b": 2}],\n "c": "x"}'
    positions = JsonPositions(text)
    assert positions.locate(("a", 1, "b")) == (1, 17)
    assert positions.locate(("a", 1, "missing")) == (1, 11)
    assert positions.locate(("a", 7)) == (1, 7)
    assert positions.locate(("c",)) == (2, 7)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=4)
    ),
    max_leaves=20,
)


def _paths(value, prefix=()):
    yield prefix, value
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, (*prefix, i))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))


@settings(max_examples=60, deadline=None)
@given(json_values, st.sampled_from([None, 1, 2]))
def test_every_value_is_located_where_it_is(value, indent) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    positions = JsonPositions(text)
    decoder = json.JSONDecoder()
    for path, expected in _paths(value):
        assert decoder.raw_decode(text, positions.offset(path))[0] == expected


def test_the_example_in_the_specification_is_valid(tmp_path: Path) -> None:
    spec = Path(__file__).resolve().parents[2] / "docs" / "case-format.md"
    example = spec.read_text(encoding="utf-8").split("## Example", 1)[1]
    case_json = example.split("```json\n", 1)[1].split("```", 1)[0]
    letter = example.split("`documents/letter.txt`:\n\n```\n", 1)[1].split("```", 1)[0]
    folder = make_case(tmp_path, case_json, {"letter.txt": letter.encode()})
    case, problems = load_case(folder)
    assert problems == []
    assert case_to_dict(case) == json.loads(case_json)


def test_entries_that_cannot_be_used_are_still_checked(tmp_path: Path) -> None:
    data = dict(GOOD, documents=[], events=[])
    data["lanes"] = [{"name": "No id", "colour": "blue"}, {"id": 3, "name": ""}]
    problems = validate_case(make_case(tmp_path, json.dumps(data)))
    assert [p.path for p in problems] == [
        "lanes[0].id",
        "lanes[0].colour",
        "lanes[1].id",
        "lanes[1].name",
    ]


def test_null_optional_fields_count_as_absent(tmp_path: Path) -> None:
    data = copy.deepcopy(GOOD)
    data["lanes"][0]["colour"] = None
    data["events"][1].update(lane=None, summary=None, tags=None, actors=None, sources=None)
    folder = make_case(tmp_path, json.dumps(data), {"letter.txt": LETTER.encode()})
    case, problems = load_case(folder)
    assert problems == []
    assert case.lanes[0].colour == casefile.DEFAULT_COLOUR
    assert case_to_dict(case)["events"][1] == {
        "id": "e2",
        "title": "Letter sent",
        "when": "2017-06-30",
    }
