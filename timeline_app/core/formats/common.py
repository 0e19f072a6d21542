"""What every importer and exporter shares: report items, errors, EDTF building,
HTML to plain text, lane colours and ids, and atomic output files.

Importers never write: they return an `ImportResult` (a new Case held in memory plus
the report of what was skipped and why). `registry.import_into` writes it.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import IO

from timeline_app.core.dates import DateError, When, days_in_month
from timeline_app.core.model import Case, Lane, unique_id

# Colours for lanes an import creates (the default case's palette first).
LANE_PALETTE = (
    "#4c72b0",
    "#dd8452",
    "#55a868",
    "#c44e52",
    "#8172b3",
    "#937860",
    "#da8bc3",
    "#8c8c3c",
    "#ccb974",
    "#64b5cd",
)


@dataclass(frozen=True)
class ReportItem:
    """One thing an import or export left out or changed, and where.

    ``where`` names the place in the input: ``row 5`` (spreadsheet numbering, header =
    row 1), ``events[3]`` (JSON), ``line 12 <event>`` (XML), a zip member name, or an
    event id for exports. ``skipped`` is True when something was left out, False for a
    note (something kept but changed, e.g. a time dropped).
    """

    file: str
    where: str
    message: str
    skipped: bool = True

    def __str__(self) -> str:
        kind = "skipped" if self.skipped else "note"
        where = f"{self.where}: " if self.where else ""
        return f"{self.file}: {where}{kind}: {self.message}"


class FormatError(ValueError):
    """The input cannot be read at all; the message names the file and, where known,
    the line and column, and says what was expected."""

    def __init__(self, file: str | Path, message: str, line: int = 0, col: int = 0) -> None:
        place = str(file) + (f":{line}" if line else "") + (f":{col}" if line and col else "")
        super().__init__(f"{place}: {message}")
        self.file = str(file)
        self.line = line
        self.col = col
        self.reason = message


class MissingDependencyError(RuntimeError):
    """An optional package a format needs is not installed; the message says how to add it."""


@dataclass
class ImportResult:
    """A case built in memory from a foreign file, and what was skipped or changed."""

    case: Case
    report: list[ReportItem] = field(default_factory=list)

    @property
    def skipped(self) -> list[ReportItem]:
        return [item for item in self.report if item.skipped]


class Reporter:
    """Collects report items for one input file."""

    def __init__(self, file: str | Path) -> None:
        self.file = Path(file).name
        self.items: list[ReportItem] = []

    def skip(self, where: str, message: str) -> None:
        self.items.append(ReportItem(self.file, where, message, True))

    def note(self, where: str, message: str) -> None:
        self.items.append(ReportItem(self.file, where, message, False))


# ---------------------------------------------------------------------------- EDTF


def edtf_year(year: int) -> str:
    """EDTF text of a year: 2017, -0044, Y17000, Y-13800000000."""
    if -9999 <= year <= 9999:
        return f"-{-year:04d}" if year < 0 else f"{year:04d}"
    return f"Y{year}"


def edtf_from_fields(
    year: int,
    month: int | None = None,
    day: int | None = None,
    time: tuple[int, int, int | None] | None = None,
) -> str:
    """EDTF for a date given to some precision; raises ValueError when a field is out of range.

    A month needs a year, a day needs a month, a time needs a day. Years beyond four digits
    carry no month or day in EDTF; the caller checks ``long_year`` first.
    """
    text = edtf_year(year)
    if month is None:
        return text
    if long_year(year):
        raise ValueError(f"year {year} has more than four digits: EDTF gives such years alone")
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is not 1-12")
    text += f"-{month:02d}"
    if day is None:
        return text
    if not 1 <= day <= days_in_month(year, month):
        raise ValueError(f"day {day} is not in {year:04d}-{month:02d}")
    text += f"-{day:02d}"
    if time is None:
        return text
    hour, minute, second = time
    if not (0 <= hour <= 23 and 0 <= minute <= 59 and (second is None or 0 <= second <= 59)):
        raise ValueError(f"time {hour:02d}:{minute:02d} is not a time of day")
    text += f"T{hour:02d}:{minute:02d}"
    return text + (f":{second:02d}" if second else "")


def long_year(year: int) -> bool:
    return not -9999 <= year <= 9999


def qualify(edtf_part: str, uncertain: bool, approximate: bool) -> str:
    """Append the EDTF qualifier (? ~ %) to one date (not an interval)."""
    if uncertain and approximate:
        return edtf_part + "%"
    if uncertain:
        return edtf_part + "?"
    return edtf_part + "~" if approximate else edtf_part


def interval(start: str | None, end: str | None) -> str:
    """``start/end``; ``..`` stands for an open end; a lone date when the ends are equal."""
    if end is None or end == start:
        return start if start is not None else ".."
    return f"{start if start is not None else '..'}/{end}"


def parse_when(text: str) -> When | None:
    """When.parse, or None when the text is not valid EDTF."""
    try:
        return When.parse(text)
    except DateError:
        return None


# ---------------------------------------------------------------------------- text


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


def _tidy_lines(text: str) -> str:
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def slug(text: str, fallback: str, max_len: int = 48) -> str:
    """A readable id from text: lower case ASCII letters, digits and dashes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(words) > max_len:
        words = words[:max_len].rsplit("-", 1)[0] or words[:max_len]
    return words or fallback


