"""Knight Lab TimelineJS: export to its JSON, import its JSON and its spreadsheet CSV.

JSON shape (https://timeline.knightlab.com/docs/json-format.html): ``title`` slide,
``events`` (``start_date``/``end_date`` objects with year, month, day, hour, minute,
second; ``display_date``; ``text`` {headline, text}; ``media``; ``group``;
``background``; ``unique_id``) and ``eras``.

Years are astronomical, as in EDTF (0 = 1 BC, -44 = 45 BC); years beyond four digits
become EDTF long years (``Y-13800000000``) and keep only the year. Eras become the case's
background periods: ``case.extra["periods"]``, a list of {"title", "when"[, "summary"]}.
Media become citation sources with note "media" (exported back as media).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import IO, Any

from timeline_app.core.dates import DateError, Precision, When
from timeline_app.core.formats.common import (
    FormatError,
    IdMaker,
    ImportResult,
    LaneMaker,
    Reporter,
    ReportItem,
)
from timeline_app.core.formats.edtf_fields import (
    edtf_from_fields,
    fields_of,
    interval,
    long_year,
    parse_int,
    parse_when,
    qualify,
)
from timeline_app.core.formats.text_input import html_to_text, read_csv_table
from timeline_app.core.model import Case, Citation, Event, SourceRef

MEDIA_NOTE = "media"
PERIODS_KEY = "periods"
UNTITLED = "Untitled event"

# Spreadsheet template columns (https://timeline.knightlab.com, "Google Spreadsheet").
SHEET_COLUMNS = (
    "Year",
    "Month",
    "Day",
    "Time",
    "End Year",
    "End Month",
    "End Day",
    "End Time",
    "Display Date",
    "Headline",
    "Text",
    "Media",
    "Media Credit",
    "Media Caption",
    "Media Thumbnail",
    "Type",
    "Group",
    "Background",
)


class _Skip(Exception):
    """This item cannot be imported; the message says why."""


# ================================================================================ export


def write_timelinejs(case: Case, stream: IO[bytes]) -> list[ReportItem]:
    """Write the case as TimelineJS JSON (UTF-8) to a binary stream, one slide a line."""
    data, report = to_timelinejs(case)
    parts = []
    for key, value in data.items():
        if isinstance(value, list):
            items = ",\n    ".join(json.dumps(v, ensure_ascii=False) for v in value)
            parts.append(f'  "{key}": [\n    {items}\n  ]' if value else f'  "{key}": []')
        else:
            parts.append(f'  "{key}": {json.dumps(value, ensure_ascii=False)}')
    stream.write(("{\n" + ",\n".join(parts) + "\n}\n").encode("utf-8"))
    return report


def to_timelinejs(case: Case) -> tuple[dict[str, Any], list[ReportItem]]:
    """The TimelineJS JSON object of a case, and the periods that could not be exported."""
    lane_names = {lane.id: lane.name for lane in case.lanes}
    data: dict[str, Any] = {
        "title": {"text": {"headline": _html(case.title), "text": _html(case.description)}},
        "events": [export_event(ev, lane_names) for ev in case.events_in_time_order()],
    }
    eras, report = _export_eras(case)
    if eras:
        data["eras"] = eras
    return data, report


def export_event(event: Event, lane_names: dict[str, str]) -> dict[str, Any]:
    """One TimelineJS slide for an event."""
    start, end = date_objects(event.when)
    slide: dict[str, Any] = {"start_date": start}
    if end is not None:
        slide["end_date"] = end
    slide["display_date"] = event.when.human()
    slide["text"] = {"headline": _html(event.title), "text": _html(event.summary)}
    if event.lane and event.lane in lane_names:
        slide["group"] = lane_names[event.lane]
    media = _export_media(event)
    if media:
        slide["media"] = media
    if isinstance(event.extra.get("background"), dict):
        slide["background"] = event.extra["background"]
    slide["unique_id"] = event.id
    return slide


def date_objects(when: When) -> tuple[dict[str, int], dict[str, int] | None]:
    """TimelineJS start_date and end_date (or None), each only to its own precision.

    An open end is left out (the display date says it is open); a date coarser than a
    year, or a season, becomes a span from its first to its last year or month.
    """
    first, last = when.start, when.end
    if first is None or last is None:
        known = first or last
        assert known is not None
        return _date_object(known), _span_end(known)
    if first is last:
        return _date_object(first), _span_end(first)
    return _date_object(first), _date_object(last)


def _date_object(part: When, at: float | None = None) -> dict[str, int]:
    fields = fields_of(part, at)
    out = {"year": fields.year}
    for key in ("month", "day", "hour", "minute", "second"):
        value = getattr(fields, key)
        if value is not None:
            out[key] = value
    return out


def _span_end(part: When) -> dict[str, int] | None:
    """The end_date of a single date that TimelineJS cannot show as one (201X, 2017-21)."""
    if part.precision >= Precision.MONTH or part.precision == Precision.YEAR:
        return None
    return _date_object(part, part.sort_end - 1)


def _html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _export_media(event: Event) -> dict[str, str] | None:
    for source in event.sources:
        cit = source.citation
        if source.note == MEDIA_NOTE and cit is not None and cit.url:
            media = {"url": cit.url, "caption": _html(cit.title), "credit": _html(cit.publisher)}
            if isinstance(cit.extra.get("thumbnail"), str):
                media["thumbnail"] = cit.extra["thumbnail"]
            return {k: v for k, v in media.items() if v}
    return None


def _export_eras(case: Case) -> tuple[list[dict[str, Any]], list[ReportItem]]:
    eras, report = [], []
    for index, period in enumerate(periods_of(case)):
        when = parse_when(str(period.get("when", "")))
        if when is None:
            where = f"{PERIODS_KEY}[{index}]"
            report.append(ReportItem("case.json", where, "period without a valid EDTF when"))
            continue
        first, last = when.start or when.end, when.end or when.start
        assert first is not None and last is not None
        eras.append(
            {
                "start_date": _date_object(first),
                "end_date": _date_object(last, last.sort_end - 1 / 86400),
                "text": {"headline": _html(str(period.get("title", "")))},
            }
        )
    return eras, report


def periods_of(case: Case) -> list[dict[str, Any]]:
    """The case's background periods (case.extra["periods"]), the well-formed entries only."""
    value = case.extra.get(PERIODS_KEY)
    if not isinstance(value, list):
        return []
    return [p for p in value if isinstance(p, dict)]


