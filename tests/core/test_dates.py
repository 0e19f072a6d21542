"""Tests of timeline_app.core.dates: EDTF parsing, bounds, human text, day arithmetic."""

from __future__ import annotations

import copy
import dataclasses
import datetime
import math
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline_app.core.dates import (
    DateError,
    Precision,
    When,
    civil_from_day,
    day_number,
    days_in_month,
    iso_bound,
    iso_date,
)

EPOCH_ORDINAL = datetime.date(1970, 1, 1).toordinal()
EXAMPLES = settings(max_examples=200, deadline=None)


def day(year: int, month: int = 1, dom: int = 1) -> float:
    return float(day_number(year, month, dom))


# --- day arithmetic ------------------------------------------------------------------------


def test_day_number_known_values() -> None:
    assert day_number(1970) == 0
    assert day_number(1970, 1, 2) == 1
    assert day_number(1969, 12, 31) == -1
    assert day_number(2000, 3, 1) == 11017
    assert day_number(0, 1, 1) == -719528  # 1 BC, a leap year
    assert day_number(0, 3, 1) - day_number(0, 2, 1) == 29
    assert civil_from_day(-719468) == (0, 3, 1)


def test_day_number_rejects_impossible_dates() -> None:
    with pytest.raises(ValueError, match="month 13"):
        day_number(2017, 13, 1)
    with pytest.raises(ValueError, match="day 29"):
        day_number(2017, 2, 29)
    assert day_number(2016, 2, 29) == day_number(2016, 3, 1) - 1


@EXAMPLES
@given(st.integers(-(10**13), 10**13), st.integers(1, 12), st.integers(1, 31))
def test_civil_from_day_inverts_day_number(year: int, month: int, dom: int) -> None:
    dom = min(dom, days_in_month(year, month))
    assert civil_from_day(day_number(year, month, dom)) == (year, month, dom)


@EXAMPLES
@given(st.integers(-(10**13), 10**13))
def test_day_number_is_consecutive(n: int) -> None:
    y, m, d = civil_from_day(n)
    y2, m2, d2 = civil_from_day(n + 1)
    assert day_number(y2, m2, d2) == day_number(y, m, d) + 1
    assert (y2, m2, d2) > (y, m, d)


@EXAMPLES
@given(st.dates())
def test_day_number_matches_datetime_where_it_exists(date: datetime.date) -> None:
    assert day_number(date.year, date.month, date.day) == date.toordinal() - EPOCH_ORDINAL
    assert iso_date(day_number(date.year, date.month, date.day) + 0.75) == date.isoformat()


def test_leap_years_proleptic_gregorian() -> None:
    assert days_in_month(1900, 2) == 28
    assert days_in_month(2000, 2) == 29
    assert days_in_month(0, 2) == 29
    assert days_in_month(-4, 2) == 29
    assert days_in_month(-100, 2) == 28
    When.parse("0000-02-29")
    When.parse("-0004-02-29")
    with pytest.raises(DateError, match="day 29 is not 1-28 in February 1900"):
        When.parse("1900-02-29")


def test_iso_date_and_iso_bound() -> None:
    assert iso_date(day(2017, 6, 30)) == "2017-06-30"
    assert iso_date(day(2017, 6, 30) + 0.999) == "2017-06-30"
    assert iso_date(day(10000)) is None
    assert iso_date(day(0, 12, 31)) is None
    assert iso_date(math.inf) is None
    assert iso_bound(day(2017, 6, 30)) == "2017-06-30"
    assert iso_bound(day(2017, 6, 30) + 0.5) == "2017-06-30T12:00:00Z"
    assert iso_bound(-math.inf) is None
    assert iso_bound(day(-44, 3, 15)) == day_number(-44, 3, 15)
    assert isinstance(iso_bound(day(-44, 3, 15)), int)


# --- parsing: forms, bounds, precision ------------------------------------------------------

