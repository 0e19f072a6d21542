"""One snapshot page, measured and painted on any QPainter: the case title, a subtitle saying
what is shown, the lanes and axis as the canvas draws them (`SnapshotCanvas`), a legend of the
canvas's markers and the export date. `SnapshotSettings` holds the choices it is drawn with.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter

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
from timeline_app.ui.export_canvas import SnapshotCanvas, print_font

DEFAULT_WIDTH = 1600
DEFAULT_SCALE = 2.0
MIN_WIDTH, MAX_WIDTH = 480, 20000
MAX_IMAGE_PX = 32000  # per side of a PNG
MARGIN = 32
GAP = 14
LEGEND_ROW = 22.0
LEGEND_GLYPH_COLOUR = OTHER_LANE_COLOUR
APP_NAME = "timeline-app"


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
    heading: bool = True  # the title and subtitle above the timeline (a web page has its own)

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
        settings.check(png=getattr(options, "format", "png") == "png")
        return settings

    def check(self, png: bool = True) -> None:
        """ValueError naming the option when the size cannot be drawn (the scale matters for
        PNG only)."""
        if not MIN_WIDTH <= self.width <= MAX_WIDTH:
            raise ValueError(f"--width {self.width}: expected {MIN_WIDTH} to {MAX_WIDTH} pixels")
        if not 0.1 <= self.scale <= 10:
            raise ValueError(f"--scale {self.scale:g}: expected 0.1 to 10")
        if png and self.width * self.scale > MAX_IMAGE_PX:
            raise ValueError(
                f"--width {self.width} at --scale {self.scale:g} makes an image "
                f"{self.width * self.scale:.0f} px wide (at most {MAX_IMAGE_PX})"
            )


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
    """One item of the legend: a swatch drawn as the canvas draws it, and its text."""

    kind: str  # "glyph", "badge", "density" or "today"
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
        self.span = span
        self.settings = settings
        self.label_limit = label_limit
        self.style = style
        self.subtitle = subtitle
        inner = settings.width - 2 * MARGIN
        self.canvas = SnapshotCanvas(case, inner, label_limit)
        self.canvas.show_span(*span)
        self.footer_right = ""
        self._legend = self._legend_entries()
        self._title_h = self._subtitle_h = 0.0
        self.canvas_top = float(MARGIN)
        if settings.heading:
            self._title_h = self._text_height(case.title or "Untitled case", style.title_fm)
            self._subtitle_h = self._text_height(subtitle, style.subtitle_fm)
            self.canvas_top += self._title_h + 4 + self._subtitle_h + GAP

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
        if self.settings.heading:
            self._paint_heading(p, inner)
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

    def _paint_heading(self, p: QPainter, inner: float) -> None:
        s = self.style
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
