"""Snapshots of a timeline as PNG (any scale), SVG (text kept as text) and PDF (vector,
landscape, fonts embedded; a crowded timeline spans pages, each with its axis).

Each snapshot carries the case title, what it shows (whole case, range or window; lanes),
the lanes and axis as the canvas draws them (`SnapshotCanvas`), a legend of the markers and
the export date. ``export_snapshot(case, path, options)`` is what ``timeline-app export``
calls (see ``timeline_app.cli.export``); it works headless.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QRectF,
    QSize,
    QSizeF,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontInfo,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)
from PySide6.QtWidgets import QApplication

from timeline_app.core.dates import MONTH_NAMES
from timeline_app.core.model import Case
from timeline_app.ui import canvas_style as st
from timeline_app.ui.canvas_scene import DENSE_PER_PX
from timeline_app.ui.export_canvas import OpaqueGradientPainter
from timeline_app.ui.export_page import (
    APP_NAME,
    MARGIN,
    MAX_IMAGE_PX,
    PageStyle,
    SnapshotPage,
    SnapshotSettings,
)

MAX_PDF_PAGES = 6
MAX_IMAGE_PIXELS = 200_000_000  # 800 MB of pixels
PAGE_ASPECT = 2**0.5  # a landscape sheet (A4, A3...) is this many times as wide as tall
__all__ = ["SnapshotSettings", "build_pages", "ensure_app", "export_snapshot", "svg_bytes"]

_app: QApplication | None = None


def ensure_app() -> QApplication:
    """The running QApplication, or a new offscreen one (exports never show a window)."""
    global _app
    app = QApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = _app = QApplication([APP_NAME])
    if not isinstance(app, QApplication):
        raise RuntimeError("snapshots need a QApplication (widgets), not a QGuiApplication")
    return app


def screen_dpi() -> float:
    """The DPI fonts are measured at; every device is drawn at it so text fits as measured."""
    screen = QGuiApplication.primaryScreen()
    return screen.logicalDotsPerInchY() if screen is not None else 96.0


# ================================================================================= planning


def _events_span(case: Case) -> tuple[float, float] | None:
    if not case.events:
        return None
    first = min(ev.when.sort_start for ev in case.events)
    last = max(ev.when.sort_end for ev in case.events)
    return first, last


def resolve_span(case: Case, settings: SnapshotSettings) -> tuple[float, float]:
    """The days to show: the asked span (open ends closed by the events), else the events'
    extent, else the year around today."""
    events = _events_span(case)
    if settings.span is None:
        if events is not None:
            return events
        today = (dt.date.today() - dt.date(1970, 1, 1)).days
        return today - 183.0, today + 183.0
    first, last = settings.span
    if events is not None:
        first = first if first > -float("inf") else events[0]
        last = last if last < float("inf") else events[1]
    if not (first > -float("inf") and last < float("inf")):
        raise ValueError("the range has open ends and no events to close them")
    return first, max(last, first + 1.0)


def describe(case: Case, settings: SnapshotSettings, span: tuple[float, float]) -> str:
    """The subtitle: scope, dates shown, event and lane counts."""
    n = len(case.events)
    events = f"{n:,} event" + ("" if n == 1 else "s")
    lane_names = [lane.name or lane.id for lane in case.lanes]
    if settings.lanes:
        lanes = "lanes: " + ", ".join(lane_names)
    else:
        lanes = f"{len(lane_names)} lane" + ("" if len(lane_names) == 1 else "s")
    scope = settings.scope or "Whole case"
    return f"{scope}: {_span_text(span)} · {events} · {lanes}"


def _span_text(span: tuple[float, float]) -> str:
    from timeline_app.core.dates import civil_from_day
    from timeline_app.core.layout import year_label

    def text(day: float) -> str:
        year, month, dom = civil_from_day(int(day // 1))
        return f"{dom} {MONTH_NAMES[month - 1]} {year_label(year)}"

    return f"{text(span[0])} – {text(max(span[0], span[1] - 1e-6))}"


def label_limit(width: int) -> float:
    """How wide a label may be before it is elided: about a third of the time area."""
    return max(st.HEADER_WIDTH + 80.0, min(520.0, (width - 2 * MARGIN - st.HEADER_WIDTH) * 0.36))


def build_pages(
    case: Case, settings: SnapshotSettings, max_pages: int = 1, landscape: bool = False
) -> list[SnapshotPage]:
    """The page (or, up to ``max_pages``, the pages splitting the span by event count) that
    show the most events one by one; with ``landscape``, pages taller than a landscape sheet
    are split further into groups of lanes (each with the axis)."""
    style = PageStyle()
    span = resolve_span(case, settings)
    limit = label_limit(settings.width)
    page = SnapshotPage(case, span, settings, describe(case, settings, span), style, limit)
    pages = _time_pages(page, max_pages)
    if landscape:
        pages = [part for each in pages for part in _lane_pages(each)]
    for number, each in enumerate(pages, 1):
        each.footer_right = f"Page {number} of {len(pages)}" if len(pages) > 1 else ""
    return pages


def _time_pages(page: SnapshotPage, max_pages: int) -> list[SnapshotPage]:
    case, settings = page.case, page.settings
    time_px = settings.width - 2 * MARGIN - st.HEADER_WIDTH
    hopeless = len(case.events) > max_pages * time_px * DENSE_PER_PX
    if max_pages <= 1 or page.canvas.hidden_count() == 0 or hopeless:
        return [page]
    best, best_hidden = [page], page.canvas.hidden_count()
    for count in range(2, max_pages + 1):
        pages = _split_pages(case, settings, page.span, count, page.style, page.label_limit)
        hidden = sum(p.canvas.hidden_count() for p in pages)
        if hidden < best_hidden:
            best, best_hidden = pages, hidden
        if hidden == 0:
            break
    return best


def _lane_pages(page: SnapshotPage) -> list[SnapshotPage]:
    """``page`` as pages no taller than a landscape sheet (√2 : 1), each holding whole lanes."""
    settings = page.settings
    most = settings.width / PAGE_ASPECT
    if page.height <= most:
        return [page]
    room = most - (page.height - page.canvas.height) - st.AXIS_HEIGHT
    groups: list[list[str]] = [[]]
    used = 0.0
    for lane, scene in zip(page.canvas.data.lanes, page.canvas.scene, strict=True):
        if groups[-1] and used + scene.height > room:
            groups.append([])
            used = 0.0
        groups[-1].append(lane.id)
        used += scene.height
    if len(groups) == 1:
        return [page]
    return [_lanes_page(page, group) for group in groups]


def _lanes_page(page: SnapshotPage, lane_ids: list[str]) -> SnapshotPage:
    case = page.case
    known = {lane.id for lane in case.lanes}
    wanted = set(lane_ids)
    lanes = [lane for lane in case.lanes if lane.id in wanted]
    events = [ev for ev in case.events if (ev.lane if ev.lane in known else "") in wanted]
    sub = dataclasses.replace(case, lanes=lanes, events=events)
    names = ", ".join(lane.name or lane.id for lane in lanes) or "Other"
    subtitle = f"{page.subtitle} · on this page: {names}"
    return SnapshotPage(sub, page.span, page.settings, subtitle, page.style, page.label_limit)


def _split_pages(
    case: Case,
    settings: SnapshotSettings,
    span: tuple[float, float],
    count: int,
    style: PageStyle,
    limit: float,
) -> list[SnapshotPage]:
    """``count`` pages holding equal numbers of events (by start), each over its own days."""
    ordered = case.events_in_time_order()
    n = len(ordered)
    pages = []
    for i in range(count):
        part = ordered[i * n // count : (i + 1) * n // count]
        if not part:
            continue
        first = max(span[0], part[0].when.sort_start)
        last = min(span[1], max(ev.when.sort_end for ev in part))
        sub = dataclasses.replace(case, events=part)
        scope = f"{settings.scope or 'Whole case'}, part {i + 1} of {count}"
        text = describe(sub, dataclasses.replace(settings, scope=scope), (first, max(last, first)))
        text += " (the events that start in this part)"
        pages.append(SnapshotPage(sub, (first, max(last, first + 1)), settings, text, style, limit))
    return pages


# ================================================================================== writers


def paint_png(pages: Sequence[SnapshotPage], scale: float) -> QImage:
    page = pages[0]
    size = QSize(round(page.settings.width * scale), round(page.height * scale))
    if size.height() > MAX_IMAGE_PX:
        raise ValueError(f"the image would be {size.height()} px tall; use a smaller --scale")
    if size.width() * size.height() > MAX_IMAGE_PIXELS:
        megapixels = size.width() * size.height() / 1e6
        raise ValueError(
            f"the image would be {size.width()} x {size.height()} px ({megapixels:.0f} "
            f"megapixels, at most {MAX_IMAGE_PIXELS // 10**6}); use a smaller --scale or --width"
        )
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    dots_per_metre = round(screen_dpi() / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    try:
        painter.scale(scale, scale)
        page.paint(painter)
    finally:
        painter.end()
    return image


def write_png(pages: Sequence[SnapshotPage], path: Path) -> None:
    image = paint_png(pages, pages[0].settings.scale)
    if not image.save(str(path), "PNG"):
        raise OSError(f"could not write the PNG image {path}")


def svg_bytes(page: SnapshotPage, description: str = "") -> bytes:
    """The page as SVG: text as <text> in the font it was measured in (named with a generic
    fallback, not Qt's "Sans Serif" alias), the case title as <title>."""
    from PySide6.QtSvg import QSvgGenerator

    width, height = page.settings.width, round(page.height)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(width, height))
    generator.setViewBox(QRectF(0, 0, width, height))
    generator.setResolution(round(screen_dpi()))
    generator.setTitle(page.case.title or "Untitled case")
    generator.setDescription(description or page.subtitle)
    painter = QPainter()
    if not painter.begin(generator):
        raise OSError("could not draw the SVG image")
    try:
        page.paint(painter)
    finally:
        painter.end()
    buffer.close()
    return _name_fonts(bytes(data.data()))


