"""Cases shared by the canvas tests."""

from __future__ import annotations

from timeline_app.core.dates import When
from timeline_app.core.model import Case, Event, Lane
from timeline_app.ui.timeline_canvas import TimelineCanvas


def crowded_canvas(qtbot, colour: str = "#4c72b0") -> tuple[TimelineCanvas, list[Event]]:
    """A 900x300 canvas on one lane of 60 events in June 2017 and one in 2019: a crowd
    where some events are only counted in "+N" badges."""
    lanes = [Lane("a", "Alpha", colour)]
    events = [
        Event(f"c{i}", f"Crowded event {i}", When.parse(f"2017-06-{1 + i % 28:02d}"), "a")
        for i in range(60)
    ] + [Event("far", "Far away", When.parse("2019-01-01"), "a")]
    canvas = TimelineCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(900, 300)
    canvas.set_case(Case(lanes=lanes, events=events))
    return canvas, events
