"""Importing document files: every reader on hand-made fixtures, decoding, refusals, dates,
titles, folders, and the case written (new or existing)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from timeline_app.core.casefile import load_case
from timeline_app.core.commands import EditError, History
from timeline_app.core.document_text import (
    PDF_HINT,
    DocumentError,
    decode_text,
    first_heading,
    own_date,
    read_document_file,
)
from timeline_app.core.documents import (
    AddDocuments,
    SetDocumentDate,
    documents_for,
    import_documents,
    read_documents,
)
from timeline_app.core.model import Case, Document

FIXTURES = Path(__file__).parent.parent / "fixtures" / "documents"


def write_pdf(path: Path, lines: list[str], title: str = "") -> Path:
    """A one-page PDF whose text layer holds ``lines`` (Helvetica, ASCII), built by hand."""

    def escaped(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = ["BT", "/F1 12 Tf", "72 720 Td"]
    for number, line in enumerate(lines):
        ops += (["0 -18 Td"] if number else []) + [f"({escaped(line)}) Tj"]
    stream = "\n".join([*ops, "ET"]).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Title ({escaped(title)}) >>".encode("latin-1"),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    path.write_bytes(bytes(out))
    return path


# ------------------------------------------------------------------------------- readers


def test_html_drops_scripts_and_styles_keeps_paragraphs_and_items_as_lines() -> None:
    doc = read_document_file(FIXTURES / "page.html")
    assert doc.kind == "html"
    assert doc.title == "Council delays vote on police policy & budget"
    lines = doc.text.split("\n")
    assert lines[0] == "Council delays vote"  # the site's <nav> menu is not text
    assert "Council delays vote" in lines
    assert "• the policy was changed on June 19, 2017;" in lines
    assert "• it takes effect on July 8, 2017;" in lines
    # list items are consecutive lines; paragraphs are separated by a blank line
    first_item = lines.index("• the policy was changed on June 19, 2017;")
    assert lines[first_item + 1] == "• it takes effect on July 8, 2017;"
    assert "Café owners <and> residents spoke.\nThe next meeting is in August." in doc.text
    assert "met on Wednesday and delayed its vote — again." in doc.text
    assert "Common Council’s" in doc.text
    for hidden in ("1999", "2001", "2003", "2005", "font-family", "tracking", "console"):
        assert hidden not in doc.text
    assert "<" not in doc.text.replace("<and>", "")


def test_html_meta_date_is_the_documents_date() -> None:
    doc = read_document_file(FIXTURES / "page.html")
    assert (doc.date, doc.date_found_in) == ("2017-07-06", "HTML meta")
    report = read_document_file(FIXTURES / "folder" / "sub" / "report.htm")
    assert (report.title, report.date) == ("Annual report", "2018-02-01")


def test_markdown_title_is_the_first_heading_and_date_from_the_first_lines() -> None:
    doc = read_document_file(FIXTURES / "notes.md")
    assert doc.kind == "markdown"
    assert doc.title == "Timeline of SOP 130"
    assert (doc.date, doc.date_found_in) == ("2017-07-12", "first lines")
    assert doc.text.startswith("# Timeline of SOP 130\n\nNotes written")


def test_underlined_heading_is_a_title() -> None:
    assert first_heading("\nCouncil minutes\n===============\n\nText.") == "Council minutes"
    assert first_heading("Intro\n-----\n") == "Intro"
    assert first_heading("Just a paragraph.\nAnd another line.") == ""


def test_plain_text_title_is_a_standalone_first_line_else_the_file_name(tmp_path: Path) -> None:
    titled = tmp_path / "letter.txt"
    titled.write_text("Letter to the mayor\n\nDear Mayor, we write.\n", encoding="utf-8")
    assert read_document_file(titled).title == "Letter to the mayor"
    untitled = tmp_path / "memo-17.txt"
    untitled.write_text("This memo starts with a sentence.\nIt goes on.\n", encoding="utf-8")
    assert read_document_file(untitled).title == "memo-17"


def test_pdf_text_and_title(tmp_path: Path) -> None:
    pdf = write_pdf(
        tmp_path / "minutes.pdf",
        ["Minutes of the council", "The vote was held on June 30, 2017."],
        title="Council minutes",
    )
    doc = read_document_file(pdf)
    assert doc.kind == "pdf"
    assert doc.title == "Council minutes"
    assert "The vote was held on June 30, 2017." in doc.text
    assert "\r" not in doc.text


def test_pdf_without_pypdf_says_how_to_enable_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    pdf = write_pdf(tmp_path / "a.pdf", ["Some text"])
    monkeypatch.setitem(sys.modules, "pypdf", None)  # import pypdf now raises ImportError
    with pytest.raises(DocumentError) as caught:
        read_document_file(pdf)
    assert str(caught.value) == PDF_HINT
    assert "pip install 'timeline-app[pdf]'" in PDF_HINT


def test_broken_pdf_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nthis is not really a pdf\n")
    with pytest.raises(DocumentError, match="PDF"):
        read_document_file(broken)


# ------------------------------------------------------------------------------- decoding


def test_utf16_with_bom_and_crlf() -> None:
    doc = read_document_file(FIXTURES / "utf16.txt")
    assert doc.text.startswith("Résumé of the meeting\n\nOn June 30, 2017")
    assert "“urgently”" in doc.text
    assert "\r" not in doc.text and "\ufeff" not in doc.text
    assert doc.warnings == ()


def test_utf8_bom_is_dropped_and_date_line_read() -> None:
    doc = read_document_file(FIXTURES / "utf8-bom.txt")
    assert doc.text.startswith("Letter to the mayor\n")
    assert (doc.date, doc.date_found_in) == ("2017-06-30", "date line")


def test_cp1252_is_read_with_a_warning_saying_so() -> None:
    doc = read_document_file(FIXTURES / "cp1252.txt")
    assert doc.text == "Café notes\n\nThe mayor said “no” on March 24, 2016."
    assert len(doc.warnings) == 1
    assert "cp1252" in doc.warnings[0] and "not UTF-8" in doc.warnings[0]


def test_html_declared_charset_is_used_without_a_warning(tmp_path: Path) -> None:
    page = tmp_path / "euro.html"
    page.write_bytes(
        b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15">'
        b"<title>Caf\xe9</title></head><body><p>It cost 5 \xa4 on June 30, 2017.</p></body></html>"
    )
    doc = read_document_file(page)
    assert doc.title == "Café"
    assert doc.text == "It cost 5 € on June 30, 2017."  # cp1252 would read ¤
    assert doc.warnings == ()


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"a\r\nb\rc\n", "a\nb\nc\n"),
        ("é".encode("utf-16-be").join([b"\xfe\xff", b""]), "é"),
        (b"\xef\xbb\xbfplain", "plain"),
        ("naïve".encode(), "naïve"),
    ],
)
def test_decode_text(data: bytes, text: str) -> None:
    assert decode_text(data) == (text, "")


# ------------------------------------------------------------------------------- refusals


def test_binary_empty_and_other_types_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="binary"):
        read_document_file(FIXTURES / "binary.txt")
    with pytest.raises(DocumentError, match="empty"):
        read_document_file(FIXTURES / "empty.txt")
    blank = tmp_path / "blank.txt"
    blank.write_text("\n  \n\t\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="no text"):
        read_document_file(blank)
    with pytest.raises(DocumentError, match="not a document type"):
        read_document_file(FIXTURES / "folder" / "sub" / "picture.png")


def test_files_over_the_size_limit_are_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("June 30, 2017. " * 100, encoding="utf-8")
    with pytest.raises(DocumentError, match="too large"):
        read_document_file(big, max_bytes=1000)
    assert read_document_file(big, max_bytes=2000).text.startswith("June 30")


# ------------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "meta", "date"),
    [
        ("Title\n\nStory Date: \nJul 4, 2017\n\nText on June 30, 2017.", "", "2017-07-04"),
        ("Title\nDate: 2017-06-19\nBody.", "", "2017-06-19"),
        ("DATE: June 19. 2017\nACTION: Amends", "", "2017-06-19"),
        ("Published: March 5, 2018\n", "2017-01-01", "2018-03-05"),
        ("No date line here.", "2017-07-06T09:30:00Z", "2017-07-06"),
        ("Memo\n\nJune 30, 2017\n\nDear Mayor:", "", "2017-06-30"),
        ("A report about 2017 and the month of June.", "", ""),
        ("Update: the vote is delayed.", "", ""),
    ],
)
def test_own_date(text: str, meta: str, date: str) -> None:
    assert own_date(text, meta)[0] == date


def test_a_date_far_down_is_not_the_documents_date(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("Report\n\n" + "A line without dates.\n" * 30 + "On June 30, 2017.\n")
    doc = read_document_file(path)
    assert doc.date == ""
    assert doc.file_modified  # offered, not used


# ------------------------------------------------------------------------------- batches


def test_read_documents_walks_folders_and_lists_what_it_skipped() -> None:
    batch = read_documents(
        [FIXTURES / "folder", FIXTURES / "binary.txt", FIXTURES / "empty.txt", FIXTURES / "x.txt"]
    )
    assert [Path(d.source_file).name for d in batch.read] == ["a-letter.txt", "report.htm"]
    reasons = {Path(s.path).name: s.reason for s in batch.skipped}
    assert set(reasons) == {"binary.txt", "empty.txt", "x.txt"}
    assert "binary" in reasons["binary.txt"]
    assert "empty" in reasons["empty.txt"]
    assert "no such file" in reasons["x.txt"]


def test_read_documents_reports_progress_and_can_be_cancelled() -> None:
    seen: list[tuple[int, int]] = []
    batch = read_documents(
        [FIXTURES], progress=lambda done, total, _name: seen.append((done, total))
    )
    total = batch.total
    assert total == len(batch.read) + len([s for s in batch.skipped]) and total >= 8
    assert seen[0] == (0, total) and seen[-1] == (total, total)
    calls = iter([False, False, True])
    stopped = read_documents([FIXTURES], cancelled=lambda: next(calls))
    assert stopped.cancelled and len(stopped.read) + len(stopped.skipped) == 2


def test_documents_get_unique_ids_and_remember_where_they_came_from() -> None:
    case = Case(documents=[Document(id="a-letter", text="x")])
    batch = read_documents([FIXTURES / "folder" / "a-letter.txt"] * 1 + [FIXTURES / "notes.md"])
    docs = documents_for(case, batch.read + batch.read[:1])
    assert [d.id for d in docs] == ["a-letter-2", "notes", "a-letter-3"]
    assert docs[0].extra["source_file"] == str((FIXTURES / "folder" / "a-letter.txt").resolve())
    assert docs[0].date == "2017-07-04" and docs[0].title == "A letter"


def test_add_documents_is_one_undoable_command() -> None:
    case = Case()
    docs = documents_for(case, read_documents([FIXTURES / "folder"]).read)
    history = History(case)
    history.push(AddDocuments(docs))
    assert [d.id for d in case.documents] == ["a-letter", "report"]
    assert history.undo_text() == "Import 2 documents"
    history.undo()
    assert case.documents == []
    history.redo()
    assert len(case.documents) == 2


# ------------------------------------------------------------------------------- into a case


def test_import_into_a_new_case_folder(tmp_path: Path) -> None:
    out = tmp_path / "new-case"
    result = import_documents([FIXTURES], out)
    assert result.case is not None
    names = {Path(d.extra["source_file"]).name for d in result.imported}
    assert names == {
        "page.html",
        "utf16.txt",
        "cp1252.txt",
        "utf8-bom.txt",
        "notes.md",
        "a-letter.txt",
        "report.htm",
    }
    skipped = {Path(s.path).name for s in result.skipped}
    assert skipped == {"binary.txt", "empty.txt"}
    assert any("cp1252" in line for line in result.report)
    assert result.report[-1].startswith("Imported 7 documents")
    case, problems = load_case(out)
    assert problems == []
    assert {d.id for d in case.documents} == {d.id for d in result.imported}
    page = case.document_by_id("page")
    assert page is not None
    assert page.text == read_document_file(FIXTURES / "page.html").text
    assert page.date == "2017-07-06"
    raw = json.loads((out / "case.json").read_text(encoding="utf-8"))
    assert all("source_file" in d for d in raw["documents"])
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no leftovers


def test_import_adds_to_an_existing_case(tmp_path: Path, default_case_path: Path) -> None:
    out = tmp_path / "case"
    shutil.copytree(default_case_path, out)
    before, _ = load_case(out)
    result = import_documents([FIXTURES / "notes.md"], out)
    assert result.case is not None
    after, problems = load_case(out)
    assert problems == []
    assert [d.id for d in after.documents] == [d.id for d in before.documents] + ["notes"]
    assert len(after.events) == len(before.events)


def test_nothing_imported_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "case"
    result = import_documents([FIXTURES / "binary.txt", FIXTURES / "empty.txt"], out)
    assert result.case is None and result.imported == []
    assert len(result.skipped) == 2
    assert not out.exists()


def test_refuses_a_folder_that_is_not_a_case(tmp_path: Path) -> None:
    (tmp_path / "stuff.txt").write_text("mine", encoding="utf-8")
    result = import_documents([FIXTURES / "notes.md"], tmp_path)
    assert result.case is None
    assert "not empty" in result.report[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["stuff.txt"]


def test_set_document_date_checks_the_date_and_undoes() -> None:
    case = Case(documents=[Document(id="memo", text="Signed on Friday.")])
    history = History(case)
    history.push(SetDocumentDate("memo", "2017-06-30"))
    assert case.documents[0].date == "2017-06-30"
    history.undo()
    assert case.documents[0].date == ""
    with pytest.raises(EditError, match="date"):
        history.push(SetDocumentDate("memo", "soonish"))
    with pytest.raises(EditError, match="no document 'nope'"):
        history.push(SetDocumentDate("nope", "2017"))


def test_folders_are_walked_without_following_links_or_hidden_folders(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "memo.txt").write_text("Memo of June 30, 2017.", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "notes.txt").write_text("not a document", encoding="utf-8")
    (tmp_path / "a" / "loop").symlink_to(tmp_path, target_is_directory=True)
    batch = read_documents([tmp_path])
    assert [Path(d.source_file).name for d in batch.read] == ["memo.txt"]
    assert batch.skipped == []
