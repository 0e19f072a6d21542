"""Free-text dates typed by a person -> EDTF.

``free_text_to_edtf("late June 2017")`` returns ``"2017-06-21/2017-06-30"``; text that
cannot be read raises :class:`FreeTextDateError` whose message says why.

What is understood (the result is always checked with ``When.parse``):

- EDTF itself passes through unchanged (``2017-06-30``, ``2017-06~``, ``../2017-06-30``).
- A single date python-dateutil can read: ``30 June 2017``, ``June 30th, 2017``,
  ``Jun 2017``, ``2017``, ``30/6/2017``, ``30.6.2017``, ``30 June 2017 14:05``. Which parts
  the text gave (year, month, day, time) is learnt by parsing twice with two different
  sentinel defaults: a part that comes out the same both times was in the text. The
  precision of the EDTF follows: ``June 2017`` -> ``2017-06``.
- Qualifiers: a trailing ``?`` (uncertain) -> ``2017-06?``; ``c.``, ``ca.``, ``circa``,
  ``about``, ``around``, ``approximately`` (approximate) -> ``1996~``; both -> ``%``.
- Open ends: ``before``/``by``/``until``/``on or before``/``no later than X`` -> ``../X``;
  ``after``/``since``/``from``/``on or after``/``no earlier than X`` -> ``X/..``.
  ("before 30 June 2017" is read as "on or before", as people usually mean it.)
- Ranges: ``June 19-21, 2017``, ``19-21 June 2017``, ``19 June - 13 July 2017``,
  ``2017-2019``, ``from X to Y``, ``between X and Y``, ``X until Y``, ``X – Y``. A side that
  lacks the year (or the month) takes it from the other side.
- Parts of a month or year (a documented choice: an interval, not just ``~``, so that the
  timeline draws it where it belongs): ``early June 2017`` -> days 1-10,
  ``mid June 2017`` -> 11-20, ``late``/``end of June 2017`` -> 21-last day;
  ``early 2017`` -> January-April, ``mid 2017`` -> May-August, ``late 2017`` ->
  September-December.
  Parts of a decade: ``early 1990s`` -> ``1990/1993``, ``mid`` 1994-1996, ``late`` 1997-1999.
- Decades and centuries: ``1990s`` -> ``199X``, ``19th century`` -> ``18XX``.
- Seasons, quarters and halves (EDTF sub-year groupings): ``summer 2017`` -> ``2017-22``,
  ``Q3 2017`` / ``third quarter of 2017`` -> ``2017-35``, ``second half of 2017`` -> ``2017-41``.
- Eras: ``44 BC`` / ``44 BCE`` -> ``-0043`` (astronomical years), ``AD 79`` -> ``0079``.
- A qualifier inside an open end: ``before c. 1996`` -> ``../1996~``.

Refused, with a reason: empty text, text without a year (``June 30``), two-digit years
(``6/30/17``, ``the 90s``), numeric dates whose day and month could be swapped
(``6/7/2017``), times without a date, unknown words (``soonish 2017``, ``June or July 2017``),
impossible dates (``31/6/2017``), a part of a day-precise date (``late 30 June 2017``), ranges
that end before they start.
"""

from __future__ import annotations

import calendar
import re
import warnings
from dataclasses import dataclass
from datetime import datetime

from dateutil import parser as dateutil_parser

from timeline_app.core.dates import DateError, When


class FreeTextDateError(ValueError):
    """The text could not be read as a date; the message says why."""


# Two defaults that differ in every field (both years leap, both months 31 days long):
# a field equal in both parses was given by the text.
_SENTINEL_A = datetime(4, 1, 1, 0, 0, 0)
_SENTINEL_B = datetime(8, 3, 2, 1, 1, 1)

_APPROX_WORDS = r"(?:circa|about|around|approximately|approx|roughly|ca|c)\b\.?"
_BEFORE_WORDS = r"on or before|no later than|not later than|before|by|until|till|up to"
_AFTER_WORDS = r"on or after|no earlier than|not earlier than|after|since|from"
_PART_WORDS = {
    "early": "early",
    "beginning of": "early",
    "start of": "early",
    "mid": "mid",
    "middle of": "mid",
    "late": "late",
    "end of": "late",
}


