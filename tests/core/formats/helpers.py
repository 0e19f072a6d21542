"""Cases built in code for the format tests."""

from __future__ import annotations

from pathlib import Path

from timeline_app.core.dates import When
from timeline_app.core.model import Case, Event, Lane

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "formats"


def make_case(*events: tuple[str, str, str | None], title: str = "Test case") -> Case:
    """A case of (id, when, lane id) events; lanes a and b exist."""
    lanes = [Lane("a", "Lane A", "#112233"), Lane("b", "Lane B", "#445566")]
    return Case(
        title=title,
        lanes=lanes,
        events=[Event(eid, f"Event {eid}", When.parse(when), lane) for eid, when, lane in events],
    )