FORMS = [
    # text, canonical, earliest, latest, precision
    ("2017-06-30", "2017-06-30", day(2017, 6, 30), day(2017, 7, 1), Precision.DAY),
    ("2017-06", "2017-06", day(2017, 6), day(2017, 7), Precision.MONTH),
    ("2017-12", "2017-12", day(2017, 12), day(2018, 1), Precision.MONTH),
    ("2017", "2017", day(2017), day(2018), Precision.YEAR),
    ("2017-06-XX", "2017-06-XX", day(2017, 6), day(2017, 7), Precision.MONTH),
    ("2017-XX-XX", "2017-XX-XX", day(2017), day(2018), Precision.YEAR),
    ("2017-XX", "2017-XX", day(2017), day(2018), Precision.YEAR),
    ("201X", "201X", day(2010), day(2020), Precision.DECADE),
    ("20XX", "20XX", day(2000), day(2100), Precision.CENTURY),
    ("2XXX", "2XXX", day(2000), day(3000), Precision.MILLENNIUM),
    ("2017-21", "2017-21", day(2017, 3), day(2017, 6), Precision.SEASON),
    ("2017-24", "2017-24", day(2017, 12), day(2018, 3), Precision.SEASON),
    ("2017-33", "2017-33", day(2017, 1), day(2017, 4), Precision.SEASON),
    ("-0044-03-15", "-0044-03-15", day(-44, 3, 15), day(-44, 3, 16), Precision.DAY),
    ("0000", "0000", day(0), day(1), Precision.YEAR),
    ("-0000", "0000", day(0), day(1), Precision.YEAR),
    ("Y-13800000000", "Y-13800000000", day(-13800000000), day(-13799999999), Precision.YEAR),
    ("Y170000002", "Y170000002", day(170000002), day(170000003), Precision.YEAR),
    ("Y17E7", "Y170000000", day(170000000), day(170000001), Precision.YEAR),
    ("Y-44", "-0044", day(-44), day(-43), Precision.YEAR),
    ("  2017-06-30\n", "2017-06-30", day(2017, 6, 30), day(2017, 7, 1), Precision.DAY),
    ("2017-06-xx", "2017-06-XX", day(2017, 6), day(2017, 7), Precision.MONTH),
]


@pytest.mark.parametrize(("text", "canonical", "earliest", "latest", "precision"), FORMS)
def test_single_dates(
    text: str, canonical: str, earliest: float, latest: float, precision: Precision
) -> None:
    w = When.parse(text)
    assert (w.edtf, w.earliest, w.latest, w.precision) == (canonical, earliest, latest, precision)
    assert (w.sort_start, w.sort_end) == (earliest, latest)
    assert not (w.is_interval or w.open_start or w.open_end or w.uncertain or w.approximate)
    assert str(w) == canonical
    assert When.parse(canonical) == w


def test_times_are_utc_day_fractions() -> None:
    base = day(2017, 6, 30)
    w = When.parse("2017-06-30T14:05Z")
    assert w.precision is Precision.MINUTE
    assert w.earliest == pytest.approx(base + (14 * 60 + 5) / 1440)
    assert w.latest - w.earliest == pytest.approx(1 / 1440)
    s = When.parse("2017-06-30T14:05:30Z")
    assert s.precision is Precision.SECOND
    assert s.earliest == pytest.approx(base + (14 * 3600 + 5 * 60 + 30) / 86400)
    assert s.latest - s.earliest == pytest.approx(1 / 86400)
    offset = When.parse("2017-06-30T14:05+02:00")
    assert offset.earliest == pytest.approx(base + (12 * 60 + 5) / 1440)
    assert When.parse("2017-06-30T01:00+0230").earliest == pytest.approx(base - 1.5 / 24)
    assert When.parse("2017-06-30T14:05+0200").edtf == "2017-06-30T14:05+02:00"
    assert When.parse("2017-06-30T14:05-00:00").edtf == "2017-06-30T14:05Z"
    assert When.parse("2017-06-30t14:05z").edtf == "2017-06-30T14:05Z"


@pytest.mark.parametrize(
    ("text", "canonical", "uncertain", "approximate"),
    [
        ("2017-06?", "2017-06?", True, False),
        ("2017-06~", "2017-06~", False, True),
        ("2017-06%", "2017-06%", True, True),
        ("2017?", "2017?", True, False),
        ("2017-06-30~", "2017-06-30~", False, True),
        ("2017?-06", "2017?-06", True, False),
        ("2017?-06?", "2017-06?", True, False),
        ("2017%-06?", "2017~-06?", True, True),
        ("2017~-06?-30", "2017~-06?-30", True, True),
        ("201X~", "201X~", False, True),
        ("Y-13800000000~", "Y-13800000000~", False, True),
    ],
)
def test_qualifiers(text: str, canonical: str, uncertain: bool, approximate: bool) -> None:
    w = When.parse(text)
    assert (w.edtf, w.uncertain, w.approximate) == (canonical, uncertain, approximate)
    assert When.parse(canonical) == w
    plain = When.parse(canonical.replace("?", "").replace("~", "").replace("%", ""))
    assert (w.earliest, w.latest, w.precision) == (plain.earliest, plain.latest, plain.precision)


