"""Date mentions in plain text, normalised to EDTF values.

``find_dates(text, anchor)`` scans the text once with a combined regular expression
(:mod:`timeline_app.core.extract_patterns`), reads each candidate with the form's own
pattern and python-dateutil, resolves relative mentions against the anchor (the
document's own date, :mod:`timeline_app.core.extract_resolve`), and joins ranges
("from 2016 to 2018") into interval mentions.

Values follow the conventions of news annotation (TimeML): "mid-2017" is ``2017`` and
"early June" is ``2017-06`` (the period the text names; ``DateMention.modifier`` keeps
the "mid"/"early"), "the 1990s" is ``199X``, "last week" and seasons are day intervals,
"two weeks ago" is an approximate day (``~``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from dateutil import parser as date_parser

from timeline_app.core import extract_patterns as pat
from timeline_app.core import extract_resolve as res

ABSOLUTE, RELATIVE = "absolute", "relative"


@dataclass(frozen=True)
class DateMention:
    """A date written in a text: ``text == source[start:end]``, ``value`` is EDTF."""

    start: int
    end: int
    text: str
    value: str
    confidence: float
    kind: str = ABSOLUTE  # "relative" when the value was worked out from the anchor
    modifier: str | None = None  # "early", "mid", "late", "end", "beginning", "fiscal"
    parts: tuple[DateMention, ...] = field(default=())  # the two ends of an interval mention

    def as_dict(self) -> dict[str, object]:
        """The JSON form used by the CLI."""
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "value": self.value,
            "confidence": self.confidence,
        }


@dataclass
class _Context:
    text: str
    anchor: date | None
    day_first: bool


# Two defaults that differ in every field tell which fields the parsed text gave.
_DEFAULT_A = datetime(1904, 1, 1)
_DEFAULT_B = datetime(1908, 3, 3)


@functools.lru_cache(maxsize=1024)
def _fields(text: str, day_first: bool = False) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) that dateutil reads in ``text``; None for a field it lacks."""
    try:
        a = date_parser.parse(text, default=_DEFAULT_A, dayfirst=day_first)
        b = date_parser.parse(text, default=_DEFAULT_B, dayfirst=day_first)
    except (ValueError, OverflowError):
        return None, None, None
    return (
        a.year if a.year == b.year else None,
        a.month if a.month == b.month else None,
        a.day if a.day == b.day else None,
    )


def _month_number(word: str) -> int:
    return pat.MONTHS[word.rstrip(".").lower()]


def _modifier(word: str | None) -> str | None:
    if not word:
        return None
    word = word.lower()
    for key in ("early", "mid", "late", "end", "beginning", "start", "close", "fiscal", "pre"):
        if key in word:
            return {"start": "beginning", "close": "end", "middle": "mid"}.get(key, key)
    return "post" if "post" in word else None


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


# --------------------------------------------------------------------------
# Form handlers: (match of the form's own pattern, span start, span end, context)
# -> DateMention or None (not a date after all).
# --------------------------------------------------------------------------


def _mention(
    ctx: _Context, start: int, end: int, value: str, confidence: float, **kw
) -> DateMention:
    return DateMention(start, end, ctx.text[start:end], value, confidence, **kw)


def _iso(m: re.Match[str], start: int, end: int, ctx: _Context) -> DateMention | None:
    day = _day(int(m["y"]), int(m["m"]), int(m["d"]))
    return day and _mention(ctx, start, end, res.day_value(day), 0.95)


def _numeric(m: re.Match[str], start: int, end: int, ctx: _Context) -> DateMention | None:
    year, month, day = _fields(m.group(0), ctx.day_first)
    if None in (year, month, day):
        return None
    if len(m["y"]) == 2:  # "6/30/70" in a 1998 story is 1970, whatever today's century
        reference = (ctx.anchor or date.today()).year
        year = min((c + int(m["y"]) for c in (1900, 2000)), key=lambda y: abs(y - reference + 5))
    when = _day(year, month, day)  # 2/29/00 read as 1900 does not exist
    return when and _mention(ctx, start, end, res.day_value(when), 0.8)