def _name_fonts(svg: bytes) -> bytes:
    families = {QFont().family(), page_font_family()}
    fallback = f"{page_font_family()}, Verdana, Arial, sans-serif".encode()
    for family in families:
        svg = svg.replace(f'font-family="{family}"'.encode(), b'font-family="' + fallback + b'"')
    return svg


def page_font_family() -> str:
    """The family the default font resolves to (what text was measured in)."""
    return QFontInfo(QFont()).family()


def write_svg(pages: Sequence[SnapshotPage], path: Path) -> None:
    """The first page as an SVG file."""
    with open(path, "wb") as handle:
        handle.write(svg_bytes(pages[0]))


def page_layout(width_pt: float, height_pt: float) -> QPageLayout:
    """A borderless page of this size (points), landscape when wider than tall."""
    short, long = sorted((width_pt, height_pt))
    size = QPageSize(QSizeF(short, long), QPageSize.Unit.Point, "Timeline")
    landscape = width_pt >= height_pt
    orientation = (
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )
    return QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0))


def write_pdf(pages: Sequence[SnapshotPage], path: Path) -> None:
    """Vector PDF, one landscape page per snapshot page, all of the tallest page's size."""
    dpi = screen_dpi()
    width = pages[0].settings.width
    height = max(page.height for page in pages)
    writer = QPdfWriter(str(path))
    writer.setResolution(round(dpi))
    writer.setTitle(pages[0].case.title or "Untitled case")
    writer.setCreator(APP_NAME)
    points = QSizeF(width * 72 / dpi, height * 72 / dpi)
    landscape = points.width() >= points.height()
    portrait_size = QSizeF(
        min(points.width(), points.height()), max(points.width(), points.height())
    )
    layout = QPageLayout(
        QPageSize(
            portrait_size, QPageSize.Unit.Point, "Timeline", QPageSize.SizeMatchPolicy.ExactMatch
        ),
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait,
        QMarginsF(0, 0, 0, 0),
    )
    writer.setPageLayout(layout)
    painter = OpaqueGradientPainter()
    if not painter.begin(writer):
        raise OSError(f"could not write the PDF {path}")
    try:
        for number, page in enumerate(pages):
            if number:
                writer.newPage()
            page.paint(painter, height)
    finally:
        painter.end()


def export_snapshot(case: Case, out: str | Path, options: Any) -> list[str]:
    """Draw ``case`` (already narrowed to the range and lanes) to ``out`` as options.format
    (png, svg or pdf). Raises ValueError for sizes that cannot be drawn, OSError when the
    file cannot be written. Returns notes for the user (none so far)."""
    ensure_app()
    settings = SnapshotSettings.from_options(options)
    fmt = getattr(options, "format", "") or Path(out).suffix.lstrip(".").lower()
    path = Path(out)
    if fmt == "png":
        write_png(build_pages(case, settings), path)
    elif fmt == "svg":
        write_svg(build_pages(case, settings), path)
    elif fmt == "pdf":
        write_pdf(build_pages(case, settings, MAX_PDF_PAGES, landscape=True), path)
    else:
        raise ValueError(f"not an image format: {fmt!r} (expected png, svg or pdf)")
    return []
