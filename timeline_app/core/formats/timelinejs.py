"""Knight Lab TimelineJS JSON export (https://timeline.knightlab.com/docs/json-format.html).

The title slide holds the case title and description; one slide per event with
``start_date``/``end_date`` objects given only to the date's precision, ``display_date`` the
human text (so qualifiers and open ends show), ``text`` {headline, text} HTML-escaped,
``group`` the lane name and ``unique_id`` the event id; the case's background periods become
``eras``. Years are astronomical, as in EDTF (0 = 1 BC). timelinejs_import.py reads it back.
"""

from __future__ import annotations

import html
import json
from typing import IO, Any

from timeline_app.core.dates import Precision, When
from timeline_app.core.formats.common import PERIODS_KEY, ReportItem, periods_of
from timeline_app.core.formats.edtf_fields import fields_of, parse_when
from timeline_app.core.model import Case, Event

MEDIA_NOTE = "media"  # the note of a citation source that is a slide's media


def write_timelinejs(case: Case, stream: IO[bytes]) -> list[ReportItem]:
    """Write the case as TimelineJS JSON (UTF-8) to a binary stream, one slide a line."""
    data, report = to_timelinejs(case)
    parts = []
    for key, value in data.items():
        if isinstance(value, list):
            items = ",\n    ".join(json.dumps(v, ensure_ascii=False) for v in value)
            parts.append(f'  "{key}": [\n    {items}\n  ]' if value else f'  "{key}": []')
        else:
            parts.append(f'  "{key}": {json.dumps(value, ensure_ascii=False)}')
    stream.write(("{\n" + ",\n".join(parts) + "\n}\n").encode("utf-8"))
    return report


def to_timelinejs(case: Case) -> tuple[dict[str, Any], list[ReportItem]]:
    """The TimelineJS JSON object of a case, and the periods that could not be exported."""
    lane_names = {lane.id: lane.name for lane in case.lanes}
    data: dict[str, Any] = {
        "title": {"text": {"headline": _html(case.title), "text": _html(case.description)}},
        "events": [export_event(ev, lane_names) for ev in case.events_in_time_order()],
    }
    eras, report = _export_eras(case)
    if eras:
        data["eras"] = eras
    return data, report


def export_event(event: Event, lane_names: dict[str, str]) -> dict[str, Any]:
    """One TimelineJS slide for an event."""
    start, end = date_objects(event.when)
    slide: dict[str, Any] = {"start_date": start}
    if end is not None:
        slide["end_date"] = end
    slide["display_date"] = event.when.human()
    slide["text"] = {"headline": _html(event.title), "text": _html(event.summary)}
    if event.lane and event.lane in lane_names:
        slide["group"] = lane_names[event.lane]
    media = _export_media(event)
    if media:
        slide["media"] = media
    if isinstance(event.extra.get("background"), dict):
        slide["background"] = event.extra["background"]
    slide["unique_id"] = event.id
    return slide


def date_objects(when: When) -> tuple[dict[str, int], dict[str, int] | None]:
    """TimelineJS start_date and end_date (or None), each only to its own precision.

    An open end is left out (the display date says it is open); a date coarser than a
    year, or a season, becomes a span from its first to its last year or month.
    """
    first, last = when.start, when.end
    if first is None or last is None:
        known = first or last
        assert known is not None
        return _date_object(known), _span_end(known)
    if first is last:
        return _date_object(first), _span_end(first)
    return _date_object(first), _date_object(last)


def _date_object(part: When, at: float | None = None) -> dict[str, int]:
    fields = fields_of(part, at)
    out = {"year": fields.year}
    for key in ("month", "day", "hour", "minute", "second"):
        value = getattr(fields, key)
        if value is not None:
            out[key] = value
    return out


def _span_end(part: When) -> dict[str, int] | None:
    """The end_date of a single date that TimelineJS cannot show as one (201X, 2017-21)."""
    if part.precision >= Precision.MONTH or part.precision == Precision.YEAR:
        return None
    return _date_object(part, part.sort_end - 1)


def _html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _export_media(event: Event) -> dict[str, str] | None:
    for source in event.sources:
        cit = source.citation
        if source.note == MEDIA_NOTE and cit is not None and cit.url:
            media = {"url": cit.url, "caption": _html(cit.title), "credit": _html(cit.publisher)}
            if isinstance(cit.extra.get("thumbnail"), str):
                media["thumbnail"] = cit.extra["thumbnail"]
            return {k: v for k, v in media.items() if v}
    return None


def _export_eras(case: Case) -> tuple[list[dict[str, Any]], list[ReportItem]]:
    eras, report = [], []
    for index, period in enumerate(periods_of(case)):
        when = parse_when(str(period.get("when", "")))
        if when is None:
            where = f"{PERIODS_KEY}[{index}]"
            report.append(ReportItem("case.json", where, "period without a valid EDTF when"))
            continue
        first, last = when.start or when.end, when.end or when.start
        assert first is not None and last is not None
        eras.append(
            {
                "start_date": _date_object(first),
                "end_date": _date_object(last, last.sort_end - 1 / 86400),
                "text": {"headline": _html(str(period.get("title", "")))},
            }
        )
    return eras, report