def test_closed_interval() -> None:
    w = When.parse("2017-06-19/2017-07-13")
    assert w.is_interval and not (w.open_start or w.open_end)
    assert (w.earliest, w.latest) == (day(2017, 6, 19), day(2017, 7, 14))
    assert (w.sort_start, w.sort_end) == (w.earliest, w.latest)
    assert w.precision is Precision.DAY
    assert w.start == When.parse("2017-06-19")
    assert w.end == When.parse("2017-07-13")


def test_interval_ends_keep_their_own_precision_and_qualifiers() -> None:
    w = When.parse("2017-06~/2017-07-13?")
    assert w.edtf == "2017-06~/2017-07-13?"
    assert w.uncertain and w.approximate
    assert (w.earliest, w.latest) == (day(2017, 6), day(2017, 7, 14))
    assert w.precision is Precision.DAY  # the finer end
    assert When.parse("2017/2018").precision is Precision.YEAR
    assert When.parse("2017-06-15/2017-06").latest == day(2017, 7)  # overlapping ends are fine


@pytest.mark.parametrize(
    ("text", "earliest", "latest", "sort_start", "sort_end", "open_start", "open_end"),
    [
        ("../2017-06-30", -math.inf, day(2017, 7), day(2017, 6, 30), day(2017, 7), True, False),
        ("/2017-06-30", -math.inf, day(2017, 7), day(2017, 6, 30), day(2017, 7), True, False),
        ("2017-06-19/..", day(2017, 6, 19), math.inf, day(2017, 6, 19), day(2017, 6, 20), 0, 1),
        ("2017-06-19/", day(2017, 6, 19), math.inf, day(2017, 6, 19), day(2017, 6, 20), 0, 1),
        ("2017-06/..", day(2017, 6), math.inf, day(2017, 6), day(2017, 7), False, True),
    ],
)
def test_open_and_unknown_ends(
    text: str,
    earliest: float,
    latest: float,
    sort_start: float,
    sort_end: float,
    open_start: bool,
    open_end: bool,
) -> None:
    w = When.parse(text)
    assert (w.earliest, w.latest, w.sort_start, w.sort_end) == (
        earliest,
        latest,
        sort_start,
        sort_end,
    )
    assert (w.open_start, w.open_end, w.is_interval) == (open_start, open_end, True)
    assert When.parse(w.edtf) == w
    assert w.edtf == text


def test_open_end_has_no_when() -> None:
    w = When.parse("../2017-06-30")
    assert w.start is None and w.end == When.parse("2017-06-30")
    single = When.parse("2017")
    assert single.start is single.end is single


def test_spaces_around_the_slash_are_ignored() -> None:
    assert When.parse("2017-06-19 / 2017-07-13").edtf == "2017-06-19/2017-07-13"
    assert When.parse(".. / 2017-06-30").edtf == "../2017-06-30"


def test_when_is_immutable_and_copyable() -> None:
    w = When.parse("2017-06~/..")
    with pytest.raises(dataclasses.FrozenInstanceError):
        w.edtf = "2018"  # type: ignore[misc]
    assert copy.deepcopy(w) == w
    assert pickle.loads(pickle.dumps(w)) == w


def test_when_is_hashable_and_compares_by_value() -> None:
    assert When.parse("2017-06") == When.parse(" 2017-06 ")
    assert len({When.parse("2017"), When.parse("2017"), When.parse("2018")}) == 2
    assert repr(When.parse("2017")) == "When('2017')"


