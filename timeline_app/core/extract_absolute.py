"""Handlers for the date forms whose value the text states: "June 30, 2017", "2017-06-30",
"6/30/2017", "June 2017", "mid-2017", "the 1990s", "the summer of 2017", "1987-88".

A month and day without a year ("Jun. 30") take the year nearest the anchor. Each
handler gets the match of its form's own pattern (group positions are offsets into
the whole text), the span, and the Context; it returns a DateMention or None when the
match is not a date after all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from timeline_app.core import extract_patterns as pat
from timeline_app.core import extract_resolve as res
from timeline_app.core.extract_mention import (
    ABSOLUTE,
    RELATIVE,
    Context,
    DateMention,
    calendar_day,
    mention,
    modifier_of,
    month_number,
    read_fields,
)


def _iso(m: re.Match[str], start: int, end: int, ctx: Context) -> DateMention | None:
    day = calendar_day(int(m["y"]), int(m["m"]), int(m["d"]))
    return day and mention(ctx, start, end, res.day_value(day), 0.95)


def _numeric(m: re.Match[str], start: int, end: int, ctx: Context) -> DateMention | None:
    year, month, day = read_fields(m.group(0), ctx.day_first)
    if None in (year, month, day):
        return None
    if len(m["y"]) == 2:  # "6/30/70" in a 1998 story is 1970, whatever today's century
        reference = (ctx.anchor or date.today()).year
        year = min((c + int(m["y"]) for c in (1900, 2000)), key=lambda y: abs(y - reference + 5))
    when = calendar_day(year, month, day)  # 2/29/00 read as 1900 does not exist
    return when and mention(ctx, start, end, res.day_value(when), 0.8)


def _month_day(m: re.Match[str], start: int, end: int, ctx: Context) -> DateMention | None:
    if pat.NAME_NOUN_AFTER.match(ctx.text, end) or _glued_number(ctx.text, end):
        return None
    month, day = month_number(m["m"]), int(re.match(r"\d+", m["d"]).group())
    if m["y"]:
        year, kind = int(m["y"]), ABSOLUTE
    elif ctx.anchor is None:
        return None
    else:
        tense = res.tense_near(ctx.text, start, end)
        if m["wd"]:  # the weekday tells which year
            year = _year_with_weekday(ctx.anchor, month, day, pat.WEEKDAYS[_wd_key(m["wd"])])
        else:
            year = res.nearest_year(ctx.anchor, month, day, tense)
        if year is None:
            return None
        kind = RELATIVE
    first = calendar_day(year, month, day)
    if first is None:
        return None
    confidence = 0.95 if m["y"] else 0.85
    if not m["d2"]:
        return mention(ctx, start, end, res.day_value(first), confidence, kind=kind)
    last = calendar_day(year, month, int(re.match(r"\d+", m["d2"]).group()))
    if last is None or last <= first:
        return None
    return _range_mention(ctx, m, start, end, first, last, confidence, kind)


def _range_mention(
    ctx: Context,
    m: re.Match[str],
    start: int,
    end: int,
    first: date,
    last: date,
    confidence: float,
    kind: str,
) -> DateMention:
    """One interval mention for "June 19-21, 2017", whose parts are the two days."""
    first_end = m.end("d")
    first_part = mention(ctx, start, first_end, res.day_value(first), confidence, kind=kind)
    second_start = m.start("d2")
    second = mention(ctx, second_start, end, res.day_value(last), confidence, kind=kind)
    value = res.interval(first, last)
    return mention(ctx, start, end, value, confidence, kind=kind, parts=(first_part, second))


def _wd_key(word: str) -> str:
    return word.rstrip(".").lower()


def _year_with_weekday(anchor: date, month: int, day: int, weekday: int) -> int | None:
    for year in sorted(
        (anchor.year - 1, anchor.year, anchor.year + 1), key=lambda y: abs(y - anchor.year)
    ):
        when = calendar_day(year, month, day)
        if when is not None and when.weekday() == weekday:
            return year
    return res.nearest_year(anchor, month, day, None)


def _glued_number(text: str, end: int) -> bool:
    """True when the match runs into more digits or a decimal ("Aug. 7.5", "June 30,000")."""
    return re.match(r"[\d]|[.,]\d", text[end : end + 2]) is not None


def _day_month(m: re.Match[str], start: int, end: int, ctx: Context) -> DateMention | None:
    return _month_day(m, start, end, ctx)


def _month_year(m: re.Match[str], start: int, end: int, ctx: Context) -> DateMention | None:
    value = res.month_value(int(m["y"]), month_number(m["m"]))
    return mention(ctx, start, end, value, 0.9, modifier=modifier_of(m["mod"]))


_ORDINALS = {
    "first": 0,
    "1st": 0,
    "second": 1,
    "2nd": 1,
    "third": 2,
    "3rd": 2,
    "fourth": 3,
    "4th": 3,
}


def _part_of_year(m: re.Match[str], start: int, end: int, ctx: Context) -> DateMention | None:
    """The months "the third quarter of 1989" covers, as an interval."""
    index = _ORDINALS[m["ord"].lower()]
    months = 3 if m["unit"].lower() == "quarter" else 6
    if (index + 1) * months > 12:
        return None
    first = date(int(m["y"]), index * months + 1, 1)
    last = first + res.relativedelta(months=months, days=-1)
    return mention(ctx, start, end, res.interval(first, last), 0.8)


_SEASON_MONTHS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}


def _season(m: re.Match[str], start: int, end: int, ctx: Context) -> DateMention | None:
    if m["s"]:
        name, year, kind = m["s"].lower(), int(m["y"]), ABSOLUTE
    elif ctx.anchor is None:
        return None
    else:
        name, kind = m["s2"].lower(), RELATIVE
        year = _relative_season_year(ctx.anchor, name, m["rel"].lower())
    first = date(year, _SEASON_MONTHS[name], 1)
    last = first + res.relativedelta(months=3, days=-1)
    return mention(ctx, start, end, res.interval(first, last), 0.6, kind=kind)


def _relative_season_year(anchor: date, name: str, rel: str) -> int:
    """The year a season starts in: 'last fall' seen from April 1999 is fall 1998."""
    start_month = _SEASON_MONTHS[name]
    current = anchor.year if anchor.month >= start_month else anchor.year - 1
    if name == "winter" and anchor.month <= 2:
        current = anchor.year - 1
    return current + {"last": -1, "past": -1, "next": 1, "coming": 1}.get(rel, 0)


def _decade(m: re.Match[str], start: int, end: int, ctx: Context) -> DateMention | None:
    if m["short"]:
        century = "19" if int(m["short"]) >= 30 else "20"
        digits = century + m["short"][0]
    elif m["d"] == "00":
        digits = m["c"] + "X"  # "the 1800s": the century
    else:
        digits = m["c"] + m["d"][0]
    value = digits + "X" * (4 - len(digits))
    return mention(ctx, start, end, value, 0.8, modifier=modifier_of(m["mod"]))


def _year_range(m: re.Match[str], start: int, end: int, ctx: Context) -> DateMention | None:
    first = int(m["y"])
    second_text = m["y2"]
    second = int(second_text) if len(second_text) == 4 else first // 100 * 100 + int(second_text)
    if second <= first or second - first > 50 or _not_a_year(ctx.text, start, end):
        return None
    middle = m.start("y2")
    parts = (
        mention(ctx, start, start + 4, res.year_value(first), 0.8),
        mention(ctx, middle, end, res.year_value(second), 0.8),
    )
    value = f"{res.year_value(first)}/{res.year_value(second)}"
    return mention(ctx, start, end, value, 0.8, parts=parts)


def _not_a_year(text: str, start: int, end: int) -> bool:
    return bool(
        pat.NOT_YEAR_BEFORE.search(text[max(0, start - 14) : start])
        or pat.NOT_YEAR_AFTER.match(text[end : end + 24])
    )


def _year(m: re.Match[str], start: int, end: int, ctx: Context) -> DateMention | None:
    year = int(m["y"])
    if not (m["mod"] or m["fiscal"]) and _not_a_year(ctx.text, start, end):
        return None
    latest = (ctx.anchor.year if ctx.anchor else date.today().year) + 30
    if not 1600 <= year <= latest and not pat.MONTH_CONTEXT_BEFORE.search(
        ctx.text[max(0, start - 12) : start]
    ):
        return None
    modifier = "fiscal" if m["fiscal"] else modifier_of(m["mod"])
    return mention(ctx, start, end, res.year_value(year), 0.7, modifier=modifier)


def _century(m: re.Match[str], start: int, end: int, ctx: Context) -> DateMention | None:
    number = int(m["n"])
    if not 1 <= number <= 21:
        return None
    return mention(ctx, start, end, f"{number - 1:02d}XX", 0.8)


HANDLERS: dict[str, Callable[[re.Match[str], int, int, Context], DateMention | None]] = {
    "iso": _iso,
    "numeric": _numeric,
    "month_day": _month_day,
    "day_month": _day_month,
    "month_year": _month_year,
    "part_of_year": _part_of_year,
    "season": _season,
    "decade": _decade,
    "century": _century,
    "year_range": _year_range,
    "year": _year,
}