@dataclass(frozen=True)
class _Date:
    """The parts of one date the text gave; None where it gave none."""

    year: int | None
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    second: int | None = None
    tz: str = ""

    def edtf(self) -> str:
        if self.year is None:
            raise FreeTextDateError("no year given")
        if self.day is not None and self.month is None:
            raise FreeTextDateError(f"day {self.day} has no month")
        text = _year_text(self.year)
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        if self.hour is not None:
            text += f"T{self.hour:02d}:{self.minute or 0:02d}"
            if self.second is not None:
                text += f":{self.second:02d}"
            text += self.tz
        return text


def free_text_to_edtf(text: str) -> str:
    """Read a date typed by a person; return canonical EDTF or raise FreeTextDateError."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise FreeTextDateError("empty: type a date such as 30 June 2017 or 2017-06")
    try:
        return When.parse(cleaned).edtf
    except DateError:
        pass
    edtf = _read(cleaned)
    try:
        return When.parse(edtf).edtf
    except DateError as err:
        raise FreeTextDateError(f"{text!r} reads as {edtf!r}, which is not valid: {err}") from err


def describe(text: str) -> tuple[str | None, str]:
    """(EDTF, human reading) or (None, reason): what a date field shows while typing."""
    try:
        edtf = free_text_to_edtf(text)
    except FreeTextDateError as err:
        return None, str(err)
    return edtf, When.parse(edtf).human()


def _read(text: str) -> str:
    uncertain = text.endswith("?")
    body = text.rstrip("?").strip()
    approx_match = re.match(rf"^{_APPROX_WORDS}\s*(.+)$", body, re.IGNORECASE)
    approximate = approx_match is not None
    if approx_match is not None:
        body = approx_match.group(1)
    edtf = _read_unqualified(body)
    return _qualify(edtf, uncertain=uncertain, approximate=approximate)


def _qualify(edtf: str, *, uncertain: bool, approximate: bool) -> str:
    mark = "%" if uncertain and approximate else "?" if uncertain else "~" if approximate else ""
    if not mark:
        return edtf
    parts = edtf.split("/")
    return "/".join(part if part in ("..", "") else part + mark for part in parts)


def _read_unqualified(text: str) -> str:
    lowered = text.lower()
    match = re.match(rf"^(?:{_BEFORE_WORDS})\s+(.+)$", lowered)
    if match:
        return "../" + _read_single(text[len(text) - len(match.group(1)) :])
    match = re.match(r"^between\s+(.+?)\s+and\s+(.+)$", text, re.IGNORECASE)
    if match:
        return _range(match.group(1), match.group(2))
    match = re.match(r"^from\s+(.+?)\s+(?:to|until|till|through|thru)\s+(.+)$", text, re.IGNORECASE)
    if match:
        return _range(match.group(1), match.group(2))
    sides = _split_range(text)
    if sides is not None:
        return _range(*sides)
    match = re.match(rf"^(?:{_AFTER_WORDS})\s+(.+)$", text, re.IGNORECASE)
    if match:
        return _read_single(match.group(1)) + "/.."
    return _read_part_or_single(text)


def _split_range(text: str) -> tuple[str, str] | None:
    """Split "X to Y", "X – Y", "X - Y", "June 19-21" into two sides, or None."""
    for pattern in (r"\s+(?:to|until|till|through|thru)\s+", r"\s*[–—]\s*", r"\s+-\s+"):
        parts = re.split(pattern, text, maxsplit=1, flags=re.IGNORECASE)
        if len(parts) == 2:
            return parts[0], parts[1]
    years = re.match(r"^(\d{3,4})\s*-\s*(\d{3,4})$", text)
    if years:
        return years.group(1), years.group(2)
    if re.search(r"[A-Za-z]", text):  # "June 19-21, 2017", "June 2017-July 2017"
        parts = re.split(r"(?<=\d)\s*-\s*(?=\d)|(?<=\d)-(?=[A-Za-z])", text, maxsplit=1)
        if len(parts) == 2:
            return parts[0], parts[1]
    return None


def _range(left_text: str, right_text: str) -> str:
    left = _parse_date(left_text.strip(" ,"))
    right = _parse_date(right_text.strip(" ,"))
    left, right = _borrow(left, right), _borrow(right, left)
    start, end = left.edtf(), right.edtf()
    if When.parse(start).sort_start > When.parse(end).sort_start:
        raise FreeTextDateError(f"the range ends ({end}) before it starts ({start})")
    return f"{start}/{end}"


def _borrow(side: _Date, other: _Date) -> _Date:
    """Fill the coarser parts a side lacks (year, month) from the other side of a range."""
    year, month = side.year, side.month
    if month is None and side.day is not None:
        month = other.month
    if year is None and (month is not None or side.day is not None):
        year = other.year
    return _Date(year, month, side.day, side.hour, side.minute, side.second, side.tz)


def _read_part_or_single(text: str) -> str:
    match = re.match(
        r"^(early|beginning of|start of|middle of|mid|late|end of)(?:\s+|-)(.+)$",
        text,
        re.IGNORECASE,
    )
    if not match:
        return _read_single(text)
    part = _PART_WORDS[match.group(1).lower()]
    decade = _DECADE_RE.match(match.group(2).strip().lower())
    if decade:
        first, last = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}[part]
        return f"{decade.group(1)}{first}/{decade.group(1)}{last}"
    date = _parse_date(match.group(2))
    if date.year is None:
        raise FreeTextDateError(f"{text!r} has no year; add one (e.g. {text} 2017)")
    return _part_of(part, date, text)


def _part_of(part: str, date: _Date, text: str) -> str:
    assert date.year is not None
    year = _year_text(date.year)
    if date.day is not None:
        raise FreeTextDateError(
            f"{text!r}: '{part}' needs a month or a year, not a day; drop '{part}' or the day"
        )
    if date.month is None:
        first, last = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[part]
        return f"{year}-{first:02d}/{year}-{last:02d}"
    days = calendar.monthrange(date.year if 1 <= date.year <= 9999 else 2000, date.month)[1]
    first, last = {"early": (1, 10), "mid": (11, 20), "late": (21, days)}[part]
    month = f"{year}-{date.month:02d}"
    return f"{month}-{first:02d}/{month}-{last:02d}"


def _read_single(text: str) -> str:
    approx = re.match(rf"^{_APPROX_WORDS}\s*(.+)$", text.strip(), re.IGNORECASE)
    if approx:  # "before c. 1996"
        return _qualify(_read_single(approx.group(1)), uncertain=False, approximate=True)
    special = _read_special(text)
    if special is not None:
        return special
    short = text.strip()
    if re.fullmatch(r"\d{1,2}", short):
        raise FreeTextDateError(
            f"{short!r} is too short for a year; write the year in full (e.g. 19{short}"
            f" or 20{short}), or as EDTF with four digits ({int(short):04d})"
        )
    date = _parse_date(text)
    if date.year is None:
        raise FreeTextDateError(f"{text!r} has no year; add one (e.g. {text} 2017)")
    return date.edtf()


_DECADE_RE = re.compile(r"^(?:the\s+)?(\d{3})0s$")
_SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}
_ORDINALS |= {"fourth": 4, "4th": 4}


def _read_special(text: str) -> str | None:
    """What dateutil does not read: decades, centuries, BC/AD years, seasons, quarters."""
    stripped = text.strip().lower()
    for reader in (_decade_or_century, _era_year, _season_or_quarter):
        found = reader(stripped, text)
        if found is not None:
            return found
    return None


def _decade_or_century(stripped: str, text: str) -> str | None:
    decade = _DECADE_RE.match(stripped)
    if decade:
        return f"{decade.group(1)}X"
    if re.fullmatch(r"(?:the\s+)?'?\d0s", stripped):
        raise FreeTextDateError(f"{text!r}: write the decade in full (e.g. the 1990s)")
    century = re.match(r"^(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\s+century$", stripped)
    if century:
        number = int(century.group(1))
        if number < 1:
            raise FreeTextDateError(f"{text!r}: there is no century 0")
        return f"{number - 1:02d}XX"
    return None


def _era_year(stripped: str, text: str) -> str | None:
    bc = re.match(r"^(\d{1,4})\s*(?:bc|bce|b\.c\.|b\.c\.e\.)$", stripped)
    if bc:
        number = int(bc.group(1))
        if number < 1:
            raise FreeTextDateError(f"{text!r}: there is no year 0 BC; 1 BC is followed by AD 1")
        return _year_text(1 - number)
    ad = re.match(r"^(?:(?:ad|a\.d\.|ce)\s*(\d{1,4})|(\d{1,4})\s*(?:ad|a\.d\.|ce))$", stripped)
    if ad:
        number = int(ad.group(1) or ad.group(2))
        if number < 1:
            raise FreeTextDateError(f"{text!r}: there is no year AD 0; 1 BC is followed by AD 1")
        return _year_text(number)
    return None


def _season_or_quarter(stripped: str, text: str) -> str | None:
    """EDTF sub-year groupings: seasons (21-24), quarters (33-36), halves (40-41)."""
    season = re.match(r"^(spring|summer|autumn|fall|winter)(?:\s+of)?\s+(\d{3,4})$", stripped)
    if season:
        return f"{int(season.group(2)):04d}-{_SEASONS[season.group(1)]}"
    quarter = re.match(
        r"^(?:q([1-4])|(first|1st|second|2nd|third|3rd|fourth|4th)\s+quarter(?:\s+of)?)"
        r"\s+(\d{3,4})$",
        stripped,
    )
    if quarter:
        number = int(quarter.group(1) or _ORDINALS[quarter.group(2)])
        return f"{int(quarter.group(3)):04d}-{32 + number}"
    half = re.match(r"^(?:h([12])|(first|1st|second|2nd)\s+half(?:\s+of)?)\s+(\d{3,4})$", stripped)
    if half:
        number = int(half.group(1) or _ORDINALS[half.group(2)])
        return f"{int(half.group(3)):04d}-{39 + number}"
    return None


def _parse_date(text: str) -> _Date:
    """One date; which parts it gave is learnt from two parses with different defaults."""
    text = text.strip().strip(",").strip()
    text = re.sub(r"^(?:the|on)\s+", "", text, flags=re.IGNORECASE)
    if re.fullmatch(r"\d{1,2}", text):
        return _Date(None, None, int(text))  # a bare day in a range: "19-21 June 2017"
    if re.fullmatch(r"\d{3,4}", text):
        return _Date(int(text))
    day_year = re.fullmatch(r"(\d{1,2}),?\s+(\d{3,4})", text)
    if day_year:  # "21, 2017": the end of "June 19-21, 2017"
        return _Date(int(day_year.group(2)), None, int(day_year.group(1)))
    _refuse_ambiguous_numeric(text)
    first, second = _dateutil_parse(text, _SENTINEL_A), _dateutil_parse(text, _SENTINEL_B)

    def given(name: str) -> int | None:
        a, b = getattr(first, name), getattr(second, name)
        return a if a == b else None

    date = _Date(
        given("year"),
        given("month"),
        given("day"),
        given("hour"),
        given("minute"),
        given("second"),
        _tz_text(first),
    )
    _check_parts(text, date)
    return date


def _dateutil_parse(text: str, default: datetime) -> datetime:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            return dateutil_parser.parse(text, default=default)
        except (ValueError, OverflowError, Warning) as err:
            reason = str(err).split(":")[0]
            if reason.startswith("Unknown string format"):
                reason = "unknown words; try e.g. 30 June 2017, June 2017, c. 1996"
            raise FreeTextDateError(f"cannot read {text!r} as a date ({reason})") from err


def _tz_text(parsed: datetime) -> str:
    try:
        offset = parsed.utcoffset()
    except ValueError as err:  # dateutil took a number for a huge time zone offset
        raise FreeTextDateError(f"cannot read the time zone: {err}") from err
    if offset is None:
        return ""
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "Z"
    sign = "+" if minutes > 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _refuse_ambiguous_numeric(text: str) -> None:
    match = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})", text)
    if not match:
        return
    first, second, year = (int(g) for g in match.groups())
    if first <= 12 and second <= 12 and first != second:
        raise FreeTextDateError(
            f"{text!r} is ambiguous: {first}/{second} could be day/month or month/day; "
            f"write it as {year:04d}-{second:02d}-{first:02d} "
            f"or {year:04d}-{first:02d}-{second:02d}"
        )


def _check_parts(text: str, date: _Date) -> None:
    if date.year is None and date.month is None and date.day is None:
        raise FreeTextDateError(f"{text!r} has no date, only a time or a weekday")
    if date.year is None:
        if date.day is not None or date.month is not None:
            return  # may be one side of a range; the caller borrows the year or refuses
    digits = re.findall(r"\d+", text)
    if date.year is not None and not any(int(d) == date.year and len(d) >= 3 for d in digits):
        raise FreeTextDateError(
            f"{text!r}: two-digit years are ambiguous; write the year in full (e.g. {date.year})"
        )
    if date.day is not None and date.month is None:
        raise FreeTextDateError(f"{text!r}: a day without a month")


def _year_text(year: int) -> str:
    if year < 0:
        return f"-{-year:04d}"
    return f"{year:04d}"