# --- human text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "human"),
    [
        ("2017-06-30", "30 June 2017"),
        ("2017-06", "June 2017"),
        ("2017", "2017"),
        ("2017-06-30T14:05Z", "30 June 2017, 14:05 UTC"),
        ("2017-06-30T14:05:30Z", "30 June 2017, 14:05:30 UTC"),
        ("2017-06-30T14:05+02:00", "30 June 2017, 14:05 UTC+02:00"),
        ("2017-06-30T14:05", "30 June 2017, 14:05"),
        ("2017-06~", "June 2017 (approximate)"),
        ("2017-06?", "June 2017 (uncertain)"),
        ("2017-06%", "June 2017 (approximate, uncertain)"),
        ("2017?-06", "June 2017 (year uncertain)"),
        ("2017~-06?-30", "30 June 2017 (year approximate, year and month uncertain)"),
        ("../2017-06-30", "on or before 30 June 2017"),
        ("2017-06-19/..", "on or after 19 June 2017"),
        ("/2017-06-30", "from an unknown date to 30 June 2017"),
        ("2017-06-19/", "from 19 June 2017 to an unknown date"),
        ("2017-06-19/2017-07-13", "19 June 2017 – 13 July 2017"),
        ("2017-06~/2017-07", "June 2017 (approximate) – July 2017"),
        ("201X", "the 2010s"),
        ("20XX", "the 21st century"),
        ("19XX", "the 20th century"),
        ("2XXX", "the 3rd millennium"),
        ("2017-06-XX", "June 2017, day unknown"),
        ("2017-XX", "2017, month unknown"),
        ("2017-XX-XX", "2017, month and day unknown"),
        ("2017-21", "spring 2017"),
        ("2017-24", "winter 2017"),
        ("-0043-03-15", "15 March 44 BC"),
        ("-0044", "45 BC"),
        ("0000", "1 BC"),
        ("0001", "AD 1"),
        ("0476", "AD 476"),
        ("1066-10-14", "14 October 1066"),
        ("Y-13800000000", "13,800,000,001 BC, about 13.8 billion years ago"),
        ("Y-10000", "10,001 BC"),
        ("Y-1234567~", "1,234,568 BC, about 1.23 million years ago (approximate)"),
        ("Y170000002", "170,000,002"),
    ],
)
def test_human(text: str, human: str) -> None:
    assert When.parse(text).human() == human


# --- errors ---------------------------------------------------------------------------------

EXPECTED = (
    "(expected EDTF such as 2017-06-30, 2017-06, 2017, 2017-06~, ../2017-06-30, "
    "2017-06-19/2017-07-13)"
)


def test_error_message_quotes_input_and_says_what_is_expected() -> None:
    with pytest.raises(DateError) as info:
        When.parse("2017-13-01")
    assert str(info.value) == f"'2017-13-01' is not a valid date: month 13 is not 1-12 {EXPECTED}"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "the text is empty"),
        ("   ", "the text is empty"),
        ("2017-00", "month 0 is not 1-12"),
        ("2017-06-31", "day 31 is not 1-30 in June 2017"),
        ("2017-02-29", "day 29 is not 1-28 in February 2017"),
        ("2017-06-00", "day 0 is not 1-30 in June 2017"),
        ("2017-21-01", "month 21 is not 1-12"),
        ("2017-42", "month 42 is not 1-12"),
        ("2017-6-30", "month and day need two digits"),
        ("2017-06-5", "month and day need two digits"),
        ("30/06/2017", "write the year first"),
        ("6.30.2017", "write the year first"),
        ("12345", "years beyond four digits are written Y12345"),
        ("12345-01-01", "years beyond four digits are written Y12345"),
        ("476", "years have four digits"),
        ("-44-03-15", "years have four digits"),
        ("?2017-06", "put ?, ~ or % after the date"),
        ("2017-06-30 14:05", "join the date and the time with T"),
        ("2017-06-30T14:05:30.5Z", "seconds have no fraction"),
        ("June 2017", "not a recognised form"),
        ("2017-06-30T24:00Z", "hour 24 is not 0-23"),
        ("2017-06-30T12:60Z", "minute 60 is not 0-59"),
        ("2017-06-30T12:00:61Z", "second 61 is not 0-59"),
        ("2017-06-30T12:00+25:00", "offset +25:00"),
        ("2017-06T12:00Z", "not a recognised form"),
        ("2017-06-XXT12:00Z", "a time of day needs a full date"),
        ("2017-06-30~T12:00Z", "a date with a time of day cannot carry ?, ~ or %"),
        ("201X-06", "a year with X digits cannot have a month"),
        ("20X7", "X may only replace the last digits"),
        ("XXXX", "at least one known digit"),
        ("-201X", "no sign with X"),
        ("2017-XX-05", "a day cannot follow an unknown month"),
        ("2017-0X", "must be two digits or XX"),
        ("2017-06-3X", "must be two digits or XX"),
        ("2018/2017", "the start 2018 is after the end 2017"),
        ("2017-06-30T14:00Z/2017-06-30T13:00Z", "is after the end"),
        ("../..", "at least one known end"),
        ("/", "at least one known end"),
        ("2017/2018/2019", "one slash"),
        ("2017-13/..", "month 13 is not 1-12"),
        ("Y1E13", "is beyond"),
        ("Y" + "9" * 5000, "is beyond"),
    ],
)
def test_invalid_dates(text: str, reason: str) -> None:
    with pytest.raises(DateError) as info:
        When.parse(text)
    message = str(info.value)
    assert message.startswith(repr(text if len(text) <= 80 else text[:77] + "..."))
    assert reason in message
    assert message.endswith(EXPECTED)


