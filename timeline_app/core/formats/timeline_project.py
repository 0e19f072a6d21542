"""Import The Timeline Project's ``.timeline`` XML files (versions 0.x to 2.x).

Mapping:
- categories -> lanes, one per category; a child category's lane is named
  "Parent / Child" (parents flattened), its r,g,b colour kept as #rrggbb;
- events -> events: ``text`` -> title, ``description`` -> summary, ``hyperlink`` ->
  a citation source with its URL; ``start``/``end`` at 00:00:00 give day precision,
  other times minute precision; equal start and end give a point;
  ``fuzzy`` (or ``fuzzy_start``/``fuzzy_end``) -> approximate (~); ``ends_today`` ->
  an open end; ``milestone`` -> a point at its start;
- containers (``[1]Name`` texts) are not events: their name becomes a tag on each of
  their subevents (``(1)Text``); containers with no subevent are imported as events;
- eras -> background periods in ``case.extra["periods"]`` ({"title", "when", "colour"});
- unknown elements are ignored. A DOCTYPE is refused (no entity expansion at all).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from timeline_app.core.dates import DateError, When, days_in_month
from timeline_app.core.formats.common import (
    PERIODS_KEY,
    FormatError,
    IdMaker,
    ImportResult,
    LaneMaker,
    Reporter,
)
from timeline_app.core.formats.edtf_fields import edtf_from_fields, interval, qualify
from timeline_app.core.model import Case, Citation, Event, SourceRef

SUPPORTED_TIMETYPES = ("", "gregoriantime")
_TIME_RE = re.compile(
    r"\s*(-?\d+)-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?\s*"
)
_CONTAINER_RE = re.compile(r"\[(-?\d+)\](.*)", re.S)
_SUBEVENT_RE = re.compile(r"\((-?\d+)\)(.*)", re.S)


class _Skip(Exception):
    """This element cannot be imported; the message says why."""


@dataclass
class _Tree:
    root: ET.Element
    lines: dict[ET.Element, int] = field(default_factory=dict)


def parse_xml(path: Path) -> _Tree:
    """Parse XML with expat, refusing any DOCTYPE (so no entity can be declared or
    expanded); raises FormatError with line and column when malformed."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise FormatError(path, f"cannot read the file: {err.strerror or err}") from None
    parser = expat.ParserCreate()
    builder = ET.TreeBuilder()
    lines: dict[ET.Element, int] = {}

    def start(tag: str, attrs: dict[str, str]) -> None:
        lines[builder.start(tag, attrs)] = parser.CurrentLineNumber

    def doctype(*_args: object) -> None:
        raise FormatError(
            path,
            "the file has a DOCTYPE, which a .timeline file never has; refused for safety",
            parser.CurrentLineNumber,
            parser.CurrentColumnNumber + 1,
        )

    parser.StartElementHandler = start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    try:
        parser.Parse(raw, True)
    except expat.ExpatError as err:
        message = expat.errors.messages[err.code]
        raise FormatError(path, f"malformed XML: {message}", err.lineno, err.offset + 1) from None
    return _Tree(builder.close(), lines)


def read_timeline_project(path: str | Path) -> ImportResult:
    """A new case from a The Timeline Project ``.timeline`` file."""
    path = Path(path)
    tree = parse_xml(path)
    if tree.root.tag != "timeline":
        raise FormatError(
            path,
            f"the root element is <{tree.root.tag}>; expected <timeline>",
            tree.lines[tree.root],
        )
    return _Importer(path, tree).run()


def _text(element: ET.Element | None, tag: str) -> str:
    if element is None:
        return ""
    child = element.find(tag)
    return (child.text or "").strip() if child is not None else ""


def _flag(element: ET.Element, tag: str) -> bool:
    return _text(element, tag).casefold() == "true"


def _colour(text: str) -> str | None:
    match = re.fullmatch(r"\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*", text)
    if match is None or any(int(c) > 255 for c in match.groups()):
        return None
    return "#" + "".join(f"{int(c):02x}" for c in match.groups())


