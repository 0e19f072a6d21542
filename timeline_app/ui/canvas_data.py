"""What the timeline canvas draws from, built once per case: flat time-sorted arrays.

No Qt here. Events are numbered by their rank in time order ("keys"); every per-event fact the
canvas needs on a paint is a list indexed by key, so painting never touches Event objects.
"""

from __future__ import annotations

import math
import time
from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property

from timeline_app.core.casefile import garbage_collection_paused
from timeline_app.core.dates import DateError, Precision, When
from timeline_app.core.formats.common import periods_of
from timeline_app.core.layout import SpanIndex
from timeline_app.core.model import Case, Event

APPROXIMATE = 1
UNCERTAIN = 2
OPEN_START = 4
OPEN_END = 8
SPAN = 16  # an interval or a date coarser than a day: drawn as a bar when wide enough

OTHER_LANE_ID = ""
OTHER_LANE_COLOUR = "#8a8f98"
PERIOD_COLOUR = "#8a8f98"  # background periods without a colour of their own


@dataclass(frozen=True)
class Period:
    """A background period (an era): its title, days [start, end) (infinite at an open
    end) and colour."""

    title: str
    start: float
    end: float
    colour: str


def case_periods(case: Case) -> list[Period]:
    """The case's background periods (``case.extra["periods"]``) with a valid EDTF ``when``,
    by start; the others are left out (importers report them)."""
    periods = []
    for entry in periods_of(case):
        try:
            when = When.parse(str(entry.get("when", "")))
        except DateError:
            continue
        start = -math.inf if when.open_start else when.sort_start
        end = math.inf if when.open_end else when.sort_end
        colour = entry.get("colour")
        colour = colour if isinstance(colour, str) and colour else PERIOD_COLOUR
        periods.append(Period(str(entry.get("title", "")), start, end, colour))
    periods.sort(key=lambda period: period.start)
    return periods


@dataclass(frozen=True)
class Edit:
    """One change of `CanvasData`'s keys: the event at ``removed`` left (keys after it moved
    down one), or one was inserted at ``inserted`` (keys from it on moved up one)."""

    removed: int | None
    inserted: int | None
    flags: int = 0
    lane_no: int = 0  # the lane it left or joined


@dataclass
class LaneData:
    """One lane: its events (keys, time order) and their overlap index."""

    id: str
    name: str
    colour: str
    keys: list[int]
    index: SpanIndex


def _flags(
    approximate: bool,
    uncertain: bool,
    open_start: bool,
    open_end: bool,
    is_interval: bool,
    precision: Precision,
) -> int:
    flags = (APPROXIMATE if approximate else 0) | (UNCERTAIN if uncertain else 0)
    if open_start:
        flags |= OPEN_START
    if open_end:
        flags |= OPEN_END
    if is_interval or precision < Precision.DAY:
        flags |= SPAN
    return flags


class _FlagMemo(dict):
    """`_flags` of each distinct combination of date qualities, computed once."""

    def __missing__(self, qualities: tuple) -> int:
        flags = self[qualities] = _flags(*qualities)
        return flags


def event_flags(event: Event) -> int:
    """How an event is drawn: APPROXIMATE, UNCERTAIN, OPEN_START, OPEN_END, SPAN bits."""
    w = event.when
    return _flags(w.approximate, w.uncertain, w.open_start, w.open_end, w.is_interval, w.precision)


def _time_order(starts: list[float], ends: list[float], ids: list[str]) -> list[int]:
    """Positions by (start, end, id), as `Case.events_in_time_order`: sort on the start alone,
    then fix up the (rare) runs of equal starts."""
    order = sorted(range(len(starts)), key=starts.__getitem__)
    ordered = [starts[i] for i in order]
    if len(set(ordered)) == len(ordered):
        return order
    i, n = 0, len(order)
    while i < n - 1:
        if ordered[i] != ordered[i + 1]:
            i += 1
            continue
        j = i + 1
        while j < n and ordered[j] == ordered[i]:
            j += 1
        order[i:j] = sorted(order[i:j], key=lambda k: (ends[k], ids[k]))
        i = j
    return order


