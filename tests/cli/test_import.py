"""`timeline-app import`: every timeline format into a new case folder, with its report."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from timeline_app.cli import main
from timeline_app.core.casefile import load_case

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("name", "events", "lanes", "periods"),
    [
        ("timelinejs_full.json", 8, 3, ", 1 background periods"),
        ("timelinejs_sheet.csv", 6, 3, ", 1 background periods"),
        ("sop130.timeline", 8, 3, ", 2 background periods"),
        ("old_v0.timeline", 2, 1, ""),
    ],
)
def test_import_creates_a_valid_case(capsys, tmp_path: Path, name, events, lanes, periods) -> None:
    target = tmp_path / "case"
    code, out, _ = run_cli(capsys, "import", str(FIXTURES / name), "-o", str(target))
    assert code == 0
    case, problems = load_case(target)
    assert problems == []
    assert (len(case.events), len(case.lanes)) == (events, lanes)
    assert f"Imported {events} events, {lanes} lanes{periods} into {target}" in out


def test_report_lists_what_was_skipped(capsys, tmp_path: Path) -> None:
    source = FIXTURES / "sop130.timeline"
    code, out, _ = run_cli(capsys, "import", str(source), "-o", str(tmp_path / "c"))
    assert code == 0
    assert "sop130.timeline: line 135 <event>: skipped: an event without text (title)" in out
    assert "(3 items skipped, listed above)" in out


def test_generic_csv_with_a_map(capsys, tmp_path: Path) -> None:
    target = tmp_path / "c"
    mapping = "title=Headline,when=Date,end=End Date,lane=Group,summary=Notes,url=Link"
    args = ["import", str(FIXTURES / "generic.csv"), "-o", str(target), "--map", mapping]
    code, out, _ = run_cli(capsys, *args)
    assert code == 0
    case, _ = load_case(target)
    assert len(case.events) == 10
    assert "row 12: skipped: 'No year': 'June 30' has no year" in out


def test_export_then_import_zip_round_trip(capsys, tmp_path: Path, default_case_path) -> None:
    archive = tmp_path / "case.zip"
    assert run_cli(capsys, "export", "--to", str(archive))[0] == 0
    code, out, _ = run_cli(capsys, "import", str(archive), "-o", str(tmp_path / "copy"))
    assert code == 0
    assert "3 documents" in out
    original, _ = load_case(default_case_path)
    copy, problems = load_case(tmp_path / "copy")
    assert problems == []
    assert [(e.id, e.when, e.sources) for e in copy.events] == [
        (e.id, e.when, e.sources) for e in original.events
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("malformed.json", "malformed.json:4:1: malformed JSON"),
        ("malformed.timeline", "malformed.timeline:7:23: malformed XML: mismatched tag"),
        ("doctype.timeline", "the file has a DOCTYPE"),
        ("numeric.timeline", "timetype 'numtime' has no calendar dates"),
    ],
)
def test_malformed_input_exits_2_and_writes_nothing(capsys, tmp_path: Path, name, message) -> None:
    code, out, err = run_cli(capsys, "import", str(FIXTURES / name), "-o", str(tmp_path / "c"))
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_non_empty_target_is_refused(capsys, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep", encoding="utf-8")
    source = str(FIXTURES / "sop130.timeline")
    code, _, err = run_cli(capsys, "import", source, "-o", str(tmp_path))
    assert code == 2
    assert "is not empty" in err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.json"], "no such file or folder"),
        (["timelinejs_full.json", "--map", "title=X"], "--map and --dayfirst apply to generic CSV"),
        (["generic.csv", "--map", "colour=X"], "--map field 'colour' is unknown"),
        (["generic.csv", "--map", "when=Nope"], "--map when=Nope: no such column"),
        (["generic.csv", "sop130.timeline"], "import one timeline file at a time"),
    ],
)
def test_bad_usage_exits_2(capsys, tmp_path: Path, args: list[str], message: str) -> None:
    args = [str(FIXTURES / a) if a.endswith((".json", ".csv", ".timeline")) else a for a in args]
    code, _, err = run_cli(capsys, "import", *args, "-o", str(tmp_path / "c"))
    assert code == 2
    assert message in err


def test_unknown_extension(capsys, tmp_path: Path) -> None:
    source = tmp_path / "data.xyz"
    source.write_text("x", encoding="utf-8")
    code, _, err = run_cli(capsys, "import", str(source), "-o", str(tmp_path / "c"))
    assert code == 2
    assert "cannot tell the format of 'data.xyz'" in err


def test_format_option_overrides_detection(capsys, tmp_path: Path) -> None:
    source = tmp_path / "timeline.xml"
    shutil.copy(FIXTURES / "old_v0.timeline", source)
    code, _, _ = run_cli(
        capsys, "import", str(source), "-o", str(tmp_path / "c"), "--format", "timeline"
    )
    assert code == 0


def test_documents_go_to_the_document_import(capsys, tmp_path: Path) -> None:
    doc = tmp_path / "letter.txt"
    doc.write_text("Dear mayor,\n\nOn 30 June 2017 we wrote.", encoding="utf-8")
    code, out, _ = run_cli(capsys, "import", str(doc), "-o", str(tmp_path / "c"))
    assert code == 0
    assert "letter" in out
    case, _ = load_case(tmp_path / "c")
    assert len(case.documents) == 1


def test_without_document_import_documents_are_refused_clearly(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "timeline_app.core.documents", None)
    doc = tmp_path / "letter.txt"
    doc.write_text("Dear mayor", encoding="utf-8")
    code, _, err = run_cli(capsys, "import", str(doc), "-o", str(tmp_path / "c"))
    assert code == 2
    assert "importing documents" in err and "not available yet" in err
    assert not (tmp_path / "c").exists()


def test_nothing_importable_shows_why(capsys, tmp_path: Path) -> None:
    source = tmp_path / "dates.csv"
    source.write_text("title,date\nA,June 30\nB,someday\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "import", str(source), "-o", str(tmp_path / "c"))
    assert code == 2
    assert "row 2: skipped: 'A': 'June 30' has no year" in out
    assert "row 3: skipped: 'B': 'someday' is not a date" in out
    assert "nothing to import" in err
    assert not (tmp_path / "c").exists()
