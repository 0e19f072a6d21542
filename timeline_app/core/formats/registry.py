"""Which formats exist, how a file name picks one, and the two operations the CLI and the
window call: `export_data` (atomic output file) and `import_into` (a new case folder,
written whole or not at all).

To add a data format: write ``write_x(case, stream) -> list[ReportItem]`` or
``read_x(path) -> ImportResult`` in its own module and add a line to ``DATA_EXPORTS`` or
``IMPORTERS`` (and ``IMPORT_EXTENSIONS``). Snapshot formats (png, svg, pdf, html) are drawn
by the UI layer; they are only named here (``SNAPSHOT_FORMATS``) so that the extension of
an output file picks them.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from timeline_app.core.dates import When
from timeline_app.core.formats.common import (
    FormatError,
    ImportResult,
    ReportItem,
    atomic_binary,
)
from timeline_app.core.model import Case

Writer = Callable[[Case, IO[bytes]], list[ReportItem]]


@dataclass(frozen=True)
class ExportFormat:
    name: str
    extension: str
    description: str
    writer: str  # "module:function", imported when used


DATA_EXPORTS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("csv", ".csv", "CSV, one row per event", "csv_export:write_csv"),
        ExportFormat("ics", ".ics", "iCalendar", "ics:write_ics"),
        ExportFormat("timelinejs", ".json", "TimelineJS JSON", "timelinejs:write_timelinejs"),
        ExportFormat("zip", ".zip", "the case folder as a zip", "case_zip:write_case_zip"),
    )
}
SNAPSHOT_FORMATS: dict[str, str] = {".png": "png", ".svg": "svg", ".pdf": "pdf", ".html": "html"}

# Import format -> "module:function" reading a file into an ImportResult.
IMPORTERS: dict[str, str] = {
    "timelinejs": "timelinejs_import:read_timelinejs",
    "timelinejs-csv": "timelinejs_sheet:read_timelinejs_csv",
    "csv": "generic_csv:read_generic_csv",
    "timeline": "timeline_project:read_timeline_project",
    "zip": "case_zip:extract_case_zip",
}
DOCUMENTS = "documents"  # handled by timeline_app.core.documents (issue 5), not here
IMPORT_EXTENSIONS: dict[str, str] = {
    ".json": "timelinejs",
    ".csv": "csv",  # or timelinejs-csv, decided by the header
    ".tsv": "csv",
    ".timeline": "timeline",
    ".zip": "zip",
    ".txt": DOCUMENTS,
    ".md": DOCUMENTS,
    ".markdown": DOCUMENTS,
    ".html": DOCUMENTS,
    ".htm": DOCUMENTS,
    ".pdf": DOCUMENTS,
}
IMPORT_FORMATS = (*IMPORTERS, DOCUMENTS)


class TargetError(ValueError):
    """The folder an import should create cannot be used (not empty, not a folder)."""


def _load(spec: str) -> Callable[..., object]:
    import importlib

    module, function = spec.split(":")
    return getattr(importlib.import_module(f"timeline_app.core.formats.{module}"), function)


# ================================================================================ export


def export_format_for(path: str | Path, name: str | None = None) -> str:
    """The export format named, or the one the output file's extension stands for."""
    if name:
        return "timelinejs" if name == "json" else name
    suffix = Path(path).suffix.lower()
    for fmt in DATA_EXPORTS.values():
        if fmt.extension == suffix:
            return fmt.name
    if suffix in SNAPSHOT_FORMATS:
        return SNAPSHOT_FORMATS[suffix]
    known = ", ".join([f.extension for f in DATA_EXPORTS.values()] + list(SNAPSHOT_FORMATS))
    raise ValueError(f"cannot tell the format of {Path(path).name!r} (use --format, or {known})")


def export_data(case: Case, out: str | Path, fmt: str) -> list[ReportItem]:
    """Write ``case`` in a data format to ``out`` atomically; returns what was left out."""
    writer: Writer = _load(DATA_EXPORTS[fmt].writer)  # type: ignore[assignment]
    with atomic_binary(out) as stream:
        report = writer(case, stream)
    name = Path(out).name
    return [dataclasses.replace(item, file=item.file or name) for item in report]


