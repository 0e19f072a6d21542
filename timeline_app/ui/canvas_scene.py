"""What the canvas shows for one viewport: per lane, packed items, "+N" badges or a density
strip. No Qt; label widths come from a measuring function the canvas passes in.

Packings are cached per (lane, quantized zoom level, window), so panning and repainting reuse
them; a new zoom level packs only the events near the view (two view widths), never the case.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from timeline_app.core.layout import (
    MIN_BAR_PX,
    POINT_LABEL_PX,
    Viewport,
    allocate_rows,
    label_right_px,
    pack_rows,
    pack_window,
    quantize_days_per_px,
)
from timeline_app.ui.canvas_data import OPEN_END, OPEN_START, SPAN, CanvasData

MAX_LABEL_PX = 230.0  # longer titles are elided (default; see set_max_label_px)
MARKER_LEAD_PX = 7.0  # a point marker reaches this far left of its day
TAIL_PX = 36.0  # length of the fading tail of an open end
BADGE_PX = 48.0  # spacing of "+N" overflow badges
DENSITY_BUCKET_PX = 3.0
DENSE_PER_PX = 0.5  # more events in view than this per pixel: draw a density strip
FULL_PACK_LIMIT = 600  # lanes up to this size are packed whole (stable while panning)
GAP_PX = 10.0
MIN_ROWS = 2  # rows a lane always gets
MINI_HIT_PX = 6.0  # half width of a lone overflow marker's hit box


@dataclass
class Item:
    """An event drawn individually: x extent of its marker or bar (time-area px) and row."""

    key: int
    x0: float
    x1: float
    row: int
    bar: bool
    mini: bool = False  # a lone overflow event in the badge row: marker only, no label


@dataclass
class LaneScene:
    """One lane in one viewport."""

    lane_no: int
    dense: bool
    visible: int
    items: list[Item] = field(default_factory=list)
    badges: list[tuple[float, int]] = field(default_factory=list)  # (x centre, count)
    density: list[int] = field(default_factory=list)  # events per bucket, left to right
    density_x: float = 0.0  # left edge of the first bucket (time-area px)
    density_step: float = DENSITY_BUCKET_PX  # bucket width (px)
    badge_row: int = -1  # the row badges sit in (-1 when there are none)
    rows: int = 1  # rows this lane has in the current layout
    top: float = 0.0  # px from the top of the lanes area
    height: float = 0.0


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
        self._shown: dict[int, str] = {}  # elided labels
        self.max_label_px = MAX_LABEL_PX
        self._packs: dict[tuple, Packing] = {}
        self._densities: dict[tuple[int, float], dict[int, int]] = {}

    def text_width(self, key: int) -> float:
        """Width of the (possibly elided) label of ``key``, measured once."""
        width = self.text_px[key]
        if width < 0:
            width = self._measure(self.data.titles[key])
            if width > self.max_label_px:
                width = self.max_label_px
                if self._elide is not None:
                    self._shown[key] = self._elide(self.data.titles[key], width)
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
        """Room a point's marker and label take right of its day."""
        return POINT_LABEL_PX + self.text_width(key)

    def label_text(self, key: int) -> str:
        """The label as drawn: the title, elided to ``max_label_px``."""
        if self.text_px[key] < 0:
            self.text_width(key)
        return self._shown.get(key) or self.data.titles[key]

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
        usable = max(0.0, lanes_height - n * m.pads)
        # Two rows at least (one for labels, one for "+N" badges); when even that does not
        # fit, the lanes get taller than the view and scroll.
        total_rows = max(int(usable // m.row_height), MIN_ROWS * n)
        rows = allocate_rows(needs, total_rows, minimum=MIN_ROWS)
        heights = [max(r * m.row_height + m.pads, m.min_height) for r in rows]
        spare = max(0.0, (lanes_height - sum(heights)) / n)
        scenes = []
        top = 0.0
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
        """First-fit rows of the lane's events near the view at this zoom level, cached.

        Lanes up to FULL_PACK_LIMIT events are packed whole (rows stay put while panning);
        larger ones within a `pack_window` of two view widths. First fit fills rows from the
        top, so the packing into fewer rows is this one with the lower rows cut off: one
        packing per level serves every row count."""
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
            rows = pack_rows(
                keys, d.starts, d.ends, self.text_px, self.lead_px, q, max_rows, GAP_PX,
                self.trail_px, self.spans,
            )  # fmt: skip
            overflowed = -1 in rows
            needed = max_rows if overflowed else max(rows, default=0) + 1
            packing = Packing(dict(zip(keys, rows, strict=True)), needed, overflowed)
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
        packing = self._packing(lane_no, vp, max_rows)
        row_of = packing.row_of
        # rows below `usable` are cut off; the last row holds "+N" badges if anything is
        crowded = packing.overflowed or packing.needed > rows
        usable = rows - 1 if crowded else rows
        scene = LaneScene(lane_no, False, visible)
        q = quantize_days_per_px(vp.days_per_px)
        dpp, lo = vp.days_per_px, vp.start_day
        reach = (self.max_label_px + POINT_LABEL_PX) * dpp
        keys = self.data.lanes[lane_no].index.overlapping(lo - reach, vp.end_day + TAIL_PX * dpp)
        starts, ends, flags = self.data.starts, self.data.ends, self.data.flags
        bucket_days = BADGE_PX * q
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
                scene.items.append(Item(key, x0, x1, row, bar))
            elif key == selected:
                promoted = Item(key, x0, x1, usable, bar)
            else:
                overflow.setdefault(math.floor(starts[key] / bucket_days), []).append(key)
        if overflow or promoted:
            scene.badge_row = usable
            self._add_badges(scene, overflow, vp, bucket_days, promoted)
        return scene

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

    def item_box(self, item: Item) -> tuple[float, float]:
        """Left and right x (time-area px) of an item's marker or bar, tails and label."""
        key = item.key
        if item.mini:
            return item.x0 - MINI_HIT_PX, item.x0 + MINI_HIT_PX
        left = item.x0 - self.lead_px[key]
        bar_px = item.x1 - item.x0 if item.bar else 0.0
        right = max(
            item.x1 + self.trail_px[key], item.x0 + label_right_px(bar_px, self.text_px[key])
        )
        return left, right
