"""Date mentions in plain text, normalised to EDTF values.

``find_dates(text, anchor)`` scans the text once with a combined regular expression
(:mod:`timeline_app.core.extract_patterns`) searched only around cheap trigger words,
reads each candidate with its form's handler (:mod:`~timeline_app.core.extract_absolute`,
:mod:`~timeline_app.core.extract_relative`; python-dateutil for numeric dates and the
arithmetic), resolves relative mentions against the anchor (the document's own date,
:mod:`timeline_app.core.extract_resolve`), and joins ranges ("from 2016 to 2018") into
interval mentions.

Values follow the conventions of news annotation (TimeML): "mid-2017" is ``2017`` and
"early June" is ``2017-06`` (the period the text names; ``DateMention.modifier`` keeps
the "mid"/"early"), "the 1990s" is ``199X``, "last week" and seasons are day intervals,
"two weeks ago" is an approximate day (``~``), "9 a.m. Tuesday" has its time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

from timeline_app.core import extract_absolute, extract_relative
from timeline_app.core import extract_patterns as pat
from timeline_app.core import extract_resolve as res
from timeline_app.core.extract_mention import ABSOLUTE, RELATIVE, Context, DateMention

__all__ = ["ABSOLUTE", "RELATIVE", "DateMention", "datebench_mentions", "find_dates"]

# form name (a key of extract_patterns.FORMS) -> its handler
_HANDLERS = extract_absolute.HANDLERS | extract_relative.HANDLERS


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
    ctx = Context(text, res.parse_anchor(anchor) if anchor else None, day_first)
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
