"""Reading one document file into plain text, with its title and its own date.

:func:`read_document_file` turns a .txt, .md, .html/.htm or .pdf file into a
:class:`DocumentText` (plain data, safe to build in a worker thread) or raises
:class:`DocumentError` with the reason it was refused. Text is decoded from UTF-8 (with or
without a BOM), UTF-16 with a BOM, else cp1252 with a warning; newlines become ``\\n``.
The document's own date comes from a "Date:"-style line, an HTML meta date, or a date in the
first lines; the file's modification time is only offered (``file_modified``), never used.
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

MAX_BYTES = 50 * 1024 * 1024  # the default size limit
SIZE_LIMIT_VARIABLE = "TIMELINE_APP_MAX_DOCUMENT_MB"  # environment variable overriding it
SUFFIX_KINDS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}
PDF_HINT = "reading PDF files needs pypdf: pip install 'timeline-app[pdf]'"
_TITLE_LIMIT = 200
_FIRST_LINES = 8


class DocumentError(Exception):
    """A file that cannot be imported as a document; the message says why."""


@dataclass(frozen=True)
class DocumentText:
    """What a document file holds: its text and what was learnt about it."""

    source_file: str  # absolute path of the file read
    path: str  # the path as it was given (for messages)
    title: str
    text: str
    kind: str  # text, markdown, html, pdf
    date: str = ""  # EDTF, or "" when the document does not say
    date_found_in: str = ""  # "date line", "HTML meta", "first lines"
    file_modified: str = ""  # YYYY-MM-DD: only offered, never used as the date
    warnings: tuple[str, ...] = field(default=())


def is_document_file(path: Path) -> bool:
    return path.suffix.lower() in SUFFIX_KINDS


def size_limit() -> int:
    """The largest document file read, in bytes: $TIMELINE_APP_MAX_DOCUMENT_MB megabytes when
    that is set to a positive number, else 50 MB."""
    try:
        megabytes = float(os.environ.get(SIZE_LIMIT_VARIABLE, ""))
    except ValueError:
        return MAX_BYTES
    return int(megabytes * 1024 * 1024) if megabytes > 0 else MAX_BYTES


def read_document_file(path: Path, max_bytes: int | None = None) -> DocumentText:
    """The text, title and date of a document file; DocumentError when it is refused.

    ``max_bytes`` defaults to :func:`size_limit`."""
    max_bytes = size_limit() if max_bytes is None else max_bytes
    kind = SUFFIX_KINDS.get(path.suffix.lower())
    if kind is None:
        known = ", ".join(sorted(SUFFIX_KINDS))
        raise DocumentError(f"not a document type that can be imported ({known})")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError(
                f"too large ({_megabytes(size)}; the limit is {_megabytes(max_bytes)})"
            )
        data = path.read_bytes()
        modified = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
    except OSError as err:
        raise DocumentError(f"cannot read it: {err.strerror or err}") from None
    if kind == "pdf":
        text, title, meta_date, warnings = _pdf(data)
    else:
        text, warning = decode_text(data, declared_charset(data) if kind == "html" else "")
        warnings = [warning] if warning else []
        title, meta_date = "", ""
        if kind == "html":
            text, title, meta_date = html_to_text(text)
    text = text.strip("\n")
    if not text.strip():
        raise DocumentError("it holds no text" if data else "the file is empty")
    date, found_in = own_date(text, meta_date)
    return DocumentText(
        source_file=str(path.resolve()),
        path=str(path),
        title=title or first_heading(text) or (kind == "text" and title_line(text)) or path.stem,
        text=text,
        kind=kind,
        date=date,
        date_found_in=found_in,
        file_modified=modified.date().isoformat(),
        warnings=tuple(warnings),
    )


def _megabytes(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


# ------------------------------------------------------------------------------- decoding


def decode_text(data: bytes, declared: str = "") -> tuple[str, str]:
    """(text, warning): UTF-8 with or without BOM, UTF-16 with BOM, else the ``declared``
    encoding (an HTML page's charset) when it reads the bytes, else cp1252 (warned).

    Raises DocumentError for binary data. Newlines are normalised to ``\\n``."""
    warning = ""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise DocumentError("it starts like UTF-16 text but is not valid UTF-16") from None
    else:
        if looks_binary(data):
            raise DocumentError("it is a binary file, not text")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            text = _decode_declared(data, declared)
            if text is not None:
                return _normalise(text), ""
            text = data.decode("cp1252", errors="replace")
            warning = (
                f"not UTF-8 (byte 0x{data[err.start]:02x} at {err.start}): "
                "read as Windows-1252 (cp1252); check its accented letters and quotes"
            )
    text = _normalise(text)
    if "\x00" in text:
        raise DocumentError("it is a binary file, not text")
    return text, warning


def _normalise(text: str) -> str:
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _decode_declared(data: bytes, declared: str) -> str | None:
    """``data`` decoded with the declared encoding, None when there is none or it fails."""
    if not declared:
        return None
    try:
        codec = codecs.lookup(declared).name
        if codec.startswith("utf-16") or codec.startswith("utf-32"):
            return None  # without a BOM these are not what the page is
        return data.decode(codec)
    except (LookupError, UnicodeDecodeError):
        return None


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)


def declared_charset(data: bytes) -> str:
    """The encoding an HTML page declares in a <meta> tag of its first 4 KB, or ""."""
    match = _CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else ""


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or many control characters, in the first 8 KB."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return bool(head) and controls / len(head) > 0.05


# ------------------------------------------------------------------------------- HTML

# Not text of the document: code, styles, and the site's navigation menus.
_HIDDEN_TAGS = frozenset({"script", "style", "template", "noscript", "svg", "iframe", "nav"})
_BLOCK_TAGS = frozenset(
    "p div li ul ol dl dt dd tr table h1 h2 h3 h4 h5 h6 blockquote section article header "
    "footer nav aside main pre hr figure figcaption form address caption".split()
)
_META_DATE_NAMES = (
    "article:published_time",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.issued",
    "citation_publication_date",
    "pubdate",
    "publishdate",
    "og:published_time",
)


class _HtmlText(HTMLParser):
    """Plain text of an HTML page: blocks become lines, scripts and styles are dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, bool]] = []  # (text, is a list item)
        self.line: list[str] = []
        self.item = False
        self.hidden: list[str] = []
        self.pre = 0
        self.title: list[str] = []
        self.in_title = False
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            self._meta(dict(attrs))
        elif tag == "title":
            self.in_title = True
        elif tag in _HIDDEN_TAGS:
            self.hidden.append(tag)
        elif tag == "br" and not self.hidden:
            self.line.append("\n")
        elif tag in _BLOCK_TAGS:
            self._end_block()
            self.pre += tag == "pre"
            self.item = self.item or tag == "li"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HIDDEN_TAGS:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        elif tag in _HIDDEN_TAGS:
            if tag in self.hidden:
                del self.hidden[len(self.hidden) - 1 - self.hidden[::-1].index(tag) :]
        elif tag in _BLOCK_TAGS:
            self._end_block()
            self.pre -= tag == "pre" and self.pre > 0
            self.item = self.item and tag != "li"

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.hidden:
            self.line.append(data if self.pre else re.sub(r"[ \t\n\r\f\v]+", " ", data))

    def _end_block(self) -> None:
        raw = "".join(self.line)
        self.line = []
        if self.pre:
            text = "\n".join(part.rstrip() for part in raw.strip("\n").split("\n"))
        else:
            text = "\n".join(" ".join(part.split()) for part in raw.split("\n")).strip("\n")
        if text.strip():
            self.blocks.append((("• " + text) if self.item else text, self.item))
            self.item = False

    def _meta(self, attrs: dict[str, str | None]) -> None:
        name = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        content = attrs.get("content")
        if name in _META_DATE_NAMES and content and name not in self.meta:
            self.meta[name] = content.strip()

    def text(self) -> str:
        """Blocks separated by blank lines; the items of a list on consecutive lines."""
        self._end_block()
        parts: list[str] = []
        previous_item = False
        for text, item in self.blocks:
            if parts:
                parts.append("\n" if item and previous_item else "\n\n")
            parts.append(text)
            previous_item = item
        return "".join(parts)

    def meta_date(self) -> str:
        for name in _META_DATE_NAMES:
            if name in self.meta:
                return self.meta[name]
        return ""