# ================================================================================ import


def read_timelinejs(path: str | Path) -> ImportResult:
    """A new case from a TimelineJS JSON file; raises FormatError when it is not one."""
    reporter = Reporter(path)
    data = _load_json(Path(path))
    events = data.get("events", [])
    if "events" not in data and "title" not in data:
        raise FormatError(
            path, 'not a TimelineJS timeline: expected a JSON object with an "events" list'
        )
    if not isinstance(events, list):
        raise FormatError(path, f'"events" is {_kind(events)}; expected a list of slides')
    builder = _CaseBuilder(reporter, default_title=Path(path).stem)
    if data.get("title") is not None:
        builder.title_slide(data["title"], "title")
    for index, slide in enumerate(events):
        builder.event(slide, f"events[{index}]")
    eras = data.get("eras", [])
    if not isinstance(eras, list):
        reporter.skip("eras", f'"eras" is {_kind(eras)}; expected a list')
        eras = []
    for index, era in enumerate(eras):
        builder.era(era, f"eras[{index}]")
    return builder.result()


def read_timelinejs_csv(path: str | Path) -> ImportResult:
    """A new case from a CSV saved from the TimelineJS spreadsheet template."""
    reporter = Reporter(path)
    table = read_csv_table(path, reporter)
    columns = {name.casefold(): i for i, name in enumerate(table.header)}
    if "year" not in columns or "headline" not in columns:
        raise FormatError(
            path, "not a TimelineJS spreadsheet: expected the columns Year and Headline", 1
        )
    known = {c.casefold() for c in SHEET_COLUMNS}
    for name in table.header:
        if name and name.casefold() not in known:
            reporter.note("row 1", f"column {name!r} is not a TimelineJS column; ignored")
    builder = _CaseBuilder(reporter, default_title=Path(path).stem)
    for number, row in table.rows:
        cell = _row_getter(row, columns)
        slide = sheet_row_to_slide(cell, reporter, f"row {number}")
        kind = cell("type").casefold()
        if kind == "title":
            builder.title_slide(slide, f"row {number}")
        elif kind == "era":
            builder.era(slide, f"row {number}")
        else:
            if kind:
                reporter.note(f"row {number}", f"unknown Type {kind!r}; read as an event")
            builder.event(slide, f"row {number}")
    return builder.result()


def is_timelinejs_sheet(header: list[str]) -> bool:
    names = {name.strip().casefold() for name in header}
    return {"year", "headline"} <= names


def _row_getter(row: list[str], columns: dict[str, int]) -> Any:
    def cell(name: str) -> str:
        index = columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    return cell


