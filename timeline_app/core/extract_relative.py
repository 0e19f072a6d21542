"""Handlers for the date forms resolved against the anchor (the document's date):
"yesterday", "Friday", "9 a.m. Tuesday", "last Thanksgiving", "in March", "last year",
"earlier this month", "two weeks ago", "over the weekend".

Without an anchor they give nothing. Same handler signature as
:mod:`timeline_app.core.extract_absolute`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from timeline_app.core import extract_patterns as pat
from timeline_app.core import extract_resolve as res
from timeline_app.core.extract_mention import (
    RELATIVE,
    Context,
    DateMention,
    mention,
    modifier_of,
    month_number,
)


def _time_of_day(text: str) -> str:
    text = text.lower()
    if text.startswith("noon"):
        return "12:00"
    if text.startswith("midnight"):
        return "00:00"
    hour, minute, pm = re.match(r"(\d{1,2})(?::(\d\d))?\s*([ap])", text).groups()
    hour = int(hour) % 12 + (12 if pm == "p" else 0)
    return f"{hour:02d}:{minute or '00'}"


def _time_weekday(m: re.Match[str], start: int, end: int, ctx: Context) -> DateMention | None:
    if ctx.anchor is None:
        return None
    tense = res.tense_near(ctx.text, start, end)
    day = res.weekday_date(ctx.anchor, pat.WEEKDAYS[m["w"].lower()], None, tense)
    if not re.match(r"\d|noon|midnight", m["time"], re.I):
        return None
    value = f"{res.day_value(day)}T{_time_of_day(m['time'])}"
    return mention(ctx, start, end, value, 0.75, kind=RELATIVE)


def _weekday(m: re.Match[str], start: int, end: int, ctx: Context) -> DateMention | None:
    if ctx.anchor is None:
        return None
    text = ctx.text
    if pat.NAMED_WEEKDAY_BEFORE.search(
        text[max(0, start - 10) : start]
    ) or pat.NAMED_WEEKDAY_AFTER.match(text, end):
        return None
    # "Wednesday's ruling" names a past event whatever the clause's tense.
    possessive = re.search(r"['’]s$", m.group(0)) is not None
    tense = None if possessive else res.tense_near(text, start, end)
    day = res.weekday_date(ctx.anchor, pat.WEEKDAYS[m["w"].lower()], m["rel"], tense)
    end = end - 2 if possessive else end  # the mention is "Wednesday", not "Wednesday's"
    return mention(ctx, start, end, res.day_value(day), 0.8, kind=RELATIVE)


def _holiday(m: re.Match[str], start: int, end: int, ctx: Context) -> DateMention | None:
    if ctx.anchor is None:
        return None
    rel = (m["rel"] or "").lower()
    tense = {"last": res.PAST, "next": res.FUTURE}.get(rel) or res.tense_near(ctx.text, start, end)
    candidates = []
    for year in (ctx.anchor.year - 1, ctx.anchor.year, ctx.anchor.year + 1):
        when = res.holiday_date(m["h"], year)
        if when is not None:
            candidates.append(when)
    if not candidates:
        return None
    best = min(candidates, key=lambda d: _weighted_distance(ctx.anchor, d, tense, rel))
    return mention(ctx, start, end, res.day_value(best), 0.7, kind=RELATIVE)


def _weighted_distance(anchor: date, when: date, tense: str | None, rel: str) -> float:
    days = (when - anchor).days
    if rel == "last" and days >= 0 or rel == "next" and days <= 0:
        return float("inf")
    past_weight, future_weight = res.WEIGHTS[tense]
    return -days * past_weight if days <= 0 else days * future_weight


def _month(m: re.Match[str], start: int, end: int, ctx: Context) -> DateMention | None:
    rel = (m["rel"] or "").lower()
    word, text = m["m"], ctx.text
    if not rel and not _bare_month_is_a_date(word, text, start, end):
        return None
    if ctx.anchor is None:
        return None
    month = month_number(word)
    relative_word = rel if rel in ("last", "next", "this") else None
    year = res.month_year(ctx.anchor, month, relative_word, res.tense_near(text, start, end))
    modifier = modifier_of(rel) if rel not in ("last", "next", "this") else None
    value = res.month_value(year, month)
    return mention(ctx, start, end, value, 0.7, kind=RELATIVE, modifier=modifier)


_NAME_AFTER = re.compile(r"\s+[A-Z][a-z]")
_VERB_AFTER = re.compile(r"\s+(?:[A-Z]\w*|I|we|you|he|she|it|they|for|of|be|have|not)\b")


def _bare_month_is_a_date(word: str, text: str, start: int, end: int) -> bool:
    """A month name with no day or year: after a temporal word ("in June", "since May")
    it is a date; otherwise not when a name follows ("June Carter") and never for
    "May" and "March", which are also verbs and nouns ("May I", "March for Life")."""
    if pat.MONTH_CONTEXT_BEFORE.search(text[max(0, start - 16) : start]):
        return not (word.title() in ("May", "March") and _VERB_AFTER.match(text, end))
    return word.title() not in ("May", "March") and not _NAME_AFTER.match(text, end)


_GENERIC_TODAY = re.compile(
    r"(?<=['’]s)\s+(?:youth|young|world|society|generation|children|kids|teenagers|standards"
    r"|economy|culture|technology|politics|families|women|men|parents|students|workers)\b"
)


def _relative_day(m: re.Match[str], start: int, end: int, ctx: Context) -> DateMention | None:
    if ctx.anchor is None:
        return None
    if _GENERIC_TODAY.match(ctx.text, end) and m["word"].lower() == "today":
        return None  # "today's youth": the present age, not a day
    offset = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[m["word"].lower()]
    around = (m["around"] or "").lower()
    offset += {"before": -1, "after": 1}.get(around, 0)
    value = res.day_value(res.shift(ctx.anchor, "day", offset))
    end = end if m["part"] else m.end("word")  # "today", not "today's"
    return mention(ctx, start, end, value, 0.9, kind=RELATIVE)


_THE_BEFORE = re.compile(r"(?i:\bthe\s+)$")


def _relative_unit(m: re.Match[str], start: int, end: int, ctx: Context) -> DateMention | None:
    if ctx.anchor is None:
        return None
    rel = " ".join(m["rel"].lower().split())
    unit = m["unit"].lower()
    modifier = modifier_of(m["mod"])
    if rel == "the":  # "the year" is a date only in "the end of the year" and the like
        if unit == "weekend" and not m["mod"]:
            return _nearest_weekend(start, end, ctx)
        if not m["mod"] or unit not in ("year", "month", "week"):
            return None
        rel = "this"
    if (
        rel in ("last", "next")
        and not m["mod"]
        and _THE_BEFORE.search(ctx.text, max(0, start - 8), start)
    ):
        rel = "past" if rel == "last" else "coming"  # "the last year": the past 12 months
    if rel in ("past", "the past", "coming", "the coming"):
        return _span_from_anchor(start, end, ctx, rel, unit)
    step = {"this": 0, "last": -1, "next": 1}[rel]
    anchor = ctx.anchor
    if unit in ("week", "weekend"):
        monday, sunday = res.week_bounds(res.shift(anchor, "week", step))
        first = monday + res.timedelta(days=5) if unit == "weekend" else monday
        return mention(ctx, start, end, res.interval(first, sunday), 0.75, kind=RELATIVE)
    when = res.shift(anchor, unit, step)
    if unit == "month":
        value = res.month_value(when.year, when.month)
    elif unit == "year":
        value = res.year_value(when.year)
    elif unit == "decade":
        value = f"{when.year // 10:03d}X"
    else:
        value = f"{when.year // 100:02d}XX"
    return mention(ctx, start, end, value, 0.8, kind=RELATIVE, modifier=modifier)


def _nearest_weekend(start: int, end: int, ctx: Context) -> DateMention:
    """The weekend of "over the weekend": the last one, or the next when the clause is future."""
    future = res.tense_near(ctx.text, start, end) == res.FUTURE
    saturday = res.weekday_date(ctx.anchor, 5, None, res.FUTURE if future else res.PAST)
    sunday = saturday + res.timedelta(days=1)
    return mention(ctx, start, end, res.interval(saturday, sunday), 0.6, kind=RELATIVE)


def _span_from_anchor(start: int, end: int, ctx: Context, rel: str, unit: str) -> DateMention:
    """The unit-long interval ending ("the past week") or starting at the anchor."""
    unit = "week" if unit == "weekend" else unit
    sign = -1 if "past" in rel else 1
    other = res.shift(ctx.anchor, unit, sign)
    first, last = sorted((other, ctx.anchor))
    return mention(ctx, start, end, res.interval(first, last), 0.6, kind=RELATIVE)


def _ago(m: re.Match[str], start: int, end: int, ctx: Context) -> DateMention | None:
    if ctx.anchor is None:
        return None
    words = " ".join(m["n"].lower().split())
    vague = words in pat.VAGUE_NUMBERS
    amount = 3 if vague else int(words) if words.isdigit() else pat.NUMBER_WORDS.get(words)
    if amount is None:
        return None
    unit = m["unit"].lower()
    sign = -1 if m["dir"].lower() == "ago" else 1
    try:
        when = res.shift(ctx.anchor, unit, sign * amount)
    except (ValueError, OverflowError):  # "999 decades ago": before year 1
        return None
    if unit == "day":
        value = res.day_value(when)
    elif unit == "week":
        value = res.day_value(when) + "~"
    elif unit == "month":
        value = res.month_value(when.year, when.month)
    else:
        value = res.year_value(when.year)
    if vague and not value.endswith("~"):
        value += "~"
    # "almost four years ago": the hedge stays outside the mention, as in TimeML
    return mention(ctx, m.start("n"), end, value, 0.7, kind=RELATIVE)


HANDLERS: dict[str, Callable[[re.Match[str], int, int, Context], DateMention | None]] = {
    "time_weekday": _time_weekday,
    "weekday": _weekday,
    "holiday": _holiday,
    "month": _month,
    "relative_day": _relative_day,
    "relative_unit": _relative_unit,
    "ago": _ago,
}
