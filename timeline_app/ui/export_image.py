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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QPointF,
    QRectF,
    QSize,
    QSizeF,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontInfo,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)
from PySide6.QtWidgets import QApplication

from timeline_app.core.dates import MONTH_NAMES, When
from timeline_app.core.model import Case
from timeline_app.ui import canvas_style as st
from timeline_app.ui.canvas_data import (
    APPROXIMATE,
    OPEN_START,
    OTHER_LANE_COLOUR,
    SPAN,
    UNCERTAIN,
    today_day_number,
)
from timeline_app.ui.canvas_scene import DENSE_PER_PX
from timeline_app.ui.export_canvas import OpaqueGradientPainter, SnapshotCanvas, print_font

DEFAULT_WIDTH = 1600
DEFAULT_SCALE = 2.0
MIN_WIDTH, MAX_WIDTH = 480, 20000
MAX_IMAGE_PX = 32000  # per side of a PNG
MAX_PDF_PAGES = 6
MARGIN = 32
GAP = 14
LEGEND_ROW = 22.0
LEGEND_GLYPH_COLOUR = OTHER_LANE_COLOUR
APP_NAME = "timeline-app"

_app: QApplication | None = None


# ================================================================================= settings


@dataclass(frozen=True)
class SnapshotSettings:
    """What to draw: ``span`` days (None: all events), at ``width`` px, PNG ``scale``."""

    width: int = DEFAULT_WIDTH
    scale: float = DEFAULT_SCALE
    span: tuple[float, float] | None = None
    scope: str = ""  # how the span was chosen, for the subtitle ("" = the whole case)
    lanes: tuple[str, ...] = ()
    exported_on: dt.date | None = None

    @classmethod
    def from_options(cls, options: Any) -> SnapshotSettings:
        """Settings from the CLI's `SnapshotOptions` (or any object with its fields);
        ``window`` (a (first, last) day pair) exports the window's visible span."""
        width = getattr(options, "width", None)
        width = DEFAULT_WIDTH if width is None else width
        scale = getattr(options, "scale", None)
        scale = DEFAULT_SCALE if scale is None else scale
        period: When | None = getattr(options, "period", None)
        window = getattr(options, "window", None)
        span, scope = None, ""
        if window is not None:
            span, scope = (float(window[0]), float(window[1])), "Visible window"
        elif period is not None:
            span, scope = (period.earliest, period.latest), f"Range {period.edtf}"
        settings = cls(
            int(width),
            float(scale),
            span,
            scope,
            tuple(getattr(options, "lanes", ()) or ()),
            getattr(options, "exported_on", None),
        )
        settings.check()
        return settings

    def check(self) -> None:
        """ValueError naming the option when the size cannot be drawn."""
        if not MIN_WIDTH <= self.width <= MAX_WIDTH:
            raise ValueError(f"--width {self.width}: expected {MIN_WIDTH} to {MAX_WIDTH} pixels")
        if not 0.1 <= self.scale <= 10:
            raise ValueError(f"--scale {self.scale:g}: expected 0.1 to 10")
        if self.width * self.scale > MAX_IMAGE_PX:
            raise ValueError(
                f"--width {self.width} at --scale {self.scale:g} makes an image "
                f"{self.width * self.scale:.0f} px wide (at most {MAX_IMAGE_PX})"
            )


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


