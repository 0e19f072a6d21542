"""iCalendar (.ics) export through the ``icalendar`` package (imported lazily).

Each event becomes a VEVENT with a UID stable per event id. Dates without a time of day are
all-day (``VALUE=DATE``) with the exclusive DTEND of RFC 5545; a month, a year or a range is an
all-day span over its known extent. Qualifiers, open ends and coarse precision are written out
in DESCRIPTION. Events outside the years 1-9999 (which iCalendar cannot hold) are skipped and
reported.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import IO, Any

from timeline_app import __version__
from timeline_app.core.dates import Precision, civil_from_day
from timeline_app.core.formats.common import MissingDependencyError, ReportItem
from timeline_app.core.formats.csv_export import source_text
from timeline_app.core.model import Case, Event

UID_DOMAIN = "timeline-app"


def _icalendar() -> Any:
    try:
        import icalendar
    except ImportError:
        raise MissingDependencyError(
            "iCalendar export needs the 'icalendar' package; install it with "
            "'pip install icalendar'"
        ) from None
    return icalendar


def write_ics(case: Case, stream: IO[bytes], file_name: str = "") -> list[ReportItem]:
    """Write the case's events as an iCalendar file; returns the events skipped and why."""
    icalendar = _icalendar()
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//timeline-app//timeline-app {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", case.title)
    stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    lane_names = {lane.id: lane.name for lane in case.lanes}
    report: list[ReportItem] = []
    for event in case.events_in_time_order():
        span = event_span(event)
        if span is None:
            message = f"{event.when.human()} is outside the years 1-9999 that iCalendar can hold"
            report.append(ReportItem(file_name, f"event {event.id}", message))
            continue
        calendar.add_component(_vevent(icalendar, event, span, stamp, lane_names))
    stream.write(calendar.to_ical())
    return report


def event_span(event: Event) -> tuple[dt.date, dt.date] | None:
    """(DTSTART, exclusive DTEND) of the known extent: dates for all-day events, UTC
    datetimes when a bound has a time of day; None when outside the years 1-9999."""
    start, end = event.when.sort_start, event.when.sort_end
    timed = start != math.floor(start) or end != math.floor(end)
    try:
        if timed:
            return _datetime(start), _datetime(end)
        return _date(int(start)), _date(int(math.ceil(end)))
    except (ValueError, OverflowError):
        return None


def _date(day: int) -> dt.date:
    year, month, dom = civil_from_day(day)
    if not 1 <= year <= 9999:
        raise ValueError(f"year {year} is outside 1-9999")
    return dt.date(year, month, dom)


def _datetime(day: float) -> dt.datetime:
    whole = math.floor(day)
    moment = dt.datetime.combine(_date(whole), dt.time(), tzinfo=dt.timezone.utc)
    return moment + dt.timedelta(seconds=round((day - whole) * 86400))


def _vevent(
    icalendar: Any,
    event: Event,
    span: tuple[dt.date, dt.date],
    stamp: dt.datetime,
    lane_names: dict[str, str],
) -> Any:
    vevent = icalendar.Event()
    vevent.add("uid", f"{event.id}@{UID_DOMAIN}")
    vevent.add("dtstamp", stamp)
    vevent.add("summary", event.title)
    vevent.add("dtstart", span[0])
    vevent.add("dtend", span[1])
    vevent.add("description", description(event, lane_names.get(event.lane or "", "")))
    categories = [c for c in [lane_names.get(event.lane or "", ""), *event.tags] if c]
    if categories:
        vevent.add("categories", categories)
    url = next((s.citation.url for s in event.sources if s.citation and s.citation.url), "")
    if url:
        vevent.add("url", url)
    return vevent


def date_notes(event: Event) -> list[str]:
    """Sentences saying how the calendar entry differs from the event's date."""
    when = event.when
    notes = []
    if when.approximate:
        notes.append("The date is approximate.")
    if when.uncertain:
        notes.append("The date is uncertain.")
    if when.open_start:
        notes.append("The start is open: it may have begun any time before the date shown.")
    if when.open_end:
        notes.append("The end is open: it may have gone on after the date shown.")
    if when.precision < Precision.DAY:
        level = when.precision.name.lower()
        notes.append(f"Known only to the {level}: the entry spans the whole {level}.")
    return notes


def description(event: Event, lane_name: str) -> str:
    """DESCRIPTION text: the human date and its EDTF, notes, summary, lane, actors, sources."""
    lines = [f"When: {event.when.human()} (EDTF {event.when.edtf})", *date_notes(event)]
    if event.summary:
        lines += ["", event.summary]
    details = []
    if lane_name:
        details.append(f"Lane: {lane_name}")
    if event.actors:
        details.append("Actors: " + "; ".join(event.actors))
    details += [f"Source: {source_text(src)}" for src in event.sources]
    if details:
        lines += ["", *details]
    return "\n".join(lines)
