"""``timeline-app propose [PATH] [--doc ID] [--json]``: the events the documents of a case
suggest: each date mention not yet cited by an event, with its sentence and a title.

Plain output is one line per proposal, ``WHEN<TAB>TITLE<TAB>DOC:START-END``; ``--json``
prints a list of objects with id, document, when, title, quote, start, end, mention
(start, end, text) and confidence.
"""

from __future__ import annotations

import argparse
import json
import sys

from timeline_app.cli.common import add_case_argument

HELP = (
    "List proposed events found in a case's documents: each date mention not yet cited by "
    "an event, with the sentence it is in (the source quote) and a suggested title."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_case_argument(parser)
    parser.add_argument(
        "--doc",
        action="append",
        metavar="ID",
        help="only this document (repeat for several; default: every document)",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON list of proposals")


def run(args: argparse.Namespace) -> int:
    from timeline_app.cli.common import open_case_or_report
    from timeline_app.core.propose import propose

    case = open_case_or_report(args.path)
    if case is None:
        return 2
    try:
        proposals = propose(case, args.doc)
    except KeyError as err:
        print(f"timeline-app propose: --doc: {err.args[0]}", file=sys.stderr)
        return 2
    if args.json:
        json.dump([p.as_dict() for p in proposals], sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    for p in proposals:
        print(f"{p.when}\t{p.title}\t{p.document}:{p.start}-{p.end}")
    if not proposals:
        print("No proposals: every date in these documents is already cited", file=sys.stderr)
    return 0