class LaneMaker:
    """Lanes created by name on first use, with unique ids and palette colours."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.by_name: dict[str, Lane] = {}

    def lane_id(self, name: str, colour: str | None = None) -> str | None:
        """The id of the lane called ``name`` (created when new); None for an empty name."""
        name = name.strip()
        if not name:
            return None
        lane = self.by_name.get(name.casefold())
        if lane is None:
            new_id = unique_id(slug(name, "lane"), (ln.id for ln in self.case.lanes))
            colour = colour or LANE_PALETTE[len(self.case.lanes) % len(LANE_PALETTE)]
            lane = Lane(id=new_id, name=name, colour=colour)
            self.case.lanes.append(lane)
            self.by_name[name.casefold()] = lane
        return lane.id


class IdMaker:
    """Unique event ids: the given id when usable, else one made from the title."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def make(self, wanted: str | None, title: str) -> str:
        base = (wanted or "").strip() or slug(title, "event")
        new_id = unique_id(base, self.taken)
        self.taken.add(new_id)
        return new_id


def parse_int(value: object) -> int | None:
    """A whole number from JSON or a spreadsheet cell: 2017, "2017", " -44 ", "2017.0".

    None for missing or empty values; ValueError for anything else.
    """
    if value is None or isinstance(value, bool):
        if value is None:
            return None
        raise ValueError(f"{value!r} is not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError(f"{value!r} is not a whole number")
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("_", "")
        if not text:
            return None
        if re.fullmatch(r"[+-]?\d+(\.0*)?", text):
            return int(text.split(".")[0])
        raise ValueError(f"{value!r} is not a whole number")
    raise ValueError(f"{value!r} is not a whole number")


def day_in_range(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= days_in_month(year, month)


# ---------------------------------------------------------------------------- output


@contextmanager
def atomic_output(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success it is fsynced and renamed over
    ``path``, on failure removed, so ``path`` is either the old file or the whole new one."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=f".tmp{target.suffix}"
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; match a normally written file
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_binary(path: str | Path) -> Iterator[IO[bytes]]:
    """An open binary stream whose content replaces ``path`` atomically on success."""
    with atomic_output(path) as tmp, open(tmp, "wb") as stream:
        yield stream


# ---------------------------------------------------------------------------- date parts


@dataclass(frozen=True)
class DateFields:
    """One date (not an interval) as calendar fields, each given only to its precision."""

    year: int
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    second: int | None = None


def fields_of(part: When, at: float | None = None) -> DateFields:
    """Calendar fields of a single date to its precision (decades and coarser: the year;
    seasons: the month they start in). ``at`` picks another day number than the start."""
    from timeline_app.core.dates import Precision, civil_from_day

    day_number = part.sort_start if at is None else at
    whole = int(day_number // 1)
    year, month, day = civil_from_day(whole)
    precision = part.precision
    if precision < Precision.SEASON:
        return DateFields(year)
    if precision < Precision.DAY:
        return DateFields(year, month)
    if precision < Precision.MINUTE:
        return DateFields(year, month, day)
    seconds = round((day_number - whole) * 86400)
    hour, rest = divmod(min(seconds, 86399), 3600)
    minute, second = divmod(rest, 60)
    return DateFields(
        year, month, day, hour, minute, second if precision >= Precision.SECOND else None
    )


# ---------------------------------------------------------------------------- CSV input


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
    import csv
    import io

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
