"""``timeline-app validate [PATH]``: check a case and list every problem.

Problems go to stdout, one per line (``FILE:LINE:COL: JSON.PATH: message``), so they
can be piped or parsed; the count goes to stderr. Exit 0 when valid, 2 otherwise.
"""

from __future__ import annotations

import argparse
import sys

from timeline_app.cli.common import add_case_argument, case_path

HELP = (
    "Check a case file and its documents. Prints 'OK: ...' and exits 0 when valid; "
    "otherwise prints every problem as FILE:LINE:COL: JSON.PATH: message and exits 2."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_case_argument(parser)


def run(args: argparse.Namespace) -> int:
    from timeline_app.core.casefile import CaseLoadError, load_case

    try:
        case, problems = load_case(case_path(args.path))
    except CaseLoadError as err:
        case, problems = None, err.problems
    for problem in problems:
        print(problem)
    if problems or case is None:
        noun = "problem" if len(problems) == 1 else "problems"
        print(f"{len(problems)} {noun} found", file=sys.stderr)
        return 2
    print(
        f"OK: {case.title} ({len(case.events)} events, {len(case.lanes)} lanes, "
        f"{len(case.documents)} documents)"
    )
    return 0
