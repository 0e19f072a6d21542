"""Timeline geometry without Qt: the time <-> pixel viewport, axis ticks, lane packing,
visible slices and density counts.

Day numbers are floats (days since 1970-01-01, see `timeline_app.core.dates`). Pixel x values
are relative to the left edge of the time area. Everything here is pure and cheap enough to run
on every paint for what is visible; nothing walks all events of a large case per call.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right, insort
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from timeline_app.core.dates import MONTH_NAMES, civil_from_day, day_number

MINUTE = 1.0 / 1440.0
HOUR = 1.0 / 24.0
MIN_DAYS_PER_PX = MINUTE / 100.0  # fully zoomed in: one minute spans 100 px
MIN_SPAN_DAYS = 366.0  # fully zoomed out shows at least this much, even for a one-day case

# ---------------------------------------------------------------------------------------------
# Viewport


@dataclass(frozen=True)
class Viewport:
    """Which days the time area shows: ``start_day`` at x = 0, ``days_per_px`` per pixel."""

    start_day: float
    days_per_px: float
    width_px: float

    @property
    def end_day(self) -> float:
        return self.start_day + self.width_px * self.days_per_px

    @property
    def span_days(self) -> float:
        return self.width_px * self.days_per_px

    def x_for_day(self, day: float) -> float:
        return (day - self.start_day) / self.days_per_px

    def day_for_x(self, x: float) -> float:
        return self.start_day + x * self.days_per_px

    def zoom_at(
        self,
        x: float,
        factor: float,
        min_days_per_px: float = MIN_DAYS_PER_PX,
        max_days_per_px: float = math.inf,
    ) -> Viewport:
        """Zoom in by ``factor`` (> 1 in, < 1 out), keeping the day under ``x`` at ``x``."""
        anchor = self.day_for_x(x)
        dpp = min(max(self.days_per_px / factor, min_days_per_px), max_days_per_px)
        return Viewport(anchor - x * dpp, dpp, self.width_px)

    def pan_px(self, dx: float) -> Viewport:
        """Move the content ``dx`` pixels to the right (a drag to the right shows earlier days)."""
        return Viewport(self.start_day - dx * self.days_per_px, self.days_per_px, self.width_px)

    def with_width(self, width_px: float) -> Viewport:
        """The same start and scale on a time area of another width."""
        return Viewport(self.start_day, self.days_per_px, max(1.0, width_px))

    def centred_on(self, day: float) -> Viewport:
        return Viewport(day - self.span_days / 2, self.days_per_px, self.width_px)

    def with_day_at(self, day: float, x: float) -> Viewport:
        """The same scale, panned so that ``day`` is at ``x``."""
        return Viewport(day - x * self.days_per_px, self.days_per_px, self.width_px)

    def clamped(self, first: float, last: float, keep_px: float = 40.0) -> Viewport:
        """Pan back so that at least ``keep_px`` of the data range [first, last] stays in view."""
        keep = min(keep_px, self.width_px / 2) * self.days_per_px
        start = min(max(self.start_day, first - self.span_days + keep), last - keep)
        return Viewport(start, self.days_per_px, self.width_px)

    @classmethod
    def fit(
        cls,
        first: float,
        last: float,
        width_px: float,
        margin_px: float = 24.0,
        right_margin_px: float | None = None,
    ) -> Viewport:
        """Show [first, last] with ``margin_px`` free on the left and ``right_margin_px``
        (default: the same) on the right; a single day is shown with a day either side."""
        width_px = max(1.0, width_px)
        if not (math.isfinite(first) and math.isfinite(last)) or last < first:
            raise ValueError(f"cannot fit the range {first!r}..{last!r}")
        if last - first <= 0:
            first, last = first - 1.0, first + 1.0
        right = margin_px if right_margin_px is None else right_margin_px
        usable = max(width_px - margin_px - right, width_px / 3)
        dpp = max((last - first) / usable, MIN_DAYS_PER_PX)
        spare = width_px - (last - first) / dpp - margin_px - right  # only when clamped
        return cls(first - (margin_px + max(spare, 0.0) / 2) * dpp, dpp, width_px)


def max_days_per_px(first: float, last: float, width_px: float) -> float:
    """The furthest zoom-out allowed for data over [first, last]: a few times its span."""
    span = max(last - first, MIN_SPAN_DAYS)
    return span * 4.0 / max(1.0, width_px)


# ---------------------------------------------------------------------------------------------
# Axis ticks

_UNIT_DAYS = {"minute": MINUTE, "hour": HOUR, "day": 1.0, "month": 30.44, "year": 365.2425}
_STEPS: list[tuple[str, int]] = (
    [("minute", n) for n in (1, 2, 5, 10, 15, 30)]
    + [("hour", n) for n in (1, 2, 3, 6, 12)]
    + [("day", n) for n in (1, 2, 5, 10, 15)]
    + [("month", n) for n in (1, 2, 3, 6)]
    + [("year", m * 10**e) for e in range(11) for m in (1, 2, 5)]
)
_MAX_TICKS = 2000
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class Tick:
    """A position on the time axis and its label ('' when unlabelled)."""

    day: float
    label: str = ""


@dataclass(frozen=True)
class Axis:
    """Ticks for one viewport: labelled majors, unlabelled minors, and the enclosing periods.

    ``context`` names the larger period the majors belong to (the month of a day axis, the day
    of an hour axis, the year of a month axis); its first tick may start left of the view.
    """

    unit: str
    step: int
    major: list[Tick]
    minor: list[float] = field(default_factory=list)
    context: list[Tick] = field(default_factory=list)


def year_label(year: int, step: int = 1) -> str:
    """Astronomical year as people read it: 2017, AD 476, 44 BC, 12,000 BC, 65 million years ago;
    ``step`` (the tick spacing in years) sets how many digits deep-time labels keep."""
    if year >= 1:
        if year < 1000:
            return f"AD {year}"
        return str(year) if year < 10000 else _magnitude(year, step, "")
    bc = 1 - year
    if bc >= 1_000_000:
        return _magnitude(bc, step, " years ago")
    return f"{bc} BC" if bc < 10000 else f"{bc:,} BC"


def _magnitude(n: int, step: int, suffix: str) -> str:
    for size, word in ((10**9, "billion"), (10**6, "million")):
        if n >= size:
            decimals = max(0, math.ceil(math.log10(size / max(step, 1)) - 1e-9))
            return f"{n / size:.{decimals}f} {word}{suffix}"
    return f"{n:,}{suffix}"


def _year_of(day: float) -> int:
    return civil_from_day(math.floor(day))[0]


def _year_ticks(lo: float, hi: float, count: int) -> list[int]:
    """Years whose 1 January falls in [lo, hi]: AD years divisible by count, BC years likewise."""
    y0, y1 = _year_of(lo), _year_of(hi) + 1
    years: list[int] = []
    bc_lo, bc_hi = max(1 - min(y1, 0), 1), 1 - y0  # BC numbers of the years <= 0 in range
    for k in range(-(-bc_lo // count), bc_hi // count + 1):
        years.append(1 - k * count)
    for k in range(-(-max(y0, 1) // count), y1 // count + 1):
        years.append(k * count)
    return sorted(y for y in set(years) if lo <= day_number(y) <= hi)


def _month_ticks(lo: float, hi: float, count: int) -> list[float]:
    year, month, _ = civil_from_day(math.floor(lo))
    out: list[float] = []
    while len(out) < _MAX_TICKS:
        day = day_number(year, month)
        if day > hi:
            break
        if day >= lo and (month - 1) % count == 0:
            out.append(float(day))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _day_ticks(lo: float, hi: float, count: int) -> list[float]:
    """Days 1, 1+count, ... of each month (count > 1 restarts at each month), whole days."""
    out: list[float] = []
    first = math.ceil(lo)
    if hi - first > _MAX_TICKS * count:
        return out
    for day in range(first, math.floor(hi) + 1):
        dom = civil_from_day(day)[2] if count > 1 else 1
        if (dom - 1) % count == 0 and dom + count <= 32:
            out.append(float(day))
    return out


def _fixed_ticks(lo: float, hi: float, length: float) -> list[float]:
    k0, k1 = math.ceil(lo / length), math.floor(hi / length)
    if k1 - k0 > _MAX_TICKS:
        return []
    return [k * length for k in range(k0, k1 + 1)]


def _tick_days(unit: str, count: int, lo: float, hi: float) -> list[float]:
    if unit == "year":
        return [float(day_number(y)) for y in _year_ticks(lo, hi, count)]
    if unit == "month":
        return _month_ticks(lo, hi, count)
    if unit == "day":
        return _day_ticks(lo, hi, count)
    return _fixed_ticks(lo, hi, count * _UNIT_DAYS[unit])


def _clock(day: float) -> str:
    minutes = round((day - math.floor(day)) * 1440) % 1440
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _day_text(day: float, with_year: bool) -> str:
    year, month, dom = civil_from_day(math.floor(day))
    weekday = _WEEKDAYS[(math.floor(day) + 3) % 7]
    text = f"{weekday} {dom} {MONTH_NAMES[month - 1]}"
    return f"{text} {year_label(year)}" if with_year else text


def _major_label(unit: str, count: int, day: float, spacing_px: float, char_px: float) -> str:
    if unit in ("minute", "hour"):
        return _clock(day)
    year, month, dom = civil_from_day(math.floor(day))
    if unit == "day":
        weekday = _WEEKDAYS[(math.floor(day) + 3) % 7]
        return f"{weekday} {dom}" if count == 1 else str(dom)
    if unit == "month":
        name = MONTH_NAMES[month - 1]
        return name if (len(name) + 1) * char_px + 12 <= spacing_px else name[:3]
    return year_label(year, count)


def _context(unit: str, lo: float, hi: float) -> list[Tick]:
    """Enclosing periods: the first one may start before lo (drawn pinned to the left)."""
    if unit in ("minute", "hour"):
        days = [float(math.floor(lo))] + _fixed_ticks(math.floor(lo) + 1, hi, 1.0)
        return [Tick(d, _day_text(d, True)) for d in days]
    if unit == "day":
        year, month, _ = civil_from_day(math.floor(lo))
        days = [float(day_number(year, month))] + _month_ticks(lo + 1e-9, hi, 1)
        return [Tick(d, _month_year(d)) for d in days]
    if unit == "month":
        days = [float(day_number(_year_of(lo)))] + [
            float(day_number(y)) for y in _year_ticks(lo + 1e-9, hi, 1)
        ]
        return [Tick(d, year_label(_year_of(d))) for d in days]
    return []


def _month_year(day: float) -> str:
    year, month, _ = civil_from_day(math.floor(day))
    return f"{MONTH_NAMES[month - 1]} {year_label(year)}"


def _sample_label(unit: str, count: int, viewport: Viewport) -> str:
    """The widest label the step is likely to show in this view (for the fit test)."""
    if unit in ("minute", "hour"):
        return "00:00"
    if unit == "day":
        return "Wed 28" if count == 1 else "28"
    if unit == "month":
        return "Sep"
    edge = max(viewport.start_day, viewport.end_day, key=abs)
    year = _year_of(edge)
    return year_label(year - year % count if year > 0 else year, count)


def choose_step(
    viewport: Viewport, min_spacing_px: float = 64.0, char_px: float = 7.0
) -> tuple[str, int]:
    """The finest (unit, count) whose major ticks are ``min_spacing_px`` apart and whose labels
    fit between them."""
    for unit, count in _STEPS:
        spacing = count * _UNIT_DAYS[unit] / viewport.days_per_px
        if spacing < min_spacing_px:
            continue
        label = _sample_label(unit, count, viewport)
        if spacing >= len(label) * char_px + 16:
            return unit, count
    return _STEPS[-1]


def _minor_step(unit: str, count: int, days_per_px: float, min_px: float) -> tuple[str, int] | None:
    major_days = count * _UNIT_DAYS[unit]
    best = None
    for m_unit, m_count in _STEPS:
        m_days = m_count * _UNIT_DAYS[m_unit]
        if m_days >= major_days * 0.99:
            break
        if m_days / days_per_px < min_px:
            continue
        if m_unit == unit and count % m_count:
            continue
        best = (m_unit, m_count)
        break
    return best


def ticks(
    viewport: Viewport,
    min_spacing_px: float = 64.0,
    char_px: float = 7.0,
    minor_min_px: float = 8.0,
) -> Axis:
    """Axis ticks for the viewport, with the unit picked from the zoom (minutes to billions of
    years) and labels that fit between majors (``char_px`` = average label character width)."""
    unit, count = choose_step(viewport, min_spacing_px, char_px)
    lo, hi = viewport.start_day, viewport.end_day
    spacing = count * _UNIT_DAYS[unit] / viewport.days_per_px
    major = [
        Tick(d, _major_label(unit, count, d, spacing, char_px))
        for d in _tick_days(unit, count, lo, hi)
    ]
    minor_step = _minor_step(unit, count, viewport.days_per_px, minor_min_px)
    minor = _tick_days(*minor_step, lo, hi) if minor_step else []
    return Axis(unit, count, major, minor, _context(unit, lo, hi))


# ---------------------------------------------------------------------------------------------
# Visible slices and density


class SpanIndex:
    """Items with [start, end) extents, searchable by overlap with a time window.

    Items are grouped by duration class (powers of two), each group sorted by start, so an
    overlap query is a pair of binary searches per class plus a filter near the left edge:
    a few very long items do not make every query scan everything. ``keys`` (default: the
    positions 0..n-1) are what queries return, in ascending order.
    """

    def __init__(
        self, starts: Sequence[float], ends: Sequence[float], keys: Sequence[int] | None = None
    ) -> None:
        starts, ends = list(starts), list(ends)
        keys = list(range(len(starts))) if keys is None else list(keys)
        if not all(a <= b for a, b in pairwise(starts)):
            order = sorted(range(len(starts)), key=starts.__getitem__)
            starts = [starts[i] for i in order]
            ends = [ends[i] for i in order]
            keys = [keys[i] for i in order]
        self.sorted_starts = starts
        self.sorted_ends = sorted(ends)
        self._ends = ends
        self._keys = keys
        self._ascending = all(a < b for a, b in pairwise(keys))
        self._built: list[tuple[float, list[float], list[float], list[int]]] | None = None

    def _classes(self) -> list[tuple[float, list[float], list[float], list[int]]]:
        """(longest duration, starts, ends, keys) per duration class; built on first query."""
        if self._built is not None:
            return self._built
        starts, ends, keys = self.sorted_starts, self._ends, self._keys
        frexp = math.frexp
        exponents = [frexp(max(e - s, 1e-9))[1] for s, e in zip(starts, ends, strict=True)]
        by_class = sorted(range(len(starts)), key=exponents.__getitem__)  # stable: by start
        self._built = []
        i = 0
        while i < len(by_class):
            exponent = exponents[by_class[i]]
            j = bisect_right(by_class, exponent, i, key=exponents.__getitem__)
            members = by_class[i:j]
            self._built.append(
                (
                    math.ldexp(1.0, exponent),
                    [starts[m] for m in members],
                    [ends[m] for m in members],
                    [keys[m] for m in members],
                )
            )
            i = j
        return self._built

    def __len__(self) -> int:
        return len(self.sorted_starts)

    # Edits in place (an edited case: one event at a time), the same as building anew for
    # indexes whose keys ascend with their starts (as the canvas's lanes do).

    def shift_keys(self, first: int, delta: int, stop: int | None = None) -> None:
        """Add ``delta`` to every key >= ``first`` (and < ``stop``, when given)."""
        for keys in [self._keys] + [keys for _, _, _, keys in self._built or ()]:
            if self._ascending:  # (then so are the keys of each duration class)
                at = bisect_left(keys, first)
                to = len(keys) if stop is None else bisect_left(keys, stop, at)
                keys[at:to] = [k + delta for k in keys[at:to]]
            else:
                end = math.inf if stop is None else stop
                keys[:] = [k + delta if first <= k < end else k for k in keys]

    def insert(self, start: float, end: float, key: int) -> None:
        """Add an item (after items with the same start and a smaller key)."""
        at = _position(self.sorted_starts, self._keys, start, key)
        keys = self._keys
        if (at and keys[at - 1] >= key) or (at < len(keys) and keys[at] <= key):
            self._ascending = False
        self.sorted_starts.insert(at, start)
        self._ends.insert(at, end)
        keys.insert(at, key)
        insort(self.sorted_ends, end)
        if self._built is None:
            return
        longest = math.ldexp(1.0, math.frexp(max(end - start, 1e-9))[1])
        no = bisect_left(self._built, longest, key=lambda c: c[0])
        if no == len(self._built) or self._built[no][0] != longest:
            self._built.insert(no, (longest, [], [], []))
        _, starts, ends, keys = self._built[no]
        at = _position(starts, keys, start, key)
        starts.insert(at, start)
        ends.insert(at, end)
        keys.insert(at, key)

    def remove(self, start: float, end: float, key: int) -> None:
        """Remove the item ``key`` (with this start and end); ValueError when there is none."""
        at = _find(self.sorted_starts, self._keys, start, key)
        del self.sorted_starts[at], self._ends[at], self._keys[at]
        at = bisect_left(self.sorted_ends, end)
        if at == len(self.sorted_ends) or self.sorted_ends[at] != end:
            raise ValueError(f"no item ending at {end!r}")
        del self.sorted_ends[at]
        if self._built is None:
            return
        longest = math.ldexp(1.0, math.frexp(max(end - start, 1e-9))[1])
        no = bisect_left(self._built, longest, key=lambda c: c[0])
        if no == len(self._built) or self._built[no][0] != longest:
            raise ValueError(f"no item of duration class {longest!r}")
        _, starts, ends, keys = self._built[no]
        at = _find(starts, keys, start, key)
        del starts[at], ends[at], keys[at]
        if not keys:
            del self._built[no]

    def overlapping(self, lo: float, hi: float) -> list[int]:
        """Keys of the items with start < hi and end > lo, ascending."""
        out: list[int] = []
        for longest, starts, ends, keys in self._classes():
            i0 = bisect_right(starts, lo - longest)
            i_lo = bisect_right(starts, lo)
            i1 = bisect_left(starts, hi)
            out.extend(keys[i] for i in range(i0, min(i_lo, i1)) if ends[i] > lo)
            out.extend(keys[max(i_lo, i0) : i1])
        out.sort()
        return out

    def count_overlapping(self, lo: float, hi: float) -> int:
        """How many items have start < hi and end > lo (two binary searches)."""
        return bisect_left(self.sorted_starts, hi) - bisect_right(self.sorted_ends, lo)

    def density(self, edges: Sequence[float]) -> list[int]:
        """For consecutive ``edges`` e0 < e1 < ..., how many items overlap each [ei, ei+1)."""
        below_hi = [bisect_left(self.sorted_starts, e) for e in edges[1:]]
        ended = [bisect_right(self.sorted_ends, e) for e in edges[:-1]]
        return [a - b for a, b in zip(below_hi, ended, strict=True)]

    def density_of_buckets(self, buckets: Sequence[int], size: float) -> list[int]:
        """How many items overlap each bucket [b * size, (b + 1) * size)."""
        starts, ends = self.sorted_starts, self.sorted_ends
        return [bisect_left(starts, (b + 1) * size) - bisect_right(ends, b * size) for b in buckets]


def _position(starts: list[float], keys: list[int], start: float, key: int) -> int:
    """Where an item goes among items sorted by start: after those with the same start and a
    smaller key."""
    lo, hi = bisect_left(starts, start), bisect_right(starts, start)
    while lo < hi and keys[lo] < key:
        lo += 1
    return lo


def _find(starts: list[float], keys: list[int], start: float, key: int) -> int:
    lo, hi = bisect_left(starts, start), bisect_right(starts, start)
    for at in range(lo, hi):
        if keys[at] == key:
            return at
    raise ValueError(f"no item {key} starting at {start!r}")


# ---------------------------------------------------------------------------------------------
# Lane packing


def quantize_days_per_px(days_per_px: float, steps_per_octave: int = 4) -> float:
    """Round the scale up to a grid of 2**(1/steps) so packings can be cached per level; rounding
    up makes labels wider in days than on screen, so a cached packing never overlaps."""
    exponent = math.ceil(math.log2(days_per_px) * steps_per_octave - 1e-9)
    return 2.0 ** (exponent / steps_per_octave)


POINT_LABEL_PX = 11.0  # a point's label starts this far right of its day
BAR_INSET_PX = 6.0  # a label inside its bar starts this far in
AFTER_BAR_PX = 5.0  # a label after a short bar (or after an open end's tail) starts this far after
MIN_BAR_PX = 8.0  # spans narrower than this are drawn as points


def label_placement(bar_px: float, text_px: float) -> str:
    """Where an item's label goes: "point" (right of a marker; also spans narrower than
    MIN_BAR_PX), "inside" its bar when it fits there, else "after" the bar."""
    if bar_px < MIN_BAR_PX:
        return "point"
    return "inside" if bar_px >= text_px + 2 * BAR_INSET_PX else "after"


def label_left_px(bar_px: float, text_px: float, tail_end_px: float = 0.0) -> float:
    """Where the label starts, right of the item's start. ``tail_end_px`` is where an open
    end's fading tail ends (0: no tail); a label outside the bar starts after it."""
    place = label_placement(bar_px, text_px)
    if place == "inside":
        return BAR_INSET_PX
    left = POINT_LABEL_PX if place == "point" else bar_px + AFTER_BAR_PX
    return max(left, tail_end_px + AFTER_BAR_PX) if tail_end_px > 0 else left


