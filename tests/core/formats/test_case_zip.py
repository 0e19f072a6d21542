"""Case zip: export then import gives the same case; unsafe zips are refused whole."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest

from timeline_app.core.casefile import case_to_dict, load_case
from timeline_app.core.formats.case_zip import extract_case_zip, write_case_zip
from timeline_app.core.formats.common import FormatError
from timeline_app.core.model import Case


def export_zip(case: Case, path: Path) -> Path:
    with open(path, "wb") as stream:
        assert write_case_zip(case, stream) == []
    return path


def case_zip(path: Path, members: dict[str, bytes], top: str = "") -> Path:
    """A small zip holding a valid case.json plus ``members``."""
    case_json = b'{"format": "timeline-app-case", "version": 1, "title": "Z", "events": []}'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(top + "case.json", case_json)
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_round_trip_is_identical(default_case: Case, tmp_path: Path) -> None:
    archive = export_zip(default_case, tmp_path / "case.zip")
    target = tmp_path / "copy"
    target.mkdir()
    result = extract_case_zip(archive, target)
    assert result.report == []
    again, problems = load_case(target)
    assert problems == []
    assert case_to_dict(again) == case_to_dict(default_case)
    assert [d.text for d in again.documents] == [d.text for d in default_case.documents]
    assert [ev.sources for ev in again.events] == [ev.sources for ev in default_case.events]
    with zipfile.ZipFile(archive) as z:
        assert sorted(z.namelist())[0] == "case.json"
        assert all(n == "case.json" or n.startswith("documents/") for n in z.namelist())


def test_a_zip_of_the_folder_itself_is_accepted(tmp_path: Path) -> None:
    archive = case_zip(tmp_path / "a.zip", {"mycase/documents/a.txt": b"text"}, top="mycase/")
    target = tmp_path / "t"
    target.mkdir()
    result = extract_case_zip(archive, target)
    assert result.case.title == "Z"
    assert (target / "documents" / "a.txt").read_text() == "text"


def test_clutter_and_members_outside_the_case_are_skipped(tmp_path: Path) -> None:
    clutter = {"__MACOSX/._case.json": b"x", "documents/.DS_Store": b""}
    archive = case_zip(tmp_path / "a.zip", clutter)
    target = tmp_path / "t"
    target.mkdir()
    result = extract_case_zip(archive, target)
    assert sorted(item.where for item in result.skipped) == sorted(clutter)
    assert sorted(p.name for p in target.rglob("*")) == ["case.json"]


def refused(archive: Path, tmp_path: Path, message: str, **limits: int) -> None:
    target = tmp_path / "target"
    target.mkdir()
    with pytest.raises(FormatError, match=message):
        extract_case_zip(archive, target, **limits)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../evil.txt", r"member '\.\./evil\.txt' has a '\.\.' component"),
        ("documents/../../evil.txt", "has a '..' component"),
        ("/etc/evil", "has an absolute path"),
        ("C:/evil", "has an absolute path"),
        ("documents\\..\\..\\evil", "has a '..' component"),
    ],
)
def test_paths_leaving_the_target_are_refused(tmp_path: Path, name: str, message: str) -> None:
    archive = case_zip(tmp_path / "a.zip", {name: b"x"})
    refused(archive, tmp_path, message)
    assert not (tmp_path / "evil.txt").exists()
    assert list((tmp_path / "target").iterdir()) == []  # nothing extracted, not even case.json


def test_symlinks_are_refused(tmp_path: Path) -> None:
    archive = case_zip(tmp_path / "a.zip", {})
    link = zipfile.ZipInfo("documents/link.txt")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(archive, "a") as z:
        z.writestr(link, "/etc/passwd")
    refused(archive, tmp_path, "is a symbolic link")


def test_zip_bomb_ratio_is_refused(tmp_path: Path) -> None:
    archive = case_zip(tmp_path / "a.zip", {"documents/zeros.txt": bytes(10 * 1024 * 1024)})
    refused(archive, tmp_path, r"expands \d+:1, more than the 100:1 allowed")


def test_too_many_files_are_refused(tmp_path: Path) -> None:
    members = {f"documents/{i}.txt": b"" for i in range(10_000)}
    archive = case_zip(tmp_path / "a.zip", members)
    refused(archive, tmp_path, "10001 members, more than the 10000 allowed")


def test_total_size_cap(tmp_path: Path) -> None:
    archive = case_zip(tmp_path / "a.zip", {"documents/a.txt": b"abc" * 1000})
    refused(archive, tmp_path, "more than the 2,000 allowed", max_total=2000)


def test_duplicate_names_are_refused(tmp_path: Path) -> None:
    archive = case_zip(tmp_path / "a.zip", {"documents/A.txt": b"1", "documents/a.txt": b"2"})
    refused(archive, tmp_path, "appears twice")


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"not a zip", "not a readable zip file"), (b"", "not a readable zip file")],
)
def test_not_a_zip(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.zip"
    path.write_bytes(content)
    refused(path, tmp_path, message)


def test_zip_without_a_case(tmp_path: Path) -> None:
    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("notes.txt", "hello")
    refused(path, tmp_path, "no case.json at the top of the zip")


def test_zip_whose_case_json_is_not_a_case(tmp_path: Path) -> None:
    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("case.json", "{broken")
    refused(path, tmp_path, "case.json in the zip is not a case")
