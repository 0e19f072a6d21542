"""What the canvas shows for one viewport: per lane, packed items, "+N" badges or a density
strip. No Qt; label widths come from a measuring function the canvas passes in.

Packings are cached per (lane, quantized zoom level, window), so panning and repainting reuse
them; a new zoom level packs only the events near the view (two view widths), never the case.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from timeline_app.core.layout import (
    AFTER_BAR_PX,
    BAR_INSET_PX,
    MIN_BAR_PX,
    POINT_LABEL_PX,
    Viewport,
    allocate_rows,
    label_left_px,
    label_placement,
    label_right_px,
    pack_labelled_rows,
    pack_window,
    quantize_days_per_px,
)
from timeline_app.ui.canvas_data import OPEN_END, OPEN_START, SPAN, CanvasData, Edit

MAX_LABEL_PX = 600.0  # longer titles are always elided (default; see set_max_label_px)
MIN_LABEL_CHARS = 12  # a label shortened to make room for the next item keeps about this many
MARKER_LEAD_PX = 7.0  # a point marker reaches this far left of its day
TAIL_PX = 36.0  # length of the fading tail of an open end
BADGE_PX = 48.0  # spacing of "+N" overflow badges
DENSITY_BUCKET_PX = 3.0
DENSE_PER_PX = 0.5  # more events in view than this per pixel: draw a density strip
FULL_PACK_LIMIT = 600  # lanes up to this size are packed whole (stable while panning)
GAP_PX = 10.0
MIN_ROWS = 2  # rows a lane always gets
MINI_HIT_PX = 6.0  # half width of a lone overflow marker's hit box
PERIOD_STRIP_PX = 16.0  # room above the lanes for background periods' titles
MAX_RENUMBERED = 50_000  # cached packings holding more events are dropped after an edit

_T = TypeVar("_T")


@dataclass
class Item:
    """An event drawn individually: x extent of its marker or bar (time-area px) and row."""

    key: int
    x0: float
    x1: float
    row: int
    bar: bool
    mini: bool = False  # a lone overflow event in the badge row: marker only, no label
    label_px: float = math.inf  # the label's width when shortened (inf: the full label)
    label_at: float | None = None  # where its label starts (`SceneBuilder.label_x`), once known


@dataclass
class LaneScene:
    """One lane in one viewport."""

    lane_no: int
    dense: bool
    visible: int
    items: list[Item] = field(default_factory=list)
    badges: list[tuple[float, int]] = field(default_factory=list)  # (x centre, count)
    badge_keys: list[list[int]] = field(default_factory=list)  # the events of each badge
    density: list[int] = field(default_factory=list)  # events per bucket, left to right
    density_x: float = 0.0  # left edge of the first bucket (time-area px)
    density_step: float = DENSITY_BUCKET_PX  # bucket width (px)
    badge_row: int = -1  # the row badges sit in (-1 when there are none)
    rows: int = 1  # rows this lane has in the current layout
    top: float = 0.0  # px from the top of the lanes area
    height: float = 0.0


def scene_height(scene: list[LaneScene]) -> float:
    """Height (px) of the laid-out lanes, with the room above the first one."""
    return scene[-1].top + scene[-1].height if scene else 0.0


@dataclass(frozen=True)
class LaneMetrics:
    """Vertical sizes (px) the builder lays lanes out with."""

    row_height: float = 20.0
    top_pad: float = 5.0
    bottom_pad: float = 3.0
    min_height: float = 34.0
    dense_rows: int = 3  # a density strip is this many rows tall
    max_rows: int = 12  # a lane never gets more rows than this

    @property
    def pads(self) -> float:
        return self.top_pad + self.bottom_pad


@dataclass(frozen=True)
class Packing:
    """Rows of a lane's events at one zoom level (-1: no room in ``max_rows``)."""

    row_of: dict[int, int]
    needed: int  # rows used (all of them when some event found no room)
    overflowed: bool
    label_px: dict[int, float] = field(default_factory=dict)  # shortened labels' widths


