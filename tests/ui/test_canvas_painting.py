"""What the canvas painter draws, checked on its own: open-end tails and labels, density
captions, fills kept inside the picture (vector output ignores clipping), badges holding
search hits."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter, QPolygonF

from tests.ui.canvas_cases import crowded_canvas
from timeline_app.core.dates import When, day_number
from timeline_app.core.layout import Viewport, ticks
from timeline_app.core.model import Case, Event, Lane
from timeline_app.ui import canvas_style as st
from timeline_app.ui.canvas_data import CanvasData
from timeline_app.ui.canvas_painter import Frame
from timeline_app.ui.canvas_scene import TAIL_PX, SceneBuilder
from timeline_app.ui.export_canvas import SnapshotCanvas
from timeline_app.ui.export_image import SnapshotSettings, build_pages, svg_bytes


def dense_case(count: int = 3000) -> Case:
    lanes = [Lane("a", "Alpha", "#4c72b0"), Lane("b", "Beta", "#dd8452")]
    events = [
        Event(f"d{i}", f"Dense {i}", When.parse(f"2010-{1 + i % 12:02d}-{1 + i % 28:02d}"), "a")
        for i in range(count)
    ] + [Event("lone", "A lone event", When.parse("2010-06-01"), "b")]
    return Case(title="Dense", lanes=lanes, events=events)


def test_an_open_end_label_starts_after_its_fading_tail():
    events = [
        Event("open", "Open ended", When.parse("2017-06-01/.."), "a"),
        Event("span", "Short span, open", When.parse("2017-06-01/.."), "a"),
    ]
    case = Case(lanes=[Lane("a", "A", "#4c72b0")], events=events)
    builder = SceneBuilder(CanvasData(case), lambda text: 7.0 * len(text))
    viewport = Viewport(day_number(2017, 5, 1), 0.5, 800)
    items = builder.build(viewport, 400)[0].items
    assert items
    for item in items:
        label_x = builder.label_x(item)
        assert label_x >= item.x1 + TAIL_PX  # the tail ends before the label
        assert builder.item_box(item)[1] >= label_x + builder.text_width(item.key)


def test_the_density_caption_is_settable(qapp):
    page = build_pages(dense_case(), SnapshotSettings())[0]
    assert page.canvas.has_density()
    svg = svg_bytes(page).decode("utf-8")
    assert "zoom in for labels" not in svg  # a picture cannot be zoomed
    page.canvas.painter.density_caption = "{count} dots in this strip"
    assert "3,000 dots in this strip" in svg_bytes(page).decode("utf-8")
    page.canvas.painter.density_caption = None
    assert "in this strip" not in svg_bytes(page).decode("utf-8")


class RecordingPainter(QPainter):
    """Notes the rectangles filled and polygons drawn (the canvas painter's calls)."""

    def __init__(self, device: QImage) -> None:
        super().__init__(device)
        self.areas: list[QRectF] = []

    def fillRect(self, rect, fill) -> None:  # noqa: N802 (Qt name)
        self.areas.append(QRectF(rect))
        super().fillRect(rect, fill)

    def drawPolygon(self, polygon, *args) -> None:  # noqa: N802 (Qt name)
        if isinstance(polygon, QPolygonF):
            self.areas.append(polygon.boundingRect())
        super().drawPolygon(polygon, *args)


def test_fills_stay_inside_the_frame_even_when_lanes_are_scrolled(qapp):
    canvas = SnapshotCanvas(dense_case(), 900, 400)
    canvas.show_span(day_number(2010, 1, 1), day_number(2011, 1, 1))
    full = canvas.frame()
    height = full.height - 30  # the last lane runs past the bottom
    frame = Frame(full.width, height, full.viewport, full.scene, scroll_y=20.0)
    image = QImage(round(full.width), round(height), QImage.Format.Format_ARGB32)
    p = RecordingPainter(image)
    canvas.painter.paint(p, frame, ticks(frame.viewport))
    p.end()
    bounds = QRectF(0, 0, frame.width, frame.height)
    outside = [r for r in p.areas if not bounds.contains(r)]
    assert not outside
    assert any(r.left() >= st.HEADER_WIDTH and r.height() > 10 for r in p.areas[1:])


def _accent_pixels(image: QImage) -> int:
    accent = st.SELECTION
    return sum(
        1
        for x in range(0, image.width(), 2)
        for y in range(int(st.AXIS_HEIGHT), image.height(), 2)
        if _near(image.pixelColor(x, y), accent)
    )


def _near(colour, accent) -> bool:
    return (
        abs(colour.red() - accent.red()) < 40
        and abs(colour.green() - accent.green()) < 40
        and abs(colour.blue() - accent.blue()) < 40
    )


def test_a_badge_holding_search_hits_shows_how_many(qtbot):
    canvas, events = crowded_canvas(qtbot, "#55a868")
    hidden = [ev.id for ev in events if canvas.rect_of(ev.id) is None]
    assert len(hidden) > 3
    before = _accent_pixels(canvas.grab().toImage())
    canvas.set_emphasis(set(hidden[:3]))
    assert _accent_pixels(canvas.grab().toImage()) > before + 20  # accent rings
    canvas.set_emphasis({"far"})  # a hit that is drawn: no badge holds it
    assert _accent_pixels(canvas.grab().toImage()) <= before + 5