def _month_day(m: re.Match[str], start: int, end: int, ctx: _Context) -> DateMention | None:
    if pat.NAME_NOUN_AFTER.match(ctx.text, end) or _glued_number(ctx.text, end):
        return None
    month, day = _month_number(m["m"]), int(re.match(r"\d+", m["d"]).group())
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
    first = _day(year, month, day)
    if first is None:
        return None
    confidence = 0.95 if m["y"] else 0.85
    if not m["d2"]:
        return _mention(ctx, start, end, res.day_value(first), confidence, kind=kind)
    last = _day(year, month, int(re.match(r"\d+", m["d2"]).group()))
    if last is None or last <= first:
        return None
    return _range_mention(ctx, m, start, end, first, last, confidence, kind)


def _range_mention(ctx, m, start, end, first, last, confidence, kind) -> DateMention:
    """One interval mention for "June 19-21, 2017", whose parts are the two days."""
    first_end = m.end("d")
    first_part = _mention(ctx, start, first_end, res.day_value(first), confidence, kind=kind)
    second_start = m.start("d2")
    second = _mention(ctx, second_start, end, res.day_value(last), confidence, kind=kind)
    value = res.interval(first, last)
    return _mention(ctx, start, end, value, confidence, kind=kind, parts=(first_part, second))


def _wd_key(word: str) -> str:
    return word.rstrip(".").lower()


def _year_with_weekday(anchor: date, month: int, day: int, weekday: int) -> int | None:
    for year in sorted(
        (anchor.year - 1, anchor.year, anchor.year + 1), key=lambda y: abs(y - anchor.year)
    ):
        when = _day(year, month, day)
        if when is not None and when.weekday() == weekday:
            return year
    return res.nearest_year(anchor, month, day, None)


def _glued_number(text: str, end: int) -> bool:
    """True when the match runs into more digits or a decimal ("Aug. 7.5", "June 30,000")."""
    return re.match(r"[\d]|[.,]\d", text[end : end + 2]) is not None


def _day_month(m: re.Match[str], start: int, end: int, ctx: _Context) -> DateMention | None:
    return _month_day(m, start, end, ctx)


def _month_year(m: re.Match[str], start: int, end: int, ctx: _Context) -> DateMention | None:
    value = res.month_value(int(m["y"]), _month_number(m["m"]))
    return _mention(ctx, start, end, value, 0.9, modifier=_modifier(m["mod"]))


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


def _part_of_year(m: re.Match[str], start: int, end: int, ctx: _Context) -> DateMention | None:
    """The months "the third quarter of 1989" covers, as an interval."""
    index = _ORDINALS[m["ord"].lower()]
    months = 3 if m["unit"].lower() == "quarter" else 6
    if (index + 1) * months > 12:
        return None
    first = date(int(m["y"]), index * months + 1, 1)
    last = first + res.relativedelta(months=months, days=-1)
    return _mention(ctx, start, end, res.interval(first, last), 0.8)


_SEASON_MONTHS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}


def _season(m: re.Match[str], start: int, end: int, ctx: _Context) -> DateMention | None:
    if m["s"]:
        name, year, kind = m["s"].lower(), int(m["y"]), ABSOLUTE
    elif ctx.anchor is None:
        return None
    else:
        name, kind = m["s2"].lower(), RELATIVE
        year = _relative_season_year(ctx.anchor, name, m["rel"].lower())
    first = date(year, _SEASON_MONTHS[name], 1)
    last = first + res.relativedelta(months=3, days=-1)
    return _mention(ctx, start, end, res.interval(first, last), 0.6, kind=kind)


def _relative_season_year(anchor: date, name: str, rel: str) -> int:
    """The year a season starts in: 'last fall' seen from April 1999 is fall 1998."""
    start_month = _SEASON_MONTHS[name]
    current = anchor.year if anchor.month >= start_month else anchor.year - 1
    if name == "winter" and anchor.month <= 2:
        current = anchor.year - 1
    return current + {"last": -1, "past": -1, "next": 1, "coming": 1}.get(rel, 0)


def _decade(m: re.Match[str], start: int, end: int, ctx: _Context) -> DateMention | None:
    if m["short"]:
        century = "19" if int(m["short"]) >= 30 else "20"
        digits = century + m["short"][0]
    elif m["d"] == "00":
        digits = m["c"] + "X"  # "the 1800s": the century
    else:
        digits = m["c"] + m["d"][0]
    value = digits + "X" * (4 - len(digits))
    return _mention(ctx, start, end, value, 0.8, modifier=_modifier(m["mod"]))


