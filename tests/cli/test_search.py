"""`timeline-app search`: ranked hits as text or JSON, and messages for bad queries."""

from __future__ import annotations

import json

import pytest

from timeline_app.cli import main
from timeline_app.paths import default_case_dir


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["search", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_hits_on_the_default_case(capsys) -> None:
    code, out, _ = run_cli(capsys, "LULAC", "--json")
    assert code == 0
    hits = json.loads(out)
    assert hits[0]["id"] == "lulac-proposal"
    assert {"kind", "id", "title", "score", "snippet", "matches"} <= set(hits[0])
    letter = next(h for h in hits if h["id"] == "aclu-letter")
    text = (default_case_dir() / "documents" / "aclu-wi-letter-2017-06-30.txt").read_text("utf-8")
    assert letter["kind"] == "document"
    assert letter["matches"] and all(text[a:b] == "LULAC" for a, b in letter["matches"])


def test_path_then_query_and_limit(capsys) -> None:
    code, out, _ = run_cli(capsys, str(default_case_dir()), "1373", "--json", "--limit", "2")
    assert code == 0
    assert len(json.loads(out)) == 2


def test_plain_output_marks_matched_words(capsys) -> None:
    code, out, _ = run_cli(capsys, '"shall inform"')
    assert code == 0
    first = out.split("\n\n")[0].splitlines()
    assert first[0].startswith("event fpc-shall-inform  (score ")
    assert "[shall] [inform]" in first[2]


def test_no_matches(capsys) -> None:
    code, out, _ = run_cli(capsys, "xylophone")
    assert (code, out) == (0, "No matches.\n")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("after:soon", "after: needs a date such as 2017-06"),
        ("lane:nowhere", "No lane called “nowhere”"),
        ("+++", "Type a word to search for"),
    ],
)
def test_bad_query_is_a_message_and_exit_2(capsys, query: str, message: str) -> None:
    code, out, err = run_cli(capsys, query)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_query_starting_with_a_dash_after_double_dash(capsys) -> None:
    code, _, err = run_cli(capsys, "--", "-flynn")
    assert code == 2 and "-word only leaves things out" in err
    code, out, _ = run_cli(capsys, "--json", "--", "barrett -flynn")
    assert code == 0 and "byrne-jag-conditions" not in out


def test_missing_case_folder(capsys, tmp_path) -> None:
    code, _, err = run_cli(capsys, str(tmp_path / "nope"), "x")
    assert code == 2 and err