def html_to_text(markup: str) -> tuple[str, str, str]:
    """(text, title, meta date text) of an HTML page."""
    parser = _HtmlText()
    parser.feed(markup)
    parser.close()
    title = " ".join("".join(parser.title).split())[:_TITLE_LIMIT]
    return parser.text(), title, parser.meta_date()


# ------------------------------------------------------------------------------- PDF


def _pdf(data: bytes) -> tuple[str, str, str, list[str]]:
    """(text, title, date text, warnings) of a PDF, via pypdf."""
    try:
        import io

        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:
        raise DocumentError(PDF_HINT) from None
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
        title = ""
        if reader.metadata is not None and reader.metadata.title:
            title = " ".join(str(reader.metadata.title).split())[:_TITLE_LIMIT]
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as err:
        raise DocumentError(f"not a readable PDF ({err})") from None
    text = "\n\n".join(p.strip("\n") for p in pages if p.strip())
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    warnings = [] if text.strip() else ["the PDF has no text layer (a scan?)"]
    return text, title, "", warnings


# ------------------------------------------------------------------------------- title and date

_HEADING = re.compile(r"#{1,6}\s+(\S.*?)\s*#*\s*")
_UNDERLINE = re.compile(r"(=+|-+)\s*")
_DATE_LABEL = re.compile(
    r"\s*(?:[A-Za-z]+[ \t]+){0,2}(?:date|dated|published|posted)\s*:[ \t]*(.*)", re.IGNORECASE
)


