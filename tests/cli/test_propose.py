"""``timeline-app propose [PATH] [--doc ID] [--json]``: proposals of a case's documents."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from timeline_app.cli import main
from timeline_app.core.casefile import load_case, save_case
from timeline_app.core.model import Case, Document

TEXT = (
    "Council notes\n\nStory Date: Jul 4, 2017\n\n"
    "The council met on Friday. The policy takes effect Sept. 1, 2017.\n"
)


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["propose", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def notes_case(tmp_path: Path) -> Path:
    case = Case(title="Notes", documents=[Document(id="notes", date="2017-07-04", text=TEXT)])
    save_case(case, tmp_path / "case")
    return tmp_path / "case"


def test_plain_output_lists_date_title_and_passage(
    capsys: pytest.CaptureFixture[str], notes_case: Path
) -> None:
    code, out, _ = run_cli(capsys, str(notes_case))
    assert code == 0
    rows = [line.split("\t") for line in out.splitlines()]
    friday = TEXT.index("The council met on Friday.")
    sept = TEXT.index("The policy takes effect")
    assert rows == [
        ["2017-06-30", "The council met on Friday", f"notes:{friday}-{friday + 26}"],
        ["2017-09-01", "The policy takes effect Sept. 1, 2017", f"notes:{sept}-{sept + 38}"],
    ]


def test_json_output_holds_quotes_with_offsets(
    capsys: pytest.CaptureFixture[str], notes_case: Path
) -> None:
    code, out, _ = run_cli(capsys, str(notes_case), "--json")
    assert code == 0
    proposals = json.loads(out)
    assert [p["mention"]["text"] for p in proposals] == ["Friday", "Sept. 1, 2017"]
    for p in proposals:
        assert TEXT[p["start"] : p["end"]] == p["quote"]
        assert TEXT[p["mention"]["start"] : p["mention"]["end"]] == p["mention"]["text"]
        assert set(p) == {
            "id",
            "document",
            "when",
            "title",
            "quote",
            "start",
            "end",
            "mention",
            "confidence",
        }


def test_default_case_does_not_propose_what_its_events_cite(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, default_case_path: Path
) -> None:
    code, out, _ = run_cli(capsys, "--doc", "aclu-letter", "--json")
    assert code == 0
    assert "June 30, 2017" not in [p["mention"]["text"] for p in json.loads(out)]
    # once the event citing it is gone, the letter's date is proposed
    copy = tmp_path / "case"
    shutil.copytree(default_case_path, copy)
    case, _ = load_case(copy)
    case.events = [ev for ev in case.events if ev.id != "aclu-letter-sent"]
    save_case(case, copy)
    code, out, _ = run_cli(capsys, str(copy), "--doc", "aclu-letter", "--json")
    found = {p["mention"]["text"]: p for p in json.loads(out)}
    assert found["June 30, 2017"]["when"] == "2017-06-30"
    assert found["June 30, 2017"]["quote"].startswith("The ACLU of Wisconsin sent")


def test_unknown_document_and_bad_case_exit_2(
    capsys: pytest.CaptureFixture[str], notes_case: Path, tmp_path: Path
) -> None:
    code, _, err = run_cli(capsys, str(notes_case), "--doc", "nope")
    assert code == 2
    assert "no document 'nope' (documents: notes)" in err
    code, _, err = run_cli(capsys, str(tmp_path / "missing"))
    assert code == 2 and err