def _year_range(m: re.Match[str], start: int, end: int, ctx: _Context) -> DateMention | None:
    first = int(m["y"])
    second_text = m["y2"]
    second = int(second_text) if len(second_text) == 4 else first // 100 * 100 + int(second_text)
    if second <= first or second - first > 50 or _not_a_year(ctx.text, start, end):
        return None
    middle = m.start("y2")
    parts = (
        _mention(ctx, start, start + 4, res.year_value(first), 0.8),
        _mention(ctx, middle, end, res.year_value(second), 0.8),
    )
    value = f"{res.year_value(first)}/{res.year_value(second)}"
    return _mention(ctx, start, end, value, 0.8, parts=parts)


def _not_a_year(text: str, start: int, end: int) -> bool:
    return bool(
        pat.NOT_YEAR_BEFORE.search(text[max(0, start - 14) : start])
        or pat.NOT_YEAR_AFTER.match(text[end : end + 24])
    )


def _year(m: re.Match[str], start: int, end: int, ctx: _Context) -> DateMention | None:
    year = int(m["y"])
    if not (m["mod"] or m["fiscal"]) and _not_a_year(ctx.text, start, end):
        return None
    latest = (ctx.anchor.year if ctx.anchor else date.today().year) + 30
    if not 1600 <= year <= latest and not pat.MONTH_CONTEXT_BEFORE.search(
        ctx.text[max(0, start - 12) : start]
    ):
        return None
    modifier = "fiscal" if m["fiscal"] else _modifier(m["mod"])
    return _mention(ctx, start, end, res.year_value(year), 0.7, modifier=modifier)


def _time_of_day(text: str) -> str:
    text = text.lower()
    if text.startswith("noon"):
        return "12:00"
    if text.startswith("midnight"):
        return "00:00"
    hour, minute, pm = re.match(r"(\d{1,2})(?::(\d\d))?\s*([ap])", text).groups()
    hour = int(hour) % 12 + (12 if pm == "p" else 0)
    return f"{hour:02d}:{minute or '00'}"


def _time_weekday(m: re.Match[str], start: int, end: int, ctx: _Context) -> DateMention | None:
    if ctx.anchor is None:
        return None
    tense = res.tense_near(ctx.text, start, end)
    day = res.weekday_date(ctx.anchor, pat.WEEKDAYS[m["w"].lower()], None, tense)
    if not re.match(r"\d|noon|midnight", m["time"], re.I):
        return None
    value = f"{res.day_value(day)}T{_time_of_day(m['time'])}"
    return _mention(ctx, start, end, value, 0.75, kind=RELATIVE)


def _weekday(m: re.Match[str], start: int, end: int, ctx: _Context) -> DateMention | None:
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
    return _mention(ctx, start, end, res.day_value(day), 0.8, kind=RELATIVE)


def _holiday(m: re.Match[str], start: int, end: int, ctx: _Context) -> DateMention | None:
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
    return _mention(ctx, start, end, res.day_value(best), 0.7, kind=RELATIVE)


def _weighted_distance(anchor: date, when: date, tense: str | None, rel: str) -> float:
    days = (when - anchor).days
    if rel == "last" and days >= 0 or rel == "next" and days <= 0:
        return float("inf")
    past_weight, future_weight = res._WEIGHTS[tense]
    return -days * past_weight if days <= 0 else days * future_weight


def _month(m: re.Match[str], start: int, end: int, ctx: _Context) -> DateMention | None:
    rel = (m["rel"] or "").lower()
    word, text = m["m"], ctx.text
    if not rel and not _bare_month_is_a_date(word, text, start, end):
        return None
    if ctx.anchor is None:
        return None
    month = _month_number(word)
    relative_word = rel if rel in ("last", "next", "this") else None
    year = res.month_year(ctx.anchor, month, relative_word, res.tense_near(text, start, end))
    modifier = _modifier(rel) if rel not in ("last", "next", "this") else None
    value = res.month_value(year, month)
    return _mention(ctx, start, end, value, 0.7, kind=RELATIVE, modifier=modifier)


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


def _relative_day(m: re.Match[str], start: int, end: int, ctx: _Context) -> DateMention | None:
    if ctx.anchor is None:
        return None
    if _GENERIC_TODAY.match(ctx.text, end) and m["word"].lower() == "today":
        return None  # "today's youth": the present age, not a day
    offset = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[m["word"].lower()]
    around = (m["around"] or "").lower()
    offset += {"before": -1, "after": 1}.get(around, 0)
    value = res.day_value(res.shift(ctx.anchor, "day", offset))
    end = end if m["part"] else m.end("word")  # "today", not "today's"
    return _mention(ctx, start, end, value, 0.9, kind=RELATIVE)


