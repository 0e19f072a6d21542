"""``timeline-app validate [PATH]``: exit codes and output format."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from timeline_app.cli import main
from timeline_app.core.casefile import validate_case

PROBLEM_LINE = re.compile(
    r"^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): (?P<path>\S+): (?P<message>.+)$"
)


def write_case(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "case.json").write_text(text, encoding="utf-8")
    return folder


def bad_case(folder: Path) -> Path:
    data = {
        "format": "timeline-app-case",
        "version": 1,
        "title": "Bad",
        "lanes": [{"id": "a", "name": "A", "colour": "blue"}],
        "events": [
            {"id": "e1", "title": "One", "when": "2017-02-30"},
            {"id": "e2", "title": "Two", "when": "2017", "lane": "nowhere"},
            {"id": "e3", "when": "2018", "sources": [{"document": "gone", "quote": "q"}]},
        ],
    }
    return write_case(folder, json.dumps(data, indent=2))


def test_valid_default_case(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: ")
    assert re.search(r"\(\d+ events, \d+ lanes, \d+ documents\)", out)


def test_valid_case_prints_title_and_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = json.dumps(
        {
            "format": "timeline-app-case",
            "version": 1,
            "title": "Tiny",
            "events": [{"id": "e", "title": "E", "when": "2017"}],
        }
    )
    assert main(["validate", str(write_case(tmp_path, text))]) == 0
    assert capsys.readouterr().out == "OK: Tiny (1 events, 0 lanes, 0 documents)\n"


def test_every_problem_is_one_line_on_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = bad_case(tmp_path)
    assert main(["validate", str(folder)]) == 2
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    parsed = [PROBLEM_LINE.match(line) for line in lines]
    assert all(parsed), lines
    assert [m["path"] for m in parsed] == [
        "lanes[0].colour",
        "events[0].when",
        "events[1].lane",
        "events[2].title",
        "events[2].sources[0].document",
    ]
    assert {m["file"] for m in parsed} == {str(folder / "case.json")}
    assert lines == [str(p) for p in validate_case(folder)]
    assert captured.err == "5 problems found\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, ":1:1: $: the folder has no case.json"),
        ("", ":1:1: $: the file is empty"),
        ('{"format": "timeline-app-case",\n  "title": }', ":2:12: $: malformed JSON"),
        ('{"format": "something-else"}', ":1:12: format: not a timeline-app case"),
    ],
)
def test_cases_that_cannot_open(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, expected: str
) -> None:
    if content is not None:
        write_case(tmp_path, content)
    assert main(["validate", str(tmp_path)]) == 2
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 1
    assert expected in out
    assert out.startswith(str(tmp_path / "case.json") + ":")


def test_runs_as_a_command(tmp_path: Path) -> None:
    folder = bad_case(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "timeline_app", "validate", str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert len(result.stdout.splitlines()) == 5
    assert "Traceback" not in result.stderr