def label_right_px(
    bar_px: float, text_px: float, tail_end_px: float = 0.0, shown_px: float | None = None
) -> float:
    """How far right of the item's start its marker or bar and label reach; ``shown_px`` is
    the width the label is drawn at when shortened (default: ``text_px``, the full label)."""
    if label_placement(bar_px, text_px) == "inside":
        return bar_px
    shown = text_px if shown_px is None else shown_px
    return label_left_px(bar_px, text_px, tail_end_px) + shown


@dataclass(frozen=True)
class RowPacking:
    """Rows of packed items (-1: no room) and the label width each gets, both in the order
    the items were given. A label is shortened only where the next item in its row starts."""

    rows: list[int]
    label_px: list[float]


def pack_rows(
    order: Sequence[int],
    starts: Sequence[float],
    ends: Sequence[float],
    text_px: Sequence[float],
    lead_px: Sequence[float],
    days_per_px: float,
    max_rows: int,
    gap_px: float = 8.0,
    trail_px: Sequence[float] | None = None,
    spans: Sequence[bool] | None = None,
) -> list[int]:
    """The rows of `pack_labelled_rows` with labels never shortened."""
    return pack_labelled_rows(
        order, starts, ends, text_px, lead_px, days_per_px, max_rows, gap_px, trail_px, spans
    ).rows


