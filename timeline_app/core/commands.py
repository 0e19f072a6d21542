"""Edits of a case as command objects with do/undo, and the undo history.

Every change to a case (from the window or from ``timeline-app apply``) is a command:
``command.do(case)`` checks everything first and raises :class:`EditError` (naming the field)
without touching the case, then makes the change; ``command.undo(case)`` puts the case back
exactly as it was. ``command.text`` names the action for the Edit menu
("Add event “Rally at City Hall”").

:class:`History` is a pure-Python QUndoStack: ``push`` runs a command and records it,
``undo``/``redo`` walk the record, a clean index tracks unsaved changes, and listeners are
called after every change.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from timeline_app.core.casefile import locate_quote
from timeline_app.core.dates import DateError, When
from timeline_app.core.model import (
    Case,
    Citation,
    Document,
    Event,
    Lane,
    SourceRef,
    unique_id,
)

EVENT_FIELDS = ("title", "when", "lane", "summary", "tags", "actors", "sources")
_COLOUR_RE = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


class EditError(ValueError):
    """An edit that cannot be made. ``field`` names what is wrong ("when", "sources[0].quote")."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class Command:
    """One undoable change. Subclasses implement ``_check`` (raise EditError), ``_do``, ``undo``."""

    text: str = "Edit"

    def do(self, case: Case) -> None:
        """Check the change against ``case`` (raising EditError, case untouched), then make it."""
        self._check(case)
        self._do(case)

    def undo(self, case: Case) -> None:
        raise NotImplementedError

    def _check(self, case: Case) -> None:
        raise NotImplementedError

    def _do(self, case: Case) -> None:
        raise NotImplementedError


# --- checks shared by the commands ------------------------------------------------------------


def _quoted(text: str) -> str:
    short = text if len(text) <= 60 else text[:57] + "…"
    return f"“{short}”"


def check_id(value: Any, field: str = "id") -> str:
    """An id: non-empty text without surrounding spaces."""
    if not isinstance(value, str) or not value.strip():
        raise EditError(field, f"expected a non-empty id, got {value!r}")
    if value != value.strip():
        raise EditError(field, f"{value!r} has spaces at its ends")
    return value


def check_text(value: Any, field: str, *, required: bool = False) -> str:
    if not isinstance(value, str):
        raise EditError(field, f"expected text, got {value!r}")
    if required and not value.strip():
        raise EditError(field, "must not be empty")
    return value


def check_when(value: Any, field: str = "when") -> When:
    """A When, or EDTF text parsed into one."""
    if isinstance(value, When):
        return value
    try:
        return When.parse(value)
    except DateError as err:
        raise EditError(field, str(err)) from None


def check_lane_ref(case: Case, value: Any, field: str = "lane") -> str | None:
    """None (no lane) or the id of a lane of the case."""
    if value is None:
        return None
    if not isinstance(value, str) or case.lane_by_id(value) is None:
        known = ", ".join(lane.id for lane in case.lanes) or "none"
        raise EditError(field, f"no lane with id {value!r} (lanes: {known})")
    return value


