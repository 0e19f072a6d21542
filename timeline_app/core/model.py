"""The case model: Case, Lane, Document, Event, SourceRef, Citation.

Plain dataclasses, no Qt. Every object keeps the JSON fields it does not know in
``extra`` so that a save writes them back unchanged.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from timeline_app.core.dates import When


@dataclass
class Citation:
    """A document that is not shipped with the case: where to find it."""

    publisher: str = ""
    title: str = ""
    date: str = ""  # EDTF, or empty
    url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def label(self) -> str:
        """One line for display: publisher, title, date."""
        parts = [p for p in (self.publisher, self.title, self.date) if p]
        return ", ".join(parts) if parts else self.url


@dataclass
class SourceRef:
    """Where an event is said: a passage of a shipped document, or a citation.

    A passage is a W3C Web Annotation style selector: the exact ``quote``
    (TextQuoteSelector, with optional ``prefix``/``suffix``) and its character
    offsets ``start``/``end`` into the document text (TextPositionSelector,
    Python str offsets, end exclusive).
    """

    document: str | None = None
    quote: str = ""
    start: int | None = None
    end: int | None = None
    prefix: str = ""
    suffix: str = ""
    citation: Citation | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_passage(self) -> bool:
        return self.document is not None and bool(self.quote)


@dataclass
class Lane:
    """A horizontal band of the timeline: an actor or a theme."""

    id: str
    name: str
    colour: str = "#5b7db1"
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Document:
    """A source document. ``text`` is loaded from ``path`` (not stored in case.json)."""

    id: str
    title: str = ""
    date: str = ""  # EDTF, or empty when unknown
    kind: str = ""
    author: str = ""
    citation: Citation | None = None
    path: str | None = None  # relative to the case folder, POSIX separators
    text: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Event:
    """Something that happened, when, and where the sources say so."""

    id: str
    title: str
    when: When
    lane: str | None = None
    summary: str = ""
    tags: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def sort_key(self) -> tuple[float, bool, float, str]:
        """Time order: by start; "on or before X" comes before a plain X; then end, then id."""
        when = self.when
        return (when.sort_start, not when.open_start, when.sort_end, self.id)


@dataclass
class Case:
    """A case: lanes, documents and events, read from a folder holding case.json."""

    title: str = "Untitled case"
    description: str = ""
    lanes: list[Lane] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    folder: Path | None = None

    def lane_by_id(self, lane_id: str | None) -> Lane | None:
        return next((lane for lane in self.lanes if lane.id == lane_id), None)

    def document_by_id(self, doc_id: str | None) -> Document | None:
        return next((doc for doc in self.documents if doc.id == doc_id), None)

    def event_by_id(self, event_id: str) -> Event | None:
        return next((ev for ev in self.events if ev.id == event_id), None)

    def events_in_time_order(self) -> list[Event]:
        """Events sorted by their start, then end, then id (a stable total order)."""
        return sorted(self.events, key=Event.sort_key)

    def events_between(self, first_day: float, last_day: float) -> list[Event]:
        """Events whose drawn extent overlaps [first_day, last_day), in time order."""
        ordered = self.events_in_time_order()
        starts = [ev.when.sort_start for ev in ordered]
        stop = bisect.bisect_left(starts, last_day)
        return [ev for ev in ordered[:stop] if ev.when.sort_end > first_day]


# Distinct, readable lane colours (the default case's first), offered in order to new lanes.
LANE_PALETTE = (
    "#4c72b0",
    "#dd8452",
    "#55a868",
    "#c44e52",
    "#8172b3",
    "#937860",
    "#da8bc3",
    "#8c8c3c",
    "#ccb974",
    "#64b5cd",
)


def next_lane_colour(case: Case) -> str:
    """The first palette colour no lane uses yet (cycling when all are taken)."""
    used = {lane.colour.lower() for lane in case.lanes}
    free = [c for c in LANE_PALETTE if c not in used]
    return free[0] if free else LANE_PALETTE[len(case.lanes) % len(LANE_PALETTE)]


def unique_id(base: str, taken: Iterable[str]) -> str:
    """``base`` or ``base-2``, ``base-3``... whichever is not yet taken."""
    used = set(taken)
    if base not in used:
        return base
    n = 2
    while f"{base}-{n}" in used:
        n += 1
    return f"{base}-{n}"


def lanes_in_use(case: Case) -> Sequence[Lane]:
    """The lanes at least one event is in, in the case's lane order."""
    used = {ev.lane for ev in case.events}
    return [lane for lane in case.lanes if lane.id in used]