def pack_labelled_rows(
    order: Sequence[int],
    starts: Sequence[float],
    ends: Sequence[float],
    text_px: Sequence[float],
    lead_px: Sequence[float],
    days_per_px: float,
    max_rows: int,
    gap_px: float = 8.0,
    trail_px: Sequence[float] | None = None,
    spans: Sequence[bool] | None = None,
    min_text_px: float = math.inf,
) -> RowPacking:
    """Rows for the items ``order`` (keys sorted by start), at most ``max_rows`` of them.

    Item k occupies `item_extent` (its marker or bar, faded tails and label; drawn as a bar
    when ``spans[k]``); items in one row are at least ``gap_px`` apart. An item goes to the
    first row where the label before it keeps its full length; else to a new row; else,
    when all rows are in use, to the row where the label before it can stay longest, cut
    to no less than ``min_text_px`` (or its full width if shorter); else nowhere (-1).
    """
    dpp = days_per_px
    gap = gap_px * dpp
    full_end: list[float] = []  # per row: right of its last item with the full label, + gap
    hard_end: list[float] = []  # ... with its label cut to the minimum, + gap
    label_at: list[float] = []  # ... where that item's label starts (inf: cannot be cut)
    last_of: list[int] = []  # ... that item's position in the output
    rows: list[int] = []
    shown: list[float] = []
    lowest_hard = -math.inf  # all rows in use: items starting before this fit nowhere
    for k in order:
        start = starts[k]
        left = start - lead_px[k] * dpp
        if len(full_end) >= max_rows and left < lowest_hard:
            rows.append(-1)
            shown.append(text_px[k])
            continue
        full, hard, label_start = _item_reach(
            start, ends[k], text_px[k], dpp, min_text_px,
            trail_px[k] if trail_px is not None else 0.0,
            spans is not None and spans[k],
        )  # fmt: skip
        row = _free_row(full_end, left)
        if row < 0 and len(full_end) < max_rows:
            row = len(full_end)
            for column in (full_end, hard_end, label_at, last_of):
                column.append(0)
        elif row < 0:
            row = _row_to_share(hard_end, label_at, left)
            if row >= 0:
                before = last_of[row]
                shown[before] = min(shown[before], (left - gap - label_at[row]) / dpp)
        rows.append(row)
        shown.append(text_px[k])
        if row < 0:
            continue
        full_end[row], hard_end[row] = full + gap, hard + gap
        label_at[row], last_of[row] = label_start, len(rows) - 1
        if len(full_end) >= max_rows:
            lowest_hard = min(hard_end)
    return RowPacking(rows, shown)