def test_non_text_is_a_date_error() -> None:
    with pytest.raises(DateError, match="20170630 is not a valid date: it is not text"):
        When.parse(20170630)  # type: ignore[arg-type]


def test_lower_case_letters_mean_the_same() -> None:
    assert When.parse("2017-06-30t14:05z") == When.parse("2017-06-30T14:05Z")
    assert When.parse("y-13800000000").edtf == "Y-13800000000"
    assert When.parse("201x").edtf == "201X"


# --- properties -----------------------------------------------------------------------------

qualifier = st.sampled_from(["", "?", "~", "%"])


@st.composite
def single_dates(draw: st.DrawFn) -> str:
    year = draw(st.integers(-9999, 9999))
    month = draw(st.integers(1, 12))
    dom = draw(st.integers(1, days_in_month(year, month)))
    y = f"-{-year:04d}" if year < 0 else f"{year:04d}"
    form = draw(st.sampled_from(["y", "ym", "ymd", "x", "ymxx", "season", "long", "time"]))
    if form == "y":
        return y + draw(qualifier)
    if form == "ym":
        return f"{y}{draw(qualifier)}-{month:02d}{draw(qualifier)}"
    if form == "ymd":
        return f"{y}-{month:02d}-{dom:02d}{draw(qualifier)}"
    if form == "x":
        return f"{abs(year):04d}"[: draw(st.integers(1, 3))].ljust(4, "X")
    if form == "ymxx":
        return f"{y}-{month:02d}-XX"
    if form == "season":
        return f"{y}-{draw(st.integers(21, 41))}"
    if form == "long":
        return f"Y{draw(st.integers(-(10**13) + 1, 10**13 - 1))}"
    zone = draw(st.sampled_from(["", "Z", "+02:00", "-05:30"]))
    return f"{y}-{month:02d}-{dom:02d}T{draw(st.integers(0, 23)):02d}:07{zone}"


@st.composite
def any_dates(draw: st.DrawFn) -> str:
    first = draw(single_dates())
    if not draw(st.booleans()):
        return first
    second = draw(single_dates())
    a, b = sorted([first, second], key=lambda t: When.parse(t).earliest)
    return draw(st.sampled_from([f"{a}/{b}", f"../{b}", f"{a}/..", f"/{b}", f"{a}/"]))


@EXAMPLES
@given(any_dates())
def test_round_trip_and_bounds(text: str) -> None:
    w = When.parse(text)
    assert When.parse(w.edtf) == w
    assert When.parse(w.edtf).edtf == w.edtf
    assert w.earliest < w.latest
    assert w.earliest <= w.sort_start < w.sort_end <= w.latest
    assert math.isfinite(w.sort_start) and math.isfinite(w.sort_end)
    assert w.open_start == (w.earliest == -math.inf)
    assert w.open_end == (w.latest == math.inf)
    assert w.human()


@EXAMPLES
@given(any_dates())
def test_spelling_variants_parse_alike(text: str) -> None:
    # Lower case letters, surrounding space and Y-years of four digits all go through the general
    # parser; the canonical text often takes the fast path. Both must agree.
    w = When.parse(text)
    assert When.parse(f" {text.lower()}\t") == w
    if w.precision is Precision.YEAR and not w.is_interval and abs(w.earliest) < 3_000_000:
        year = int(w.edtf.rstrip("?~%").lstrip("Y"))
        assert When.parse(f"Y{year}{w.edtf[len(w.edtf.rstrip('?~%')) :]}") == w


@EXAMPLES
@given(st.integers(-9999, 9999), st.integers(1, 12))
def test_month_bounds_contain_exactly_its_days(year: int, month: int) -> None:
    y = f"-{-year:04d}" if year < 0 else f"{year:04d}"
    w = When.parse(f"{y}-{month:02d}")
    first = When.parse(f"{y}-{month:02d}-01")
    last = When.parse(f"{y}-{month:02d}-{days_in_month(year, month):02d}")
    assert (w.earliest, w.latest) == (first.earliest, last.latest)
    assert w.latest - w.earliest == days_in_month(year, month)


@EXAMPLES
@given(st.integers(-9999, 9999), st.integers(-9999, 9999))
def test_year_order_is_day_order(a: int, b: int) -> None:
    wa, wb = When.parse(f"Y{a}"), When.parse(f"Y{b}")
    assert (a < b) == (wa.earliest < wb.earliest)
    assert (wa.latest == wb.earliest) == (b == a + 1)
