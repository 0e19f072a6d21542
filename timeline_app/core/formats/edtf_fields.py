"""Building EDTF text from calendar fields (imports) and calendar fields from a When
(exports), for any integer year."""

from __future__ import annotations

import re
from dataclasses import dataclass

from timeline_app.core.dates import DateError, Precision, When, civil_from_day, days_in_month


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
