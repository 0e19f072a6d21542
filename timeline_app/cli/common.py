"""Helpers shared by the CLI verbs: opening a case and printing its problems."""

from __future__ import annotations

import argparse
import sys

from timeline_app.core.casefile import CaseLoadError, load_case
from timeline_app.core.model import Case
from timeline_app.paths import default_case_dir


def add_case_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path",
        nargs="?",
        default=None,
        help="a case folder or its case.json (default: the shipped SOP 130 case)",
    )


def case_path(arg: str | None) -> str:
    return str(default_case_dir()) if arg is None else arg


def open_case_or_report(arg: str | None) -> Case | None:
    """Load a case; print its problems to stderr. None when it cannot be opened at all."""
    try:
        case, problems = load_case(case_path(arg))
    except CaseLoadError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return None
    for problem in problems:
        print(problem, file=sys.stderr)
    return case