def _item_reach(
    start: float,
    end: float,
    text_px: float,
    dpp: float,
    min_text_px: float,
    trail_px: float,
    span: bool,
) -> tuple[float, float, float]:
    """Right end of an item with its full label, with its label cut short, and the day its
    label starts (inf when it cannot be cut: a label inside its bar)."""
    length_px = (end - start) / dpp
    bar_px = length_px if span else 0.0
    tail_end = length_px + trail_px if trail_px > 0 else 0.0
    body = end + trail_px * dpp
    if label_placement(bar_px, text_px) == "inside":
        right = max(body, start + bar_px * dpp)
        return right, right, math.inf
    label_start = start + label_left_px(bar_px, text_px, tail_end) * dpp
    full = max(body, label_start + text_px * dpp)
    hard = max(body, label_start + min(text_px, min_text_px) * dpp)
    return full, hard, label_start


def _free_row(row_ends: list[float], left: float) -> int:
    for row, row_end in enumerate(row_ends):
        if row_end <= left:
            return row
    return -1


def _row_to_share(hard_end: list[float], label_at: list[float], left: float) -> int:
    """The row whose last label, cut where an item starting at ``left`` goes, stays longest."""
    best, best_start = -1, math.inf
    for row, row_end in enumerate(hard_end):
        if row_end <= left and label_at[row] < best_start:
            best, best_start = row, label_at[row]
    return best


