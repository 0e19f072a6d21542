"""Dates: the EDTF subset of DESIGN.md, parsed into a `When` with day-number bounds.

Day numbers count days since 1970-01-01 (day 0) in the proleptic Gregorian calendar; the
fractional part is the UTC time of day. Years are astronomical (ISO 8601 / EDTF): year 0 is
1 BC and -0044 is 45 BC. Day arithmetic is pure integer (Howard Hinnant's days_from_civil), so it
works for any integer year; Python ``datetime`` is never used for positions (it stops at 1..9999).

Supported forms (``When.parse``):

- ``2017-06-30``, ``2017-06``, ``2017``; ``2017-06-30T14:05Z``, ``T14:05:30Z``, ``T14:05+02:00``
  (converted to UTC), ``T14:05`` (no zone: taken as UTC, kept without a zone)
- qualifiers ``?`` uncertain, ``~`` approximate, ``%`` both, on the whole date (``2017-06?``) or,
  EDTF level 2 style, after the year or month (``2017?-06``: the qualifier covers that component
  and those to its left)
- unspecified digits ``2017-06-XX``, ``2017-XX-XX``, ``2017-XX``, ``201X``, ``20XX``, ``2XXX``
- seasons and sub-years ``2017-21`` .. ``2017-41`` (21 spring, 22 summer, 23 autumn, 24 winter,
  25-32 by hemisphere, 33-36 quarters, 37-39 quadrimesters, 40-41 semesters); seasons are
  meteorological (northern spring = March to May; winter 2017 = December 2017 to February 2018)
- intervals ``2017-06-19/2017-07-13``; open ends ``../2017-06-30`` (on or before) and
  ``2017-06-19/..`` (on or after); unknown ends ``/2017-06-30`` and ``2017-06-19/``
- negative years ``-0044-03-15``; long years ``Y-13800000000``, ``Y170000002``, ``Y17E7``
  (|year| < 10**13, so every day number is exact in a float)

Letters are accepted in either case; ``edtf`` is canonical (upper case, ``Y`` only for years
beyond four digits, offsets as ``+02:00``, ``+00:00`` as ``Z``).
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

__all__ = [
    "MONTH_NAMES",
    "MONTH_NUMBERS",
    "DateError",
    "Precision",
    "When",
    "civil_from_day",
    "day_number",
    "days_in_month",
    "is_leap_year",
    "iso_bound",
    "iso_date",
]

EXPECTED = (
    "expected EDTF such as 2017-06-30, 2017-06, 2017, 2017-06~, ../2017-06-30, "
    "2017-06-19/2017-07-13"
)
MAX_YEAR = 10**13 - 1  # days stay below 2**53, exact as floats

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Lower-case English month names and abbreviations -> month number ("sept" included).
MONTH_NUMBERS: dict[str, int] = {
    **{name.lower(): n for n, name in enumerate(MONTH_NAMES, start=1)},
    **{name[:3].lower(): n for n, name in enumerate(MONTH_NAMES, start=1)},
    "sept": 9,
}


class DateError(ValueError):
    """Text that is not a date of the supported EDTF subset; the message says why."""


class Precision(enum.IntEnum):
    """How finely a date is given; coarser is smaller."""

    MILLENNIUM = 1
    CENTURY = 2
    DECADE = 3
    YEAR = 4
    SEASON = 5
    MONTH = 6
    DAY = 7
    MINUTE = 8
    SECOND = 9


# ---------------------------------------------------------------------------------------------
# Calendar arithmetic (any integer year)


def is_leap_year(year: int) -> bool:
    """Proleptic Gregorian leap year; astronomical years, so year 0 (1 BC) is leap."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    """Number of days in ``month`` (1-12) of ``year``."""
    if month == 2:
        return 29 if is_leap_year(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _days(year: int, month: int, day: int) -> int:
    """days_from_civil (H. Hinnant), unchecked; floor division keeps it exact for any year."""
    if month <= 2:
        year -= 1
        mp = month + 9
    else:
        mp = month - 3
    era = year // 400
    yoe = year - era * 400
    doy = (153 * mp + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def day_number(year: int, month: int = 1, day: int = 1) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date; any integer year.

    Raises ValueError when the month is not 1-12 or the day is not in the month.
    """
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is not 1-12")
    if not 1 <= day <= 28 and not 1 <= day <= days_in_month(year, month):
        raise ValueError(f"day {day} is not 1-{days_in_month(year, month)}")
    return _days(year, month, day)