def sheet_row_to_slide(cell: Any, reporter: Reporter, where: str) -> dict[str, Any]:
    """A spreadsheet row as the TimelineJS JSON slide it stands for."""
    slide: dict[str, Any] = {
        "start_date": _sheet_date(cell("year"), cell("month"), cell("day"), cell("time")),
        "text": {"headline": cell("headline"), "text": cell("text")},
    }
    end = _sheet_date(cell("end year"), cell("end month"), cell("end day"), cell("end time"))
    if end.get("year") not in (None, ""):
        slide["end_date"] = end
    for key, column in (("display_date", "display date"), ("group", "group")):
        if cell(column):
            slide[key] = cell(column)
    media = {
        "url": cell("media"),
        "credit": cell("media credit"),
        "caption": cell("media caption"),
        "thumbnail": cell("media thumbnail"),
    }
    if media["url"]:
        slide["media"] = media
    background = cell("background")
    if background:
        is_colour = re.fullmatch(r"#?[0-9a-fA-F]{3}([0-9a-fA-F]{3})?|[a-zA-Z]+", background)
        slide["background"] = {"color" if is_colour else "url": background}
    for part in ("time", "end time"):
        if cell(part) and _parse_time(cell(part)) is None:
            reporter.note(where, f"{part.title()} {cell(part)!r} is not a time of day; ignored")
    return slide


def _sheet_date(year: str, month: str, day: str, time: str) -> dict[str, Any]:
    out: dict[str, Any] = {"year": year, "month": _month_number(month), "day": day}
    parsed = _parse_time(time) if time else None
    if parsed is not None:
        out["hour"], out["minute"], out["second"] = parsed
    return out


_MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}


def _month_number(text: str) -> str | int:
    return _MONTHS.get(text.strip().rstrip(".").casefold(), text)


def _parse_time(text: str) -> tuple[int, int, int | None] | None:
    match = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*([AaPp]\.?[Mm]\.?)?", text.strip())
    if match is None or (match.group(2) is None and match.group(4) is None):
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    second = int(match.group(3)) if match.group(3) else None
    if match.group(4):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match.group(4)[0] in "Pp" else 0)
    if hour > 23 or minute > 59 or (second or 0) > 59:
        return None
    return hour, minute, second