def item_extent(
    start: float,
    end: float,
    text_px: float,
    lead_px: float,
    days_per_px: float,
    trail_px: float = 0.0,
    span: bool = False,
    shown_px: float | None = None,
) -> tuple[float, float]:
    """The [left, right] days an item occupies in its row (see `pack_labelled_rows`)."""
    length_px = (end - start) / days_per_px
    bar_px = length_px if span else 0.0
    tail_end = length_px + trail_px if trail_px > 0 else 0.0
    label = label_right_px(bar_px, text_px, tail_end, shown_px)
    right = max(end + trail_px * days_per_px, start + label * days_per_px)
    return start - lead_px * days_per_px, right


@dataclass(frozen=True)
class PackWindow:
    """The stretch of time a cached packing covers: two view widths on a half-width grid, so
    it holds the view while panning within the grid cell."""

    anchor: int
    lo: float
    hi: float


def pack_window(viewport: Viewport, quantized_dpp: float) -> PackWindow:
    half = viewport.width_px * quantized_dpp / 2
    anchor = math.floor(viewport.start_day / half)
    return PackWindow(anchor, (anchor - 1) * half, (anchor + 3) * half)


def allocate_rows(needs: Sequence[int], total: int, minimum: int = 1) -> list[int]:
    """Share ``total`` rows among lanes that each need ``needs[i]``: every lane gets what it
    needs up to a common cap (the largest that fits), and at least ``minimum``. Lanes that get
    less than they need show the rest as "+N" badges; rows left over are not handed out
    unevenly (the caller spreads the spare height)."""
    if not needs:
        return []
    wanted = [max(n, minimum) for n in needs]
    if sum(wanted) <= total:
        return wanted
    cap = minimum
    while sum(min(n, cap + 1) for n in wanted) <= total:
        cap += 1
    return [min(n, cap) for n in wanted]