def civil_from_day(day: int) -> tuple[int, int, int]:
    """(year, month, day) of a day number; the inverse of `day_number`."""
    z = day + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (yoe + era * 400 + (m <= 2), m, d)


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def iso_date(day: float) -> str | None:
    """``YYYY-MM-DD`` of the day containing ``day`` when its year is 1..9999, else None."""
    if not math.isfinite(day):
        return None
    year, month, dom = civil_from_day(math.floor(day))
    if not 1 <= year <= 9999:
        return None
    return f"{year:04d}-{month:02d}-{dom:02d}"


def iso_bound(day: float) -> str | int | float | None:
    """A bound for JSON: ISO date (or ``YYYY-MM-DDTHH:MM:SSZ`` when it has a time of day) when
    the year is 1..9999, else the day number (an int when whole); None when infinite."""
    if not math.isfinite(day):
        return None
    whole = math.floor(day)
    date = iso_date(whole)
    if date is None:
        return int(whole) if day == whole else day
    seconds = round((day - whole) * 86400)
    if seconds == 0:
        return date
    if seconds >= 86400:
        return iso_bound(float(whole + 1))
    hh, rest = divmod(seconds, 3600)
    return f"{date}T{hh:02d}:{rest // 60:02d}:{rest % 60:02d}Z"


# ---------------------------------------------------------------------------------------------
# Parsing one date (one end of an interval)

_DATE_RE = re.compile(
    r"""
    (?:
        Y(?P<long>-?[0-9]+)(?:E(?P<exp>[0-9]+))?(?P<lq>[?~%])?
      | (?P<year>-?[0-9X]{4})(?P<yq>[?~%])?
        (?:-(?P<month>[0-9X]{2})(?P<mq>[?~%])?
           (?:-(?P<day>[0-9X]{2})(?P<dq>[?~%])?
              (?:T(?P<hh>[0-9]{2}):(?P<mi>[0-9]{2})(?::(?P<ss>[0-9]{2}))?
                 (?P<tz>Z|[+-][0-9]{2}(?::?[0-9]{2})?)?
              )?
           )?
        )?
    )
    """,
    re.VERBOSE | re.ASCII,
)

# code -> (first month, number of months, name); 21-24 are northern meteorological seasons.
_SUBYEARS: dict[int, tuple[int, int, str]] = {
    21: (3, 3, "spring"),
    22: (6, 3, "summer"),
    23: (9, 3, "autumn"),
    24: (12, 3, "winter"),
    25: (3, 3, "northern spring"),
    26: (6, 3, "northern summer"),
    27: (9, 3, "northern autumn"),
    28: (12, 3, "northern winter"),
    29: (9, 3, "southern spring"),
    30: (12, 3, "southern summer"),
    31: (3, 3, "southern autumn"),
    32: (6, 3, "southern winter"),
    33: (1, 3, "first quarter of"),
    34: (4, 3, "second quarter of"),
    35: (7, 3, "third quarter of"),
    36: (10, 3, "fourth quarter of"),
    37: (1, 4, "first four months of"),
    38: (5, 4, "second four months of"),
    39: (9, 4, "last four months of"),
    40: (1, 6, "first half of"),
    41: (7, 6, "second half of"),
}


class _Invalid(Exception):
    """Reason an end is invalid (wrapped into DateError with the whole input)."""


_Time = tuple[int, int, "int | None", "str | None"]  # hh, mi, ss, zone ("Z", "+02:00") or None


class _Date(NamedTuple):
    """One parsed date: canonical text, bounds and what human() needs."""

    edtf: str
    earliest: float
    latest: float
    precision: Precision
    year: int
    month: int | None  # month, or season code 21-41
    day: int | None
    year_x: int  # trailing X digits of the year (0-3)
    month_x: bool
    day_x: bool
    n_uncertain: int  # how many components (from the left) are uncertain
    n_approximate: int
    n_parts: int
    time: _Time | None


def _qualifier_counts(marks: tuple[str | None, ...]) -> tuple[int, int]:
    """Group qualifiers: a mark after component k covers components 1..k."""
    n_u = n_a = 0
    for k, mark in enumerate(marks, start=1):
        if mark in ("?", "%"):
            n_u = k
        if mark in ("~", "%"):
            n_a = k
    return n_u, n_a


def _qualified(parts: list[str], n_u: int, n_a: int) -> str:
    out = []
    for k, part in enumerate(parts, start=1):
        mark = "%" if k == n_u == n_a else "?" if k == n_u else "~" if k == n_a else ""
        out.append(part + mark)
    return "-".join(out)