_THE_BEFORE = re.compile(r"(?i:\bthe\s+)$")


def _relative_unit(m: re.Match[str], start: int, end: int, ctx: _Context) -> DateMention | None:
    if ctx.anchor is None:
        return None
    rel = " ".join(m["rel"].lower().split())
    unit = m["unit"].lower()
    modifier = _modifier(m["mod"])
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
        return _span_from_anchor(m, start, end, ctx, rel, unit)
    step = {"this": 0, "last": -1, "next": 1}[rel]
    anchor = ctx.anchor
    if unit in ("week", "weekend"):
        monday, sunday = res.week_bounds(res.shift(anchor, "week", step))
        first = monday + res.timedelta(days=5) if unit == "weekend" else monday
        return _mention(ctx, start, end, res.interval(first, sunday), 0.75, kind=RELATIVE)
    when = res.shift(anchor, unit, step)
    if unit == "month":
        value = res.month_value(when.year, when.month)
    elif unit == "year":
        value = res.year_value(when.year)
    elif unit == "decade":
        value = f"{when.year // 10:03d}X"
    else:
        value = f"{when.year // 100:02d}XX"
    return _mention(ctx, start, end, value, 0.8, kind=RELATIVE, modifier=modifier)


def _nearest_weekend(start: int, end: int, ctx: _Context) -> DateMention:
    """The weekend of "over the weekend": the last one, or the next when the clause is future."""
    future = res.tense_near(ctx.text, start, end) == res.FUTURE
    saturday = res.weekday_date(ctx.anchor, 5, None, res.FUTURE if future else res.PAST)
    sunday = saturday + res.timedelta(days=1)
    return _mention(ctx, start, end, res.interval(saturday, sunday), 0.6, kind=RELATIVE)


def _century(m: re.Match[str], start: int, end: int, ctx: _Context) -> DateMention | None:
    number = int(m["n"])
    if not 1 <= number <= 21:
        return None
    return _mention(ctx, start, end, f"{number - 1:02d}XX", 0.8)


def _span_from_anchor(m, start, end, ctx: _Context, rel: str, unit: str) -> DateMention:
    """The unit-long interval ending ("the past week") or starting at the anchor."""
    unit = "week" if unit == "weekend" else unit
    sign = -1 if "past" in rel else 1
    other = res.shift(ctx.anchor, unit, sign)
    first, last = sorted((other, ctx.anchor))
    return _mention(ctx, start, end, res.interval(first, last), 0.6, kind=RELATIVE)


def _ago(m: re.Match[str], start: int, end: int, ctx: _Context) -> DateMention | None:
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
    return _mention(ctx, m.start("n"), end, value, 0.7, kind=RELATIVE)


_HANDLERS: dict[str, Callable[[re.Match[str], int, int, _Context], DateMention | None]] = {
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
    "time_weekday": _time_weekday,
    "weekday": _weekday,
    "holiday": _holiday,
    "month": _month,
    "relative_day": _relative_day,
    "relative_unit": _relative_unit,
    "ago": _ago,
}


# --------------------------------------------------------------------------
# Joining neighbours: ranges and "April next year"
# --------------------------------------------------------------------------

_RANGE_GAP = re.compile(r"\s*(?:-|–|—|to|through|thru|until|till)\s*", re.I)
_BETWEEN_GAP = re.compile(r"\s+and\s+", re.I)
_FROM_BEFORE = re.compile(r"(?i:\b(from|between)\s+)$")
_CALENDAR = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def _join_neighbours(mentions: list[DateMention], text: str) -> list[DateMention]:
    out: list[DateMention] = []
    i = 0
    while i < len(mentions):
        current = mentions[i]
        following = mentions[i + 1] if i + 1 < len(mentions) else None
        if following is not None:
            joined = _join_range(current, following, text) or _join_month_year(
                current, following, text
            )
            if joined is not None:
                out.extend(joined)
                i += 2
                continue
        out.append(current)
        i += 1
    return out