class CanvasData:
    """Events of a case (optionally only some ids) as arrays by key, grouped into lanes."""

    def __init__(self, case: Case, only_ids: set[str] | None = None) -> None:
        with garbage_collection_paused():
            events = case.events
            if only_ids is not None:
                events = [ev for ev in events if ev.id in only_ids]
            # Columns read in the case's order (objects sit in memory in that order, so this
            # is cache-friendly), then permuted into time order.
            ids = [ev.id for ev in events]
            titles = [ev.title for ev in events]
            whens = [ev.when for ev in events]
            lanes = [ev.lane for ev in events]
            starts = [w.sort_start for w in whens]
            ends = [w.sort_end for w in whens]
            qualities = [
                (w.approximate, w.uncertain, w.open_start, w.open_end, w.is_interval, w.precision)
                for w in whens
            ]
            order = _time_order(starts, ends, ids)
            self.events = [events[i] for i in order]
            self.ids = [ids[i] for i in order]
            self.titles = [titles[i] for i in order]
            self.starts = [starts[i] for i in order]
            self.ends = [ends[i] for i in order]
            flags = list(map(_FlagMemo().__getitem__, qualities))  # few distinct kinds
            self.flags = [flags[i] for i in order]
            self.lanes, self.lane_of = self._lanes(case, [lanes[i] for i in order])
        self.periods = case_periods(case)
        self.first = self.starts[0] if events else math.nan
        self.last = max(self.ends, default=math.nan)

    def _lanes(self, case: Case, lane_ids: list[str | None]) -> tuple[list[LaneData], list[int]]:
        """The case's lanes (plus "Other" for events without a known lane) and each event's
        lane number."""
        number = {lane.id: no for no, lane in enumerate(case.lanes)}
        other_no = len(case.lanes)
        lane_of = [number.get(lane_id, other_no) for lane_id in lane_ids]  # type: ignore[arg-type]
        by_lane = sorted(range(len(lane_ids)), key=lane_of.__getitem__)  # stable: time order
        bounds = [bisect_left(by_lane, no, key=lane_of.__getitem__) for no in range(other_no + 2)]
        lanes = [
            self._lane(
                lane.id, lane.name or lane.id, lane.colour, by_lane[bounds[no] : bounds[no + 1]]
            )
            for no, lane in enumerate(case.lanes)
        ]
        other = by_lane[bounds[other_no] : bounds[other_no + 1]]
        if other or not lanes:
            lanes.append(self._lane(OTHER_LANE_ID, "Other", OTHER_LANE_COLOUR, other))
        return lanes, lane_of

    def _lane(self, lane_id: str, name: str, colour: str, keys: list[int]) -> LaneData:
        index = SpanIndex([self.starts[k] for k in keys], [self.ends[k] for k in keys], keys)
        return LaneData(lane_id, name, colour, keys, index)

    def apply(self, case: Case, changes: dict[str, Event | None]) -> list[Edit] | None:
        """Bring the arrays up to date with an edit of a few events in place: ``changes`` maps
        each edited event's id to the event now in ``case`` (None: it was removed). The
        result is as a new ``CanvasData(case)`` would be; returns the edits made to the keys
        (for the caches by key), or None, changing nothing, when only a rebuild will do (the
        lanes changed, the "Other" lane comes or goes)."""
        if not self._can_apply(case, changes):
            return None
        key_of = self.key_of
        edits: list[Edit] = []
        for event_id, event in changes.items():
            old = key_of.get(event_id)
            if old is not None:
                edits.append(Edit(old, None, lane_no=self.lane_of[old]))
                self._take(old)
            if event is not None:
                new = self._position(event)
                if old is None:
                    self._shift(new, None, +1)
                elif new > old:
                    self._shift(old + 1, new + 1, -1)
                elif new < old:
                    self._shift(new, old, +1)
                self._put(new, event, case)
                edits.append(Edit(None, new, self.flags[new], self.lane_of[new]))
                lo, hi = (new, len(self.ids)) if old is None else (min(old, new), max(old, new) + 1)
            elif old is not None:
                self._shift(old + 1, None, -1)
                lo, hi = old, len(self.ids)
            else:
                continue
            key_of.update(zip(self.ids[lo:hi], range(lo, hi), strict=True))
        self.first = self.starts[0] if self.ids else math.nan
        self.last = max(self.ends, default=math.nan)
        return edits

    def _can_apply(self, case: Case, changes: dict[str, Event | None]) -> bool:
        lanes = [(lane.id, lane.name or lane.id, lane.colour) for lane in case.lanes]
        if lanes != [(lane.id, lane.name, lane.colour) for lane in self.lanes[: len(lanes)]]:
            return False
        has_other = len(self.lanes) > len(lanes)
        known = {lane.id for lane in case.lanes}
        others = len(self.lanes[-1].keys) if has_other else 0
        for event_id, event in changes.items():
            old = self.key_of.get(event_id)
            if old is not None:
                others -= self.lane_of[old] == len(lanes)
            if event is not None:
                others += event.lane not in known
        return has_other == (others > 0 or not lanes) and bool(self.ids)

    def _take(self, key: int) -> None:
        """Take the event at ``key`` out of the columns and its lane (no keys renumbered)."""
        lane = self.lanes[self.lane_of[key]]
        del lane.keys[bisect_left(lane.keys, key)]
        lane.index.remove(self.starts[key], self.ends[key], key)
        del self.key_of[self.ids[key]]
        for column in self._columns():
            del column[key]

    def _position(self, event: Event) -> int:
        """The key ``event`` gets: its place by (start, end, id)."""
        w = event.when
        return bisect_left(
            range(len(self.ids)), (w.sort_start, w.sort_end, event.id),
            key=lambda k: (self.starts[k], self.ends[k], self.ids[k]),
        )  # fmt: skip

    def _put(self, key: int, event: Event, case: Case) -> None:
        """Put ``event`` in the columns at ``key`` and in its lane (keys from ``key`` on are
        already renumbered)."""
        w = event.when
        lane_no = next((no for no, lane in enumerate(case.lanes) if lane.id == event.lane), None)
        lane_no = len(case.lanes) if lane_no is None else lane_no
        values = (
            event,
            event.id,
            event.title,
            w.sort_start,
            w.sort_end,
            event_flags(event),
            lane_no,
        )
        for column, value in zip(self._columns(), values, strict=True):
            column.insert(key, value)
        lane = self.lanes[lane_no]
        lane.keys.insert(bisect_left(lane.keys, key), key)
        lane.index.insert(w.sort_start, w.sort_end, key)

    def _columns(self) -> tuple[list, ...]:
        return (
            self.events, self.ids, self.titles, self.starts, self.ends, self.flags, self.lane_of
        )  # fmt: skip

    def _shift(self, first: int, stop: int | None, delta: int) -> None:
        """Lanes' keys in [first, stop) (stop None: all from ``first`` on) moved by ``delta``."""
        for lane in self.lanes:
            keys = lane.keys
            at = bisect_left(keys, first)
            to = len(keys) if stop is None else bisect_left(keys, stop, at)
            keys[at:to] = [k + delta for k in keys[at:to]]
            lane.index.shift_keys(first, delta, stop)

    @cached_property
    def key_of(self) -> dict[str, int]:
        """Key (time-order position) of each event id."""
        return {event_id: key for key, event_id in enumerate(self.ids)}

    def __len__(self) -> int:
        return len(self.ids)

    def human_when(self, key: int) -> str:
        return self.events[key].when.human()


def today_day_number() -> float:
    """Now, as a day number (UTC)."""
    return time.time() / 86400.0