@dataclass
class _Time:
    year: int
    month: int
    day: int
    time: tuple[int, int, int | None] | None

    def edtf(self) -> str:
        try:
            return edtf_from_fields(self.year, self.month, self.day, self.time)
        except ValueError as err:
            raise _Skip(str(err)) from None


def parse_time(text: str) -> _Time:
    """``2017-06-30 00:00:00`` (also ``2010-8-31 0:0:0``, negative years) -> its fields;
    midnight means no time of day."""
    match = _TIME_RE.fullmatch(text)
    if match is None:
        raise _Skip(f"time {text!r} is not YYYY-MM-DD HH:MM:SS")
    year, month, day = (int(match.group(i)) for i in (1, 2, 3))
    hour, minute, second = (int(match.group(i) or 0) for i in (4, 5, 6))
    time = None if (hour, minute, second) == (0, 0, 0) else (hour, minute, second or None)
    return _Time(year, month, day, time)


def _whole_month_or_year(start: _Time, end: _Time) -> str | None:
    """``2017-05`` for 2017-05-01 to 2017-05-31, ``2017`` for 1 January to 31 December
    (Timeline has no month or year precision; such spans mean one)."""
    if start.time or end.time or start.year != end.year or start.day != 1:
        return None
    if not (1 <= start.month <= 12 and 1 <= end.month <= 12):
        return None
    if end.day != days_in_month(end.year, end.month):
        return None
    if start.month == end.month:
        return edtf_from_fields(start.year, start.month)
    if (start.month, end.month) == (1, 12):
        return edtf_from_fields(start.year)
    return None


