"""`timeline-app events`: the default case's events in time order, as text and JSON."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from timeline_app.cli import main


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_events_json_lists_the_default_case_in_time_order(capsys) -> None:
    code, out, _ = run_cli(capsys, "events", "--json")
    assert code == 0
    events = json.loads(out)
    assert len(events) == 19
    assert events[0]["id"] == "iirira-1373"
    ids = [ev["id"] for ev in events]
    # "on or before X" sorts before a plain X
    assert ids.index("lulac-proposal") == ids.index("aclu-letter-sent") - 1
    assert events[-1]["id"] == "fpc-requires-warrant"
    keys = {"id", "title", "when", "earliest", "latest", "human", "lane", "sources"}
    assert all(keys <= set(ev) for ev in events)
    starts = [ev["earliest"] or ev["latest"] for ev in events]
    assert starts == sorted(starts)


def test_events_json_bounds_and_sources(capsys) -> None:
    _, out, _ = run_cli(capsys, "events", "--json")
    by_id = {ev["id"]: ev for ev in json.loads(out)}
    letter = by_id["aclu-letter-sent"]
    assert (letter["earliest"], letter["latest"]) == ("2017-06-30", "2017-06-30")
    assert letter["human"] == "30 June 2017"
    assert letter["lane"] == "advocates"
    (source,) = letter["sources"]
    assert source["document"] == "aclu-letter"
    assert source["quote"] == "sent the following letter to Mayor Tom Barrett on June 30, 2017"
    assert source["end"] - source["start"] == len(source["quote"])
    may = by_id["city-attorney-advice"]
    assert (may["earliest"], may["latest"]) == ("2017-05-01", "2017-05-31")
    lulac = by_id["lulac-proposal"]
    assert lulac["earliest"] is None and lulac["latest"] == "2017-06-30"
    assert lulac["human"] == "on or before 30 June 2017"
    eo = by_id["eo-13768"]
    assert eo["sources"][0]["citation"]["publisher"] == "Federal Register"


def test_events_text_output_has_human_dates(capsys) -> None:
    code, out, _ = run_cli(capsys, "events")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 19
    assert lines[0].startswith("30 September 1996")
    assert any("on or before 30 June 2017" in line and "LULAC" in line for line in lines)


def test_events_on_a_folder_without_case_json_exits_2_with_a_message(tmp_path, capsys) -> None:
    code, out, err = run_cli(capsys, "events", str(tmp_path))
    assert code == 2
    assert str(tmp_path) in err and "case.json" in err
    assert "Traceback" not in err


def test_events_runs_as_a_console_command(tmp_path: Path, default_case_path: Path) -> None:
    case = tmp_path / "case"
    shutil.copytree(default_case_path, case)
    result = subprocess.run(
        [sys.executable, "-m", "timeline_app", "events", str(case)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "ACLU of Wisconsin urges the mayor" in result.stdout


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith("timeline-app 0.1.0")
