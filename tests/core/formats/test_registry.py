"""Format choice, range and lane selection, atomic export and all-or-nothing import."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from timeline_app.core.dates import When
from timeline_app.core.formats import registry
from timeline_app.core.formats.common import FormatError
from timeline_app.core.model import Case

from .helpers import make_case


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.csv", "csv"),
        ("a.ICS", "ics"),
        ("a.json", "timelinejs"),
        ("a.zip", "zip"),
        ("a.png", "png"),
        ("a.svg", "svg"),
        ("a.pdf", "pdf"),
        ("a.html", "html"),
    ],
)
def test_export_format_from_extension(name: str, fmt: str) -> None:
    assert registry.export_format_for(name) == fmt


def test_export_format_named_or_unknown() -> None:
    assert registry.export_format_for("out.txt", "csv") == "csv"
    assert registry.export_format_for("out", "json") == "timelinejs"
    with pytest.raises(ValueError, match="cannot tell the format of 'out.txt'"):
        registry.export_format_for("out.txt")


def test_import_format_detection(fixtures: Path, tmp_path: Path) -> None:
    assert registry.import_format_for(fixtures / "timelinejs_sheet.csv") == "timelinejs-csv"
    assert registry.import_format_for(fixtures / "generic.csv") == "csv"
    assert registry.import_format_for(fixtures / "sop130.timeline") == "timeline"
    assert registry.import_format_for(fixtures / "timelinejs_full.json") == "timelinejs"
    assert registry.import_format_for(tmp_path) == "documents"
    assert registry.import_format_for(tmp_path / "a.md") == "documents"
    with pytest.raises(ValueError, match="cannot tell the format of 'a.xyz'"):
        registry.import_format_for(tmp_path / "a.xyz")
    with pytest.raises(ValueError, match="unknown import format 'pdfx'"):
        registry.import_format_for(tmp_path / "a.csv", "pdfx")


def test_select_by_range_and_lanes() -> None:
    case = make_case(
        ("old", "2016", "a"),
        ("june", "2017-06-30", "a"),
        ("span", "2016-12/2017-02", "b"),
        ("open", "../2017-01-15", "b"),
        ("none", "2017-03", None),
    )
    in_2017 = registry.select(case, When.parse("2017"))
    assert sorted(ev.id for ev in in_2017.events) == ["june", "none", "open", "span"]
    lane_b = registry.select(case, None, ["Lane B"])
    assert [ev.id for ev in lane_b.events] == ["span", "open"]
    assert [lane.id for lane in lane_b.lanes] == ["b"]
    both = registry.select(case, When.parse("2017-01/2017-05"), ["a", "lane b"])
    assert sorted(ev.id for ev in both.events) == ["open", "span"]
    assert len(case.events) == 5  # the case itself is untouched
    with pytest.raises(ValueError, match=r"no lane 'c' in this case \(lanes: a \(Lane A\)"):
        registry.select(case, None, ["c"])


def test_select_keeps_periods_in_range() -> None:
    case = make_case(("x", "2017", "a"))
    case.extra["periods"] = [{"title": "A", "when": "2010"}, {"title": "B", "when": "2017-06"}]
    selected = registry.select(case, When.parse("2017"))
    assert selected.extra["periods"] == [{"title": "B", "when": "2017-06"}]


def test_failed_export_leaves_the_old_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    out.write_text("old", encoding="utf-8")

    def failing_writer(case: Case, stream) -> list:
        stream.write(b"half")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(registry, "_load", lambda spec: failing_writer)
    with pytest.raises(RuntimeError):
        registry.export_data(make_case(("x", "2017", "a")), out, "csv")
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_import_into_creates_the_case_folder(fixtures: Path, tmp_path: Path) -> None:
    target = tmp_path / "deep" / "new-case"
    result = registry.import_into(fixtures / "sop130.timeline", target)
    assert (target / "case.json").is_file()
    assert result.case.folder == target.resolve()
    assert len(result.case.events) == 8
    assert sorted(p.name for p in target.parent.iterdir()) == ["new-case"]  # no stage left


def test_import_into_an_empty_folder(fixtures: Path, tmp_path: Path) -> None:
    target = tmp_path / "empty"
    target.mkdir()
    registry.import_into(fixtures / "timelinejs_full.json", target)
    assert (target / "case.json").is_file()


def test_import_refuses_a_non_empty_folder(fixtures: Path, tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(registry.TargetError, match="is not empty"):
        registry.import_into(fixtures / "sop130.timeline", tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


@pytest.mark.parametrize("name", ["malformed.json", "malformed.timeline", "doctype.timeline"])
def test_failed_import_writes_nothing(fixtures: Path, tmp_path: Path, name: str) -> None:
    with pytest.raises(FormatError):
        registry.import_into(fixtures / name, tmp_path / "case")
    assert list(tmp_path.iterdir()) == []


def test_refused_zip_writes_nothing(tmp_path: Path) -> None:
    archive = tmp_path / "in" / "evil.zip"
    archive.parent.mkdir()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("case.json", '{"format": "timeline-app-case", "version": 1, "title": "x"}')
        z.writestr("documents/a.txt", "fine")
        z.writestr("../../escape.txt", "bad")
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(FormatError, match="has a '..' component"):
        registry.import_into(archive, out / "case")
    assert list(out.iterdir()) == []
    assert not (tmp_path / "escape.txt").exists()


def test_import_with_no_usable_event_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "x.json"
    source.write_text('{"events": [{"text": {"headline": "no date"}}]}', encoding="utf-8")
    with pytest.raises(FormatError, match="no event could be read"):
        registry.import_into(source, tmp_path / "case")
    assert not (tmp_path / "case").exists()