def _year_text(year: int) -> str:
    if -9999 <= year <= 9999:
        return f"-{-year:04d}" if year < 0 else f"{year:04d}"
    return f"Y{year}"


def _parse_long_year(m: re.Match[str]) -> _Date:
    digits, exp, mark = m.group("long", "exp", "lq")
    if len(digits.lstrip("-0")) > 13:
        raise _Invalid(f"year is beyond ±{MAX_YEAR}")
    year = int(digits)
    if exp is not None:
        if len(exp) > 2 or int(exp) > 13:
            raise _Invalid(f"exponent E{exp} is too large")
        year *= 10 ** int(exp)
    if abs(year) > MAX_YEAR:
        raise _Invalid(f"year {year} is beyond ±{MAX_YEAR}")
    n_u, n_a = _qualifier_counts((mark,))
    text = _qualified([_year_text(year)], n_u, n_a)
    return _Date(
        text,
        float(_days(year, 1, 1)),
        float(_days(year + 1, 1, 1)),
        Precision.YEAR,
        year,
        None,
        None,
        0,
        False,
        False,
        n_u,
        n_a,
        1,
        None,
    )


def _parse_year(text: str) -> tuple[int, int]:
    """(year with X as 0, number of trailing X)."""
    stripped = text.rstrip("X")
    year_x = len(text) - len(stripped)
    if "X" in stripped:
        raise _Invalid("X may only replace the last digits of a year (201X, 20XX)")
    if year_x == 4 or (year_x and stripped.startswith("-")):
        raise _Invalid("the year needs at least one known digit and no sign with X (201X, 20XX)")
    return int(stripped + "0" * year_x), year_x


def _parse_time(m: re.Match[str], day: int) -> tuple[float, float, Precision, _Time]:
    """(earliest, latest, precision, time) of the time of day on ``day``, in UTC."""
    hh, mi = int(m.group("hh")), int(m.group("mi"))
    ss_text, tz = m.group("ss", "tz")
    ss = int(ss_text) if ss_text is not None else None
    if hh > 23:
        raise _Invalid(f"hour {hh} is not 0-23")
    if mi > 59:
        raise _Invalid(f"minute {mi} is not 0-59")
    if ss is not None and ss > 59:
        raise _Invalid(f"second {ss} is not 0-59")
    offset = 0
    if tz is not None and tz != "Z":
        oh, om = int(tz[1:3]), int(tz[-2:]) if len(tz) > 3 else 0
        if oh > 23 or om > 59:
            raise _Invalid(f"time zone offset {tz} is not -23:59 to +23:59")
        offset = (oh * 60 + om) * (-1 if tz[0] == "-" else 1)
        tz = "Z" if offset == 0 else f"{tz[0]}{oh:02d}:{om:02d}"
    start = day + ((hh * 60 + mi - offset) * 60 + (ss or 0)) / 86400
    if ss is None:
        return start, start + 1 / 1440, Precision.MINUTE, (hh, mi, ss, tz)
    return start, start + 1 / 86400, Precision.SECOND, (hh, mi, ss, tz)


def _parse_date(text: str) -> _Date:
    m = _DATE_RE.fullmatch(text)
    if m is None:
        raise _Invalid(_why_unrecognised(text))
    if m.group("long") is not None:
        return _parse_long_year(m)
    year_s, month_s, day_s = m.group("year", "month", "day")
    year, year_x = _parse_year(year_s)
    month, month_x = _parse_month(month_s, day_s, year_x)
    day, day_x = _parse_day(day_s, year, month, month_x)
    parts = [p for p in (year_s if year_x else _year_text(year), month_s, day_s) if p is not None]
    n_u, n_a = _qualifier_counts(m.group("yq", "mq", "dq")[: len(parts)])
    earliest, latest, precision = _date_bounds(year, year_x, month, day)
    edtf = _qualified(parts, n_u, n_a)
    time = None
    if m.group("hh") is not None:
        if n_u or n_a:
            raise _Invalid("a date with a time of day cannot carry ?, ~ or %")
        if day is None:
            raise _Invalid("a time of day needs a full date (2017-06-30T14:05Z)")
        earliest, latest, precision, time = _parse_time(m, earliest)
        hh, mi, ss, tz = time
        edtf += f"T{hh:02d}:{mi:02d}" + (f":{ss:02d}" if ss is not None else "") + (tz or "")
    return _Date(
        edtf,
        float(earliest),
        float(latest),
        precision,
        year,
        month,
        day,
        year_x,
        month_x,
        day_x,
        n_u,
        n_a,
        len(parts),
        time,
    )


