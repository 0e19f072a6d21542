"""The date mention type and the helpers shared by the form handlers of
:mod:`timeline_app.core.extract`."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, datetime

from dateutil import parser as date_parser

from timeline_app.core import extract_patterns as pat

ABSOLUTE, RELATIVE = "absolute", "relative"


@dataclass(frozen=True)
class DateMention:
    """A date written in a text.

    ``start``/``end`` are Python str offsets (end exclusive) and ``text == source[start:end]``.
    ``value`` is EDTF: ``2017``, ``2017-06``, ``2017-06-30``, ``199X``, ``2017-06-20~``,
    ``2017-07-04T09:00`` or an interval ``2017-06-19/2017-06-21``. ``confidence`` is 0..1.
    """

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
class Context:
    """What every form handler needs: the whole text, the anchor date, the numeric order."""

    text: str
    anchor: date | None
    day_first: bool


# Two defaults that differ in every field tell which fields the parsed text gave.
_DEFAULT_A = datetime(1904, 1, 1)
_DEFAULT_B = datetime(1908, 3, 3)


@functools.lru_cache(maxsize=1024)
def read_fields(text: str, day_first: bool = False) -> tuple[int | None, int | None, int | None]:
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


def month_number(word: str) -> int:
    """1-12 for a month name or abbreviation ("Sept." -> 9)."""
    return pat.MONTHS[word.rstrip(".").lower()]


def modifier_of(word: str | None) -> str | None:
    """The normalised modifier of "early", "mid-", "the end of", "fiscal", ... or None."""
    if not word:
        return None
    word = word.lower()
    for key in ("early", "mid", "late", "end", "beginning", "start", "close", "fiscal", "pre"):
        if key in word:
            return {"start": "beginning", "close": "end", "middle": "mid"}.get(key, key)
    return "post" if "post" in word else None


def calendar_day(year: int, month: int, day: int) -> date | None:
    """The date, or None when it does not exist (30 February)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def mention(ctx: Context, start: int, end: int, value: str, confidence: float, **kw) -> DateMention:
    """A DateMention for ``ctx.text[start:end]``."""
    return DateMention(start, end, ctx.text[start:end], value, confidence, **kw)
