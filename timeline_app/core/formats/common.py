"""What every importer and exporter shares: report items, errors, results, lane and
event ids, and atomic output files.

Importers never write: they return an `ImportResult` (a new Case held in memory plus
the report of what was skipped and why). `registry.import_into` writes it.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from timeline_app.core.model import Case, Lane, next_lane_colour, unique_id

PERIODS_KEY = "periods"  # case.extra key of the lane-less background periods


def periods_of(case: Case) -> list[dict[str, Any]]:
    """The case's background periods (case.extra["periods"]: {"title", "when", ...}), the
    well-formed entries only."""
    value = case.extra.get(PERIODS_KEY)
    if not isinstance(value, list):
        return []
    return [p for p in value if isinstance(p, dict)]


@dataclass(frozen=True)
class ReportItem:
    """One thing an import or export left out or changed, and where.

    ``where`` names the place in the input: ``row 5`` (spreadsheet numbering, header =
    row 1), ``events[3]`` (JSON), ``line 12 <event>`` (XML), a zip member name, or an
    event id for exports. ``skipped`` is True when something was left out, False for a
    note (something kept but changed, e.g. a time dropped).
    """

    file: str
    where: str
    message: str
    skipped: bool = True

    def __str__(self) -> str:
        kind = "skipped" if self.skipped else "note"
        where = f"{self.where}: " if self.where else ""
        return f"{self.file}: {where}{kind}: {self.message}"


class FormatError(ValueError):
    """The input cannot be read at all; the message names the file and, where known,
    the line and column, and says what was expected."""

    def __init__(
        self,
        file: str | Path,
        message: str,
        line: int = 0,
        col: int = 0,
        report: list[ReportItem] | None = None,
    ) -> None:
        place = str(file) + (f":{line}" if line else "") + (f":{col}" if line and col else "")
        super().__init__(f"{place}: {message}")
        self.file = str(file)
        self.line = line
        self.col = col
        self.reason = message
        self.report = report or []  # what was skipped before the input was given up


class MissingDependencyError(RuntimeError):
    """An optional package a format needs is not installed; the message says how to add it."""


@dataclass
class ImportResult:
    """A case built in memory from a foreign file, and what was skipped or changed."""

    case: Case
    report: list[ReportItem] = field(default_factory=list)

    @property
    def skipped(self) -> list[ReportItem]:
        return [item for item in self.report if item.skipped]


class Reporter:
    """Collects report items for one input file."""

    def __init__(self, file: str | Path) -> None:
        self.file = Path(file).name
        self.items: list[ReportItem] = []

    def skip(self, where: str, message: str) -> None:
        self.items.append(ReportItem(self.file, where, message, True))

    def note(self, where: str, message: str) -> None:
        self.items.append(ReportItem(self.file, where, message, False))


# ---------------------------------------------------------------------------- ids


def slug(text: str, fallback: str, max_len: int = 48) -> str:
    """A readable id from text: lower case ASCII letters, digits and dashes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(words) > max_len:
        words = words[:max_len].rsplit("-", 1)[0] or words[:max_len]
    return words or fallback


class LaneMaker:
    """Lanes created by name on first use, with unique ids and palette colours."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.by_name: dict[str, Lane] = {}

    def lane_id(self, name: str, colour: str | None = None) -> str | None:
        """The id of the lane called ``name`` (created when new); None for an empty name."""
        name = name.strip()
        if not name:
            return None
        lane = self.by_name.get(name.casefold())
        if lane is None:
            new_id = unique_id(slug(name, "lane"), (ln.id for ln in self.case.lanes))
            colour = colour or next_lane_colour(self.case)
            lane = Lane(id=new_id, name=name, colour=colour)
            self.case.lanes.append(lane)
            self.by_name[name.casefold()] = lane
        return lane.id


class IdMaker:
    """Unique event ids: the given id when usable, else one made from the title."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def make(self, wanted: str | None, title: str) -> str:
        base = (wanted or "").strip() or slug(title, "event")
        new_id, n = base, 2
        while new_id in self.taken:  # not model.unique_id: it copies the set on every call
            new_id, n = f"{base}-{n}", n + 1
        self.taken.add(new_id)
        return new_id


# ---------------------------------------------------------------------------- output


@contextmanager
def atomic_output(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success it is fsynced and renamed over
    ``path``, on failure removed, so ``path`` is either the old file or the whole new one."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=f".tmp{target.suffix}"
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; match a normally written file
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_binary(path: str | Path) -> Iterator[IO[bytes]]:
    """An open binary stream whose content replaces ``path`` atomically on success."""
    with atomic_output(path) as tmp, open(tmp, "wb") as stream:
        yield stream
