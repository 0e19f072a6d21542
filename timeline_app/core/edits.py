"""The JSONL edit format (docs/edits-format.md): one JSON object a line -> commands.

``apply_edits(case, text)`` reads every line, turns each into a command and does it on
``case`` in order, collecting every problem (line number and field) instead of stopping at
the first. The caller writes nothing unless the problem list is empty.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from timeline_app.core.commands import (
    AddEvent,
    AddLane,
    AddSource,
    Command,
    DeleteEvent,
    DeleteLane,
    DuplicateEvent,
    EditError,
    Macro,
    MoveLane,
    RemoveSource,
    UpdateEvent,
    UpdateLane,
    check_id,
    check_when,
)
from timeline_app.core.model import Case, Citation, Event, Lane, SourceRef

DEFAULT_LANE_COLOUR = "#5b7db1"
_EVENT_KEYS = ("title", "when", "lane", "summary", "tags", "actors", "sources")
_SOURCE_KEYS = ("document", "quote", "start", "end", "prefix", "suffix", "citation", "note")
_CITATION_KEYS = ("publisher", "title", "date", "url")


@dataclass(frozen=True)
class EditProblem:
    """Why one line of an edit file cannot be applied."""

    line: int
    field: str
    message: str

    def format(self, file: str) -> str:
        """``FILE:LINE: FIELD: message`` (no field for lines that are not JSON objects)."""
        where = f"{file}:{self.line}: "
        return where + (f"{self.field}: {self.message}" if self.field else self.message)


@dataclass(frozen=True)
class AppliedEdit:
    line: int
    op: str
    command: Command


def edit_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) of each line that holds an edit: not blank, not a # comment."""
    # split on \n only: a JSON string may hold U+2028 and other characters splitlines() splits on
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            yield number, stripped


def apply_edits(case: Case, text: str) -> tuple[list[AppliedEdit], list[EditProblem]]:
    """Do every edit of ``text`` on ``case`` in order; the edits done and every problem.

    A line that fails changes nothing; the lines after it are still tried (against the
    case without it), so that one run lists all the problems.
    """
    applied: list[AppliedEdit] = []
    problems: list[EditProblem] = []
    for number, line in edit_lines(text):
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            problems.append(
                EditProblem(number, "", f"not valid JSON: {err.msg} (column {err.colno})")
            )
            continue
        except RecursionError:
            problems.append(EditProblem(number, "", "not valid JSON: nested too deeply"))
            continue
        try:
            command = command_from_json(obj)
            command.do(case)
        except EditError as err:
            problems.append(EditProblem(number, err.field, err.message))
            continue
        applied.append(AppliedEdit(number, obj["op"], command))
    return applied, problems


def command_from_json(obj: Any) -> Command:
    """The command one edit object stands for; EditError names the field that is wrong."""
    if not isinstance(obj, dict):
        raise EditError("op", f'expected a JSON object with an "op", got {_kind(obj)}')
    op = obj.get("op")
    if not isinstance(op, str) or op not in _BUILDERS:
        raise EditError("op", f"expected one of {', '.join(_BUILDERS)}, got {op!r}")
    allowed, builder = _BUILDERS[op]
    unknown = [key for key in obj if key != "op" and key not in allowed]
    if unknown:
        raise EditError(unknown[0], f"unknown field for {op} (fields: {', '.join(allowed)})")
    return builder(obj)


_JSON_KINDS = {dict: "an object", list: "an array", str: "a string", bool: "true/false"}


def _kind(value: Any) -> str:
    """The JSON name of a value's kind, for messages."""
    if value is None:
        return "null"
    return _JSON_KINDS.get(type(value), "a number")


def _required(obj: dict[str, Any], key: str) -> Any:
    if key not in obj:
        raise EditError(key, f"missing (required for {obj['op']})")
    return obj[key]


def _index(obj: dict[str, Any], key: str = "index", required: bool = False) -> int | None:
    value = _required(obj, key) if required else obj.get(key)
    if value is None:
        return None
    if type(value) is not int:
        raise EditError(key, f"expected a whole number, got {value!r}")
    return value


# --- JSON -> model objects --------------------------------------------------------------------


def source_from_json(value: Any, field: str) -> SourceRef:
    """A SourceRef from its case.json form (offsets may be left out: they are found)."""
    if not isinstance(value, dict):
        raise EditError(field, f"expected a source object, got {_kind(value)}")
    unknown = [key for key in value if key not in _SOURCE_KEYS]
    if unknown:
        raise EditError(
            f"{field}.{unknown[0]}", f"unknown source field ({', '.join(_SOURCE_KEYS)})"
        )
    texts = {key: _text(value, key, field) for key in ("quote", "prefix", "suffix", "note")}
    document = value.get("document")
    if document is not None:
        check_id(document, f"{field}.document")
    source = SourceRef(document=document, **texts)
    source.start = _offset(value, "start", field)
    source.end = _offset(value, "end", field)
    if "citation" in value:
        source.citation = citation_from_json(value["citation"], f"{field}.citation")
    return source


