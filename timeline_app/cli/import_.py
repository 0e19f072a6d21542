"""``timeline-app import FILE... -o CASE_DIR [--format F] [--map FIELD=COLUMN,...]``:
make a new case from a timeline made elsewhere (TimelineJS JSON or spreadsheet CSV,
The Timeline Project .timeline, any CSV, a case .zip), or add documents to a case.

Timeline imports create CASE_DIR, which must not exist or be empty: the case is built in a
hidden folder beside it and renamed into place, so a failed import leaves nothing. The
report lists everything skipped, with file and row or element. Documents (.txt, .md, .html,
.pdf files and folders) go to ``timeline_app.core.documents.import_documents``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

HELP = (
    "Import a timeline (TimelineJS .json or spreadsheet .csv, The Timeline Project .timeline, "
    "any .csv with --map, a case .zip) into a new case folder, or documents into a case."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from timeline_app.core.formats.registry import IMPORT_FORMATS

    parser.add_argument(
        "files", nargs="+", metavar="FILE", help="the file (or documents) to import"
    )
    parser.add_argument(
        "-o", "--output", required=True, metavar="CASE_DIR", help="the case folder to create"
    )
    parser.add_argument(
        "--format", choices=IMPORT_FORMATS, help="input format (default: from the file)"
    )
    parser.add_argument(
        "--map",
        metavar="FIELD=COLUMN,...",
        help="generic CSV: which column holds each field, e.g. "
        "title=Headline,when=Date,lane=Group,summary=Notes,end=End Date "
        "(fields: id, title, when, end, lane, summary, tags, actors, url)",
    )
    parser.add_argument(
        "--dayfirst", action="store_true", help="generic CSV: read 01/02/2017 as 1 February"
    )


def run(args: argparse.Namespace) -> int:
    from timeline_app.core.formats import registry

    missing = [f for f in args.files if not Path(f).exists()]
    if missing:
        return _fail(f"no such file or folder: {missing[0]}", 2)
    try:
        formats = {registry.import_format_for(f, args.format) for f in args.files}
    except ValueError as err:
        return _fail(str(err), 2)
    if formats == {registry.DOCUMENTS}:
        return import_documents(args)
    if registry.DOCUMENTS in formats or len(args.files) > 1:
        return _fail("import one timeline file at a time (documents may be several)", 2)
    return _import_timeline(args, formats.pop())


def _import_timeline(args: argparse.Namespace, fmt: str) -> int:
    from timeline_app.core.formats import registry
    from timeline_app.core.formats.common import FormatError, MissingDependencyError, periods_of
    from timeline_app.core.formats.generic_csv import parse_mapping

    try:
        mapping = parse_mapping(args.map) if args.map else None
        if (mapping or args.dayfirst) and fmt != "csv":
            raise ValueError(f"--map and --dayfirst apply to generic CSV, not to {fmt}")
        result = registry.import_into(
            args.files[0], args.output, fmt, mapping=mapping, dayfirst=args.dayfirst
        )
    except FormatError as err:
        _print_report(err.report)
        return _fail(str(err), 2)
    except (registry.TargetError, ValueError) as err:
        return _fail(str(err), 2)
    except MissingDependencyError as err:
        return _fail(str(err), 1)
    except OSError as err:
        return _fail(f"cannot write {args.output}: {err.strerror or err}", 1)
    _print_report(result.report)
    case = result.case
    skipped = len(result.skipped)
    periods = len(periods_of(case))
    print(
        f"Imported {len(case.events)} events, {len(case.lanes)} lanes"
        + (f", {periods} background periods" if periods else "")
        + (f", {len(case.documents)} documents" if case.documents else "")
        + f" into {args.output}"
        + (f" ({skipped} items skipped, listed above)" if skipped else "")
    )
    return 0


def import_documents(args: argparse.Namespace) -> int:
    """Hand documents to ``timeline_app.core.documents.import_documents(paths, case_dir)``,
    which creates the case or adds to it and returns ``report`` lines and ``case`` (None when
    nothing was imported, and then nothing was written): exit 0 when something was."""
    try:
        from timeline_app.core.documents import import_documents as import_docs
    except ModuleNotFoundError as err:
        if err.name not in ("timeline_app.core.documents",):
            raise
        return _fail(
            "importing documents (.txt, .md, .html, .pdf, folders) is not available yet in "
            "this version; timelines can be imported from .json, .csv, .timeline and .zip",
            2,
        )
    result: Any = import_docs([Path(f) for f in args.files], Path(args.output))
    _print_report(getattr(result, "report", []))
    return 0 if getattr(result, "case", None) is not None else 2


def _print_report(items: Any) -> None:
    for item in items:
        print(item)


def _fail(message: str, code: int) -> int:
    print(f"timeline-app import: {message}", file=sys.stderr)
    return code