def first_heading(text: str) -> str:
    """The first Markdown heading (``# Title`` or a line underlined with === or ---)."""
    lines = text.split("\n")
    for number, line in enumerate(lines[:60]):
        heading = _HEADING.fullmatch(line)
        if heading:
            return heading.group(1)[:_TITLE_LIMIT]
        following = lines[number + 1] if number + 1 < len(lines) else ""
        if line.strip() and len(following.strip()) >= 3 and _UNDERLINE.fullmatch(following):
            return line.strip()[:_TITLE_LIMIT]
    return ""


def title_line(text: str) -> str:
    """A plain text's first line when it stands alone like a title: short, followed by a
    blank line, not a sentence."""
    first, _, rest = text.lstrip("\n").partition("\n")
    first = first.strip()
    stands_alone = rest.startswith("\n") or not rest
    if stands_alone and 0 < len(first) <= 150 and not first.endswith((".", ":", ",", ";")):
        return first
    return ""


def own_date(text: str, meta_date: str = "") -> tuple[str, str]:
    """(EDTF, where found) of the document's own date; ("", "") when it does not say."""
    head = text.split("\n", 60)[:60]
    for number, line in enumerate(head):
        label = _DATE_LABEL.match(line)
        if label is None:
            continue
        value = label.group(1).strip() or next(
            (following.strip() for following in head[number + 1 : number + 3] if following.strip()),
            "",
        )
        found = date_of_text(value)
        if found:
            return found, "date line"
    if meta_date:
        found = date_of_text(meta_date)
        if found:
            return found, "HTML meta"
    found = _date_in_first_lines(head)
    return (found, "first lines") if found else ("", "")


_ISO_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")


def date_of_text(value: str) -> str:
    """EDTF of a short text that should be a date ("Jul 4, 2017", "2017-07-04T10:00Z")."""
    from timeline_app.core.dates import DateError, When
    from timeline_app.core.extract import ABSOLUTE, find_dates

    value = value.strip()[:80]
    iso = _ISO_DAY.fullmatch(value)
    candidates = [iso.group(1)] if iso else []
    candidates += [m.value for m in find_dates(value) if m.kind == ABSOLUTE]
    for candidate in candidates:
        try:
            return When.parse(candidate).edtf
        except DateError:
            continue
    return ""


def _date_in_first_lines(lines: list[str]) -> str:
    """A full date (day precision) written in the first few non-empty lines."""
    from timeline_app.core.extract import ABSOLUTE, find_dates

    first = [line for line in lines if line.strip()][:_FIRST_LINES]
    for mention in find_dates("\n".join(first)):
        if mention.kind == ABSOLUTE and re.fullmatch(r"\d{4}-\d{2}-\d{2}", mention.value):
            return mention.value
    return ""