def select(case: Case, period: When | None = None, lanes: Sequence[str] | None = None) -> Case:
    """A copy of ``case`` holding only the events that overlap ``period`` (their drawn extent
    against the period's true bounds) and are in ``lanes`` (ids or names, any case).

    Raises ValueError naming an unknown lane."""
    events = case.events
    kept_lanes = case.lanes
    if lanes:
        wanted = {_lane_id(case, name) for name in lanes}
        kept_lanes = [lane for lane in case.lanes if lane.id in wanted]
        events = [ev for ev in events if ev.lane in wanted]
    extra = dict(case.extra)
    if period is not None:
        events = [ev for ev in events if _overlaps(ev.when, period)]
        if isinstance(extra.get("periods"), list):
            extra["periods"] = [p for p in extra["periods"] if _period_overlaps(p, period)]
    return dataclasses.replace(case, lanes=list(kept_lanes), events=list(events), extra=extra)


def _lane_id(case: Case, name: str) -> str:
    for lane in case.lanes:
        if name == lane.id or name.casefold() == lane.name.casefold():
            return lane.id
    known = ", ".join(f"{lane.id} ({lane.name})" for lane in case.lanes) or "none"
    raise ValueError(f"no lane {name!r} in this case (lanes: {known})")


def _overlaps(when: When, period: When) -> bool:
    return when.sort_start < period.latest and when.sort_end > period.earliest


def _period_overlaps(entry: object, period: When) -> bool:
    from timeline_app.core.formats.edtf_fields import parse_when

    when = parse_when(str(entry.get("when", ""))) if isinstance(entry, dict) else None
    return when is None or _overlaps(when, period)


# ================================================================================ import


def import_format_for(path: str | Path, name: str | None = None) -> str:
    """The import format named, or the one the file stands for (a folder: documents; a .csv:
    TimelineJS spreadsheet columns or a generic CSV, from its header)."""
    path = Path(path)
    if name:
        if name not in IMPORT_FORMATS:
            raise ValueError(
                f"unknown import format {name!r} (expected {', '.join(IMPORT_FORMATS)})"
            )
        return name
    if path.is_dir():
        return DOCUMENTS
    fmt = IMPORT_EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(IMPORT_EXTENSIONS)
        raise ValueError(f"cannot tell the format of {path.name!r} (use --format, or {known})")
    if fmt == "csv" and _has_timelinejs_header(path):
        return "timelinejs-csv"
    return fmt


def _has_timelinejs_header(path: Path) -> bool:
    import csv

    from timeline_app.core.formats.timelinejs_sheet import is_timelinejs_sheet

    try:
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
            first = handle.readline(65536)
    except OSError:
        return False
    delimiter = max((",", ";", "\t"), key=first.count)
    header = next(csv.reader([first], delimiter=delimiter), [])
    return is_timelinejs_sheet(header)


def read_foreign(path: str | Path, fmt: str, **options: object) -> ImportResult:
    """Read a foreign file into a case held in memory (not for zip or documents)."""
    if fmt not in IMPORTERS or fmt == "zip":
        raise ValueError(f"{fmt!r} cannot be read into memory")
    reader = _load(IMPORTERS[fmt])
    return reader(path, **options)  # type: ignore[return-value]


def check_target(target: str | Path) -> Path:
    """The folder an import will create; TargetError when it exists and is not empty."""
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise TargetError(f"{target} exists and is not a folder; choose a new folder")
    if target.is_dir() and any(target.iterdir()):
        raise TargetError(
            f"{target} is not empty; an import creates a new case: choose a new or empty folder"
        )
    return target


def import_into(
    source: str | Path,
    target: str | Path,
    fmt: str | None = None,
    mapping: dict[str, str] | None = None,
    dayfirst: bool = False,
) -> ImportResult:
    """Import ``source`` into a new case folder ``target`` (absent or empty).

    Everything is built in a hidden folder beside ``target``, checked by loading it back,
    then renamed into place: on any error nothing is left behind. Raises FormatError
    (unreadable input), TargetError, or ValueError (unknown format, bad options)."""
    from timeline_app.core.casefile import load_case, save_case

    target = check_target(target)
    fmt = import_format_for(source, fmt)
    if fmt == DOCUMENTS:
        raise ValueError("documents are imported by timeline_app.core.documents")
    if fmt == "csv":
        result = read_foreign(source, fmt, mapping=mapping, dayfirst=dayfirst)
    elif fmt != "zip":
        result = read_foreign(source, fmt)
    if fmt != "zip" and not result.case.events:
        raise FormatError(source, "nothing to import: no event could be read", report=result.report)
    target.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.import-"))
    try:
        if fmt == "zip":
            result = _load(IMPORTERS["zip"])(source, stage)  # type: ignore[assignment]
        else:
            save_case(result.case, stage)
            load_case(stage)  # proves it opens
        os.chmod(stage, 0o755)
        if target.is_dir():
            target.rmdir()  # empty, checked above
        os.rename(stage, target)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    result.case.folder = target.resolve()
    return result
