"""``timeline-app apply``: edits are checked before anything is written; errors name line, field."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from timeline_app.cli import main
from timeline_app.core.casefile import load_case


@pytest.fixture()
def case_dir(tmp_path: Path, default_case_path: Path) -> Path:
    target = tmp_path / "case"
    shutil.copytree(default_case_path, target)
    return target


def write_edits(folder: Path, *lines: object) -> Path:
    path = folder / "edits.jsonl"
    path.write_text(
        "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n",
        encoding="utf-8",
    )
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of a folder (recursively) with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


GOOD_EDITS = (
    "# add an event and move the press lane into advocates",
    {
        "op": "add_event",
        "id": "rally",
        "title": "Rally at City Hall",
        "when": "2017-07-01",
        "lane": "city",
        "sources": [{"document": "aclu-letter", "quote": "Milwaukee"}],
    },
    "",
    {"op": "update_event", "id": "rally", "when": "2017-07~"},
    {"op": "delete_lane", "id": "press", "move_to": "advocates"},
)


def test_apply_saves_the_edits(case_dir: Path, tmp_path: Path, capsys) -> None:
    edits = write_edits(tmp_path, *GOOD_EDITS)
    assert main(["apply", str(case_dir), str(edits)]) == 0
    out = capsys.readouterr().out
    assert "Applied 3 edits" in out and "line 2: Add event “Rally at City Hall”" in out
    case, problems = load_case(case_dir)
    assert problems == []
    rally = case.event_by_id("rally")
    assert rally.when.edtf == "2017-07~"
    text = case.document_by_id("aclu-letter").text
    assert text[rally.sources[0].start : rally.sources[0].end] == "Milwaukee"
    assert case.lane_by_id("press") is None
    assert not [p for p in case_dir.iterdir() if p.name.endswith(".tmp")]


def test_errors_name_line_and_field_and_nothing_is_written(
    case_dir: Path, tmp_path: Path, capsys
) -> None:
    edits = write_edits(
        tmp_path,
        {"op": "add_event", "id": "ok", "title": "fine", "when": "2017"},
        "",
        {"op": "add_event", "id": "bad", "title": "t", "when": "2017-13"},
        {"op": "update_event", "id": "missing", "lane": "city"},
        "{oops",
    )
    before = snapshot(case_dir)
    assert main(["apply", str(case_dir), str(edits)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{edits}:3: when: '2017-13' is not a valid date")
    assert err[1] == f"{edits}:4: id: no event with id 'missing'"
    assert err[2].startswith(f"{edits}:5: not valid JSON")
    assert err[3] == "apply: 3 errors; nothing written"
    assert snapshot(case_dir) == before


def test_dry_run_reports_and_writes_nothing(case_dir: Path, tmp_path: Path, capsys) -> None:
    edits = write_edits(tmp_path, *GOOD_EDITS)
    before = snapshot(case_dir)
    assert main(["apply", str(case_dir), str(edits), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Would apply 3 edits" in out and "nothing written" in out
    assert "Delete lane “Press”" in out
    assert snapshot(case_dir) == before


def test_the_shipped_default_case_is_never_modified(
    default_case_path: Path, tmp_path: Path, capsys
) -> None:
    edits = write_edits(tmp_path, *GOOD_EDITS)
    before = snapshot(default_case_path)
    assert main(["apply", str(edits)]) == 2
    assert "read-only" in capsys.readouterr().err
    assert main(["apply", str(default_case_path / "case.json"), str(edits)]) == 2
    assert main(["apply", str(edits), "--dry-run"]) == 0  # checking against it is fine
    assert snapshot(default_case_path) == before


def test_a_case_with_problems_is_not_touched(case_dir: Path, tmp_path: Path, capsys) -> None:
    data = json.loads((case_dir / "case.json").read_text(encoding="utf-8"))
    data["events"][0]["when"] = "someday"
    (case_dir / "case.json").write_text(json.dumps(data), encoding="utf-8")
    before = snapshot(case_dir)
    edits = write_edits(tmp_path, {"op": "delete_event", "id": data["events"][1]["id"]})
    assert main(["apply", str(case_dir), str(edits)]) == 2
    err = capsys.readouterr().err
    assert "events[0].when" in err and "fix them first" in err
    assert snapshot(case_dir) == before


def test_unreadable_inputs_exit_2(case_dir: Path, tmp_path: Path, capsys) -> None:
    assert main(["apply", str(case_dir), str(tmp_path / "nope.jsonl")]) == 2
    assert "cannot read" in capsys.readouterr().err
    edits = write_edits(tmp_path, {"op": "delete_event", "id": "x"})
    assert main(["apply", str(tmp_path / "no-case"), str(edits)]) == 2


def test_edits_from_standard_input(case_dir: Path, monkeypatch, capsys) -> None:
    import io

    line = json.dumps({"op": "add_lane", "id": "courts", "name": "Courts"})
    monkeypatch.setattr("sys.stdin", io.StringIO(line + "\n"))
    assert main(["apply", str(case_dir), "-"]) == 0
    case, _ = load_case(case_dir)
    assert case.lanes[-1].id == "courts"


def test_the_example_of_the_format_document_applies(case_dir: Path, tmp_path: Path) -> None:
    doc = Path(__file__).resolve().parents[2] / "docs" / "edits-format.md"
    example = doc.read_text(encoding="utf-8").split("```jsonl\n")[1].split("```")[0]
    edits = tmp_path / "example.jsonl"
    edits.write_text(example, encoding="utf-8")
    assert main(["apply", str(case_dir), str(edits)]) == 0
    case, problems = load_case(case_dir)
    assert problems == [] and case.event_by_id("rally") is not None


def test_a_file_without_edits_writes_nothing(case_dir: Path, tmp_path: Path, capsys) -> None:
    edits = write_edits(tmp_path, "# only a comment", "")
    before = snapshot(case_dir)
    assert main(["apply", str(case_dir), str(edits)]) == 0
    assert "holds no edits" in capsys.readouterr().out
    assert snapshot(case_dir) == before