def _join_range(a: DateMention, b: DateMention, text: str) -> list[DateMention] | None:
    if not (_CALENDAR.fullmatch(a.value) and _CALENDAR.fullmatch(b.value)):
        return None
    gap = text[a.end : b.start]
    lead = _FROM_BEFORE.search(text[max(0, a.start - 10) : a.start])
    is_dash = gap.strip() in ("-", "–", "—")
    if lead and lead.group(1).lower() == "between":
        if not _BETWEEN_GAP.fullmatch(gap):
            return None
    elif not (_RANGE_GAP.fullmatch(gap) and (lead or is_dash)):
        return None
    a = _borrow_year(a, b)
    if a.value > b.value:
        return None
    start = a.start - len(lead.group(0)) if lead else a.start
    value = f"{a.value}/{b.value}"
    confidence = min(a.confidence, b.confidence)
    joined = DateMention(start, b.end, text[start : b.end], value, confidence, a.kind, None, (a, b))
    return [joined]


def _borrow_year(a: DateMention, b: DateMention) -> DateMention:
    """The first end of "June 19 to July 13, 2017" takes the year the second one states."""
    if (
        a.kind == RELATIVE
        and b.kind == ABSOLUTE
        and len(a.value) > 4
        and a.value[:4] != b.value[:4]
    ):
        year = int(b.value[:4]) - (1 if a.value[5:] > b.value[5:] else 0)
        return replace(a, value=f"{year:04d}{a.value[4:]}", kind=ABSOLUTE)
    return a


def _join_month_year(a: DateMention, b: DateMention, text: str) -> list[DateMention] | None:
    """One mention for "April next year": the month in that year."""
    if not (len(a.value) == 7 and a.kind == RELATIVE and len(b.value) == 4 and b.kind == RELATIVE):
        return None
    if not re.fullmatch(r"\s+(?:of\s+)?", text[a.end : b.start]):
        return None
    if not re.match(r"(?i)(this|last|next)\s+year", b.text):
        return None
    value = f"{b.value}{a.value[4:]}"
    return [replace(a, end=b.end, text=text[a.start : b.end], value=value)]


_WEEK_OF = re.compile(r"(?i:\b(?:the\s+)?week\s+of\s+)$")
_DAY_VALUE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _week_of(mention: DateMention, text: str) -> DateMention:
    """ "the week of March 6": the Monday-to-Sunday week holding that day."""
    lead = _WEEK_OF.search(text, max(0, mention.start - 16), mention.start)
    day = _DAY_VALUE.fullmatch(mention.value)
    if lead is None or day is None:
        return mention
    monday, sunday = res.week_bounds(date(*map(int, day.groups())))
    start = lead.start()
    value = res.interval(monday, sunday)
    return replace(mention, start=start, text=text[start : mention.end], value=value)


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def find_dates(
    text: str, anchor: str | None = None, *, day_first: bool = False
) -> list[DateMention]:
    """Every date mention in ``text``, in order, with EDTF values.

    ``anchor`` (YYYY-MM-DD, the document's date) resolves relative mentions
    ("yesterday", "Friday", "last year", "June 30"); without it they are left out.
    ``day_first`` reads "6/7/2017" as 6 July. Raises ValueError for a bad anchor.
    """
    ctx = _Context(text, res.parse_anchor(anchor) if anchor else None, day_first)
    found: list[DateMention] = []
    for match in _candidates(text):
        form = match.lastgroup
        start, end = match.span()
        own = pat.FORM_RE[form].fullmatch(text, start, end)
        try:
            mention = _HANDLERS[form](own, start, end, ctx) if own else None
        except (ValueError, OverflowError):  # arithmetic past year 1 or 9999
            mention = None
        if mention is not None:
            found.append(mention)
    return [_week_of(m, text) for m in _join_neighbours(found, text)]


def _candidates(text: str) -> Iterator[re.Match[str]]:
    """The matches ``pat.MASTER.finditer(text)`` would give, found by searching only
    around the pre-filter's triggers."""
    pos = 0
    for trigger in pat.TRIGGER.finditer(text):
        at = trigger.start()
        if at < pos:
            continue
        near = pat.MASTER.search(text, max(pos, at - pat.TRIGGER_BEFORE), at + pat.TRIGGER_AFTER)
        if near is None or near.start() > at:
            continue
        match = pat.MASTER.match(text, near.start())  # the whole match, not cut at the window
        if match is not None:
            pos = match.end()
            yield match


def datebench_mentions(text: str, anchor: str) -> list[dict[str, object]]:
    """Adapter for datebench's ``score.py --python-module``: interval mentions are given as
    their two ends (TimeML annotates "from 1991 to 1997" as two dates)."""
    out: list[dict[str, object]] = []
    for mention in find_dates(text, anchor):
        for point in mention.parts or (mention,):
            out.append(
                {"start": point.start, "end": point.end, "text": point.text, "value": point.value}
            )
    return out
