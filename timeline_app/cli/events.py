"""``timeline-app events [PATH] [--json]``: a case's events in time order."""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

from timeline_app.cli.common import add_case_argument, open_case_or_report

HELP = "List a case's events in time order with human-readable dates."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_case_argument(parser)
    parser.add_argument("--json", action="store_true", help="print a JSON list of objects")


def run(args: argparse.Namespace) -> int:
    case = open_case_or_report(args.path)
    if case is None:
        return 2
    events = case.events_in_time_order()
    if args.json:
        json.dump(
            [event_record(case, ev) for ev in events], sys.stdout, indent=2, ensure_ascii=False
        )
        sys.stdout.write("\n")
        return 0
    lanes = {lane.id: lane.name for lane in case.lanes}
    width = max((len(ev.when.human()) for ev in events), default=0)
    for ev in events:
        lane = lanes.get(ev.lane or "", "")
        suffix = f"  [{lane}]" if lane else ""
        print(f"{ev.when.human():<{width}}  {ev.title}{suffix}")
    return 0


def bound_for_json(day: float, *, exclusive_end: bool = False) -> str | float | None:
    """An ISO date (or UTC time) for a day number where representable, else the day number.

    None for an open end. Whole-day upper bounds are shown as the last day covered
    (inclusive), so "2017-06" reads 2017-06-01 .. 2017-06-30.
    """
    from timeline_app.core.dates import iso_bound

    if math.isinf(day):
        return None
    if exclusive_end and day == math.floor(day):
        day -= 1
    return iso_bound(day)


def event_record(case: Any, ev: Any) -> dict[str, Any]:
    """The JSON object of one event, as `events --json` prints it."""
    sources = []
    for src in ev.sources:
        if src.document is not None:
            sources.append(
                {"document": src.document, "quote": src.quote, "start": src.start, "end": src.end}
            )
        elif src.citation is not None:
            c = src.citation
            sources.append(
                {
                    "citation": {
                        "publisher": c.publisher,
                        "title": c.title,
                        "date": c.date,
                        "url": c.url,
                    }
                }
            )
    return {
        "id": ev.id,
        "title": ev.title,
        "when": ev.when.edtf,
        "earliest": bound_for_json(ev.when.earliest),
        "latest": bound_for_json(ev.when.latest, exclusive_end=True),
        "human": ev.when.human(),
        "lane": ev.lane,
        "sources": sources,
    }
