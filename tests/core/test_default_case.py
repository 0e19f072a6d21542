"""The shipped default case: every event is tied to a source, every quote is in its document."""

from __future__ import annotations

import json
from pathlib import Path

from timeline_app.core.casefile import load_case


def raw_case(folder: Path) -> dict:
    return json.loads((folder / "case.json").read_text(encoding="utf-8"))


def test_every_quote_is_found_in_its_document_at_its_offsets(default_case_path: Path) -> None:
    data = raw_case(default_case_path)
    paths = {doc["id"]: default_case_path / doc["path"] for doc in data["documents"]}
    checked = 0
    for event in data["events"]:
        for source in event["sources"]:
            if "document" not in source:
                continue
            text = paths[source["document"]].read_text(encoding="utf-8")
            assert source["quote"] in text, f"{event['id']}: quote not in {source['document']}"
            assert text[source["start"] : source["end"]] == source["quote"], event["id"]
            checked += 1
    assert checked == 8


def test_every_event_has_a_source(default_case_path: Path) -> None:
    events = raw_case(default_case_path)["events"]
    assert len(events) == 19
    assert all(event["sources"] for event in events)


def test_shipped_documents_are_the_three_sop_130_documents(default_case_path: Path) -> None:
    names = sorted(p.name for p in (default_case_path / "documents").iterdir())
    assert names == [
        "8-usc-1373.txt",
        "aclu-wi-letter-2017-06-30.txt",
        "mpd-sop-130-revision-2017-06-19-excerpt.txt",
    ]


def test_default_case_loads_without_problems(default_case_path: Path) -> None:
    case, problems = load_case(default_case_path)
    assert problems == []
    assert len(case.events) == 19
    assert {lane.id for lane in case.lanes} == {"federal", "city", "county", "advocates", "press"}
    letter = case.event_by_id("aclu-letter-sent")
    assert letter is not None and letter.when.human() == "30 June 2017"
    lulac = case.event_by_id("lulac-proposal")
    assert lulac is not None and lulac.when.human() == "on or before 30 June 2017"