class SceneBuilder:
    """Builds `LaneScene`s for a viewport from `CanvasData`, caching packings."""

    def __init__(
        self,
        data: CanvasData,
        measure: Callable[[str], float],
        elide: Callable[[str, float], str] | None = None,
    ) -> None:
        self.data = data
        self._measure = measure
        self._elide = elide
        n = len(data)
        self.lead_px = [TAIL_PX if flags & OPEN_START else MARKER_LEAD_PX for flags in data.flags]
        self.trail_px = [TAIL_PX if flags & OPEN_END else 0.0 for flags in data.flags]
        self.spans = [bool(flags & SPAN) for flags in data.flags]
        self.text_px = [-1.0] * n
        self._shown: dict[tuple[int, int], str] = {}  # elided labels by (key, width)
        self.max_label_px = MAX_LABEL_PX
        self.min_label_px = measure("x" * MIN_LABEL_CHARS)
        self._packs: dict[tuple, Packing] = {}
        self.top_inset = PERIOD_STRIP_PX if data.periods else 0.0  # px above the first lane
        self._densities: dict[tuple[int, float], dict[int, int]] = {}

    def apply(self, edits: list[Edit]) -> None:
        """Follow `CanvasData.apply`'s edits of the keys (label widths measured stay known);
        packings and density counts are made afresh."""
        per_key = (self.lead_px, self.trail_px, self.spans, self.text_px)
        for edit in edits:
            if edit.removed is not None:
                for column in per_key:
                    del column[edit.removed]
            if edit.inserted is not None:
                flags, at = edit.flags, edit.inserted
                self.lead_px.insert(at, TAIL_PX if flags & OPEN_START else MARKER_LEAD_PX)
                self.trail_px.insert(at, TAIL_PX if flags & OPEN_END else 0.0)
                self.spans.insert(at, bool(flags & SPAN))
                self.text_px.insert(at, -1.0)
        self._shown.clear()
        lanes = {edit.lane_no for edit in edits}  # only their packings and counts change
        self._packs = {k: v for k, v in self._packs.items() if k[0] not in lanes}
        self._densities = {k: v for k, v in self._densities.items() if k[0] not in lanes}
        removed = {edit.removed for edit in edits if edit.removed is not None}
        inserted = {edit.inserted for edit in edits if edit.inserted is not None}
        if len(removed) == len(inserted) == 1 and removed == inserted:
            return  # no key renumbered
        if sum(len(packing.row_of) for packing in self._packs.values()) > MAX_RENUMBERED:
            self._packs.clear()
            return
        for edit in edits:
            if edit.removed is not None:
                self._renumber_packings(edit.removed + 1, -1)
            if edit.inserted is not None:
                self._renumber_packings(edit.inserted, +1)

    def _renumber_packings(self, first: int, delta: int) -> None:
        """Keys from ``first`` on moved by ``delta`` in the cached packings."""

        def moved(keyed: dict[int, _T]) -> dict[int, _T]:
            return {(k + delta if k >= first else k): value for k, value in keyed.items()}

        self._packs = {
            cache_key: Packing(moved(p.row_of), p.needed, p.overflowed, moved(p.label_px))
            for cache_key, p in self._packs.items()
        }

    def text_width(self, key: int) -> float:
        """Width of the full label of ``key`` (at most ``max_label_px``), measured once."""
        width = self.text_px[key]
        if width < 0:
            width = min(self._measure(self.data.titles[key]), self.max_label_px)
            self.text_px[key] = width
        return width

    def set_max_label_px(self, width: float) -> None:
        """Elide labels past ``width`` px from now on (re-measures and re-packs)."""
        if width != self.max_label_px:
            self.max_label_px = width
            self.text_px = [-1.0] * len(self.text_px)
            self._shown.clear()
            self._packs.clear()

    def label_px_of(self, key: int) -> float:
        """Room a point's marker (and open end's tail) and full label take right of its day."""
        text = self.text_width(key)
        return label_left_px(0.0, text, self.trail_px[key]) + text

    def label_text(self, key: int, width: float = math.inf) -> str:
        """The label as drawn ``width`` px wide: the title, elided when it is wider."""
        full = self.text_width(key)
        title = self.data.titles[key]
        capped = full >= self.max_label_px
        if self._elide is None or (width >= full - 0.5 and not capped):
            return title
        width = min(width, full)
        cache_key = (key, int(width))
        text = self._shown.get(cache_key)
        if text is None:
            if len(self._shown) > 20_000:
                self._shown.clear()
            text = self._shown[cache_key] = self._elide(title, int(width))
        return text

    def build(
        self,
        viewport: Viewport,
        lanes_height: float,
        metrics: LaneMetrics | None = None,
        selected: int | None = None,
    ) -> list[LaneScene]:
        """Scenes for every lane, with rows shared out so the lanes fill ``lanes_height`` (or
        overflow it, to be scrolled, when even one row each does not fit). The ``selected``
        event is always drawn with its label: if its row has no room, it takes the badge
        row's place."""
        m = metrics or LaneMetrics()
        n = len(self.data.lanes)
        if n == 0:
            return []
        dense = [self._is_dense(no, viewport, m) for no in range(n)]
        needs = [
            m.dense_rows if dense[no] else self._rows_needed(no, viewport, m.max_rows)
            for no in range(n)
        ]
        lanes_height = max(0.0, lanes_height - self.top_inset)
        usable = max(0.0, lanes_height - n * m.pads)
        # Two rows at least (one for labels, one for "+N" badges); when even that does not
        # fit, the lanes get taller than the view and scroll.
        total_rows = max(int(usable // m.row_height), MIN_ROWS * n)
        rows = allocate_rows(needs, total_rows, minimum=MIN_ROWS)
        heights = [max(r * m.row_height + m.pads, m.min_height) for r in rows]
        spare = max(0.0, (lanes_height - sum(heights)) / n)
        scenes = []
        top = self.top_inset
        for no in range(n):
            if dense[no]:
                scene = self._density(no, viewport, self._visible(no, viewport))
            else:
                visible = self._visible(no, viewport)
                scene = self._items(no, viewport, rows[no], m.max_rows, visible, selected)
            scene.rows, scene.top, scene.height = rows[no], top, heights[no] + spare
            top += scene.height
            scenes.append(scene)
        return scenes

    def _visible(self, lane_no: int, vp: Viewport) -> int:
        return self.data.lanes[lane_no].index.count_overlapping(vp.start_day, vp.end_day)

    def _is_dense(self, lane_no: int, vp: Viewport, m: LaneMetrics) -> bool:
        return self._visible(lane_no, vp) > vp.width_px * DENSE_PER_PX

    def _rows_needed(self, lane_no: int, vp: Viewport, max_rows: int) -> int:
        """Rows the lane's packing uses at this zoom (max_rows when it overflows them)."""
        return self._packing(lane_no, vp, max_rows).needed

    def _density(self, lane_no: int, vp: Viewport, visible: int) -> LaneScene:
        """Events per bucket of DENSITY_BUCKET_PX at the quantized scale; buckets sit on a
        fixed grid, so counts are cached and a pan only counts the buckets it uncovers."""
        q = quantize_days_per_px(vp.days_per_px)
        size = DENSITY_BUCKET_PX * q
        cache = self._densities.get((lane_no, q))
        if cache is None:
            if len(self._densities) > 64:
                self._densities.clear()
            cache = self._densities[(lane_no, q)] = {}
        b0 = math.floor(vp.start_day / size)
        b1 = math.ceil(vp.end_day / size)
        missing = [b for b in range(b0, b1) if b not in cache]
        if missing:
            index = self.data.lanes[lane_no].index
            for b, count in zip(missing, index.density_of_buckets(missing, size), strict=True):
                cache[b] = count
        strip = [cache[b] for b in range(b0, b1)]
        scene = LaneScene(lane_no, True, visible, density=strip)
        scene.density_x = vp.x_for_day(b0 * size)
        scene.density_step = size / vp.days_per_px
        return scene

    def _packing(self, lane_no: int, vp: Viewport, max_rows: int) -> Packing:
        """Rows of the lane's events near the view at this zoom level in ``max_rows`` rows
        (labels shortened only when all are in use), cached.

        Lanes up to FULL_PACK_LIMIT events are packed whole (rows stay put while panning);
        larger ones within a `pack_window` of two view widths."""
        lane = self.data.lanes[lane_no]
        q = quantize_days_per_px(vp.days_per_px)
        window = pack_window(vp, q) if len(lane.keys) > FULL_PACK_LIMIT else None
        cache_key = (lane_no, q, max_rows, window.anchor if window else None)
        packing = self._packs.get(cache_key)
        if packing is None:
            keys = lane.index.overlapping(window.lo, window.hi) if window else lane.keys
            for key in keys:
                if self.text_px[key] < 0:
                    self.text_width(key)
            d = self.data
            packed = pack_labelled_rows(
                keys, d.starts, d.ends, self.text_px, self.lead_px, q, max_rows, GAP_PX,
                self.trail_px, self.spans, self.min_label_px,
            )  # fmt: skip
            rows, text_px = packed.rows, self.text_px
            overflowed = -1 in rows
            needed = max_rows if overflowed else max(rows, default=0) + 1
            cut = {
                key: width
                for key, width in zip(keys, packed.label_px, strict=True)
                if width < text_px[key]
            }
            packing = Packing(dict(zip(keys, rows, strict=True)), needed, overflowed, cut)
            if len(self._packs) > 256:
                self._packs.clear()
            self._packs[cache_key] = packing
        return packing

    def _items(
        self,
        lane_no: int,
        vp: Viewport,
        rows: int,
        max_rows: int,
        visible: int,
        selected: int | None = None,
    ) -> LaneScene:
        packing, usable = self._packing_in(lane_no, vp, rows, max_rows)
        row_of, cut = packing.row_of, packing.label_px
        scene = LaneScene(lane_no, False, visible)
        q = quantize_days_per_px(vp.days_per_px)
        dpp, lo = vp.days_per_px, vp.start_day
        bucket_days = BADGE_PX * q
        # Events ending further left show nothing in view (the painter leaves out labels that
        # start left of its edge), but for the whole count of a badge at the edge.
        reach = max(
            (MARKER_LEAD_PX + POINT_LABEL_PX + TAIL_PX + AFTER_BAR_PX) * dpp, 2 * bucket_days
        )
        keys = self.data.lanes[lane_no].index.overlapping(lo - reach, vp.end_day + TAIL_PX * dpp)
        starts, ends, flags = self.data.starts, self.data.ends, self.data.flags
        overflow: dict[int, list[int]] = {}
        promoted: Item | None = None
        for key in keys:
            row = row_of.get(key)
            if row is None:
                continue
            x0 = (starts[key] - lo) / dpp
            x1 = (ends[key] - lo) / dpp
            bar = bool(flags[key] & SPAN) and x1 - x0 >= MIN_BAR_PX
            if 0 <= row < usable:
                scene.items.append(Item(key, x0, x1, row, bar, False, cut.get(key, math.inf)))
            elif key == selected:
                promoted = Item(key, x0, x1, usable, bar)
            else:
                overflow.setdefault(math.floor(starts[key] / bucket_days), []).append(key)
        if overflow or promoted:
            scene.badge_row = usable
            self._add_badges(scene, overflow, vp, bucket_days, promoted)
        return scene

    def _packing_in(
        self, lane_no: int, vp: Viewport, rows: int, max_rows: int
    ) -> tuple[Packing, int]:
        """The packing for a lane given ``rows`` rows, and how many of them hold events:
        all its rows when every event fits (labels shortened if need be), else one less,
        the last row then holding "+N" badges."""
        packing = self._packing(lane_no, vp, max_rows)
        if packing.needed <= rows and not packing.overflowed:
            return packing, rows
        if not packing.overflowed:  # (when max_rows overflow, fewer rows would too)
            packing = self._packing(lane_no, vp, rows)
            if not packing.overflowed:
                return packing, rows
        return self._packing(lane_no, vp, rows - 1), rows - 1

    def _add_badges(
        self,
        scene: LaneScene,
        overflow: dict[int, list[int]],
        vp: Viewport,
        bucket_days: float,
        promoted: Item | None,
    ) -> None:
        """Lone overflow events as markers, the rest as "+N" badges per bucket, in the badge
        row; a promoted (selected) item takes its place there, and what it covers is left out."""
        starts, lo, dpp = self.data.starts, vp.start_day, vp.days_per_px
        left, right = self.item_box(promoted) if promoted else (math.inf, -math.inf)
        if promoted:
            scene.items.append(promoted)
        for b, bucket in sorted(overflow.items()):
            if len(bucket) == 1:
                x0 = (starts[bucket[0]] - lo) / dpp
                if not left - MINI_HIT_PX < x0 < right + MINI_HIT_PX:
                    scene.items.append(Item(bucket[0], x0, x0, scene.badge_row, False, True))
                continue
            x = ((b + 0.5) * bucket_days - lo) / dpp
            if left - BADGE_PX / 2 < x < right + BADGE_PX / 2:
                continue
            if -BADGE_PX < x < vp.width_px + BADGE_PX:
                scene.badges.append((x, len(bucket)))
                scene.badge_keys.append(bucket)

    def item_box(self, item: Item, full: bool = False) -> tuple[float, float]:
        """Left and right x (time-area px) of an item's marker or bar, tails and label (the
        label as drawn, or with ``full`` as long as it could be)."""
        key = item.key
        if item.mini:
            return item.x0 - MINI_HIT_PX, item.x0 + MINI_HIT_PX
        left = item.x0 - self.lead_px[key]
        trail = self.trail_px[key]
        bar_px = item.x1 - item.x0 if item.bar else 0.0
        tail_end = item.x1 - item.x0 + trail if trail > 0 else 0.0
        shown = self.text_width(key) if full else min(item.label_px, self.text_width(key))
        label = label_right_px(bar_px, self.text_width(key), tail_end, shown)
        return left, max(item.x1 + trail, item.x0 + label)

    def label_x(self, item: Item) -> float:
        """Where an item's label starts (time-area px), right of its marker, bar or tail (a
        long bar's label sits inside it, kept in view)."""
        text = self.text_width(item.key)
        bar_px = item.x1 - item.x0 if item.bar else 0.0
        trail = self.trail_px[item.key]
        tail_end = item.x1 - item.x0 + trail if trail > 0 else 0.0
        if label_placement(bar_px, text) == "inside":
            return max(item.x0 + BAR_INSET_PX, min(6.0, item.x1 - text - BAR_INSET_PX))
        return item.x0 + label_left_px(bar_px, text, tail_end)
