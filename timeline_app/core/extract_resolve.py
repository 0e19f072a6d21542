"""Calendar arithmetic for date mentions: the anchor, tense, and relative resolution.

Values are EDTF strings. Arithmetic uses ``datetime.date`` and dateutil's
``relativedelta``: mentions in documents have four-digit years.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from dateutil.relativedelta import MO, TH, TU, relativedelta

FUTURE, PAST = "future", "past"

_FUTURE_WORDS = re.compile(
    r"(?i)\b(?:will|shall|won['’]?t|wo\s+n['’]t|going\s+to|gonna|schedule[ds]?|plans?\s+to|planned"
    r"|planning|expected|expects?|is\s+to|are\s+to|set\s+(?:for|to)|due|upcoming|would"
    r"|as\s+(?:soon|early|late)\s+as|intends?|aims?\s+to|hopes?\s+to|next|later|begins?|starts?"
    r"|opens?|resumes?|tomorrow|may|might|coming|deadline|anticipated|slated|likely|is|are"
    r"|(?:postpone|delay|adjourn|recess|extend|defer|put\s+off|push\w*\s+back)\w*\b[^.;]{0,40}?"
    r"\buntil)\b|['’]ll\b"
)
_PAST_WORDS = re.compile(
    r"(?i)\b(?:was|were|had|did|said|says|told|went|came|made|took|gave|met|left|held|began|found"
    r"|sent|got|won|lost|fell|rose|struck|saw|became|ago|last|earlier|since|killed|died|arrived"
    r"|wrote|spoke|brought|thought|ran|led|paid|kept|hit|shot|put|set\s+off|caught|fled|quit"
    r"|sought|fought|flew|drove|broke|chose|stood|told|heard|knew|meant|read|sold|spent|won)\b"
    r"|\b(?-i:[a-z]{2,}(?<!need)(?<!speed)(?<!indeed)(?<!hundred)(?<!embed)ed)\b"
)
# "is heard", "will be held": a participle after a form of "be" is not the past.
_PASSIVE_BEFORE = re.compile(r"(?i)\b(?:is|are|be|being|been|to)\s+$")
_CLAUSE_BREAK = re.compile(r"[.;!?\n]\s|``|''|\"|[.;!?]$")
_WINDOW = 120


def parse_anchor(anchor: str) -> date:
    """The document date as a ``date``; raises ValueError naming the bad input."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", anchor.strip())
    try:
        if match is None:
            raise ValueError
        return date(*map(int, match.groups()))
    except ValueError:
        raise ValueError(
            f"anchor {anchor!r} is not a calendar date; expected YYYY-MM-DD, e.g. 2017-06-30"
        ) from None


