"""Reading foreign text: HTML fragments to plain text, CSV files to rows."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from timeline_app.core.formats.common import FormatError, Reporter


class _TextExtractor(HTMLParser):
    """Plain text of HTML: tags dropped, scripts and styles dropped, entities decoded."""

    _BLOCKS = frozenset(
        "p div br li ul ol tr h1 h2 h3 h4 h5 h6 blockquote section article pre table".split()
    )
    _HIDDEN = frozenset({"script", "style", "template", "noscript"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self.hidden += 1
        else:
            self._break(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._break(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag != "br":
            self._break(tag)

    def _break(self, tag: str) -> None:
        """<br> is a line break; other blocks start a new line unless one is started."""
        if tag == "br":
            self.parts.append("\n")
        elif tag in self._BLOCKS and self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: block elements become line breaks, runs of spaces
    collapse, scripts and styles vanish, entities are decoded."""
    if "<" not in html and "&" not in html:
        return _tidy_lines(html)
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return _tidy_lines("".join(parser.parts))


_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_UNTIDY = re.compile(r"[\t\u00a0\r\n\v\f\x1c-\x1e\x85\u2028\u2029]|  ")


def _tidy_lines(text: str) -> str:
    if not _UNTIDY.search(text):
        return text.strip()
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


@dataclass
class CsvTable:
    """A CSV file read whole: its header and its rows numbered as a spreadsheet shows them
    (the header is row 1)."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    delimiter: str


def read_csv_table(path: str | Path, reporter: Reporter) -> CsvTable:
    """Read a CSV file (UTF-8 with or without BOM, else cp1252 with a note; comma, semicolon
    or tab separated, guessed from the header line). Raises FormatError when unreadable."""
    text = _decode_text(Path(path), reporter)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise FormatError(path, "the file is empty (expected a header row)", 1)
        rows = []
        for number, row in enumerate(reader, start=2):
            if any(cell.strip() for cell in row):
                rows.append((number, row))
    except csv.Error as err:
        raise FormatError(path, f"malformed CSV: {err}", reader.line_num) from None
    return CsvTable([cell.strip() for cell in header], rows, delimiter)


def _decode_text(path: Path, reporter: Reporter) -> str:
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise FormatError(path, f"cannot read the file: {err.strerror or err}") from None
    if b"\x00" in raw[:4096]:
        raise FormatError(path, "this is a binary file, not text (expected CSV)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        reporter.note("", "not valid UTF-8; read as Windows-1252 (cp1252)")
        return raw.decode("cp1252", errors="replace")