def human_day(day: dt.date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


# ==================================================================================== pages


def _font(points: float, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
    font = QFont()
    font.setPointSizeF(points)
    font.setWeight(weight)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return print_font(font)


class PageStyle:
    """Fonts and pens of the parts around the canvas, built once."""

    def __init__(self) -> None:
        self.title_font = _font(15.0, QFont.Weight.DemiBold)
        self.subtitle_font = _font(9.5)
        self.legend_font = _font(8.5)
        self.footer_font = _font(8.0)
        self.title_fm = QFontMetricsF(self.title_font)
        self.subtitle_fm = QFontMetricsF(self.subtitle_font)
        self.legend_fm = QFontMetricsF(self.legend_font)
        self.footer_fm = QFontMetricsF(self.footer_font)
        self.text = QColor(st.TEXT)
        self.muted = QColor(st.TEXT_MUTED)
        self.rule = QColor(st.RULE)


@dataclass(frozen=True)
class LegendEntry:
    kind: str  # "glyph", "badge" or "density"
    text: str
    flags: int = 0
    width: float = 0.0  # of the swatch


LEGEND_BASE = (
    LegendEntry("glyph", "Event on a day", 0, 12),
    LegendEntry("glyph", "Month, year or period", SPAN, 34),
    LegendEntry("glyph", "Approximate (~)", APPROXIMATE, 16),
    LegendEntry("glyph", "Uncertain (?)", UNCERTAIN, 16),
    LegendEntry("glyph", "Open-ended (on or before, on or after)", OPEN_START, 46),
)
LEGEND_BADGE = LegendEntry("badge", "more events here, too close together to label", 0, 30)
LEGEND_DENSITY = LegendEntry("density", "event density (too many events to label)", 0, 40)
LEGEND_TODAY = LegendEntry("today", "Today", 0, 10)


class SnapshotPage:
    """One page: title, subtitle, the canvas over a span, the legend and the footer."""

    def __init__(
        self,
        case: Case,
        span: tuple[float, float],
        settings: SnapshotSettings,
        subtitle: str,
        style: PageStyle,
        label_limit: float,
    ) -> None:
        self.case = case
        self.settings = settings
        self.style = style
        self.subtitle = subtitle
        inner = settings.width - 2 * MARGIN
        self.canvas = SnapshotCanvas(case, inner, label_limit)
        self.canvas.show_span(*span)
        self.footer_right = ""
        self._legend = self._legend_entries()
        self._title_h = self._text_height(case.title or "Untitled case", style.title_fm)
        self._subtitle_h = self._text_height(subtitle, style.subtitle_fm)
        self.canvas_top = MARGIN + self._title_h + 4 + self._subtitle_h + GAP

    def _text_height(self, text: str, fm: QFontMetricsF) -> float:
        box = QRectF(0, 0, self.settings.width - 2 * MARGIN, 10_000)
        return fm.boundingRect(box, int(Qt.TextFlag.TextWordWrap), text).height()

    def _legend_entries(self) -> list[LegendEntry]:
        entries = list(LEGEND_BASE)
        if self.canvas.has_badges():
            entries.append(LEGEND_BADGE)
        if self.canvas.has_density():
            entries.append(LEGEND_DENSITY)
        vp = self.canvas.viewport
        if vp.start_day <= today_day_number() <= vp.end_day:
            entries.append(LEGEND_TODAY)
        return entries

    def _legend_rows(self) -> list[list[tuple[LegendEntry, float]]]:
        """Legend entries with their widths, wrapped into rows that fit the page."""
        rows: list[list[tuple[LegendEntry, float]]] = [[]]
        x, limit = 0.0, self.settings.width - 2 * MARGIN
        for entry in self._legend:
            width = entry.width + 8 + self.style.legend_fm.horizontalAdvance(entry.text) + 22
            if rows[-1] and x + width > limit:
                rows.append([])
                x = 0.0
            rows[-1].append((entry, width))
            x += width
        return rows

    def canvas_origin(self) -> tuple[int, int]:
        """Where the canvas's top left corner is on the page."""
        return MARGIN, round(self.canvas_top)

    @property
    def height(self) -> float:
        legend_h = len(self._legend_rows()) * LEGEND_ROW
        footer_h = self.style.footer_fm.height()
        return self.canvas_top + self.canvas.height + GAP + legend_h + 6 + footer_h + MARGIN

    def paint(self, p: QPainter, height: float | None = None) -> None:
        """Paint the page (logical px) onto ``p``; ``height`` places the footer at the bottom
        of a taller page."""
        s = self.style
        width = self.settings.width
        total_h = height or self.height
        p.fillRect(QRectF(0, 0, width, total_h), QColor("#ffffff"))
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        inner = width - 2 * MARGIN
        p.setPen(s.text)
        p.setFont(s.title_font)
        p.drawText(
            QRectF(MARGIN, MARGIN, inner, self._title_h),
            int(Qt.TextFlag.TextWordWrap),
            self.case.title or "Untitled case",
        )
        p.setPen(s.muted)
        p.setFont(s.subtitle_font)
        sub_top = MARGIN + self._title_h + 4
        p.drawText(
            QRectF(MARGIN, sub_top, inner, self._subtitle_h),
            int(Qt.TextFlag.TextWordWrap),
            self.subtitle,
        )
        _, top = self.canvas_origin()
        self.canvas.paint_at(p, MARGIN, top)
        # SVG ignores clipping: blank whatever the canvas drew right of it or below it.
        canvas_h = self.canvas.height
        p.fillRect(QRectF(MARGIN + inner, top - 1, MARGIN, canvas_h + 2), QColor("#fff"))
        p.fillRect(QRectF(0, top + canvas_h, width, st.AXIS_HEIGHT + 2), QColor("#fff"))
        p.setPen(s.rule)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(QRectF(MARGIN - 0.5, top - 0.5, inner + 1, self.canvas.height + 1))
        legend_top = top + self.canvas.height + GAP
        self._paint_legend(p, legend_top)
        self._paint_footer(p, total_h - MARGIN - s.footer_fm.height())

    def _paint_legend(self, p: QPainter, top: float) -> None:
        s = self.style
        for row_no, row in enumerate(self._legend_rows()):
            mid = top + row_no * LEGEND_ROW + LEGEND_ROW / 2
            x = float(MARGIN)
            for entry, width in row:
                self._paint_swatch(p, entry, x, mid)
                p.setFont(s.legend_font)
                p.setPen(s.text)
                baseline = mid + (s.legend_fm.ascent() - s.legend_fm.descent()) / 2
                p.drawText(QPointF(x + entry.width + 8, baseline), entry.text)
                x += width

    def _paint_swatch(self, p: QPainter, entry: LegendEntry, x: float, mid: float) -> None:
        colour = LEGEND_GLYPH_COLOUR
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if entry.kind == "badge":
            self.canvas.paint_badge(p, x, mid, colour, "+N")
        elif entry.kind == "today":
            p.setPen(self.canvas.style.today_pen)
            p.drawLine(QPointF(x + 5, mid - 8), QPointF(x + 5, mid + 8))
        elif entry.kind == "density":
            self.canvas.paint_density_swatch(p, QRectF(x, mid - 8, entry.width, 16), colour)
        elif entry.flags & SPAN:
            self.canvas.paint_glyph(p, entry.flags, x, mid, colour, entry.width)
        elif entry.flags & OPEN_START:
            self.canvas.paint_glyph(p, OPEN_START, x + entry.width - 6, mid, colour)
        else:
            self.canvas.paint_glyph(p, entry.flags, x + entry.width / 2, mid, colour)
        p.restore()

    def _paint_footer(self, p: QPainter, top: float) -> None:
        s = self.style
        exported = self.settings.exported_on or dt.date.today()
        p.setFont(s.footer_font)
        p.setPen(s.muted)
        baseline = top + s.footer_fm.ascent()
        p.drawText(QPointF(MARGIN, baseline), f"Exported {human_day(exported)} from {APP_NAME}")
        if self.footer_right:
            right = self.settings.width - MARGIN
            text_w = s.footer_fm.horizontalAdvance(self.footer_right)
            p.drawText(QPointF(right - text_w, baseline), self.footer_right)


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


def build_pages(case: Case, settings: SnapshotSettings, max_pages: int = 1) -> list[SnapshotPage]:
    """The page (or, up to ``max_pages``, the pages splitting the span by event count) that
    show the most events one by one."""
    style = PageStyle()
    span = resolve_span(case, settings)
    limit = label_limit(settings.width)
    page = SnapshotPage(case, span, settings, describe(case, settings, span), style, limit)
    time_px = settings.width - 2 * MARGIN - st.HEADER_WIDTH
    hopeless = len(case.events) > max_pages * time_px * DENSE_PER_PX
    if max_pages <= 1 or page.canvas.hidden_count() == 0 or hopeless:
        return [page]
    best, best_hidden = [page], page.canvas.hidden_count()
    for count in range(2, max_pages + 1):
        pages = _split_pages(case, settings, span, count, style, limit)
        hidden = sum(p.canvas.hidden_count() for p in pages)
        if hidden < best_hidden:
            best, best_hidden = pages, hidden
        if hidden == 0:
            break
    for number, each in enumerate(best, 1):
        each.footer_right = f"Page {number} of {len(best)}" if len(best) > 1 else ""
    return best


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
        write_pdf(build_pages(case, settings, MAX_PDF_PAGES), path)
    else:
        raise ValueError(f"not an image format: {fmt!r} (expected png, svg or pdf)")
    return []