def citation_from_json(value: Any, field: str) -> Citation:
    if not isinstance(value, dict):
        raise EditError(field, f"expected a citation object, got {_kind(value)}")
    unknown = [key for key in value if key not in _CITATION_KEYS]
    if unknown:
        raise EditError(
            f"{field}.{unknown[0]}", f"unknown citation field ({', '.join(_CITATION_KEYS)})"
        )
    citation = Citation(**{key: _text(value, key, field) for key in _CITATION_KEYS})
    if citation.date:
        check_when(citation.date, f"{field}.date")
    return citation


def _text(obj: dict[str, Any], key: str, field: str) -> str:
    value = obj.get(key, "")
    if not isinstance(value, str):
        raise EditError(f"{field}.{key}", f"expected text, got {value!r}")
    return value


def _offset(obj: dict[str, Any], key: str, field: str) -> int | None:
    value = obj.get(key)
    if value is not None and (type(value) is not int or value < 0):
        raise EditError(
            f"{field}.{key}", f"expected a character offset (integer >= 0), got {value!r}"
        )
    return value


def _event_fields(obj: dict[str, Any]) -> dict[str, Any]:
    """The event fields of an edit object; sources become SourceRefs (``when`` stays text)."""
    fields = {key: obj[key] for key in _EVENT_KEYS if key in obj}
    if "sources" in fields:
        if not isinstance(fields["sources"], list):
            raise EditError(
                "sources", f"expected a list of sources, got {_kind(fields['sources'])}"
            )
        fields["sources"] = [
            source_from_json(item, f"sources[{i}]") for i, item in enumerate(fields["sources"])
        ]
    return fields


# --- one builder per op -----------------------------------------------------------------------


def _add_event(obj: dict[str, Any]) -> Command:
    for key in ("id", "title", "when"):
        _required(obj, key)
    fields = _event_fields(obj)
    when = check_when(fields.pop("when"))
    event = Event(id=obj["id"], title=fields.pop("title"), when=when, **fields)
    return AddEvent(event)


def _update_event(obj: dict[str, Any]) -> Command:
    fields = _event_fields(obj)
    if not fields:
        raise EditError("op", f"update_event needs at least one of {', '.join(_EVENT_KEYS)}")
    return UpdateEvent(check_id(_required(obj, "id")), fields)


def _delete_event(obj: dict[str, Any]) -> Command:
    return DeleteEvent(check_id(_required(obj, "id")))


def _duplicate_event(obj: dict[str, Any]) -> Command:
    new_id = obj.get("new_id")
    return DuplicateEvent(check_id(_required(obj, "id")), None if new_id is None else new_id)


def _add_lane(obj: dict[str, Any]) -> Command:
    lane = Lane(
        id=_required(obj, "id"),
        name=_required(obj, "name"),
        colour=obj.get("colour", DEFAULT_LANE_COLOUR),
    )
    return AddLane(lane, _index(obj))


def _update_lane(obj: dict[str, Any]) -> Command:
    lane_id = check_id(_required(obj, "id"))
    index = _index(obj)
    commands: list[Command] = []
    if "name" in obj or "colour" in obj:
        commands.append(UpdateLane(lane_id, obj.get("name"), obj.get("colour")))
    if index is not None:
        commands.append(MoveLane(lane_id, index))
    if not commands:
        raise EditError("op", "update_lane needs name, colour or index")
    return commands[0] if len(commands) == 1 else Macro(commands)


def _delete_lane(obj: dict[str, Any]) -> Command:
    return DeleteLane(check_id(_required(obj, "id")), obj.get("move_to"))


def _add_source(obj: dict[str, Any]) -> Command:
    event_id = check_id(_required(obj, "event"), "event")
    return AddSource(event_id, source_from_json(_required(obj, "source"), "source"), _index(obj))


def _remove_source(obj: dict[str, Any]) -> Command:
    event_id = check_id(_required(obj, "event"), "event")
    index = _index(obj, required=True)
    assert index is not None
    return RemoveSource(event_id, index)


_Builder = Callable[[dict[str, Any]], Command]
_BUILDERS: dict[str, tuple[tuple[str, ...], _Builder]] = {
    "add_event": (("id", *_EVENT_KEYS), _add_event),
    "update_event": (("id", *_EVENT_KEYS), _update_event),
    "delete_event": (("id",), _delete_event),
    "duplicate_event": (("id", "new_id"), _duplicate_event),
    "add_lane": (("id", "name", "colour", "index"), _add_lane),
    "update_lane": (("id", "name", "colour", "index"), _update_lane),
    "delete_lane": (("id", "move_to"), _delete_lane),
    "add_source": (("event", "source", "index"), _add_source),
    "remove_source": (("event", "index"), _remove_source),
}
OPS = tuple(_BUILDERS)
