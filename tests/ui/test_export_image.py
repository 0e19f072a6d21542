"""Snapshot pictures: labels never overlap or leave the picture, rows all fit, dense cases
aggregate, crowded PDFs span pages with the axis repeated, PNG size follows width x scale."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from timeline_app.cli.export import SnapshotOptions
from timeline_app.core.casefile import load_case
from timeline_app.core.dates import When, day_number
from timeline_app.core.model import Case, Event, Lane
from timeline_app.paths import default_case_dir
from timeline_app.ui.export_image import (
    SnapshotSettings,
    build_pages,
    export_snapshot,
    paint_png,
    svg_bytes,
)


@pytest.fixture(scope="module")
def default_case() -> Case:
    return load_case(default_case_dir())[0]


def crowded_case(n: int, days: int, lanes: int = 2) -> Case:
    """n events with long titles spread evenly over ``days`` days from 2010."""
    start = day_number(2010)
    events = []
    for i in range(n):
        day = start + i * days // n
        y, m, d = _civil(day)
        title = f"Event {i} with a fairly long title about a council meeting"
        events.append(
            Event(f"e{i}", title, When.parse(f"{y:04d}-{m:02d}-{d:02d}"), f"l{i % lanes}")
        )
    lane_list = [Lane(f"l{k}", f"Lane {k}") for k in range(lanes)]
    return Case(title="Crowded", lanes=lane_list, events=events)


def _civil(day: int) -> tuple[int, int, int]:
    from timeline_app.core.dates import civil_from_day

    return civil_from_day(day)


def test_labels_do_not_overlap_and_stay_inside(default_case, qapp) -> None:
    page = build_pages(default_case, SnapshotSettings())[0]
    canvas = page.canvas
    assert canvas.hidden_count() == 0  # every event drawn with its label
    hits = canvas.hit_rects()
    assert len(hits) == len(default_case.events)
    for _id, rect in hits:
        assert rect.right() <= canvas.width
        assert rect.bottom() <= canvas.height
    for i, (_a, one) in enumerate(hits):
        for _b, other in hits[i + 1 :]:
            overlap = one.intersected(other)
            assert overlap.width() < 1 or overlap.height() < 1, (_a, _b)


def test_narrow_width_elides_instead_of_cutting(default_case, qapp) -> None:
    page = build_pages(default_case, SnapshotSettings(width=800))[0]
    for _id, rect in page.canvas.hit_rects():
        assert rect.right() <= page.canvas.width


def test_png_is_width_times_scale(default_case, qapp) -> None:
    pages = build_pages(default_case, SnapshotSettings(width=1000, scale=1.5))
    image = paint_png(pages, 1.5)
    assert image.width() == 1500
    assert image.height() == round(pages[0].height * 1.5)


def test_dense_case_aggregates_instead_of_drawing_every_label(qapp) -> None:
    case = crowded_case(6000, 365 * 4)
    page = build_pages(case, SnapshotSettings())[0]
    assert page.canvas.has_density()
    svg = svg_bytes(page).decode("utf-8")
    assert svg.count("<text") < 200
    assert "Event 3000 with" not in svg


def test_crowded_pdf_spans_pages_with_the_axis_on_each(qapp, tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    case = crowded_case(160, 365 * 6, lanes=1)
    assert build_pages(case, SnapshotSettings())[0].canvas.hidden_count() > 0
    out = tmp_path / "crowded.pdf"
    export_snapshot(case, out, SnapshotOptions("pdf"))
    reader = pypdf.PdfReader(str(out))
    assert len(reader.pages) > 1
    texts = [" ".join(page.extract_text().split()) for page in reader.pages]
    for number, text in enumerate(texts, 1):
        assert f"Page {number} of {len(texts)}" in text
        assert "Lane 0" in text  # lane headers repeated
        assert "Exported" in text
    shown = " ".join(texts)
    drawn = sum(f"Event {i} with" in shown for i in range(160))
    assert drawn > 150  # the split shows (nearly) every event by name


def test_range_beyond_the_events_and_today_in_the_legend(default_case, qapp) -> None:
    today = dt.date.today()
    period = When.parse(f"2016/{today.year + 1}")
    settings = SnapshotSettings.from_options(SnapshotOptions("svg", period=period))
    page = build_pages(default_case, settings)[0]
    vp = page.canvas.viewport
    assert vp.start_day <= day_number(2016) and vp.end_day >= day_number(today.year + 1)
    svg = svg_bytes(page).decode("utf-8")
    assert ">Today</text>" in svg
    assert f"Range 2016/{today.year + 1}" in svg


def test_exported_on_date_is_printed(default_case, qapp) -> None:
    settings = SnapshotSettings(exported_on=dt.date(2026, 11, 29))
    svg = svg_bytes(build_pages(default_case, settings)[0]).decode("utf-8")
    assert "Exported 29 November 2026 from timeline-app" in svg


def test_pdf_gradients_are_blended_opaque(qapp) -> None:
    """Qt's PDF writer drops gradient transparency: soft edges are pre-blended instead."""
    from timeline_app.ui.canvas_style import LanePaint
    from timeline_app.ui.export_canvas import opaque_gradient_brush

    paint = LanePaint("#dd8452")
    for brush in (paint.halo, paint.fade_in, paint.fade_out):
        stops = brush.gradient().stops()
        assert any(colour.alpha() < 255 for _pos, colour in stops)
        opaque = opaque_gradient_brush(brush).gradient().stops()
        assert [pos for pos, _c in opaque] == [pos for pos, _c in stops]
        assert all(colour.alpha() == 255 for _pos, colour in opaque)
        clear = min(stops, key=lambda stop: stop[1].alpha())[1]
        faded = opaque[stops.index(min(stops, key=lambda stop: stop[1].alpha()))][1]
        assert faded.lightness() > 240 and clear.alpha() == 0  # fades into the pale band


def test_tall_pdf_splits_lanes_over_landscape_pages(qapp, tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    case = crowded_case(12 * 14, 30, lanes=12)  # 12 lanes, each packed into many rows
    assert build_pages(case, SnapshotSettings())[0].height > 1600 / 2**0.5
    out = tmp_path / "tall.pdf"
    export_snapshot(case, out, SnapshotOptions("pdf"))
    reader = pypdf.PdfReader(str(out))
    assert len(reader.pages) > 1
    text = ""
    for page in reader.pages:
        assert page.mediabox.width > page.mediabox.height
        text += " ".join(page.extract_text().split()) + " "
    for k in range(12):
        assert f"Lane {k}" in text
    assert sum(f"Event {i} with" in text for i in range(12 * 14)) == 12 * 14