def _parse_month(month_s: str | None, day_s: str | None, year_x: int) -> tuple[int | None, bool]:
    """(month 1-12 or season code 21-41, or None; whether it is XX)."""
    if month_s is None:
        return None, False
    if year_x:
        raise _Invalid("a year with X digits cannot have a month (use 201X or 2017-XX)")
    if month_s == "XX":
        return None, True
    if "X" in month_s:
        raise _Invalid(f"month {month_s} must be two digits or XX")
    month = int(month_s)
    if not (1 <= month <= 12 or (day_s is None and month in _SUBYEARS)):
        raise _Invalid(f"month {month} is not 1-12")
    return month, False


def _parse_day(
    day_s: str | None, year: int, month: int | None, month_x: bool
) -> tuple[int | None, bool]:
    """(day of the month or None; whether it is XX)."""
    if day_s is None:
        return None, False
    if day_s == "XX":
        return None, True
    if "X" in day_s:
        raise _Invalid(f"day {day_s} must be two digits or XX")
    if month_x or month is None:
        raise _Invalid("a day cannot follow an unknown month XX (use 2017-XX-XX)")
    day = int(day_s)
    last = days_in_month(year, month)
    if not 1 <= day <= last:
        raise _Invalid(f"day {day} is not 1-{last} in {MONTH_NAMES[month - 1]} {_human_year(year)}")
    return day, False


def _date_bounds(
    year: int, year_x: int, month: int | None, day: int | None
) -> tuple[int, int, Precision]:
    """(earliest, latest exclusive, precision) of a date without a time of day."""
    if year_x:
        return _days(year, 1, 1), _days(year + 10**year_x, 1, 1), Precision(Precision.YEAR - year_x)
    if month is None:
        return _days(year, 1, 1), _days(year + 1, 1, 1), Precision.YEAR
    if month > 12:
        first, count, _ = _SUBYEARS[month]
        return _days(year, first, 1), _days(*_add_months(year, first, count), 1), Precision.SEASON
    if day is None:
        return _days(year, month, 1), _days(*_add_months(year, month, 1), 1), Precision.MONTH
    start = _days(year, month, day)
    return start, start + 1, Precision.DAY


_HINTS = (
    (re.compile(r"[0-9]{1,2}[./-][0-9]{1,2}[./-][0-9]{4}"), "write the year first (2017-06-30)"),
    (re.compile(r"[?~%].*"), "put ?, ~ or % after the date or the component (2017-06?, 2017?-06)"),
    (re.compile(r"-?[0-9]{5,}(-.*)?"), "years beyond four digits are written Y12345"),
    (re.compile(r"-?[0-9]{1,3}(-.*)?"), "years have four digits (0476, -0044)"),
    (re.compile(r"-?[0-9]{4}(-[0-9]{1,2}){1,2}"), "month and day need two digits (2017-06-05)"),
    (re.compile(r"[0-9-]+ +[0-9:]+.*"), "join the date and the time with T (2017-06-30T14:05Z)"),
    (re.compile(r".*T[0-9:]+[.,][0-9]+.*"), "seconds have no fraction (2017-06-30T14:05:30Z)"),
)
_DMY_RE = _HINTS[0][0]


def _why_unrecognised(text: str) -> str:
    for pattern, hint in _HINTS:
        if pattern.fullmatch(text):
            return hint
    return "not a recognised form"


# ---------------------------------------------------------------------------------------------
# Human text


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _scale(n: int) -> str:
    for size, word in ((10**12, "trillion"), (10**9, "billion"), (10**6, "million")):
        if n >= size:
            return f"{n / size:.3g} {word}"
    return f"{n:,}"


def _human_year(year: int) -> str:
    """2017; AD 476 below 1000; 44 BC for year -43 (astronomical: year 0 = 1 BC)."""
    if year >= 10000:
        return f"{year:,}"
    if year >= 1000:
        return str(year)
    if year >= 1:
        return f"AD {year}"
    bc = 1 - year
    if bc >= 1_000_000:
        return f"{bc:,} BC, about {_scale(bc)} years ago"
    return f"{bc:,} BC" if bc >= 10000 else f"{bc} BC"


def _human_span(d: _Date) -> str:
    if d.year_x == 1:
        return f"the {d.year}s"
    if d.year_x == 2:
        return f"the {_ordinal(d.year // 100 + 1)} century"
    return f"the {_ordinal(d.year // 1000 + 1)} millennium"