class _Importer:
    def __init__(self, path: Path, tree: _Tree) -> None:
        self.path = path
        self.tree = tree
        self.reporter = Reporter(path)
        self.case = Case(title=path.stem)
        self.lanes = LaneMaker(self.case)
        self.ids = IdMaker()
        self.category_lanes: dict[str, str] = {}
        self.containers: dict[str, tuple[str, ET.Element]] = {}  # id -> (name, element)
        self.used_containers: set[str] = set()

    def where(self, element: ET.Element) -> str:
        return f"line {self.tree.lines.get(element, 0)} <{element.tag}>"

    def run(self) -> ImportResult:
        root = self.tree.root
        version = _text(root, "version")
        major = re.match(r"\d+", version)
        if major and int(major.group()) > 2:
            self.reporter.note(
                self.where(root), f"version {version} is newer than 2.x; read as 2.x"
            )
        timetype = _text(root, "timetype")
        if timetype not in SUPPORTED_TIMETYPES:
            raise FormatError(
                self.path,
                f"timetype {timetype!r} has no calendar dates (expected gregoriantime)",
                self.tree.lines.get(root.find("timetype"), 0),  # type: ignore[arg-type]
            )
        self.categories(root.find("categories"))
        events = root.find("events")
        elements = list(events) if events is not None else []
        self.collect_containers(elements)
        for element in elements:
            self.event(element)
        self.unused_containers()
        self.eras(root.find("eras"))
        return ImportResult(self.case, self.reporter.items)

    # -- categories

    def categories(self, parent: ET.Element | None) -> None:
        if parent is None:
            return
        parents: dict[str, str] = {}
        colours: dict[str, str | None] = {}
        order: list[str] = []
        for element in parent.findall("category"):
            name = _text(element, "name")
            if not name:
                self.reporter.skip(self.where(element), "a category without a name")
                continue
            if name in colours:
                self.reporter.skip(self.where(element), f"category {name!r} is defined twice")
                continue
            order.append(name)
            colours[name] = _colour(_text(element, "color"))
            if _text(element, "parent"):
                parents[name] = _text(element, "parent")
        for name in order:
            self.category_lanes[name] = (
                self.lanes.lane_id(self.full_name(name, parents, colours), colours[name]) or ""
            )

    def full_name(self, name: str, parents: dict[str, str], known: dict[str, object]) -> str:
        path, current, seen = [name], name, {name}
        while current in parents and parents[current] in known and parents[current] not in seen:
            current = parents[current]
            seen.add(current)
            path.append(current)
        return " / ".join(reversed(path))

    # -- events

    def collect_containers(self, elements: list[ET.Element]) -> None:
        for element in elements:
            match = _CONTAINER_RE.fullmatch(_text(element, "text"))
            if element.tag == "event" and match:
                self.containers[match.group(1)] = (match.group(2).strip(), element)

    def event(self, element: ET.Element) -> None:
        if element.tag != "event":
            return  # unknown element: ignored
        text = _text(element, "text")
        if _CONTAINER_RE.fullmatch(text):
            return  # containers become tags of their subevents
        tags: list[str] = []
        sub = _SUBEVENT_RE.fullmatch(text)
        if sub:
            text = sub.group(2).strip()
            container = self.containers.get(sub.group(1))
            if container is None:
                self.reporter.note(self.where(element), f"container ({sub.group(1)}) not found")
            elif container[0]:
                tags.append(container[0])
                self.used_containers.add(sub.group(1))
        elif text[:2] in (" (", " ["):
            text = text[1:]  # Timeline adds a space before a literal ( or [
        self.add_event(element, text.strip(), tags)

    def unused_containers(self) -> None:
        for cid, (name, element) in self.containers.items():
            if cid not in self.used_containers:
                self.add_event(element, name, [])

    def add_event(self, element: ET.Element, title: str, tags: list[str]) -> None:
        where = self.where(element)
        if not title:
            self.reporter.skip(where, "an event without text (title)")
            return
        try:
            when = self.event_when(element)
        except _Skip as reason:
            self.reporter.skip(where, f"{title!r}: {reason}")
            return
        event = Event(self.ids.make(None, title), title, when, tags=tags)
        event.summary = _text(element, "description")
        event.lane = self.event_lane(element, where)
        url = _text(element, "hyperlink")
        if url:
            event.sources.append(SourceRef(citation=Citation(url=url)))
        if _flag(element, "locked"):
            event.extra["locked"] = True
        self.case.events.append(event)

    def event_lane(self, element: ET.Element, where: str) -> str | None:
        category = _text(element, "category")
        if not category:
            return None
        if category not in self.category_lanes:
            self.reporter.note(where, f"category {category!r} is not defined; no lane")
            return None
        return self.category_lanes[category]

    def event_when(self, element: ET.Element) -> When:
        start = parse_time(_text(element, "start"))
        milestone = _flag(element, "milestone")
        end = start if milestone else parse_time(_text(element, "end") or _text(element, "start"))
        fuzzy = _flag(element, "fuzzy")
        fuzzy_start = fuzzy or _flag(element, "fuzzy_start")
        fuzzy_end = fuzzy or _flag(element, "fuzzy_end")
        if _flag(element, "ends_today") and not milestone:
            text = f"{qualify(start.edtf(), False, fuzzy_start)}/.."
        elif whole := _whole_month_or_year(start, end):
            text = qualify(whole, False, fuzzy_start or fuzzy_end)
        else:
            first = qualify(start.edtf(), False, fuzzy_start)
            text = interval(first, qualify(end.edtf(), False, fuzzy_end))
        try:
            return When.parse(text)
        except DateError:
            raise _Skip(f"the end {_text(element, 'end')} is before the start") from None

    # -- eras

    def eras(self, parent: ET.Element | None) -> None:
        if parent is None:
            return
        periods = []
        for element in parent.findall("era"):
            name = _text(element, "name") or "Untitled era"
            try:
                first = parse_time(_text(element, "start")).edtf()
                if _flag(element, "ends_today"):
                    text = f"{first}/.."
                else:
                    text = interval(first, parse_time(_text(element, "end")).edtf())
                when = When.parse(text)
            except (_Skip, DateError) as reason:
                self.reporter.skip(self.where(element), f"era {name!r}: {reason}")
                continue
            period = {"title": name, "when": when.edtf}
            colour = _colour(_text(element, "color"))
            if colour:
                period["colour"] = colour
            periods.append(period)
        if periods:
            self.case.extra[PERIODS_KEY] = periods