def check_strings(value: Any, field: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise EditError(field, f"expected a list of text, got {value!r}")
    return list(value)


def check_colour(value: Any, field: str = "colour") -> str:
    if not isinstance(value, str) or not _COLOUR_RE.fullmatch(value):
        raise EditError(field, f"expected a colour like #4c72b0, got {value!r}")
    return value


def check_source(case: Case, source: Any, field: str = "source") -> SourceRef:
    """A copy of ``source`` that is valid in ``case``; a quote without offsets gets them."""
    if not isinstance(source, SourceRef):
        raise EditError(field, f"expected a source, got {source!r}")
    if source.document is None:
        if source.citation is None:
            raise EditError(field, "a source needs a document and quote, or a citation")
        _check_citation(source.citation, f"{field}.citation")
        return copy.deepcopy(source)
    document = case.document_by_id(source.document)
    if document is None:
        known = ", ".join(doc.id for doc in case.documents) or "none"
        raise EditError(
            f"{field}.document", f"no document {source.document!r} (documents: {known})"
        )
    if not source.quote:
        raise EditError(f"{field}.quote", "a passage source needs the quoted text")
    if not document.text:
        raise EditError(f"{field}.document", f"document {document.id!r} has no text to quote")
    return replace(copy.deepcopy(source), **_offsets(document.text, source, field))


def _offsets(text: str, source: SourceRef, field: str) -> dict[str, int]:
    if source.start is not None or source.end is not None:
        start, end = source.start, source.end
        if not isinstance(start, int) or not isinstance(end, int):
            raise EditError(f"{field}.start", "give both start and end, or neither")
        if text[start:end] != source.quote or start < 0:
            raise EditError(
                f"{field}.start",
                f"the text at {start}-{end} is not the quote; leave start/end out to find it",
            )
        return {"start": start, "end": end}
    found = locate_quote(text, source.quote, None, source.prefix, source.suffix)
    if found is None:
        raise EditError(
            f"{field}.quote", f"{_quoted(source.quote)} is not in document {source.document!r}"
        )
    return {"start": found[0], "end": found[1]}


def _check_citation(citation: Any, field: str) -> None:
    if not isinstance(citation, Citation):
        raise EditError(field, f"expected a citation, got {citation!r}")
    if not (citation.publisher or citation.title or citation.url):
        raise EditError(field, "a citation needs at least a publisher, a title or a URL")
    if citation.date:
        check_when(citation.date, f"{field}.date")


def check_event_field(case: Case, name: str, value: Any) -> Any:
    """The checked value of one event field (``when`` text becomes a When)."""
    if name == "title":
        return check_text(value, name, required=True)
    if name == "when":
        return check_when(value, name)
    if name == "lane":
        return check_lane_ref(case, value, name)
    if name == "summary":
        return check_text(value, name)
    if name in ("tags", "actors"):
        return check_strings(value, name)
    if name == "sources":
        if not isinstance(value, list):
            raise EditError(name, f"expected a list of sources, got {value!r}")
        return [check_source(case, src, f"sources[{i}]") for i, src in enumerate(value)]
    raise EditError(name, f"unknown event field (fields: {', '.join(EVENT_FIELDS)})")


def _event_or_error(case: Case, event_id: str, field: str = "id") -> tuple[int, Event]:
    for index, event in enumerate(case.events):
        if event.id == event_id:
            return index, event
    raise EditError(field, f"no event with id {event_id!r}")


def _lane_or_error(case: Case, lane_id: str, field: str = "id") -> tuple[int, Lane]:
    for index, lane in enumerate(case.lanes):
        if lane.id == lane_id:
            return index, lane
    raise EditError(field, f"no lane with id {lane_id!r}")


def _check_index(index: Any, size: int, field: str = "index") -> int:
    """An insertion index 0..size (None means the end)."""
    if index is None:
        return size
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index <= size:
        raise EditError(field, f"expected a position from 0 to {size}, got {index!r}")
    return index


def passage_source(document: Document, start: int, end: int, context: int = 32) -> SourceRef:
    """A source quoting ``document.text[start:end]`` (a selection), with prefix/suffix context."""
    if not 0 <= start < end <= len(document.text):
        raise EditError("quote", f"the selection {start}-{end} is not a passage of the text")
    text = document.text
    return SourceRef(
        document=document.id,
        quote=text[start:end],
        start=start,
        end=end,
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
    )


def suggest_event_id(case: Case, title: str) -> str:
    """A new event id made from a title: lower-case words joined by '-', unique in the case."""
    words = re.findall(r"[a-z0-9]+", title.lower())
    base = "-".join(words)[:40].strip("-") or "event"
    return unique_id(base, (ev.id for ev in case.events))


# --- events -------------------------------------------------------------------------------------


class AddEvent(Command):
    """Add ``event`` at ``index`` of the event list (default: the end)."""

    def __init__(self, event: Event, index: int | None = None) -> None:
        self.event = event
        self.index = index
        self.text = f"Add event {_quoted(event.title)}"
        self._added: Event | None = None
        self._at = 0

    def _check(self, case: Case) -> None:
        ev = self.event
        check_id(ev.id)
        if case.event_by_id(ev.id) is not None:
            raise EditError("id", f"an event with id {ev.id!r} already exists")
        values = {name: check_event_field(case, name, getattr(ev, name)) for name in EVENT_FIELDS}
        self._at = _check_index(self.index, len(case.events))
        self._added = replace(ev, **values)

    def _do(self, case: Case) -> None:
        assert self._added is not None
        case.events.insert(self._at, self._added)

    def undo(self, case: Case) -> None:
        del case.events[self._at]


class UpdateEvent(Command):
    """Set some fields of an event (``{"when": "2017-06~", "lane": "city"}``); undo restores."""

    def __init__(self, event_id: str, fields: Mapping[str, Any]) -> None:
        self.event_id = event_id
        self.fields = dict(fields)
        self.text = f"Edit event {event_id}"
        self._old: dict[str, Any] = {}
        self._new: dict[str, Any] = {}
        self._event: Event | None = None

    def _check(self, case: Case) -> None:
        _, event = _event_or_error(case, self.event_id)
        if not self.fields:
            raise EditError("fields", "nothing to change")
        self._new = {name: check_event_field(case, name, v) for name, v in self.fields.items()}
        self._event = event
        self.text = _update_text(event.title, list(self._new))

    def _do(self, case: Case) -> None:
        assert self._event is not None
        self._old = {name: getattr(self._event, name) for name in self._new}
        for name, value in self._new.items():
            setattr(self._event, name, value)

    def undo(self, case: Case) -> None:
        assert self._event is not None
        for name, value in self._old.items():
            setattr(self._event, name, value)


_FIELD_LABELS = {"when": "date", "sources": "sources", "lane": "lane", "title": "title"}


def _update_text(title: str, names: list[str]) -> str:
    if len(names) == 1:
        return f"Change {_FIELD_LABELS.get(names[0], names[0])} of {_quoted(title)}"
    return f"Edit event {_quoted(title)}"


class DeleteEvent(Command):
    """Remove an event; undo puts it back at the same place in the list."""

    def __init__(self, event_id: str) -> None:
        self.event_id = event_id
        self.text = f"Delete event {event_id}"
        self._index = 0
        self._event: Event | None = None

    def _check(self, case: Case) -> None:
        self._index, self._event = _event_or_error(case, self.event_id)
        self.text = f"Delete event {_quoted(self._event.title)}"

    def _do(self, case: Case) -> None:
        del case.events[self._index]

    def undo(self, case: Case) -> None:
        assert self._event is not None
        case.events.insert(self._index, self._event)


class DuplicateEvent(Command):
    """Copy an event (title + " (copy)") right after it; ``new_id`` defaults to ``ID-copy``."""

    def __init__(self, event_id: str, new_id: str | None = None) -> None:
        self.event_id = event_id
        self.new_id = new_id
        self.text = f"Duplicate event {event_id}"
        self._index = 0
        self._copy: Event | None = None

    def _check(self, case: Case) -> None:
        index, event = _event_or_error(case, self.event_id)
        taken = [ev.id for ev in case.events]
        new_id = self.new_id or unique_id(f"{event.id}-copy", taken)
        check_id(new_id, "new_id")
        if new_id in taken:
            raise EditError("new_id", f"an event with id {new_id!r} already exists")
        self.new_id = new_id
        self._copy = replace(copy.deepcopy(event), id=new_id, title=f"{event.title} (copy)")
        self._index = index + 1
        self.text = f"Duplicate event {_quoted(event.title)}"

    def _do(self, case: Case) -> None:
        assert self._copy is not None
        case.events.insert(self._index, self._copy)

    def undo(self, case: Case) -> None:
        del case.events[self._index]


# --- lanes --------------------------------------------------------------------------------------


class AddLane(Command):
    """Add ``lane`` at ``index`` of the lane list (default: the bottom)."""

    def __init__(self, lane: Lane, index: int | None = None) -> None:
        self.lane = lane
        self.index = index
        self.text = f"Add lane {_quoted(lane.name)}"
        self._at = 0

    def _check(self, case: Case) -> None:
        check_id(self.lane.id)
        if case.lane_by_id(self.lane.id) is not None:
            raise EditError("id", f"a lane with id {self.lane.id!r} already exists")
        check_text(self.lane.name, "name", required=True)
        check_colour(self.lane.colour)
        self._at = _check_index(self.index, len(case.lanes))

    def _do(self, case: Case) -> None:
        case.lanes.insert(self._at, self.lane)

    def undo(self, case: Case) -> None:
        del case.lanes[self._at]


class UpdateLane(Command):
    """Rename and/or recolour a lane."""

    def __init__(self, lane_id: str, name: str | None = None, colour: str | None = None) -> None:
        self.lane_id = lane_id
        self.name = name
        self.colour = colour
        self.text = f"Edit lane {lane_id}"
        self._lane: Lane | None = None
        self._old: tuple[str, str] = ("", "")

    def _check(self, case: Case) -> None:
        _, lane = _lane_or_error(case, self.lane_id)
        if self.name is None and self.colour is None:
            raise EditError("name", "give a new name or colour")
        if self.name is not None:
            check_text(self.name, "name", required=True)
        if self.colour is not None:
            check_colour(self.colour)
        self._lane = lane
        verb = "Rename" if self.colour is None else "Recolour" if self.name is None else "Edit"
        self.text = f"{verb} lane {_quoted(lane.name)}"

    def _do(self, case: Case) -> None:
        assert self._lane is not None
        self._old = (self._lane.name, self._lane.colour)
        self._lane.name = self._lane.name if self.name is None else self.name
        self._lane.colour = self._lane.colour if self.colour is None else self.colour

    def undo(self, case: Case) -> None:
        assert self._lane is not None
        self._lane.name, self._lane.colour = self._old


class MoveLane(Command):
    """Move a lane to position ``index`` (0 = top) in the lane order."""

    def __init__(self, lane_id: str, index: int) -> None:
        self.lane_id = lane_id
        self.index = index
        self.text = f"Move lane {lane_id}"
        self._old_index = 0

    def _check(self, case: Case) -> None:
        self._old_index, lane = _lane_or_error(case, self.lane_id)
        _check_index(self.index, len(case.lanes) - 1)
        self.text = f"Move lane {_quoted(lane.name)}"

    def _do(self, case: Case) -> None:
        lane = case.lanes.pop(self._old_index)
        case.lanes.insert(self.index, lane)

    def undo(self, case: Case) -> None:
        lane = case.lanes.pop(self.index)
        case.lanes.insert(self._old_index, lane)


class DeleteLane(Command):
    """Remove a lane; its events move to lane ``move_to`` (required when it has events)."""

    def __init__(self, lane_id: str, move_to: str | None = None) -> None:
        self.lane_id = lane_id
        self.move_to = move_to
        self.text = f"Delete lane {lane_id}"
        self._index = 0
        self._lane: Lane | None = None
        self._moved: list[Event] = []

    def _check(self, case: Case) -> None:
        self._index, self._lane = _lane_or_error(case, self.lane_id)
        self._moved = [ev for ev in case.events if ev.lane == self.lane_id]
        if self.move_to is not None or self._moved:
            if self.move_to is None:
                raise EditError(
                    "move_to",
                    f"lane {self.lane_id!r} has {len(self._moved)} events: "
                    "say which lane they move to",
                )
            if self.move_to == self.lane_id:
                raise EditError("move_to", "events cannot move to the lane being deleted")
            check_lane_ref(case, self.move_to, "move_to")
        self.text = f"Delete lane {_quoted(self._lane.name)}"

    def _do(self, case: Case) -> None:
        for event in self._moved:
            event.lane = self.move_to
        del case.lanes[self._index]

    def undo(self, case: Case) -> None:
        assert self._lane is not None
        case.lanes.insert(self._index, self._lane)
        for event in self._moved:
            event.lane = self.lane_id


# --- sources ------------------------------------------------------------------------------------


class AddSource(Command):
    """Attach a source (a quoted passage or a citation) to an event."""

    def __init__(self, event_id: str, source: SourceRef, index: int | None = None) -> None:
        self.event_id = event_id
        self.source = source
        self.index = index
        self.text = f"Add source to {event_id}"
        self._event: Event | None = None
        self._checked: SourceRef | None = None
        self._at = 0

    def _check(self, case: Case) -> None:
        _, event = _event_or_error(case, self.event_id, "event")
        self._checked = check_source(case, self.source)
        self._at = _check_index(self.index, len(event.sources))
        self._event = event
        self.text = f"Add source to {_quoted(event.title)}"

    def _do(self, case: Case) -> None:
        assert self._event is not None and self._checked is not None
        self._event.sources.insert(self._at, self._checked)

    def undo(self, case: Case) -> None:
        assert self._event is not None
        del self._event.sources[self._at]


class RemoveSource(Command):
    """Detach the source at ``index`` from an event."""

    def __init__(self, event_id: str, index: int) -> None:
        self.event_id = event_id
        self.index = index
        self.text = f"Remove source from {event_id}"
        self._event: Event | None = None
        self._removed: SourceRef | None = None

    def _check(self, case: Case) -> None:
        _, event = _event_or_error(case, self.event_id, "event")
        count = len(event.sources)
        if count == 0:
            raise EditError("index", f"event {self.event_id!r} has no sources")
        _check_index(self.index, count - 1)
        self._event = event
        self.text = f"Remove source from {_quoted(event.title)}"

    def _do(self, case: Case) -> None:
        assert self._event is not None
        self._removed = self._event.sources.pop(self.index)

    def undo(self, case: Case) -> None:
        assert self._event is not None and self._removed is not None
        self._event.sources.insert(self.index, self._removed)


# --- compound -----------------------------------------------------------------------------------


class Macro(Command):
    """Several commands as one undo step; if one fails, those already done are undone.

    Without ``text`` the macro is named after its first command.
    """

    def __init__(self, commands: Iterable[Command], text: str | None = None) -> None:
        self.commands = list(commands)
        self._own_text = text
        self.text = text or (self.commands[0].text if self.commands else "Edit")

    def do(self, case: Case) -> None:
        done: list[Command] = []
        try:
            for command in self.commands:
                command.do(case)
                done.append(command)
        except Exception:
            for command in reversed(done):
                command.undo(case)
            raise
        if self._own_text is None and self.commands:
            self.text = self.commands[0].text

    def undo(self, case: Case) -> None:
        for command in reversed(self.commands):
            command.undo(case)


# --- history ------------------------------------------------------------------------------------

Listener = Callable[[], None]


class History:
    """The undo/redo record of one case, like QUndoStack without Qt.

    ``push`` runs a command (a failing command raises EditError and is not recorded) and drops
    what could be redone. ``set_clean`` marks the current state as saved; ``is_clean`` tells
    whether the case is as saved. Listeners are called with no arguments after every change.
    """

    def __init__(self, case: Case, *, limit: int = 0, saved: bool = True) -> None:
        """``saved=False`` for a case that differs from its file (e.g. restored from recovery)."""
        self.case = case
        self.limit = limit  # 0: unlimited
        self._commands: list[Command] = []
        self._index = 0  # commands[:index] are done
        self._clean: int | None = 0 if saved else None
        self._listeners: list[Listener] = []

    # state
    @property
    def index(self) -> int:
        return self._index

    @property
    def commands(self) -> Sequence[Command]:
        return tuple(self._commands)

    def can_undo(self) -> bool:
        return self._index > 0

    def can_redo(self) -> bool:
        return self._index < len(self._commands)

    def undo_text(self) -> str:
        return self._commands[self._index - 1].text if self.can_undo() else ""

    def redo_text(self) -> str:
        return self._commands[self._index].text if self.can_redo() else ""

    @property
    def clean_index(self) -> int | None:
        """The index of the saved state; None once it can no longer be reached."""
        return self._clean

    def is_clean(self) -> bool:
        return self._index == self._clean

    def set_clean(self) -> None:
        """Mark the case as saved in its current state."""
        self._clean = self._index
        self._changed()

    # changes
    def push(self, command: Command) -> None:
        """Do ``command`` and record it (raises EditError, recording nothing, if it is invalid)."""
        command.do(self.case)
        del self._commands[self._index :]
        if self._clean is not None and self._clean > self._index:
            self._clean = None  # the saved state can no longer be reached
        self._commands.append(command)
        self._index += 1
        self._trim()
        self._changed()

    def undo(self) -> None:
        if not self.can_undo():
            return
        self._commands[self._index - 1].undo(self.case)
        self._index -= 1
        self._changed()

    def redo(self) -> None:
        if not self.can_redo():
            return
        self._commands[self._index].do(self.case)
        self._index += 1
        self._changed()

    def clear(self) -> None:
        """Forget all commands; the current state becomes the clean one."""
        self._commands.clear()
        self._index = 0
        self._clean = 0
        self._changed()

    # listeners
    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener()

    def _trim(self) -> None:
        excess = len(self._commands) - self.limit if self.limit > 0 else 0
        if excess > 0:
            del self._commands[:excess]
            self._index -= excess
            if self._clean is not None:
                self._clean = self._clean - excess if self._clean >= excess else None
