"""``timeline-app import FILE_OR_FOLDER... -o CASE_DIR`` with documents: the case is created
(or added to), skipped files are listed with the reason, exit 0 when one was imported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.core.test_documents import write_pdf
from timeline_app.cli import main
from timeline_app.core.casefile import load_case

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "documents"


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_folder_and_files_make_a_new_case_and_skipped_files_are_listed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pdf = write_pdf(tmp_path / "minutes.pdf", ["Council minutes", "Voted on June 30, 2017."])
    out_dir = tmp_path / "case"
    code, out, _ = run_cli(
        capsys,
        "import",
        str(FIXTURES / "folder"),
        str(FIXTURES / "binary.txt"),
        str(FIXTURES / "empty.txt"),
        str(FIXTURES / "cp1252.txt"),
        str(pdf),
        "-o",
        str(out_dir),
    )
    assert code == 0
    assert f"skipped {FIXTURES / 'binary.txt'}: it is a binary file, not text" in out
    assert f"skipped {FIXTURES / 'empty.txt'}: the file is empty" in out
    assert "cp1252" in out  # the warning about the guessed encoding
    assert "Imported 4 documents" in out
    case, problems = load_case(out_dir)
    assert problems == []
    assert sorted(d.id for d in case.documents) == ["a-letter", "cp1252", "minutes", "report"]
    minutes = case.document_by_id("minutes")
    assert minutes is not None and "Voted on June 30, 2017." in minutes.text


def test_adds_to_an_existing_case(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, default_case_path: Path
) -> None:
    out_dir = tmp_path / "case"
    shutil.copytree(default_case_path, out_dir)
    code, out, _ = run_cli(capsys, "import", str(FIXTURES / "page.html"), "-o", str(out_dir))
    assert code == 0
    case, problems = load_case(out_dir)
    assert problems == []
    assert [d.id for d in case.documents][-1] == "page"
    assert len(case.documents) == 4


def test_nothing_imported_exits_2_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_dir = tmp_path / "case"
    code, out, _ = run_cli(
        capsys,
        "import",
        str(FIXTURES / "binary.txt"),
        str(FIXTURES / "empty.txt"),
        "-o",
        str(out_dir),
    )
    assert code == 2
    assert "binary" in out and "empty" in out
    assert not out_dir.exists()


def test_oversized_files_are_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIMELINE_APP_MAX_DOCUMENT_MB", "0.0001")  # 104 bytes
    big = tmp_path / "big.txt"
    big.write_text("The council met on June 30, 2017.\n" * 10, encoding="utf-8")
    small = tmp_path / "small.txt"
    small.write_text("The council met on June 30, 2017.\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, "import", str(big), str(small), "-o", str(tmp_path / "c"))
    assert code == 0
    assert f"skipped {big}: too large (340 bytes; the limit is 104 bytes)" in out
    assert "imported" in out and "small.txt" in out
