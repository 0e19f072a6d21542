"""The standalone HTML export: the snapshot's SVG (from `export_image`) inline, with a clickable
rectangle (``data-id``) over each event drawn, in the page `core.formats.html_page` builds."""

from __future__ import annotations

import dataclasses
import re
from html import escape
from pathlib import Path
from typing import Any

from timeline_app.core.formats.html_page import html_page
from timeline_app.core.model import Case
from timeline_app.ui.export_image import (
    SnapshotPage,
    SnapshotSettings,
    build_pages,
    ensure_app,
    svg_bytes,
)

HTML_WIDTH = 1152  # the page's content width: the timeline is shown at its own size
_XML_PROLOGUE = re.compile(r"^\s*<\?xml[^>]*\?>\s*")
_SVG_SIZE = re.compile(r'<svg\s+width="[^"]*"\s+height="[^"]*"')
_NAMESPACES = re.compile(r'\s+xmlns(?::xlink)?="[^"]*"')


def inline_svg(page: SnapshotPage) -> str:
    """The page's SVG for inlining in HTML: no XML prologue or namespace declarations (HTML
    knows SVG; fewer URLs in the file), sized by its viewBox, and a layer of transparent
    rectangles, one per drawn event, carrying its ``data-id`` and its title as a tooltip."""
    markup = svg_bytes(page).decode("utf-8")
    markup = _XML_PROLOGUE.sub("", markup)
    width, height = page.settings.width, round(page.height)
    markup = _SVG_SIZE.sub(f'<svg width="{width}" height="{height}" role="img"', markup, count=1)
    markup = _NAMESPACES.sub("", markup)
    hits = hit_layer(page)
    closing = markup.rfind("</svg>")
    return markup[:closing] + hits + markup[closing:]


def hit_layer(page: SnapshotPage) -> str:
    x0, y0 = page.canvas_origin()
    titles = {ev.id: ev for ev in page.case.events}
    rects = []
    for event_id, rect in page.canvas.hit_rects():
        event = titles.get(event_id)
        tip = f"{event.title} · {event.when.human()}" if event else event_id
        rects.append(
            f'<rect class="hit" data-id="{escape(event_id)}" x="{x0 + rect.x():.1f}" '
            f'y="{y0 + rect.y():.1f}" width="{rect.width():.1f}" height="{rect.height():.1f}">'
            f"<title>{escape(tip)}</title></rect>"
        )
    return f'<g class="hits">{"".join(rects)}</g>\n'


def export_html(case: Case, out: str | Path, options: Any) -> list[str]:
    """Write the standalone page for ``case`` (already narrowed) to ``out``."""
    ensure_app()
    settings = SnapshotSettings.from_options(options)
    width = settings.width if getattr(options, "width", None) else HTML_WIDTH
    page = build_pages(case, dataclasses.replace(settings, width=width, heading=False))[0]
    text = html_page(case, inline_svg(page), page.subtitle, settings.exported_on)
    Path(out).write_text(text, encoding="utf-8")
    return []
