"""CSV export: one row per event in time order (RFC 4180: comma separated, CRLF line ends,
fields quoted when needed, UTF-8 without BOM, a header row). docs/export-formats.md lists the
columns."""

from __future__ import annotations

import csv
import io
import math
from typing import IO

from timeline_app.core.dates import iso_date
from timeline_app.core.formats.common import ReportItem
from timeline_app.core.model import Case, Event, SourceRef

COLUMNS = (
    "id",
    "title",
    "when",
    "human",
    "earliest",
    "latest",
    "lane",
    "lane_name",
    "summary",
    "tags",
    "actors",
    "sources",
)
LIST_SEPARATOR = "; "
SOURCE_SEPARATOR = " | "


def write_csv(case: Case, stream: IO[bytes]) -> list[ReportItem]:
    """Write the case's events as CSV to a binary stream (left open)."""
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
    try:
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        lane_names = {lane.id: lane.name for lane in case.lanes}
        for event in case.events_in_time_order():
            writer.writerow(event_row(event, lane_names))
        text.flush()
    finally:
        text.detach()
    return []


def event_row(event: Event, lane_names: dict[str, str]) -> list[str]:
    """The CSV fields of one event, in COLUMNS order."""
    when = event.when
    return [
        event.id,
        event.title,
        when.edtf,
        when.human(),
        first_day(when.earliest),
        last_day(when.latest),
        event.lane or "",
        lane_names.get(event.lane or "", ""),
        event.summary,
        LIST_SEPARATOR.join(event.tags),
        LIST_SEPARATOR.join(event.actors),
        SOURCE_SEPARATOR.join(source_text(src) for src in event.sources),
    ]


def first_day(bound: float) -> str:
    """The first day a date may fall on: ISO date, else the day number; empty when open."""
    if math.isinf(bound):
        return ""
    whole = math.floor(bound)
    return iso_date(whole) or str(whole)


def last_day(exclusive_bound: float) -> str:
    """The last day a date may fall on (the bound is exclusive); empty when open."""
    if math.isinf(exclusive_bound):
        return ""
    whole = math.floor(exclusive_bound)
    last = whole - 1 if whole == exclusive_bound else whole
    return iso_date(last) or str(last)


def source_text(source: SourceRef) -> str:
    """One source, compact: ``doc-id: "quote"`` or ``Publisher, Title <url>``."""
    if source.document is not None:
        return f'{source.document}: "{source.quote}"' if source.quote else source.document
    citation = source.citation
    if citation is None:
        return source.note
    label = ", ".join(p for p in (citation.publisher, citation.title, citation.date) if p)
    if citation.url and label:
        return f"{label} <{citation.url}>"
    return label or citation.url
