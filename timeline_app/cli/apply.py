"""``timeline-app apply [PATH] EDITS.jsonl [--dry-run]``: apply a file of edits to a case.

Every line is checked (parsed and done, in order, on the case in memory) before anything is
written; on any problem all of them are listed and the case on disk is left as it was.
docs/edits-format.md describes the format.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from timeline_app.core.edits import AppliedEdit

HELP = (
    "Apply a file of edits (one JSON object a line, see docs/edits-format.md) to a case: all "
    "are checked first; on any error nothing is written. The shipped default case is read-only: "
    "give PATH (only --dry-run may leave it out)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", default=None, help="a case folder or its case.json")
    parser.add_argument("edits", help="the edit file (JSON Lines; '-' reads standard input)")
    parser.add_argument(
        "--dry-run", action="store_true", help="check and report the changes; write nothing"
    )


def run(args: argparse.Namespace) -> int:
    from timeline_app.core.casefile import CaseLoadError, load_case, save_case
    from timeline_app.core.edits import apply_edits
    from timeline_app.paths import default_case_dir

    if not args.dry_run and _is_default_case(args.path, default_case_dir()):
        print(
            "apply: the shipped default case is read-only; copy it to a folder of your own and "
            "give that folder: timeline-app apply PATH EDITS.jsonl (or use --dry-run)",
            file=sys.stderr,
        )
        return 2
    text = _read_edits(args.edits)
    if text is None:
        return 2
    path = str(default_case_dir()) if args.path is None else args.path
    try:
        case, problems = load_case(path)
    except CaseLoadError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return 2
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"apply: {path} has problems; fix them first, nothing written", file=sys.stderr)
        return 2
    applied, edit_problems = apply_edits(case, text)
    if edit_problems:
        for edit_problem in edit_problems:
            print(edit_problem.format(args.edits), file=sys.stderr)
        count = len(edit_problems)
        print(f"apply: {count} error{'s' * (count != 1)}; nothing written", file=sys.stderr)
        return 2
    if not applied:
        print(f"apply: {args.edits} holds no edits; nothing written")
        return 0
    if args.dry_run:
        _report(applied, f"Would apply {len(applied)} edits to {path} (dry run, nothing written)")
        return 0
    try:
        save_case(case)
    except (OSError, ValueError) as err:
        print(
            f"apply: could not save {path}: {err}; the case on disk is unchanged", file=sys.stderr
        )
        return 1
    _report(applied, f"Applied {len(applied)} edits to {path}")
    return 0


def _is_default_case(path: str | None, default: Path) -> bool:
    if path is None:
        return True
    target = Path(path).resolve()
    if target.name == "case.json":
        target = target.parent
    return target == default.resolve()


def _read_edits(name: str) -> str | None:
    try:
        if name == "-":
            return sys.stdin.read()
        return Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        print(f"apply: cannot read {name}: {err}", file=sys.stderr)
        return None


def _report(applied: list[AppliedEdit], heading: str) -> None:
    counts = Counter(edit.op for edit in applied)
    summary = ", ".join(f"{op} {n}" for op, n in counts.items())
    print(f"{heading}{': ' + summary if summary else ''}")
    for edit in applied:
        print(f"  line {edit.line}: {edit.command.text}")
