"""Read, validate and write a case: a folder holding ``case.json`` and ``documents/``.

``load_case`` opens what is valid and lists every problem, each with file, line,
column, JSON path and what was expected; it never writes to disk. Entries that
cannot be used (an event without a valid ``when``, a lane without an id, ...) and
invalid field values are kept aside and written back in place by ``save_case``,
so opening and saving a case with problems loses nothing. ``save_case`` writes
atomically. docs/case-format.md is the specification.
"""

from __future__ import annotations

import contextlib
import enum
import gc
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from timeline_app.core.dates import DateError, When
from timeline_app.core.jsonpos import JsonPath, JsonPositions, format_path
from timeline_app.core.model import Case, Citation, Document, Event, Lane, SourceRef

FORMAT = "timeline-app-case"
VERSION = 1
CASE_FILE = "case.json"
DOCUMENTS_DIR = "documents"
DEFAULT_COLOUR = "#5b7db1"

_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_CASE_KEYS = ("format", "version", "title", "description", "lanes", "documents", "events")
_LANE_KEYS = frozenset({"id", "name", "colour"})
_DOCUMENT_KEYS = frozenset({"id", "title", "date", "kind", "author", "citation", "path"})
_CITATION_KEYS = frozenset({"publisher", "title", "date", "url"})
_EVENT_KEYS = frozenset({"id", "title", "when", "lane", "summary", "tags", "actors", "sources"})
_SOURCE_KEYS = frozenset(
    {"document", "quote", "start", "end", "prefix", "suffix", "citation", "note"}
)
# The key in Case.extra under which invalid JSON is kept for save_case (never written as such).
PRESERVED_KEY = "\x00timeline-app:preserved"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a case, where it is and what was expected."""

    file: str
    line: int
    col: int
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.path}: {self.message}"


class CaseLoadError(Exception):
    """The file cannot be opened as a case at all (not found, not JSON, not a case)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class _Missing(enum.Enum):
    """Marks a field that was absent from the JSON."""

    MISSING = 0


MISSING = _Missing.MISSING


