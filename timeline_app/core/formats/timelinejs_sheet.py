"""Import a CSV saved from the TimelineJS Google spreadsheet template: each row is read as
the JSON slide it stands for (Type "title" -> title slide, "era" -> era, else an event)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from timeline_app.core.dates import MONTH_NUMBERS
from timeline_app.core.formats.common import FormatError, ImportResult, Reporter
from timeline_app.core.formats.text_input import read_csv_table
from timeline_app.core.formats.timelinejs_import import CaseBuilder

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
    builder = CaseBuilder(reporter, default_title=Path(path).stem)
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


_MONTHS: dict[str, int] = MONTH_NUMBERS


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
