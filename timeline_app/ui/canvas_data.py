"""What the timeline canvas draws from, built once per case: flat time-sorted arrays.

No Qt here. Events are numbered by their rank in time order ("keys"); every per-event fact the
canvas needs on a paint is a list indexed by key, so painting never touches Event objects.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from timeline_app.core.dates import Precision
from timeline_app.core.layout import SpanIndex
from timeline_app.core.model import Case, Event

APPROXIMATE = 1
UNCERTAIN = 2
OPEN_START = 4
OPEN_END = 8
SPAN = 16  # an interval or a date coarser than a day: drawn as a bar when wide enough

OTHER_LANE_ID = ""
OTHER_LANE_COLOUR = "#8a8f98"


@dataclass
class LaneData:
    """One lane: its events (keys, time order) and their overlap index."""

    id: str
    name: str
    colour: str
    keys: list[int]
    index: SpanIndex


def event_flags(event: Event) -> int:
    when = event.when
    flags = APPROXIMATE if when.approximate else 0
    if when.uncertain:
        flags |= UNCERTAIN
    if when.open_start:
        flags |= OPEN_START
    if when.open_end:
        flags |= OPEN_END
    if when.is_interval or when.precision < Precision.DAY:
        flags |= SPAN
    return flags


class CanvasData:
    """Events of a case (optionally only some ids) as arrays by key, grouped into lanes."""

    def __init__(self, case: Case, only_ids: set[str] | None = None) -> None:
        events = case.events_in_time_order()
        if only_ids is not None:
            events = [ev for ev in events if ev.id in only_ids]
        self.events = events
        self.ids = [ev.id for ev in events]
        self.titles = [ev.title for ev in events]
        self.starts = [ev.when.sort_start for ev in events]
        self.ends = [ev.when.sort_end for ev in events]
        self.flags = [event_flags(ev) for ev in events]
        self.key_of = {event_id: key for key, event_id in enumerate(self.ids)}
        self.lanes = self._lanes(case, events)
        self.lane_of = [0] * len(events)
        for lane_no, lane in enumerate(self.lanes):
            for key in lane.keys:
                self.lane_of[key] = lane_no
        self.first = min(self.starts, default=math.nan)
        self.last = max(self.ends, default=math.nan)

    def _lanes(self, case: Case, events: list[Event]) -> list[LaneData]:
        known = {lane.id for lane in case.lanes}
        by_lane: dict[str, list[int]] = {lane.id: [] for lane in case.lanes}
        other: list[int] = []
        for key, ev in enumerate(events):
            (by_lane[ev.lane] if ev.lane in known else other).append(key)
        lanes = [
            self._lane(lane.id, lane.name or lane.id, lane.colour, by_lane[lane.id])
            for lane in case.lanes
        ]
        if other or not lanes:
            lanes.append(self._lane(OTHER_LANE_ID, "Other", OTHER_LANE_COLOUR, other))
        return lanes

    def _lane(self, lane_id: str, name: str, colour: str, keys: list[int]) -> LaneData:
        index = SpanIndex([self.starts[k] for k in keys], [self.ends[k] for k in keys], keys)
        return LaneData(lane_id, name, colour, keys, index)

    def __len__(self) -> int:
        return len(self.ids)

    def human_when(self, key: int) -> str:
        return self.events[key].when.human()


def today_day_number() -> float:
    """Now, as a day number (UTC)."""
    return time.time() / 86400.0