def _load_json(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise FormatError(path, f"cannot read the file: {err.strerror or err}") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FormatError(path, "not UTF-8 text (expected TimelineJS JSON)") from None
    except json.JSONDecodeError as err:
        raise FormatError(path, f"malformed JSON: {err.msg}", err.lineno, err.colno) from None
    except RecursionError:
        raise FormatError(path, "malformed JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise FormatError(path, f"expected a TimelineJS JSON object, got {_kind(data)}")
    return data


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text"}.get(type(value), f"{value!r}")


class _CaseBuilder:
    """Turns TimelineJS slides (from JSON or from spreadsheet rows) into a case."""

    def __init__(self, reporter: Reporter, default_title: str) -> None:
        self.reporter = reporter
        self.case = Case(title=default_title)
        self.lanes = LaneMaker(self.case)
        self.ids = IdMaker()
        self.periods: list[dict[str, Any]] = []

    def result(self) -> ImportResult:
        if self.periods:
            self.case.extra[PERIODS_KEY] = self.periods
        return ImportResult(self.case, self.reporter.items)

    def title_slide(self, slide: Any, where: str) -> None:
        if not isinstance(slide, dict):
            self.reporter.skip(where, f"the title slide is {_kind(slide)}; expected an object")
            return
        headline, text = _slide_text(slide)
        if headline:
            self.case.title = headline
        if text:
            self.case.description = text

    def event(self, slide: Any, where: str) -> None:
        if not isinstance(slide, dict):
            self.reporter.skip(where, f"a slide is {_kind(slide)}; expected an object")
            return
        headline, text = _slide_text(slide)
        try:
            when = slide_when(slide, self.reporter, where)
        except _Skip as reason:
            self.reporter.skip(where, f"{headline or 'untitled slide'!r}: {reason}")
            return
        if not headline:
            headline = text.split("\n", 1)[0][:80] or UNTITLED
            self.reporter.note(where, f"no headline; titled {headline!r}")
        wanted = _str(slide.get("unique_id"))
        event = Event(self.ids.make(wanted, headline), headline, when)
        if wanted and event.id != wanted:
            self.reporter.note(where, f"unique_id {wanted!r} is used twice; id {event.id!r}")
        event.summary = text
        event.lane = self.lanes.lane_id(_str(slide.get("group")))
        media = _import_media(slide.get("media"))
        if media is not None:
            event.sources.append(media)
        if isinstance(slide.get("background"), dict):
            event.extra["background"] = slide["background"]
        display = html_to_text(_str(slide.get("display_date")))
        if display and display != when.human():
            event.extra["display_date"] = display
        self.case.events.append(event)

    def era(self, slide: Any, where: str) -> None:
        if not isinstance(slide, dict):
            self.reporter.skip(where, f"an era is {_kind(slide)}; expected an object")
            return
        headline, text = _slide_text(slide)
        try:
            when = slide_when(slide, self.reporter, where)
        except _Skip as reason:
            self.reporter.skip(where, f"era {headline or 'untitled'!r}: {reason}")
            return
        period: dict[str, Any] = {"title": headline or "Untitled period", "when": when.edtf}
        if text:
            period["summary"] = text
        self.periods.append(period)


def _str(value: Any) -> str:
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else str(value)


def _slide_text(slide: dict[str, Any]) -> tuple[str, str]:
    text = slide.get("text")
    if not isinstance(text, dict):
        return "", ""
    headline = html_to_text(_str(text.get("headline"))).replace("\n", " ")
    return headline, html_to_text(_str(text.get("text")))


def _import_media(media: Any) -> SourceRef | None:
    if not isinstance(media, dict) or not _str(media.get("url")):
        return None
    citation = Citation(
        publisher=html_to_text(_str(media.get("credit"))),
        title=html_to_text(_str(media.get("caption"))),
        url=_str(media.get("url")),
    )
    if _str(media.get("thumbnail")):
        citation.extra["thumbnail"] = _str(media.get("thumbnail"))
    return SourceRef(citation=citation, note=MEDIA_NOTE)


# -- dates

_APPROXIMATE = re.compile(
    r"~|\b(approximate(ly)?|approx\.?|about|around|circa|c\.|ca\.|roughly)(?=\W|$)", re.I
)
_YEARS_AGO = re.compile(r"\babout [\d.,]+(?: [a-z]+)? years ago")
_UNCERTAIN = re.compile(r"\?|\b(uncertain|possibly|probably|perhaps|maybe)\b", re.I)
_OPEN_START = re.compile(r"^\s*(on or before|before|until|no later than|by)\b|or earlier", re.I)
_OPEN_END = re.compile(r"^\s*(on or after|after|since|no earlier than)\b|or later|onwards?", re.I)


def slide_when(slide: dict[str, Any], reporter: Reporter, where: str) -> When:
    """The EDTF date of a slide: start_date (and end_date) to their precision, with the
    qualifiers and open ends its display_date states ("c. 1500", "on or before ...")."""
    display = html_to_text(_str(slide.get("display_date")))
    if "start_date" not in slide or slide["start_date"] in (None, "", {}):
        raise _Skip("no start_date")
    start = _date_part(slide["start_date"], "start_date", reporter, where)
    end_raw = slide.get("end_date")
    end = None
    if isinstance(end_raw, dict) and _str(end_raw.get("year")):
        end = _date_part(end_raw, "end_date", reporter, where)
    elif end_raw not in (None, "", {}) and not isinstance(end_raw, dict):
        reporter.note(where, "end_date is not an object; ignored")
    qualifiers = _YEARS_AGO.sub("", display)  # "(about 13.8 billion years ago)" is no "about"
    uncertain = bool(_UNCERTAIN.search(qualifiers))
    approximate = bool(_APPROXIMATE.search(qualifiers))
    start_q = qualify(start, uncertain, approximate)
    end_q = qualify(end, uncertain, approximate) if end is not None else None
    if end_q is None and _OPEN_START.search(display):
        text = interval(None, start_q)
    elif end_q is None and _OPEN_END.search(display):
        text = f"{start_q}/.."
    else:
        text = interval(start_q, end_q)
    try:
        return When.parse(text)
    except DateError:
        pass
    if end_q is not None:  # most likely the end is before the start
        reporter.note(where, f"end_date {end} is not after start_date {start}; end ignored")
        return When.parse(start_q)
    raise _Skip(f"cannot make a date of {text!r}")


def _date_part(obj: Any, name: str, reporter: Reporter, where: str) -> str:
    """EDTF of a TimelineJS date object; raises _Skip with the reason when unusable."""
    if not isinstance(obj, dict):
        raise _Skip(f"{name} is {_kind(obj)}; expected an object with a year")
    try:
        values = {k: parse_int(obj.get(k)) for k in ("year", "month", "day", "hour", "minute")}
        values["second"] = parse_int(obj.get("second"))
    except ValueError as err:
        raise _Skip(f"{name}: {err}") from None
    year, month, day = values["year"], values["month"], values["day"]
    if year is None:
        raise _Skip(f"{name} has no year")
    if month is not None and long_year(year):
        reporter.note(where, f"{name}: year {year} is kept alone (EDTF long years have no month)")
        month = day = None
    if day is not None and month is None:
        reporter.note(where, f"{name}: a day without a month; day ignored")
        day = None
    time = None
    if values["hour"] is not None:
        if day is None:
            reporter.note(where, f"{name}: a time without a day; time ignored")
        else:
            time = (values["hour"], values["minute"] or 0, values["second"])
    try:
        return edtf_from_fields(year, month, day, time)
    except ValueError as err:
        raise _Skip(f"{name}: {err}") from None
