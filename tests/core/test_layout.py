"""Timeline geometry: viewport, axis ticks, lane packing, visible slices, density."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline_app.core.dates import civil_from_day, day_number
from timeline_app.core.layout import (
    MIN_BAR_PX,
    MIN_DAYS_PER_PX,
    SpanIndex,
    Viewport,
    allocate_rows,
    item_extent,
    label_left_px,
    label_placement,
    label_right_px,
    max_days_per_px,
    pack_labelled_rows,
    pack_rows,
    pack_window,
    quantize_days_per_px,
    ticks,
    year_label,
)

EXAMPLES = settings(max_examples=60, deadline=None)
days = st.floats(-1e6, 1e6, allow_nan=False)
scales = st.floats(1e-3, 1e3, allow_nan=False)


# ---- viewport ---------------------------------------------------------------------------------


@EXAMPLES
@given(days, scales, st.floats(0, 1000), st.floats(0.2, 5))
def test_zoom_keeps_the_day_under_the_cursor(start: float, dpp: float, x: float, factor: float):
    vp = Viewport(start, dpp, 1000)
    zoomed = vp.zoom_at(x, factor)
    assert zoomed.days_per_px == pytest.approx(dpp / factor)
    assert zoomed.day_for_x(x) == pytest.approx(vp.day_for_x(x), abs=1e-6 * dpp * 1000)


def test_zoom_is_limited_but_still_keeps_the_anchor():
    vp = Viewport(1000.0, MIN_DAYS_PER_PX * 2, 800)
    zoomed = vp.zoom_at(200, 100.0)
    assert zoomed.days_per_px == MIN_DAYS_PER_PX
    assert zoomed.day_for_x(200) == pytest.approx(vp.day_for_x(200))
    out = vp.zoom_at(200, 1e-9, max_days_per_px=5.0)
    assert out.days_per_px == 5.0


def test_pan_moves_the_content_with_the_drag():
    vp = Viewport(100.0, 0.5, 800)
    panned = vp.pan_px(40)
    assert panned.start_day == pytest.approx(80.0)
    assert panned.x_for_day(vp.day_for_x(10)) == pytest.approx(50)


@EXAMPLES
@given(days, st.floats(0, 1e5), st.floats(200, 3000))
def test_fit_shows_the_whole_range_inside_the_margins(first: float, span: float, width: float):
    vp = Viewport.fit(first, first + span, width, margin_px=24, right_margin_px=60)
    assert vp.x_for_day(first) >= 24 - 1e-6
    assert vp.x_for_day(first + span) <= width - 60 + 1e-6
    assert vp.width_px == width


def test_fit_of_one_day_and_bad_ranges():
    vp = Viewport.fit(17000.0, 17000.0, 1000)
    assert vp.start_day < 17000 < vp.end_day
    assert vp.span_days < 10
    with pytest.raises(ValueError, match="cannot fit"):
        Viewport.fit(5.0, 1.0, 100)
    with pytest.raises(ValueError, match="cannot fit"):
        Viewport.fit(-math.inf, 1.0, 100)


def test_clamped_keeps_some_data_in_view_and_zoom_out_is_bounded():
    vp = Viewport(1e6, 1.0, 1000).clamped(0.0, 100.0)
    assert vp.start_day < 100.0
    assert max_days_per_px(0, 10, 1000) * 1000 >= 366


def test_deep_time_viewport_round_trips():
    start = float(day_number(-13_800_000_000))
    vp = Viewport.fit(start, 0.0, 1200)
    assert vp.day_for_x(vp.x_for_day(start)) == pytest.approx(start)


# ---- ticks -------------------------------------------------------------------------------------


def _view(first: tuple[int, int, int], span_days: float, width: float = 1000) -> Viewport:
    return Viewport(float(day_number(*first)), span_days / width, width)


def test_ticks_for_a_day_view_are_hours_with_the_date_as_context():
    axis = ticks(_view((2017, 6, 30), 1.0))
    assert axis.unit in ("hour", "minute")
    assert "06:00" in [t.label for t in axis.major]
    assert axis.context[0].label == "Fri 30 June 2017"


def test_ticks_for_a_month_view_are_days_with_the_month_as_context():
    axis = ticks(_view((2017, 6, 1), 30))
    assert axis.unit == "day"
    assert [t.label for t in axis.context] == ["June 2017", "July 2017"][: len(axis.context)]
    for tick in axis.major:
        assert tick.label.split()[-1] == str(civil_from_day(int(tick.day))[2])


def test_ticks_for_a_year_view_are_months_with_the_year_as_context():
    axis = ticks(_view((2017, 1, 1), 365))
    assert axis.unit == "month"
    labels = [t.label for t in axis.major]
    assert labels[:2] in (["January", "February"], ["Jan", "Feb"])
    assert axis.context[0].label == "2017"
    assert len(axis.minor) > len(axis.major)


def test_ticks_for_decades_and_bc_years():
    axis = ticks(_view((1990, 1, 1), 365.25 * 40))
    assert axis.unit == "year"
    assert "2000" in [t.label for t in axis.major]
    bc = ticks(_view((-60, 1, 1), 365.25 * 40))
    assert "44 BC" in [t.label for t in bc.major] or "50 BC" in [t.label for t in bc.major]


def test_ticks_for_deep_time_use_millions_and_billions():
    axis = ticks(Viewport.fit(float(day_number(-13_800_000_000)), 0.0, 1000))
    labels = [t.label for t in axis.major]
    assert axis.unit == "year" and axis.step >= 10**9
    assert any("billion years ago" in label for label in labels)
    dinosaurs = ticks(_view((-70_000_000, 1, 1), 365.25 * 10_000_000))
    assert any("million years ago" in t.label for t in dinosaurs.major)


@EXAMPLES
@given(st.integers(-(10**9), 10**6), st.floats(1e-4, 1e6))
def test_ticks_are_ordered_inside_the_view_and_labels_fit(first_year: int, span: float):
    vp = Viewport(float(day_number(first_year)), span / 1000, 1000)
    axis = ticks(vp, char_px=7.0)
    positions = [t.day for t in axis.major]
    assert positions == sorted(positions)
    assert all(vp.start_day - 1e-6 <= d <= vp.end_day + 1e-6 for d in positions)
    for a, b in zip(axis.major, axis.major[1:], strict=False):
        assert vp.x_for_day(b.day) - vp.x_for_day(a.day) >= len(a.label) * 7.0 * 0.7


def test_year_label():
    assert year_label(2017) == "2017"
    assert year_label(476) == "AD 476"
    assert year_label(-43) == "44 BC"
    assert year_label(-11999) == "12,000 BC"
    assert year_label(-65_000_000, 1_000_000) == "65 million years ago"
    assert year_label(1 - 13_800_000_000, 100_000_000) == "13.8 billion years ago"


# ---- packing -----------------------------------------------------------------------------------

items = st.lists(
    st.tuples(
        st.floats(0, 1000),
        st.floats(0, 200),
        st.floats(5, 120),
        st.sampled_from([0.0, 7.0, 36.0]),
        st.booleans(),
    ),
    max_size=60,
)


@EXAMPLES
@given(items, st.floats(0.05, 20), st.integers(1, 6))
def test_packed_items_never_overlap_in_a_row(data, dpp: float, max_rows: int):
    data = sorted(data)
    starts = [s for s, _, _, _, _ in data]
    ends = [s + d for s, d, _, _, _ in data]
    texts = [w for _, _, w, _, _ in data]
    leads = [lead for _, _, _, lead, _ in data]
    spans = [span for _, _, _, _, span in data]
    trails = [lead / 2 for lead in leads]
    rows = pack_rows(range(len(data)), starts, ends, texts, leads, dpp, max_rows, 4, trails, spans)

    def extent(k: int) -> tuple[float, float]:
        return item_extent(starts[k], ends[k], texts[k], leads[k], dpp, trails[k], spans[k])

    boxes: dict[int, list[tuple[float, float]]] = {}
    for k, row in enumerate(rows):
        assert -1 <= row < max_rows
        if row >= 0:
            boxes.setdefault(row, []).append(extent(k))
    for row_boxes in boxes.values():
        for (_l1, r1), (l2, _r2) in zip(row_boxes, row_boxes[1:], strict=False):
            assert r1 + 4 * dpp <= l2 + 1e-9
    # an item is left out only when, where it starts, every row is still busy
    row_right: dict[int, float] = {}
    for k, row in enumerate(rows):
        left, right = extent(k)
        if row == -1:
            assert len(row_right) == max_rows
            assert all(r + 4 * dpp > left for r in row_right.values())
        else:
            row_right[row] = right


def test_label_goes_right_of_a_point_inside_a_wide_bar_or_after_a_short_one():
    assert label_placement(0.0, 50) == "point"
    assert label_placement(MIN_BAR_PX - 1, 50) == "point"
    assert label_placement(100.0, 50) == "inside"
    assert label_placement(30.0, 50) == "after"
    assert label_right_px(100.0, 50) == 100.0
    assert label_right_px(30.0, 50) > 80.0


def test_packing_uses_first_free_row():
    rows = pack_rows([0, 1, 2], [0.0, 1.0, 50.0], [1.0, 2.0, 51.0], [9, 9, 9], [0, 0, 0], 1.0, 3)
    assert rows == [0, 1, 0]


def test_a_label_is_cut_only_where_the_next_item_of_its_row_starts():
    # points at 0, 100, 160 and 260 px, labels 150 px, one row: labels are cut
    starts, texts = [0.0, 100.0, 160.0, 260.0], [150.0, 150.0, 150.0, 30.0]
    packed = pack_labelled_rows(range(4), starts, starts, texts, [7.0] * 4, 1.0, 1, 8.0,
                                min_text_px=60.0)  # fmt: skip
    assert packed.rows == [0, 0, -1, 0]  # the third would leave its neighbour < 60 px
    assert packed.label_px[0] == pytest.approx(100 - 7 - 8 - 11)  # up to the next marker
    assert packed.label_px[1] == pytest.approx(260 - 7 - 8 - 100 - 11)
    assert packed.label_px[3] == 30.0  # the last keeps its full label


def test_full_labels_take_a_free_row_before_any_label_is_cut():
    starts, texts = [0.0, 100.0], [150.0, 150.0]
    packed = pack_labelled_rows(range(2), starts, starts, texts, [7.0] * 2, 1.0, 2, 8.0,
                                min_text_px=60.0)  # fmt: skip
    assert packed.rows == [0, 1] and packed.label_px == texts


def test_the_cut_label_is_the_one_that_keeps_most_room():
    # rows end with labels starting at 11 and 51: an item at 200 joins row 0 (its label
    # keeps 200 - 8 - 7 - 11 px rather than 200 - 8 - 7 - 51)
    starts, texts = [0.0, 40.0, 207.0], [400.0, 400.0, 20.0]
    packed = pack_labelled_rows(range(3), starts, starts, texts, [7.0] * 3, 1.0, 2, 8.0,
                                min_text_px=60.0)  # fmt: skip
    assert packed.rows == [0, 1, 0]
    assert packed.label_px[:2] == [pytest.approx(200 - 8 - 11), 400.0]


def test_an_open_end_label_starts_after_its_tail():
    assert label_left_px(0.0, 50.0, 36.0) == pytest.approx(41.0)
    assert label_left_px(20.0, 50.0, 56.0) == pytest.approx(61.0)  # short bar, "after"
    assert label_left_px(200.0, 50.0, 236.0) == 6.0  # inside its bar: the tail is beyond
    assert label_left_px(0.0, 50.0) == 11.0


cut_items = st.lists(
    st.tuples(st.floats(0, 400), st.floats(0, 60), st.floats(5, 200), st.booleans(),
              st.booleans()),
    max_size=50,
)  # fmt: skip


@EXAMPLES
@given(cut_items, st.floats(0.1, 5), st.integers(1, 5), st.floats(20, 80))
def test_cut_labels_never_overlap_and_keep_their_minimum(data, dpp, max_rows, min_text):
    data = sorted(data)
    starts = [s for s, *_ in data]
    ends = [s + d for s, d, *_ in data]
    texts = [w for _, _, w, _, _ in data]
    spans = [span for *_, span, _ in data]
    trails = [36.0 if open_end else 0.0 for *_, open_end in data]
    leads = [7.0] * len(data)
    packed = pack_labelled_rows(range(len(data)), starts, ends, texts, leads, dpp, max_rows,
                                4, trails, spans, min_text)  # fmt: skip
    last_right: dict[int, float] = {}
    for k, row in enumerate(packed.rows):
        shown = packed.label_px[k]
        assert min(texts[k], min_text) - 1e-6 <= shown <= texts[k]
        if row < 0:
            continue
        left, right = item_extent(starts[k], ends[k], texts[k], leads[k], dpp, trails[k],
                                  spans[k], shown)  # fmt: skip
        assert last_right.get(row, -math.inf) + 4 * dpp <= left + 1e-6
        last_right[row] = right


def test_quantized_scale_is_never_finer_and_close():
    for dpp in (1e-6, 0.37, 1.0, 6.6, 12345.0):
        q = quantize_days_per_px(dpp)
        assert dpp <= q < dpp * 2**0.25 * 1.0001


def test_pack_window_covers_the_view():
    vp = Viewport(1234.5, 0.7, 900)
    q = quantize_days_per_px(vp.days_per_px)
    window = pack_window(vp, q)
    assert window.lo <= vp.start_day and vp.end_day <= window.hi
    assert pack_window(vp.pan_px(-1), q).anchor in (window.anchor, window.anchor + 1)


# ---- visible slices and density ----------------------------------------------------------------

spans = st.lists(st.tuples(st.floats(-1000, 1000), st.floats(1e-6, 500)), max_size=80)


@EXAMPLES
@given(spans, st.floats(-1200, 1200), st.floats(0, 800))
def test_overlapping_matches_brute_force(data, lo: float, width: float):
    data = sorted(data)
    starts = [s for s, _ in data]
    ends = [s + d for s, d in data]
    index = SpanIndex(starts, ends)
    hi = lo + width
    expected = [k for k in range(len(data)) if starts[k] < hi and ends[k] > lo]
    assert index.overlapping(lo, hi) == expected
    assert index.count_overlapping(lo, hi) == len(expected)


@EXAMPLES
@given(spans, st.lists(st.floats(-1200, 1200), min_size=2, max_size=12, unique=True))
def test_density_matches_brute_force(data, edges):
    starts = [s for s, _ in data]
    ends = [s + d for s, d in data]
    edges = sorted(edges)
    index = SpanIndex(starts, ends, keys=[10 * k for k in range(len(data))])
    expected = [
        sum(1 for s, e in zip(starts, ends, strict=True) if s < b and e > a)
        for a, b in zip(edges, edges[1:], strict=False)
    ]
    assert index.density(edges) == expected


def test_unsorted_input_and_custom_keys():
    index = SpanIndex([5.0, 1.0, 3.0], [6.0, 2.0, 100.0], keys=[50, 10, 30])
    assert index.overlapping(1.5, 5.5) == [10, 30, 50]
    assert index.overlapping(7, 8) == [30]
    assert len(index) == 3


def test_allocate_rows_gives_what_is_needed_when_it_fits():
    assert allocate_rows([1, 4, 2], 10, minimum=2) == [2, 4, 2]
    assert allocate_rows([], 5) == []


@EXAMPLES
@given(st.lists(st.integers(1, 12), min_size=1, max_size=10), st.integers(0, 60))
def test_allocate_rows_caps_the_greedy_lanes_fairly(needs: list[int], total: int):
    rows = allocate_rows(needs, total, minimum=1)
    assert all(1 <= r <= max(n, 1) for r, n in zip(rows, needs, strict=True))
    if sum(needs) <= total:
        assert rows == needs
    elif total >= len(needs):
        assert sum(rows) <= total
        cap = max(rows)
        assert all(r == min(n, cap) for r, n in zip(rows, needs, strict=True))
        assert sum(min(n, cap + 1) for n in needs) > total  # the cap is as high as fits
