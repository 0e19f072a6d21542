"""``timeline-app export [PATH] --to OUT [--format F] [--range EDTF] [--lanes A,B]
[--scale S] [--width W]``: write a case as data (csv, ics, timelinejs, zip) or as a snapshot
(png, svg, pdf, html). The output file is written atomically: it is either the old file or
the whole new one.

Snapshots are drawn by the UI layer. ``SNAPSHOT_EXPORTERS`` maps each snapshot format to a
"module:function" called as ``function(case, out_path, options)`` with a `SnapshotOptions`;
the case is already narrowed to the range and lanes. Until that module exists, asking for the
format says it is not available (exit 2).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from timeline_app.cli.common import add_case_argument

HELP = (
    "Export a case as CSV, iCalendar (.ics), TimelineJS JSON or a zip of the case folder "
    "(and, where available, as PNG, SVG, PDF or a standalone HTML page). The format follows "
    "the output file's extension unless --format is given."
)
FORMATS = ("csv", "ics", "timelinejs", "json", "zip", "png", "svg", "pdf", "html")

SNAPSHOT_EXPORTERS: dict[str, str] = {
    "png": "timeline_app.ui.export_image:export_snapshot",
    "svg": "timeline_app.ui.export_image:export_snapshot",
    "pdf": "timeline_app.ui.export_image:export_snapshot",
    "html": "timeline_app.ui.export_html:export_html",
}


@dataclass(frozen=True)
class SnapshotOptions:
    """What a snapshot exporter is asked for (the case passed is already filtered)."""

    format: str
    period: Any = None  # a When (the --range), or None for the whole case
    lanes: tuple[str, ...] = ()
    scale: float | None = None
    width: int | None = None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_case_argument(parser)
    parser.add_argument("--to", required=True, metavar="OUT", help="the file to write")
    parser.add_argument(
        "--format", choices=FORMATS, help="output format (default: from OUT's extension)"
    )
    parser.add_argument(
        "--range",
        metavar="EDTF_INTERVAL",
        help="only events overlapping this date or interval, e.g. 2017-06/2017-08 or 2017",
    )
    parser.add_argument(
        "--lanes", metavar="A,B", help="only events in these lanes (ids or names, comma separated)"
    )
    parser.add_argument("--scale", type=float, help="snapshots: pixel scale (PNG default 2)")
    parser.add_argument("--width", type=int, help="snapshots: width in pixels")


def run(args: argparse.Namespace) -> int:
    from timeline_app.cli.common import open_case_or_report
    from timeline_app.core.dates import DateError, When
    from timeline_app.core.formats import registry

    try:
        fmt = registry.export_format_for(args.to, args.format)
        period = When.parse(args.range) if args.range else None
    except (ValueError, DateError) as err:
        return _fail(f"--range: {err}" if isinstance(err, DateError) else str(err), 2)
    case = open_case_or_report(args.path)
    if case is None:
        return 2
    lanes = tuple(name.strip() for name in (args.lanes or "").split(",") if name.strip())
    try:
        selected = registry.select(case, period, lanes)
    except ValueError as err:
        return _fail(f"--lanes: {err}", 2)
    if fmt in registry.DATA_EXPORTS:
        return _export_data(selected, args, fmt)
    options = SnapshotOptions(fmt, period, lanes, args.scale, args.width)
    return _export_snapshot(selected, Path(args.to), options)


def _export_data(case: Any, args: argparse.Namespace, fmt: str) -> int:
    from timeline_app.core.formats import registry
    from timeline_app.core.formats.common import MissingDependencyError

    if args.scale is not None or args.width is not None:
        print(f"note: --scale and --width apply to snapshots, not to {fmt}", file=sys.stderr)
    try:
        report = registry.export_data(case, args.to, fmt)
    except MissingDependencyError as err:
        return _fail(str(err), 1)
    except OSError as err:
        return _fail(f"cannot write {args.to}: {err.strerror or err}", 1)
    for item in report:
        print(item, file=sys.stderr)
    written = len(case.events) - sum(1 for item in report if item.skipped)
    print(f"Exported {written} events to {args.to} ({fmt})")
    return 0


def snapshot_exporter(fmt: str) -> Callable[..., Any] | None:
    """The function drawing a snapshot format, or None while it is not available."""
    spec = SNAPSHOT_EXPORTERS.get(fmt)
    if spec is None:
        return None
    module_name, function = spec.split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as err:
        if err.name is not None and module_name.startswith(err.name):
            return None
        raise
    return getattr(module, function, None)


def _export_snapshot(case: Any, out: Path, options: SnapshotOptions) -> int:
    from timeline_app.core.formats.common import atomic_output

    exporter = snapshot_exporter(options.format)
    if exporter is None:
        return _fail(
            f"{options.format.upper()} export is not available yet in this version "
            "(data exports: csv, ics, timelinejs, zip)",
            2,
        )
    try:
        with atomic_output(out) as tmp:
            report = exporter(case, tmp, options) or []
    except OSError as err:
        return _fail(f"cannot write {out}: {err.strerror or err}", 1)
    except ValueError as err:  # sizes or ranges the snapshot cannot be drawn at
        return _fail(str(err), 2)
    for item in report:
        print(item, file=sys.stderr)
    print(f"Exported {len(case.events)} events to {out} ({options.format})")
    return 0


def _fail(message: str, code: int) -> int:
    print(f"timeline-app export: {message}", file=sys.stderr)
    return code
