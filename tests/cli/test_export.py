"""`timeline-app export`: formats from the extension, range and lane filters, clear errors."""

from __future__ import annotations

import csv
import json
import sys
import zipfile
from pathlib import Path

import pytest

from timeline_app.cli import main


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def csv_ids(path: Path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as handle:
        return [row["id"] for row in csv.DictReader(handle)]


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("out.csv", lambda p: len(csv_ids(p)) == 19),
        ("out.ics", lambda p: p.read_bytes().count(b"BEGIN:VEVENT") == 19),
        ("out.json", lambda p: len(json.loads(p.read_text(encoding="utf-8"))["events"]) == 19),
        ("out.zip", lambda p: "case.json" in zipfile.ZipFile(p).namelist()),
    ],
)
def test_format_follows_the_extension(capsys, tmp_path: Path, name: str, check) -> None:
    out = tmp_path / name
    code, stdout, _ = run_cli(capsys, "export", "--to", str(out))
    assert code == 0
    assert check(out)
    assert f"Exported 19 events to {out}" in stdout
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left


def test_format_option_overrides_the_extension(capsys, tmp_path: Path) -> None:
    out = tmp_path / "events.txt"
    code, _, _ = run_cli(capsys, "export", "--to", str(out), "--format", "timelinejs")
    assert code == 0
    assert "events" in json.loads(out.read_text(encoding="utf-8"))


def test_range_and_lanes_filter_events(capsys, tmp_path: Path) -> None:
    out = tmp_path / "july.csv"
    args = ["export", "--to", str(out), "--range", "2017-07/2017-07", "--lanes", "Advocates,city"]
    code, stdout, _ = run_cli(capsys, *args)
    assert code == 0
    assert csv_ids(out) == ["city-hall-rally", "sop-130-effective", "fpc-shall-inform"]
    assert "Exported 3 events" in stdout


def test_snapshot_options_are_noted_as_ignored_for_data(capsys, tmp_path: Path) -> None:
    code, _, err = run_cli(capsys, "export", "--to", str(tmp_path / "a.csv"), "--width", "800")
    assert code == 0
    assert "--scale and --width apply to snapshots, not to csv" in err


def test_export_of_a_case_path(capsys, tmp_path: Path, default_case_path: Path) -> None:
    out = tmp_path / "x.json"
    code, _, _ = run_cli(capsys, "export", str(default_case_path), "--to", str(out))
    assert code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "out.xyz"], "cannot tell the format of 'out.xyz'"),
        (["--to", "out.csv", "--range", "June 2017"], "--range: 'June 2017' is not a valid date"),
        (["--to", "out.csv", "--lanes", "Nobody"], "--lanes: no lane 'Nobody' in this case"),
    ],
)
def test_bad_options_exit_2(capsys, tmp_path: Path, args: list[str], message: str) -> None:
    args = [a if not a.startswith("out.") else str(tmp_path / a) for a in args]
    code, _, err = run_cli(capsys, "export", *args)
    assert code == 2
    assert message in err
    assert list(tmp_path.iterdir()) == []


def test_missing_case_exits_2(capsys, tmp_path: Path) -> None:
    code, _, err = run_cli(
        capsys, "export", str(tmp_path / "nope"), "--to", str(tmp_path / "a.csv")
    )
    assert code == 2
    assert "no such file or folder" in err


def test_snapshot_formats_say_when_they_are_not_available(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "timeline_app.ui.export_image", None)
    code, _, err = run_cli(capsys, "export", "--to", str(tmp_path / "t.png"))
    assert code == 2
    assert "PNG export is not available yet" in err
    assert list(tmp_path.iterdir()) == []


def test_skipped_events_are_reported(capsys, tmp_path: Path) -> None:
    case = tmp_path / "case"
    case.mkdir()
    (case / "case.json").write_text(
        json.dumps(
            {
                "format": "timeline-app-case",
                "version": 1,
                "title": "Deep",
                "events": [
                    {"id": "bang", "title": "Big Bang", "when": "Y-13800000000"},
                    {"id": "now", "title": "Now", "when": "2017"},
                ],
            }
        ),
        encoding="utf-8",
    )
    code, stdout, err = run_cli(capsys, "export", str(case), "--to", str(tmp_path / "a.ics"))
    assert code == 0
    assert "a.ics: event bang: skipped: " in err
    assert "Exported 1 events" in stdout
