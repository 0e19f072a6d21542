"""Import TimelineJS JSON (version 3, and the older version 2 ``{"timeline": ...}`` shape).

Slides become events, the title slide the case title and description, eras the case's
background periods (``case.extra["periods"]``), groups lanes. Dates are kept to the precision
given, with the qualifiers and open ends the display date states; years are astronomical, as
in EDTF (0 = 1 BC, -44 = 45 BC); years beyond four digits become EDTF long years
(``Y-13800000000``) and keep only the year. HTML becomes plain text. Media become citation
sources with note "media"; backgrounds are kept in the event.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from timeline_app.core.dates import DateError, When
from timeline_app.core.formats.common import (
    PERIODS_KEY,
    FormatError,
    IdMaker,
    ImportResult,
    LaneMaker,
    Reporter,
)
from timeline_app.core.formats.edtf_fields import (
    edtf_from_fields,
    interval,
    long_year,
    parse_int,
    qualify,
)
from timeline_app.core.formats.text_input import html_to_text
from timeline_app.core.formats.timelinejs import MEDIA_NOTE
from timeline_app.core.model import Case, Citation, Event, SourceRef

UNTITLED = "Untitled event"


class _Skip(Exception):
    """This item cannot be imported; the message says why."""


def read_timelinejs(path: str | Path) -> ImportResult:
    """A new case from a TimelineJS JSON file; raises FormatError when it is not one."""
    reporter = Reporter(path)
    data = _load_json(Path(path))
    if isinstance(data.get("timeline"), dict):
        return _read_version_2(path, data["timeline"], reporter)
    events = data.get("events", [])
    if "events" not in data and "title" not in data:
        raise FormatError(
            path, 'not a TimelineJS timeline: expected a JSON object with an "events" list'
        )
    if not isinstance(events, list):
        raise FormatError(path, f'"events" is {_kind(events)}; expected a list of slides')
    builder = CaseBuilder(reporter, default_title=Path(path).stem)
    if data.get("title") is not None:
        builder.title_slide(data["title"], "title")
    for index, slide in enumerate(events):
        builder.event(slide, f"events[{index}]")
    eras = data.get("eras", [])
    if not isinstance(eras, list):
        reporter.skip("eras", f'"eras" is {_kind(eras)}; expected a list')
        eras = []
    for index, era in enumerate(eras):
        builder.era(era, f"eras[{index}]")
    return builder.result()


def _read_version_2(path: str | Path, timeline: dict[str, Any], reporter: Reporter) -> ImportResult:
    """TimelineJS 2: {"timeline": {headline, text, date: [...], era: [...]}}, dates written
    "2011,12,10" or "2011,12,10,07,02,10", ``tag`` as the group, ``asset`` as the media."""
    builder = CaseBuilder(reporter, default_title=Path(path).stem)
    builder.title_slide({"text": timeline}, "timeline")
    for key, add in (("date", builder.event), ("era", builder.era)):
        items = timeline.get(key, [])
        if not isinstance(items, list):
            raise FormatError(path, f'"timeline.{key}" is {_kind(items)}; expected a list')
        for index, item in enumerate(items):
            add(_version_2_slide(item), f"timeline.{key}[{index}]")
    return builder.result()


def _version_2_slide(item: Any) -> Any:
    if not isinstance(item, dict):
        return item
    slide: dict[str, Any] = {
        "start_date": _version_2_date(item.get("startDate")),
        "end_date": _version_2_date(item.get("endDate")),
        "text": {"headline": item.get("headline"), "text": item.get("text")},
        "group": item.get("tag"),
    }
    asset = item.get("asset")
    if isinstance(asset, dict):
        slide["media"] = {
            "url": asset.get("media"),
            "credit": asset.get("credit"),
            "caption": asset.get("caption"),
            "thumbnail": asset.get("thumbnail"),
        }
    return slide


def _version_2_date(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, (str, int)) or str(value).strip() == "":
        return None
    keys = ("year", "month", "day", "hour", "minute", "second")
    return dict(zip(keys, str(value).split(","), strict=False))


def _load_json(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise FormatError(path, f"cannot read the file: {err.strerror or err}") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FormatError(path, "not UTF-8 text (expected TimelineJS JSON)") from None
    except json.JSONDecodeError as err:
        raise FormatError(path, f"malformed JSON: {err.msg}", err.lineno, err.colno) from None
    except RecursionError:
        raise FormatError(path, "malformed JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise FormatError(path, f"expected a TimelineJS JSON object, got {_kind(data)}")
    return data


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text"}.get(type(value), f"{value!r}")


class CaseBuilder:
    """Turns TimelineJS slides (from JSON or from spreadsheet rows) into a case."""

    def __init__(self, reporter: Reporter, default_title: str) -> None:
        self.reporter = reporter
        self.case = Case(title=default_title)
        self.lanes = LaneMaker(self.case)
        self.ids = IdMaker()
        self.periods: list[dict[str, Any]] = []

    def result(self) -> ImportResult:
        if self.periods:
            self.case.extra[PERIODS_KEY] = self.periods
        return ImportResult(self.case, self.reporter.items)

    def title_slide(self, slide: Any, where: str) -> None:
        if not isinstance(slide, dict):
            self.reporter.skip(where, f"the title slide is {_kind(slide)}; expected an object")
            return
        headline, text = _slide_text(slide)
        if headline:
            self.case.title = headline
        if text:
            self.case.description = text

    def event(self, slide: Any, where: str) -> None:
        if not isinstance(slide, dict):
            self.reporter.skip(where, f"a slide is {_kind(slide)}; expected an object")
            return
        headline, text = _slide_text(slide)
        try:
            when = slide_when(slide, self.reporter, where)
        except _Skip as reason:
            self.reporter.skip(where, f"{headline or 'untitled slide'!r}: {reason}")
            return
        if not headline:
            headline = text.split("\n", 1)[0][:80] or UNTITLED
            self.reporter.note(where, f"no headline; titled {headline!r}")
        wanted = _str(slide.get("unique_id"))
        event = Event(self.ids.make(wanted, headline), headline, when)
        if wanted and event.id != wanted:
            self.reporter.note(where, f"unique_id {wanted!r} is used twice; id {event.id!r}")
        event.summary = text
        event.lane = self.lanes.lane_id(_str(slide.get("group")))
        media = _import_media(slide.get("media"))
        if media is not None:
            event.sources.append(media)
        if isinstance(slide.get("background"), dict):
            event.extra["background"] = slide["background"]
        display = html_to_text(_str(slide.get("display_date")))
        if display and display != when.human():
            event.extra["display_date"] = display
        self.case.events.append(event)

    def era(self, slide: Any, where: str) -> None:
        if not isinstance(slide, dict):
            self.reporter.skip(where, f"an era is {_kind(slide)}; expected an object")
            return
        headline, text = _slide_text(slide)
        try:
            when = slide_when(slide, self.reporter, where)
        except _Skip as reason:
            self.reporter.skip(where, f"era {headline or 'untitled'!r}: {reason}")
            return
        period: dict[str, Any] = {"title": headline or "Untitled period", "when": when.edtf}
        if text:
            period["summary"] = text
        self.periods.append(period)


def _str(value: Any) -> str:
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else str(value)


def _slide_text(slide: dict[str, Any]) -> tuple[str, str]:
    text = slide.get("text")
    if not isinstance(text, dict):
        return "", ""
    headline = html_to_text(_str(text.get("headline"))).replace("\n", " ")
    return headline, html_to_text(_str(text.get("text")))


def _import_media(media: Any) -> SourceRef | None:
    if not isinstance(media, dict) or not _str(media.get("url")):
        return None
    citation = Citation(
        publisher=html_to_text(_str(media.get("credit"))),
        title=html_to_text(_str(media.get("caption"))),
        url=_str(media.get("url")),
    )
    if _str(media.get("thumbnail")):
        citation.extra["thumbnail"] = _str(media.get("thumbnail"))
    return SourceRef(citation=citation, note=MEDIA_NOTE)


# -- dates

_APPROXIMATE = re.compile(
    r"~|\b(approximate(ly)?|approx\.?|about|around|circa|c\.|ca\.|roughly)(?=\W|$)", re.I
)
_YEARS_AGO = re.compile(r"\babout [\d.,]+(?: [a-z]+)? years ago")
_UNCERTAIN = re.compile(r"\?|\b(uncertain|possibly|probably|perhaps|maybe)\b", re.I)
_OPEN_START = re.compile(r"^\s*(on or before|before|until|no later than|by)\b|or earlier", re.I)
_OPEN_END = re.compile(r"^\s*(on or after|after|since|no earlier than)\b|or later|onwards?", re.I)


def slide_when(slide: dict[str, Any], reporter: Reporter, where: str) -> When:
    """The EDTF date of a slide: start_date (and end_date) to their precision, with the
    qualifiers and open ends its display_date states ("c. 1500", "on or before ...")."""
    display = html_to_text(_str(slide.get("display_date")))
    if "start_date" not in slide or slide["start_date"] in (None, "", {}):
        raise _Skip("no start_date")
    start = _date_part(slide["start_date"], "start_date", reporter, where)
    end_raw = slide.get("end_date")
    end = None
    if isinstance(end_raw, dict) and _str(end_raw.get("year")):
        end = _date_part(end_raw, "end_date", reporter, where)
    elif end_raw not in (None, "", {}) and not isinstance(end_raw, dict):
        reporter.note(where, "end_date is not an object; ignored")
    qualifiers = _YEARS_AGO.sub("", display)  # "(about 13.8 billion years ago)" is no "about"
    uncertain = bool(_UNCERTAIN.search(qualifiers))
    approximate = bool(_APPROXIMATE.search(qualifiers))
    start_q = qualify(start, uncertain, approximate)
    end_q = qualify(end, uncertain, approximate) if end is not None else None
    if end_q is None and _OPEN_START.search(display):
        text = interval(None, start_q)
    elif end_q is None and _OPEN_END.search(display):
        text = f"{start_q}/.."
    else:
        text = interval(start_q, end_q)
    try:
        return When.parse(text)
    except DateError:
        pass
    if end_q is not None:  # most likely the end is before the start
        reporter.note(where, f"end_date {end} is not after start_date {start}; end ignored")
        return When.parse(start_q)
    raise _Skip(f"cannot make a date of {text!r}")


def _date_part(obj: Any, name: str, reporter: Reporter, where: str) -> str:
    """EDTF of a TimelineJS date object; raises _Skip with the reason when unusable."""
    if not isinstance(obj, dict):
        raise _Skip(f"{name} is {_kind(obj)}; expected an object with a year")
    try:
        values = {k: parse_int(obj.get(k)) for k in ("year", "month", "day", "hour", "minute")}
        values["second"] = parse_int(obj.get("second"))
    except ValueError as err:
        raise _Skip(f"{name}: {err}") from None
    year, month, day = values["year"], values["month"], values["day"]
    if year is None:
        raise _Skip(f"{name} has no year")
    if month is not None and long_year(year):
        reporter.note(where, f"{name}: year {year} is kept alone (EDTF long years have no month)")
        month = day = None
    if day is not None and month is None:
        reporter.note(where, f"{name}: a day without a month; day ignored")
        day = None
    time = None
    if values["hour"] is not None:
        if day is None:
            reporter.note(where, f"{name}: a time without a day; time ignored")
        else:
            time = (values["hour"], values["minute"] or 0, values["second"])
    try:
        return edtf_from_fields(year, month, day, time)
    except ValueError as err:
        raise _Skip(f"{name}: {err}") from None