def _human_qualifiers(d: _Date) -> str:
    names = ("year", "month", "day")
    words = []
    for count, word in ((d.n_approximate, "approximate"), (d.n_uncertain, "uncertain")):
        if count == d.n_parts:
            words.append(word)
        elif count:
            words.append(f"{' and '.join(names[:count])} {word}")
    return f" ({', '.join(words)})" if words else ""


def _human_date(d: _Date) -> str:
    if d.year_x:
        text = _human_span(d)
    elif d.month is None:
        text = _human_year(d.year)
        if d.month_x:
            text += ", month and day unknown" if d.day_x else ", month unknown"
    elif d.month > 12:
        text = f"{_SUBYEARS[d.month][2]} {_human_year(d.year)}"
    else:
        text = f"{MONTH_NAMES[d.month - 1]} {_human_year(d.year)}"
        if d.day is not None:
            text = f"{d.day} {text}"
        elif d.day_x:
            text += ", day unknown"
    if d.time is not None:
        hh, mi, ss, tz = d.time
        text += f", {hh:02d}:{mi:02d}" + (f":{ss:02d}" if ss is not None else "")
        if tz is not None:
            text += " UTC" if tz == "Z" else f" UTC{tz}"
    return text + _human_qualifiers(d)


# ---------------------------------------------------------------------------------------------
# When


@dataclass(frozen=True, repr=False, slots=True)
class When:
    """A parsed EDTF date or interval with day-number bounds (see the module docstring).

    ``earliest``/``latest`` are the true bounds (latest exclusive; -inf/+inf for open or unknown
    ends). ``sort_start``/``sort_end`` are the finite extent of the known part, used to draw and
    sort. For an interval, ``precision`` is the finer of its known ends.
    """

    edtf: str
    earliest: float
    latest: float
    sort_start: float
    sort_end: float
    precision: Precision
    uncertain: bool
    approximate: bool
    open_start: bool
    open_end: bool
    is_interval: bool

    @classmethod
    def parse(cls, text: str) -> When:
        """Parse EDTF text (surrounding whitespace ignored); raises DateError when invalid."""
        if not isinstance(text, str):
            raise DateError(f"{text!r} is not a valid date: it is not text ({EXPECTED})")
        return _parse(text)

    def __str__(self) -> str:
        return self.edtf

    def __repr__(self) -> str:
        return f"When({self.edtf!r})"

    @property
    def start(self) -> When | None:
        """The first end of an interval (None when open or unknown); the date itself otherwise."""
        if not self.is_interval:
            return self
        first = self.edtf.split("/")[0]
        return None if first in ("", "..") else _parse(first)

    @property
    def end(self) -> When | None:
        """The second end of an interval (None when open or unknown); the date itself otherwise."""
        if not self.is_interval:
            return self
        second = self.edtf.split("/")[1]
        return None if second in ("", "..") else _parse(second)

    def human(self) -> str:
        """English text: "30 June 2017", "June 2017 (approximate)", "on or before 30 June 2017",
        "19 June 2017 – 13 July 2017", "15 March 44 BC"."""
        return _human(self.edtf)


def _make_when_factory() -> Callable[..., When]:
    """When(...) without the frozen dataclass __init__: the slot setters unrolled, about twice as
    fast (parse is on the hot path of loading 100,000 events)."""
    s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10 = (
        getattr(When, name).__set__ for name in When.__dataclass_fields__
    )
    new = object.__new__

    def make(a, b, c, d, e, f, g, h, i, j, k):  # type: ignore[no-untyped-def]
        w = new(When)
        s0(w, a), s1(w, b), s2(w, c), s3(w, d), s4(w, e), s5(w, f)
        s6(w, g), s7(w, h), s8(w, i), s9(w, j), s10(w, k)
        return w

    return make


_make_when = _make_when_factory()


@lru_cache(maxsize=4096)
def _human(edtf: str) -> str:
    if "/" not in edtf:
        return _human_date(_parse_date(edtf))
    first, second = edtf.split("/")
    if first == "..":
        return f"on or before {_human_date(_parse_date(second))}"
    if second == "..":
        return f"on or after {_human_date(_parse_date(first))}"
    if first == "":
        return f"from an unknown date to {_human_date(_parse_date(second))}"
    if second == "":
        return f"from {_human_date(_parse_date(first))} to an unknown date"
    return f"{_human_date(_parse_date(first))} – {_human_date(_parse_date(second))}"


