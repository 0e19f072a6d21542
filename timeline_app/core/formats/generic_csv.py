"""Import any CSV with a header row, given which column holds what.

``--map title=Headline,when=Date,lane=Group,summary=Notes,end=End Date`` names the columns
(case-insensitive); fields not mapped are looked up under usual header names (see
``AUTO_COLUMNS``), so a CSV exported by this app imports with no map at all.

Dates may be EDTF (kept as given) or any text python-dateutil reads, turned into EDTF to
the precision the text gave: "30 June 2017" -> 2017-06-30, "June 2017" -> 2017-06,
"2017" -> 2017, "6/30/2017 14:05" -> 2017-06-30T14:05 (dateutil parses twice with two
different default dates; the fields that do not change were in the text). "c. 1996" and
"about June 2017" become approximate (~), a trailing "?" uncertain; "44 BC" -> -0043.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

from timeline_app.core.dates import DateError, When
from timeline_app.core.formats.common import (
    FormatError,
    IdMaker,
    ImportResult,
    LaneMaker,
    Reporter,
)
from timeline_app.core.formats.edtf_fields import (
    edtf_from_fields,
    edtf_year,
    interval,
    parse_when,
    qualify,
)
from timeline_app.core.formats.text_input import CsvTable, read_csv_table
from timeline_app.core.model import Case, Citation, Event, SourceRef

FIELDS = ("id", "title", "when", "end", "lane", "summary", "tags", "actors", "url")
REQUIRED = ("title", "when")
AUTO_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "title": ("title", "headline", "name", "event"),
    "when": ("when", "date", "start", "start date", "start_date", "begin"),
    "end": ("end", "end date", "end_date", "until"),
    "lane": ("lane_name", "lane", "group", "category"),
    "summary": ("summary", "description", "notes", "text", "details"),
    "tags": ("tags", "tag", "keywords"),
    "actors": ("actors", "people", "who"),
    "url": ("url", "link", "hyperlink"),
}
LIST_SPLIT = re.compile(r"\s*;\s*")

_SENTINELS = (dt.datetime(2000, 1, 1, 0, 0, 0), dt.datetime(2004, 2, 2, 1, 1, 1))
_APPROXIMATE = re.compile(
    r"^(?:~|c\.|ca\.|circa|about|around|approx(?:\.|imately)?|roughly)\s*", re.I
)
_ERA_YEAR = re.compile(r"(\d{1,9})\s*(BCE?|B\.C\.(?:E\.)?|AD|A\.D\.|CE|C\.E\.)", re.I)
_AD_YEAR = re.compile(r"(?:AD|A\.D\.|CE)\s*(\d{1,4})", re.I)


def parse_mapping(text: str) -> dict[str, str]:
    """``title=Headline,when=Date`` -> {"title": "Headline", "when": "Date"}.

    Raises ValueError naming the bad entry and the fields that exist."""
    mapping: dict[str, str] = {}
    for entry in (e.strip() for e in text.split(",")):
        if not entry:
            continue
        name, sep, column = entry.partition("=")
        name = name.strip().casefold()
        if not sep or not column.strip():
            raise ValueError(f"--map entry {entry!r} is not FIELD=COLUMN")
        if name not in FIELDS:
            raise ValueError(
                f"--map field {name!r} is unknown (expected one of {', '.join(FIELDS)})"
            )
        mapping[name] = column.strip()
    return mapping


def read_generic_csv(
    path: str | Path, mapping: dict[str, str] | None = None, dayfirst: bool = False
) -> ImportResult:
    """A new case from a CSV file; raises FormatError when the columns cannot be found."""
    reporter = Reporter(path)
    table = read_csv_table(path, reporter)
    columns = resolve_columns(path, table, mapping or {})
    case = Case(title=Path(path).stem)
    lanes, ids = LaneMaker(case), IdMaker()
    for number, row in table.rows:
        where = f"row {number}"

        def cell(name: str, row: list[str] = row) -> str:
            index = columns.get(name)
            return row[index].strip() if index is not None and index < len(row) else ""

        event = _row_event(cell, where, reporter, ids, dayfirst)
        if event is not None:
            event.lane = lanes.lane_id(cell("lane"))
            case.events.append(event)
    return ImportResult(case, reporter.items)


def resolve_columns(path: str | Path, table: CsvTable, mapping: dict[str, str]) -> dict[str, int]:
    """Field -> column index, from the map, else from usual header names."""
    header = [h.casefold() for h in table.header]
    shown = ", ".join(repr(h) for h in table.header)
    columns: dict[str, int] = {}
    for name, column in mapping.items():
        if column.casefold() not in header:
            raise FormatError(path, f"--map {name}={column}: no such column (columns: {shown})", 1)
        columns[name] = header.index(column.casefold())
    for name, candidates in AUTO_COLUMNS.items():
        if name not in columns:
            found = next((c for c in candidates if c in header), None)
            if found is not None:
                columns[name] = header.index(found)
    for name in REQUIRED:
        if name not in columns:
            raise FormatError(
                path, f"no column for {name!r}: use --map {name}=COLUMN (columns: {shown})", 1
            )
    return columns


def _row_event(
    cell: Callable[[str], str], where: str, reporter: Reporter, ids: IdMaker, dayfirst: bool
) -> Event | None:
    title = cell("title")
    if not title:
        reporter.skip(where, "no title")
        return None
    try:
        when = row_when(cell("when"), cell("end"), dayfirst, reporter, where)
    except ValueError as reason:
        reporter.skip(where, f"{title!r}: {reason}")
        return None
    event = Event(ids.make(cell("id"), title), title, when, summary=cell("summary"))
    if cell("id") and event.id != cell("id"):
        reporter.note(where, f"id {cell('id')!r} is used twice; id {event.id!r}")
    event.tags = [t for t in LIST_SPLIT.split(cell("tags")) if t]
    event.actors = [a for a in LIST_SPLIT.split(cell("actors")) if a]
    if cell("url"):
        event.sources.append(SourceRef(citation=Citation(url=cell("url"))))
    return event


def row_when(start: str, end: str, dayfirst: bool, reporter: Reporter, where: str) -> When:
    """The When of a row from its date cell and optional end cell; ValueError says why not."""
    if not start:
        raise ValueError("no date")
    first = text_to_edtf(start, dayfirst)
    if not end:
        return When.parse(first)
    last = text_to_edtf(end, dayfirst)
    if "/" in first or "/" in last:
        reporter.note(where, f"the date {start!r} is already a range; end {end!r} ignored")
        return When.parse(first)
    try:
        return When.parse(interval(first, last))
    except DateError:
        reporter.note(where, f"end {end!r} is not after {start!r}; end ignored")
        return When.parse(first)


def text_to_edtf(text: str, dayfirst: bool = False) -> str:
    """EDTF for a date written as EDTF or as free text; ValueError says why it is not one."""
    text = text.strip()
    if parse_when(text) is not None:
        return When.parse(text).edtf
    approximate = bool(_APPROXIMATE.match(text))
    core = _APPROXIMATE.sub("", text, count=1).strip()
    uncertain = core.endswith("?")
    core = core.rstrip("?").strip()
    edtf = _era_year(core) or _free_text(core, text, dayfirst)
    return qualify(edtf, uncertain, approximate)


def _era_year(text: str) -> str | None:
    """'44 BC' -> -0043 (astronomical), 'AD 476' / '476 AD' -> 0476."""
    match = _ERA_YEAR.fullmatch(text)
    if match:
        year = int(match.group(1))
        return edtf_year(1 - year if match.group(2).upper().startswith("B") else year)
    match = _AD_YEAR.fullmatch(text)
    return edtf_year(int(match.group(1))) if match else None


def _free_text(core: str, original: str, dayfirst: bool) -> str:
    from dateutil import parser

    if re.fullmatch(r"\d{1,4}", core):
        return edtf_year(int(core))
    try:
        a, b = (parser.parse(core, default=d, dayfirst=dayfirst) for d in _SENTINELS)
    except (ValueError, OverflowError):
        raise ValueError(f"{original!r} is not a date (EDTF or text dateutil reads)") from None
    if a.year != b.year:
        raise ValueError(f"{original!r} has no year")
    month = a.month if a.month == b.month else None
    day = a.day if month is not None and a.day == b.day else None
    time = None
    if day is not None and (a.hour, a.minute) == (b.hour, b.minute):
        if a.tzinfo is not None and a.utcoffset():
            a = a.astimezone(dt.timezone.utc)
            return edtf_from_fields(a.year, a.month, a.day, (a.hour, a.minute, None)) + "Z"
        time = (a.hour, a.minute, a.second if a.second == b.second and a.second else None)
        edtf = edtf_from_fields(a.year, month, day, time)
        return edtf + ("Z" if a.tzinfo is not None else "")
    return edtf_from_fields(a.year, month, day)