@dataclass
class _Preserved:
    """Invalid JSON kept aside so that a save writes it back where it was.

    ``dropped``: (owner, list name, anchor, raw) -- a list entry that could not be
    used; it is written after ``anchor`` (the preceding usable entry; None = first).
    The owner is None for the case's lists, else the Event whose ``sources`` it is in.
    ``replaced``: (object, field, substitute, raw) -- an invalid value replaced by
    ``substitute``; written back as ``raw`` while the object still holds the substitute.
    """

    version: Any = MISSING
    dropped: list[tuple[Any, str, Any, Any]] = field(default_factory=list)
    replaced: list[tuple[Any, str, Any, Any]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.version is not MISSING or bool(self.dropped or self.replaced)


# ---------------------------------------------------------------------------- loading


def load_case(path: str | Path) -> tuple[Case, list[Problem]]:
    """Open a case folder (or its case.json): the case and every problem found.

    Raises CaseLoadError when the file cannot be read as a case at all. Never
    writes anything to disk.
    """
    case_file = _case_file(Path(path))
    text = _read_case_text(case_file)
    json_text = text.removeprefix("\ufeff")
    with garbage_collection_paused():
        data = _parse_json(case_file, json_text)
        loader = _Loader(case_file, json_text)
        if json_text is not text:
            loader.report(
                (), "the file starts with a byte order mark (BOM); expected UTF-8 without it"
            )
        case = loader.load(data)
    return case, loader.sorted_problems()


@contextlib.contextmanager
def garbage_collection_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building the case.

    Building ~10 objects per event triggers many full collections that free
    nothing (every object is alive); pausing them roughly halves the load time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def validate_case(path: str | Path) -> list[Problem]:
    """Every problem of a case, including those that stop it from opening."""
    try:
        return load_case(path)[1]
    except CaseLoadError as err:
        return err.problems


def _fatal(file: Path, message: str, line: int = 1, col: int = 1) -> CaseLoadError:
    return CaseLoadError([Problem(str(file), line, col, "$", message)])


def _case_file(path: Path) -> Path:
    if path.is_dir():
        case_file = path / CASE_FILE
        if not case_file.exists():
            raise _fatal(case_file, f"the folder has no {CASE_FILE} (expected a case folder)")
        return case_file
    if not path.exists():
        raise _fatal(path, "no such file or folder (expected a case folder or its case.json)")
    return path


def _read_case_text(case_file: Path) -> str:
    try:
        raw = case_file.read_bytes()
    except OSError as err:
        raise _fatal(case_file, f"cannot read the file: {err.strerror or err}") from None
    if not raw.strip():
        raise _fatal(case_file, "the file is empty (expected a JSON object describing a case)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line, col = _line_col_of_byte(raw, err.start)
        bad = raw[err.start : err.start + 1].hex()
        raise _fatal(
            case_file, f"not valid UTF-8 (byte 0x{bad}); case.json must be UTF-8", line, col
        ) from None


def _line_col_of_byte(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset].decode("utf-8", errors="replace")
    line = before.count("\n") + 1
    return line, len(before) - (before.rfind("\n") + 1) + 1


def _parse_json(case_file: Path, text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise _fatal(
            case_file, f"malformed JSON: {err.msg} (expected valid JSON)", err.lineno, err.colno
        ) from None
    except RecursionError:
        raise _fatal(case_file, "malformed JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise _fatal(case_file, f"expected a JSON object describing a case, got {_describe(data)}")
    fmt = data.get("format", MISSING)
    if fmt != FORMAT:
        where = JsonPositions(text).locate(("format",)) if fmt is not MISSING else (1, 1)
        got = 'no "format" field' if fmt is MISSING else f"format {_describe(fmt)}"
        raise CaseLoadError(
            [
                Problem(
                    str(case_file),
                    *where,
                    "format",
                    f'not a timeline-app case: {got} (expected "format": "{FORMAT}")',
                )
            ]
        )
    return data


def _describe(value: Any) -> str:
    """A JSON value for a message: its JSON type and a short rendering."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {'true' if value else 'false'}"
    if isinstance(value, (int, float)):
        return f"number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return "string " + json.dumps(shown, ensure_ascii=False)
    return "an array" if isinstance(value, list) else "an object"


class _Loader:
    """Builds a Case from parsed JSON, collecting problems and keeping invalid JSON aside."""

    def __init__(self, case_file: Path, text: str) -> None:
        self.case_file = case_file
        self.folder = case_file.parent
        self.text = text
        self.problems: list[Problem] = []
        self.preserved = _Preserved()
        self._positions: JsonPositions | None = None
        self.lane_ids: set[str] = set()
        self.documents: dict[str, Document] = {}
        self.readable_documents: set[int] = set()  # id() of Documents read

    # -- reporting

    def report(self, path: JsonPath, message: str) -> None:
        if self._positions is None:
            self._positions = JsonPositions(self.text)
        line, col = self._positions.locate(path)
        self.problems.append(Problem(str(self.case_file), line, col, format_path(path), message))

    def sorted_problems(self) -> list[Problem]:
        mine = str(self.case_file)
        return sorted(self.problems, key=lambda p: (p.file != mine, p.file, p.line, p.col))

    # -- field helpers

    def required_str(self, raw: dict[str, Any], key: str, path: JsonPath) -> str | None:
        """A required non-empty string, or None after reporting what is wrong."""
        value = raw.get(key, MISSING)
        if type(value) is str and value:
            return value
        self.report((*path, key), _wrong(key, value, "a non-empty string"))
        return None

    def optional(
        self, obj: Any, raw: dict[str, Any], key: str, path: JsonPath, default: Any
    ) -> Any:
        """An optional string (or list of strings when ``default`` is a list); null = absent."""
        value = raw.get(key)
        if value is None:
            return default
        if isinstance(default, list):
            if type(value) is list and all(type(v) is str for v in value):
                return value
            expected = "an array of strings"
        else:
            if type(value) is str:
                return value
            expected = "a string"
        self.report((*path, key), f"expected {expected}, got {_describe(value)}")
        self.preserved.replaced.append((obj, key, default, value))
        return default

    def substitute(self, obj: Any, key: str, substitute: Any, raw: dict[str, Any]) -> None:
        """Remember that ``obj.key`` holds ``substitute`` in place of the invalid raw value."""
        self.preserved.replaced.append((obj, key, substitute, raw.get(key, MISSING)))

    def check_edtf(self, value: str, path: JsonPath) -> When | None:
        try:
            return When.parse(value)
        except DateError as err:
            self.report(path, f"invalid EDTF date: {err}")
            return None

    def array(self, case: Case, data: dict[str, Any], key: str) -> list[Any]:
        value = data.get(key, MISSING)
        if value is MISSING:
            return []
        if type(value) is list:
            return value
        self.report((key,), f"expected an array, got {_describe(value)}")
        self.substitute(case, key, [], data)
        return []

    def unique(self, seen: dict[str, int], item_id: str | None, path: JsonPath, what: str) -> bool:
        """True when ``item_id`` is usable: valid and not already taken."""
        if item_id is None:
            return False
        first = seen.get(item_id)
        if first is not None:
            self.report(
                (*path, "id"),
                f'duplicate {what} id "{item_id}" (already used by {path[0]}[{first}]); '
                "expected ids that are unique",
            )
            return False
        seen[item_id] = int(path[1])
        return True

    # -- the case

    def load(self, data: dict[str, Any]) -> Case:
        case = Case(folder=self.folder.resolve())
        self.version(data)
        title = data.get("title", MISSING)
        if type(title) is str:
            case.title = title
        else:
            self.report(("title",), _wrong("title", title, "a string"))
            self.substitute(case, "title", case.title, data)
        case.description = self.optional(case, data, "description", (), "")
        case.lanes = self.items(case, data, "lanes", self.lane)
        self.lane_ids = {lane.id for lane in case.lanes}
        case.documents = self.items(case, data, "documents", self.document)
        self.documents = {doc.id: doc for doc in case.documents}
        case.events = self.items(case, data, "events", self.event)
        case.extra = {k: v for k, v in data.items() if k not in _CASE_KEYS}
        if self.preserved:
            case.extra[PRESERVED_KEY] = self.preserved
        return case

    def version(self, data: dict[str, Any]) -> None:
        version = data.get("version", MISSING)
        if type(version) is int and 1 <= version <= VERSION:
            return
        if type(version) is int and version > VERSION:
            message = (
                f"version {version} is newer than this app supports (expected {VERSION}); "
                "fields it does not know are kept, but their meaning may be lost"
            )
        else:
            message = _wrong("version", version, f"the number {VERSION}")
        self.report(("version",), message)
        if version is not MISSING:
            self.preserved.version = version

    def items(
        self, case: Case, data: dict[str, Any], key: str, make: Callable[..., Any]
    ) -> list[Any]:
        """Build the usable entries of a top-level array; keep the others aside."""
        seen: dict[str, int] = {}
        result: list[Any] = []
        for index, raw in enumerate(self.array(case, data, key)):
            item = make(raw, (key, index), seen)
            if item is None:
                anchor = result[-1] if result else None
                self.preserved.dropped.append((None, key, anchor, raw))
            else:
                result.append(item)
        return result

    # -- lanes

    def lane(self, raw: Any, path: JsonPath, seen: dict[str, int]) -> Lane | None:
        if type(raw) is not dict:
            self.report(path, f"expected a lane object, got {_describe(raw)}")
            return None
        lane_id = self.required_str(raw, "id", path)
        usable = self.unique(seen, lane_id, path, "lane")
        lane = Lane(id=lane_id or "", name=lane_id or "", extra=_extra(raw, _LANE_KEYS))
        name = raw.get("name", MISSING)
        if type(name) is str and name:
            lane.name = name
        else:
            self.report((*path, "name"), _wrong("name", name, "a non-empty string"))
            self.substitute(lane, "name", lane.name, raw)
        colour = raw.get("colour")
        if type(colour) is str and _COLOUR.fullmatch(colour):
            lane.colour = colour
        elif colour is not None:
            self.report(
                (*path, "colour"),
                f'invalid colour {_describe(colour)} (expected "#rgb" or "#rrggbb")',
            )
            self.substitute(lane, "colour", DEFAULT_COLOUR, raw)
        return lane if usable else None

    # -- documents

    def document(self, raw: Any, path: JsonPath, seen: dict[str, int]) -> Document | None:
        if type(raw) is not dict:
            self.report(path, f"expected a document object, got {_describe(raw)}")
            return None
        doc_id = self.required_str(raw, "id", path)
        usable = self.unique(seen, doc_id, path, "document")
        doc = Document(id=doc_id or "", extra=_extra(raw, _DOCUMENT_KEYS))
        doc.title = self.optional(doc, raw, "title", path, "")
        doc.date = self.optional(doc, raw, "date", path, "")
        if doc.date:
            self.check_edtf(doc.date, (*path, "date"))
        doc.kind = self.optional(doc, raw, "kind", path, "")
        doc.author = self.optional(doc, raw, "author", path, "")
        doc.citation = self.citation(doc, raw, path)
        doc.path = self.document_path(doc, raw, path)
        if doc.path is not None:
            self.read_document(doc, (*path, "path"))
        return doc if usable else None

    def document_path(self, doc: Document, raw: dict[str, Any], path: JsonPath) -> str | None:
        value = raw.get("path")
        if value is None:
            return None
        problem = _document_path_problem(value)
        if problem is None:
            return str(value)
        self.report((*path, "path"), f"{problem}, got {_describe(value)}")
        self.substitute(doc, "path", None, raw)
        return None

    def read_document(self, doc: Document, path: JsonPath) -> None:
        assert doc.path is not None
        file = self.folder / doc.path
        try:
            raw = file.read_bytes()
        except FileNotFoundError:
            self.report(path, f"document file not found: {file} (expected a UTF-8 text file)")
            return
        except OSError as err:
            self.report(path, f"cannot read document file {file}: {err.strerror or err}")
            return
        try:
            doc.text = _normalise_text(raw.decode("utf-8"))
        except UnicodeDecodeError as err:
            line, col = _line_col_of_byte(raw, err.start)
            byte = raw[err.start : err.start + 1].hex()
            message = f"document is not valid UTF-8 (byte 0x{byte}); expected UTF-8 text"
            self.problems.append(Problem(str(file), line, col, format_path(path), message))
            doc.text = _normalise_text(raw.decode("utf-8", errors="replace"))
            self.preserved.replaced.append((doc, "text", doc.text, MISSING))  # never saved as is
            return
        self.readable_documents.add(id(doc))

    def citation(self, obj: Any, raw: dict[str, Any], path: JsonPath) -> Citation | None:
        value = raw.get("citation")
        if value is None:
            return None
        cpath = (*path, "citation")
        if type(value) is not dict:
            self.report(cpath, f"expected a citation object, got {_describe(value)}")
            self.substitute(obj, "citation", None, raw)
            return None
        cit = Citation(extra=_extra(value, _CITATION_KEYS))
        cit.publisher = self.optional(cit, value, "publisher", cpath, "")
        cit.title = self.optional(cit, value, "title", cpath, "")
        cit.date = self.optional(cit, value, "date", cpath, "")
        if cit.date:
            self.check_edtf(cit.date, (*cpath, "date"))
        cit.url = self.optional(cit, value, "url", cpath, "")
        return cit

    # -- events

    def event(self, raw: Any, path: JsonPath, seen: dict[str, int]) -> Event | None:
        fast = self.valid_event(raw, path, seen)
        return fast if fast is not None else self.checked_event(raw, path, seen)

    def valid_event(self, raw: Any, path: JsonPath, seen: dict[str, int]) -> Event | None:
        """The fast path for an event with nothing wrong (None: check it field by field)."""
        if type(raw) is not dict:
            return None
        get = raw.get
        event_id, title, when_text, lane = get("id"), get("title"), get("when"), get("lane")
        summary, tags, actors = get("summary", ""), get("tags", []), get("actors", [])
        if not (
            type(event_id) is str
            and event_id
            and event_id not in seen
            and type(title) is str
            and title
            and type(when_text) is str
            and (lane is None or (type(lane) is str and lane in self.lane_ids))
            and type(summary) is str
            and _is_str_list(tags)
            and _is_str_list(actors)
        ):
            return None
        try:
            when = When.parse(when_text)
        except DateError:
            return None
        seen[event_id] = path[1]  # type: ignore[assignment]
        event = Event(event_id, title, when, lane, summary, tags, actors)
        if not raw.keys() <= _EVENT_KEYS:
            event.extra = _extra(raw, _EVENT_KEYS)
        if "sources" in raw:
            event.sources = self.sources(event, raw, path)
        return event

    def checked_event(self, raw: Any, path: JsonPath, seen: dict[str, int]) -> Event | None:
        """An event with something wrong: report every problem; None if it cannot be placed."""
        if type(raw) is not dict:
            self.report(path, f"expected an event object, got {_describe(raw)}")
            return None
        event_id = self.required_str(raw, "id", path)
        usable = self.unique(seen, event_id, path, "event")
        when_text = self.required_str(raw, "when", path)
        when = self.check_edtf(when_text, (*path, "when")) if when_text is not None else None
        title = raw.get("title", MISSING)
        event = Event(
            id=event_id or "",
            title=title if type(title) is str and title else (event_id or ""),
            when=when,  # type: ignore[arg-type]  # only kept when not None
            extra=_extra(raw, _EVENT_KEYS),
        )
        if event.title is not title:
            self.report((*path, "title"), _wrong("title", title, "a non-empty string"))
            self.substitute(event, "title", event.title, raw)
        event.lane = self.event_lane(event, raw, path)
        event.summary = self.optional(event, raw, "summary", path, "")
        event.tags = self.optional(event, raw, "tags", path, [])
        event.actors = self.optional(event, raw, "actors", path, [])
        event.sources = self.sources(event, raw, path)
        return event if usable and when is not None else None

    def event_lane(self, event: Event, raw: dict[str, Any], path: JsonPath) -> str | None:
        lane = raw.get("lane")
        if lane is None or (type(lane) is str and lane in self.lane_ids):
            return lane
        if type(lane) is str:
            known = ", ".join(f'"{x}"' for x in sorted(self.lane_ids)[:8]) or "none defined"
            message = f'unknown lane "{lane}" (expected the id of a lane: {known})'
        else:
            message = f"expected a lane id (string) or null, got {_describe(lane)}"
        self.report((*path, "lane"), message)
        self.substitute(event, "lane", None, raw)
        return None

    def sources(self, event: Event, raw: dict[str, Any], path: JsonPath) -> list[SourceRef]:
        value = raw.get("sources", MISSING)
        if value is MISSING or value is None:
            return []
        if type(value) is not list:
            self.report((*path, "sources"), _wrong("sources", value, "an array"))
            self.substitute(event, "sources", [], raw)
            return []
        result: list[SourceRef] = []
        for index, item in enumerate(value):
            source = self.source(item, (*path, "sources", index))
            if source is None:
                anchor = result[-1] if result else None
                self.preserved.dropped.append((event, "sources", anchor, item))
            else:
                result.append(source)
        return result

    def source(self, raw: Any, path: JsonPath) -> SourceRef | None:
        if type(raw) is not dict:
            self.report(path, f"expected a source object, got {_describe(raw)}")
            return None
        source = SourceRef(extra=_extra(raw, _SOURCE_KEYS))
        source.citation = self.citation(source, raw, path)
        source.document = self.source_document(source, raw, path)
        source.quote = self.optional(source, raw, "quote", path, "")
        source.prefix = self.optional(source, raw, "prefix", path, "")
        source.suffix = self.optional(source, raw, "suffix", path, "")
        source.note = self.optional(source, raw, "note", path, "")
        source.start = self.offset(raw, "start", path)
        source.end = self.offset(raw, "end", path)
        if source.document is None and source.citation is None:
            self.report(path, 'a source needs "document" (with "quote") or "citation"')
        elif source.document is not None:
            self.check_quote(source, raw, path)
        return source

    def source_document(self, source: SourceRef, raw: dict[str, Any], path: JsonPath) -> str | None:
        doc_id = raw.get("document")
        if doc_id is None:
            return None
        if type(doc_id) is not str:
            message = f"expected a document id (string), got {_describe(doc_id)}"
            self.report((*path, "document"), message)
            self.substitute(source, "document", None, raw)
            return None
        if doc_id not in self.documents:
            known = ", ".join(f'"{x}"' for x in sorted(self.documents)[:8]) or "none defined"
            self.report(
                (*path, "document"),
                f'unknown document "{doc_id}" (expected the id of a document: {known})',
            )
        return doc_id

    def offset(self, raw: dict[str, Any], key: str, path: JsonPath) -> int | None:
        value = raw.get(key)
        if value is None or (type(value) is int and value >= 0):
            return value
        self.report(
            (*path, key), f"expected a character offset (integer >= 0), got {_describe(value)}"
        )
        return None

    def check_quote(self, source: SourceRef, raw: dict[str, Any], path: JsonPath) -> None:
        """Check the offsets against the quote; re-find the quote when the text moved."""
        if not source.quote:
            if "quote" not in raw:
                self.report((*path, "quote"), 'missing "quote" (expected the exact quoted text)')
            return
        doc = self.documents.get(source.document or "")
        if doc is None or id(doc) not in self.readable_documents:
            return  # unknown, missing or unreadable document: reported already
        text = doc.text
        start, end = source.start, source.end
        if start is not None and end is not None and text[start:end] == source.quote:
            return
        found = locate_quote(text, source.quote, start, source.prefix, source.suffix)
        if found is None:
            self.report(
                (*path, "quote"),
                f'quote not found in document "{doc.id}" ({doc.path}): {_describe(source.quote)}'
                " (expected text copied exactly from the document)",
            )
            return
        source.start, source.end = found


def _wrong(key: str, value: Any, expected: str) -> str:
    if value is MISSING:
        return f'missing required field "{key}" (expected {expected})'
    return f"expected {expected}, got {_describe(value)}"


def _is_str_list(value: Any) -> bool:
    return type(value) is list and all(type(v) is str for v in value)


def _extra(raw: dict[str, Any], known: frozenset[str]) -> dict[str, Any]:
    if raw.keys() <= known:
        return {}
    return {k: v for k, v in raw.items() if k not in known}


def _normalise_text(text: str) -> str:
    """Document text as offsets count it: no BOM, ``\\r\\n`` and ``\\r`` become ``\\n``."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _document_path_problem(value: Any) -> str | None:
    if type(value) is not str or not value:
        return "expected a relative file path (string)"
    posix = PurePosixPath(value)
    if "\\" in value or posix.is_absolute() or ".." in posix.parts or re.match("[A-Za-z]:", value):
        return "expected a relative path inside the case folder, with / separators and no '..'"
    return None


def locate_quote(
    text: str, quote: str, near: int | None = None, prefix: str = "", suffix: str = ""
) -> tuple[int, int] | None:
    """Where ``quote`` is in ``text``: (start, end), or None when it is not there.

    Among several occurrences, prefers those whose surrounding text matches
    ``prefix``/``suffix``, then the one nearest to ``near`` (else the first).
    """
    if not quote:
        return None
    best: tuple[int, int, int] | None = None
    position = text.find(quote)
    while position != -1:
        end = position + len(quote)
        mismatches = (bool(prefix) and not text.endswith(prefix, 0, position)) + (
            bool(suffix) and not text.startswith(suffix, end)
        )
        distance = abs(position - near) if near is not None else position
        score = (mismatches, distance, position)
        if best is None or score < best:
            best = score
        position = text.find(quote, position + 1)
    return None if best is None else (best[2], best[2] + len(quote))


# ---------------------------------------------------------------------------- writing


def _preserved_of(case: Case) -> _Preserved:
    preserved = case.extra.get(PRESERVED_KEY)
    return preserved if isinstance(preserved, _Preserved) else _Preserved()


def case_to_dict(case: Case) -> dict[str, Any]:
    """The case as case.json holds it: keys in a fixed readable order, unknown fields
    after the known ones, invalid entries kept aside on load written back in place."""
    with garbage_collection_paused():
        return _Writer(case).case()


class _Writer:
    def __init__(self, case: Case) -> None:
        self.case_obj = case
        self.preserved = _preserved_of(case)
        self.replaced: dict[int, dict[str, tuple[Any, Any]]] = {}
        for obj, key, substitute, raw in self.preserved.replaced:
            self.replaced.setdefault(id(obj), {})[key] = (substitute, raw)
        self.dropped: dict[tuple[int, str], list[tuple[Any, Any]]] = {}
        for owner, name, anchor, raw in self.preserved.dropped:
            self.dropped.setdefault((id(owner), name), []).append((anchor, raw))

    def put(
        self, out: dict[str, Any], obj: Any, key: str, value: Any, always: bool = False
    ) -> None:
        """Write ``value`` (or the invalid raw value it stands in for); omit empty optionals."""
        overrides = self.replaced.get(id(obj)) if self.replaced else None
        override = overrides.get(key) if overrides else None
        if override is not None and override[0] == value:
            if override[1] is not MISSING:
                out[key] = override[1]
            return
        if always or (value is not None and value != "" and value != []):
            out[key] = value

    def with_dropped(
        self, owner: Any, name: str, items: list[Any], to_dict: Callable[[Any], Any]
    ) -> list[Any]:
        """``items`` as dicts, with the entries not used on load back in their places."""
        dropped = self.dropped.get((id(owner), name))
        if not dropped:
            return [to_dict(item) for item in items]
        after: dict[int | None, list[Any]] = {}
        for anchor, raw in dropped:
            after.setdefault(None if anchor is None else id(anchor), []).append(raw)
        out = list(after.pop(None, []))
        for item in items:
            out.append(to_dict(item))
            out.extend(after.pop(id(item), []))
        for orphans in after.values():  # their anchor was removed since loading
            out.extend(orphans)
        return out

    def case(self) -> dict[str, Any]:
        case = self.case_obj
        version = self.preserved.version
        out: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION if version is MISSING else version,
        }
        self.put(out, case, "title", case.title, always=True)
        self.put(out, case, "description", case.description)
        for key, items, to_dict in (
            ("lanes", case.lanes, self.lane),
            ("documents", case.documents, self.document),
            ("events", case.events, self.event),
        ):
            self.put(out, case, key, self.with_dropped(None, key, items, to_dict), always=True)
        out.update((k, v) for k, v in case.extra.items() if k != PRESERVED_KEY)
        return out

    def lane(self, lane: Lane) -> dict[str, Any]:
        out: dict[str, Any] = {"id": lane.id}
        self.put(out, lane, "name", lane.name, always=True)
        self.put(out, lane, "colour", lane.colour, always=True)
        out.update(lane.extra)
        return out

    def document(self, doc: Document) -> dict[str, Any]:
        out: dict[str, Any] = {"id": doc.id}
        for key in ("title", "date", "kind", "author"):
            self.put(out, doc, key, getattr(doc, key))
        self.put(out, doc, "citation", self.citation(doc.citation))
        self.put(out, doc, "path", doc.path)
        out.update(doc.extra)
        return out

    def citation(self, cit: Citation | None) -> dict[str, Any] | None:
        if cit is None:
            return None
        out: dict[str, Any] = {}
        for key in ("publisher", "title", "date", "url"):
            self.put(out, cit, key, getattr(cit, key))
        out.update(cit.extra)
        return out

    def event(self, event: Event) -> dict[str, Any]:
        if id(event) not in self.replaced:  # the common case, kept fast for big cases
            out: dict[str, Any] = {"id": event.id, "title": event.title, "when": event.when.edtf}
            if event.lane is not None:
                out["lane"] = event.lane
            if event.summary:
                out["summary"] = event.summary
            if event.tags:
                out["tags"] = event.tags
            if event.actors:
                out["actors"] = event.actors
            sources = self.with_dropped(event, "sources", event.sources, self.source)
            if sources:
                out["sources"] = sources
            out.update(event.extra)
            return out
        out = {"id": event.id}
        self.put(out, event, "title", event.title, always=True)
        out["when"] = event.when.edtf
        for key in ("lane", "summary", "tags", "actors"):
            self.put(out, event, key, getattr(event, key))
        sources = self.with_dropped(event, "sources", event.sources, self.source)
        self.put(out, event, "sources", sources)
        out.update(event.extra)
        return out

    def source(self, source: SourceRef) -> dict[str, Any]:
        out: dict[str, Any] = {}
        self.put(out, source, "document", source.document)
        for key in ("quote", "start", "end", "prefix", "suffix"):
            self.put(out, source, key, getattr(source, key))
        self.put(out, source, "citation", self.citation(source.citation))
        self.put(out, source, "note", source.note)
        out.update(source.extra)
        return out


def save_case(case: Case, folder: str | Path | None = None) -> None:
    """Write the case to ``folder`` (default: where it was loaded from), atomically.

    Documents are written first, each only when its text differs from the file (or
    the file is new); then case.json. Every file goes to a temporary file in the
    same folder, is flushed and fsynced, then renamed over the old one, so a failure
    leaves the previous version intact. Sets ``case.folder`` to the target.
    """
    target = _target_folder(case, folder)
    _name_new_document_files(case)
    payload = (json.dumps(case_to_dict(case), ensure_ascii=False, indent=2) + "\n").encode()
    target.mkdir(parents=True, exist_ok=True)
    unreadable = {
        id(obj): stand_in for obj, key, stand_in, _ in _preserved_of(case).replaced if key == "text"
    }
    for doc in case.documents:
        if unreadable.get(id(doc)) != doc.text:  # not the stand-in text of an unreadable file
            _save_document(doc, target)
    write_atomically(target / CASE_FILE, payload)
    case.folder = target.resolve()


def _target_folder(case: Case, folder: str | Path | None) -> Path:
    if folder is None:
        if case.folder is None:
            raise ValueError("the case has no folder yet: pass the folder to save it in")
        return Path(case.folder)
    target = Path(folder)
    return target.parent if target.name == CASE_FILE and not target.is_dir() else target


def _name_new_document_files(case: Case) -> None:
    """Give a path under documents/ to each document that has text but no file yet."""
    taken = {doc.path for doc in case.documents}
    for doc in case.documents:
        if doc.path is None and doc.text:
            doc.path = _free_document_path(doc.id, taken)
            taken.add(doc.path)


def _save_document(doc: Document, target: Path) -> None:
    """Write the document's text to its file unless the file already holds it.

    Empty text is never written: it is what a document whose file was missing or
    unreadable on load holds, and writing it would destroy the file.
    """
    if doc.path is None or not doc.text:
        return
    problem = _document_path_problem(doc.path)
    if problem is not None:
        raise ValueError(f"document {doc.id!r}: path {doc.path!r}: {problem}")
    file = target / doc.path
    try:
        on_disk: str | None = _normalise_text(file.read_bytes().decode("utf-8", errors="replace"))
    except FileNotFoundError:
        on_disk = None
    if on_disk == doc.text:
        return
    file.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(file, doc.text.encode("utf-8"))


def _free_document_path(doc_id: str, taken: set[str | None]) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", doc_id).strip(".-") or "document"
    candidate, n = f"{DOCUMENTS_DIR}/{stem}.txt", 2
    while candidate in taken:
        candidate, n = f"{DOCUMENTS_DIR}/{stem}-{n}.txt", n + 1
    return candidate


def write_atomically(path: Path, data: bytes) -> None:
    """Temporary file in the same folder, flush, fsync, rename over ``path``, fsync the folder."""
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":  # directories cannot be opened for fsync on Windows
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def drop_preserved(case: Case) -> None:
    """Forget the invalid JSON kept aside on load, so that the next save omits it."""
    case.extra.pop(PRESERVED_KEY, None)