def _error(text: str, reason: str) -> DateError:
    shown = text if len(text) <= 80 else text[:77] + "..."
    return DateError(f"{shown!r} is not a valid date: {reason} ({EXPECTED})")


# Fast path: the plain canonical forms that make up almost every case file (2017, 2017-06,
# 2017-06-30, 2017-06-30T14:05Z, 2017-06-30T14:05:30Z). Anything else, and anything out of
# range, goes to the general parser, which also words the errors.
_FAST_RE = re.compile(
    r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2})(?:T([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?Z)?)?)?",
    re.ASCII,
)
_FastDate = tuple[float, float, Precision]


def _fast_date(text: str) -> _FastDate | None:
    m = _FAST_RE.fullmatch(text)
    if m is None:
        return None
    year_s, month_s, day_s, hh_s, mi_s, ss_s = m.groups()
    year = int(year_s)
    if month_s is None:
        return float(_days(year, 1, 1)), float(_days(year + 1, 1, 1)), Precision.YEAR
    month = int(month_s)
    if not 1 <= month <= 12:
        return None
    if day_s is None:
        start = _days(year, month, 1)
        return float(start), float(start + days_in_month(year, month)), Precision.MONTH
    dom = int(day_s)
    if not 1 <= dom <= 28 and not 1 <= dom <= days_in_month(year, month):
        return None
    start = _days(year, month, dom)
    if hh_s is None:
        return float(start), float(start + 1), Precision.DAY
    hh, mi = int(hh_s), int(mi_s)
    if hh > 23 or mi > 59:
        return None
    if ss_s is None:
        at = start + (hh * 60 + mi) / 1440
        return at, at + 1 / 1440, Precision.MINUTE
    ss = int(ss_s)
    if ss > 59:
        return None
    at = start + (hh * 3600 + mi * 60 + ss) / 86400
    return at, at + 1 / 86400, Precision.SECOND


@lru_cache(maxsize=65536)
def _parse(source: str) -> When:
    text = source.strip()
    if "/" not in text:
        fast = _fast_date(text)
        if fast is not None:
            start, end, precision = fast
            return _make_when(text, start, end, start, end, precision, *_NO_FLAGS)
    else:
        first_s, _, second_s = text.partition("/")
        first, second = _fast_date(first_s), _fast_date(second_s)
        if first is not None and second is not None and first[0] < second[1]:
            precision = max(first[2], second[2])
            start, end = first[0], second[1]
            return _make_when(text, start, end, start, end, precision, *_INTERVAL_FLAGS)
    return _parse_general(source, text.upper())


# uncertain, approximate, open_start, open_end, is_interval
_NO_FLAGS = (False, False, False, False, False)
_INTERVAL_FLAGS = (False, False, False, False, True)


def _parse_general(source: str, text: str) -> When:
    try:
        if not text:
            raise _Invalid("the text is empty")
        if "/" in text:
            if _DMY_RE.fullmatch(text):
                raise _Invalid(_why_unrecognised(text))
            return _parse_interval(text)
        d = _parse_date(text)
    except _Invalid as exc:
        raise _error(source, str(exc)) from None
    return _make_when(
        d.edtf,
        d.earliest,
        d.latest,
        d.earliest,
        d.latest,
        d.precision,
        d.n_uncertain > 0,
        d.n_approximate > 0,
        False,
        False,
        False,
    )


def _parse_end(text: str) -> _Date | None:
    return None if text in ("", "..") else _parse_date(text)


def _parse_interval(text: str) -> When:
    first_s, _, second_s = text.partition("/")
    first_s, second_s = first_s.strip(), second_s.strip()
    if "/" in second_s:
        raise _Invalid("an interval has one slash (2017-06-19/2017-07-13)")
    first, second = _parse_end(first_s), _parse_end(second_s)
    if first is None and second is None:
        raise _Invalid("an interval needs at least one known end")
    if first is not None and second is not None and first.earliest >= second.latest:
        raise _Invalid(f"the start {first.edtf} is after the end {second.edtf}")
    known = [d for d in (first, second) if d is not None]
    edtf = f"{first.edtf if first else first_s}/{second.edtf if second else second_s}"
    return _make_when(
        edtf,
        first.earliest if first else -math.inf,
        second.latest if second else math.inf,
        known[0].earliest,
        known[-1].latest,
        max(d.precision for d in known),
        any(d.n_uncertain for d in known),
        any(d.n_approximate for d in known),
        first is None,
        second is None,
        True,
    )