def day_value(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def month_value(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def year_value(year: int) -> str:
    return f"{year:04d}"


def interval(first: date, last: date) -> str:
    return f"{day_value(first)}/{day_value(last)}"


def tense_near(text: str, start: int, end: int) -> str | None:
    """FUTURE or PAST as told by the closest marker word in the mention's clause, else None."""
    before = text[max(0, start - _WINDOW) : start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end() :]
    best: tuple[int, str] | None = None
    for pattern, tense in ((_FUTURE_WORDS, FUTURE), (_PAST_WORDS, PAST)):
        for match in pattern.finditer(before):
            if tense == PAST and _PASSIVE_BEFORE.search(
                before, max(0, match.start() - 10), match.start()
            ):
                continue
            if (
                best is None
                or match.end() > best[0]
                or (match.end() == best[0] and tense == FUTURE)
            ):
                best = (match.end(), tense)
    if best is not None:
        return best[1]
    after = text[end : end + 90]
    cut = _CLAUSE_BREAK.search(after)
    if cut:
        after = after[: cut.start()]
    future, past = _FUTURE_WORDS.search(after), _PAST_WORDS.search(after)
    if future and (past is None or future.start() < past.start()):
        return FUTURE
    if past:
        return PAST
    return None


def weekday_date(anchor: date, weekday: int, rel: str | None, tense: str | None) -> date:
    """The weekday nearest the anchor: in the past (today included) unless the tense or
    'next'/'coming'/'this' says the future; 'last'/'next' exclude today."""
    rel = (rel or "").lower()
    back = (anchor.weekday() - weekday) % 7
    ahead = (weekday - anchor.weekday()) % 7
    if rel in ("last", "past", "previous"):
        return anchor - timedelta(days=back or 7)
    if rel == "next":
        return anchor + timedelta(days=ahead or 7)
    if rel in ("coming", "this") and tense != PAST:
        return anchor + timedelta(days=ahead)
    if tense == FUTURE:
        return anchor + timedelta(days=ahead)
    return anchor - timedelta(days=back)


# Weights on the distance to a past and to a future reading: news mostly reports the past.
WEIGHTS = {None: (1.0, 3.0), PAST: (1.0, 6.0), FUTURE: (3.0, 1.0)}


def nearest_year(anchor: date, month: int, day: int, tense: str | None) -> int | None:
    """The year that puts month/day closest to the anchor, weighed by tense."""
    past_weight, future_weight = WEIGHTS[tense]
    best: tuple[float, int] | None = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            when = date(year, month, day)
        except ValueError:
            continue
        distance = (when - anchor).days
        cost = -distance * past_weight if distance <= 0 else distance * future_weight
        if best is None or cost < best[0]:
            best = (cost, year)
    return None if best is None else best[1]


def month_year(anchor: date, month: int, rel: str | None, tense: str | None) -> int:
    """The year of a bare month name ("in April") seen from the anchor."""
    rel = (rel or "").lower()
    back = (anchor.month - month) % 12
    ahead = (month - anchor.month) % 12
    if rel == "last":
        return anchor.year - (1 if month >= anchor.month else 0)
    if rel == "next":
        return anchor.year + (1 if month <= anchor.month else 0)
    if rel == "this":
        return anchor.year
    past_weight, future_weight = WEIGHTS[tense]
    if back * past_weight <= ahead * future_weight:
        return anchor.year - (1 if month > anchor.month else 0)
    return anchor.year + (1 if month < anchor.month else 0)


def week_bounds(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def shift(anchor: date, unit: str, amount: int) -> date:
    """The anchor moved by ``amount`` units (day/week/month/year/decade/century)."""
    if unit == "day":
        return anchor + timedelta(days=amount)
    if unit == "week":
        return anchor + timedelta(weeks=amount)
    if unit == "month":
        return anchor + relativedelta(months=amount)
    years = {"year": 1, "decade": 10, "century": 100}[unit]
    return anchor + relativedelta(years=amount * years)


def holiday_date(name: str, year: int) -> date | None:
    """The date of a (US) holiday in a year; None for an unknown name."""
    key = re.sub(r"[\s'’]+", " ", name.lower()).replace("the ", "").strip()
    fixed = {
        "christmas": (12, 25),
        "christmas day": (12, 25),
        "christmas eve": (12, 24),
        "new year s": (1, 1),
        "new year s day": (1, 1),
        "new year s eve": (12, 31),
        "veterans day": (11, 11),
        "valentine s day": (2, 14),
        "halloween": (10, 31),
        "fourth of july": (7, 4),
        "july fourth": (7, 4),
    }
    if key in fixed:
        return date(year, *fixed[key])
    rules = {
        "thanksgiving": relativedelta(month=11, day=1, weekday=TH(+4)),
        "thanksgiving day": relativedelta(month=11, day=1, weekday=TH(+4)),
        "labor day": relativedelta(month=9, day=1, weekday=MO(+1)),
        "memorial day": relativedelta(month=5, day=31, weekday=MO(-1)),
        "election day": relativedelta(month=11, day=2, weekday=TU(+1)),
    }
    if key in rules:
        return date(year, 1, 1) + rules[key]
    return None
