"""The one entry point: ``timeline-app [PATH]`` opens the window, ``timeline-app VERB ...``
runs a headless command.

Each verb is a module of this package with ``HELP``, ``add_arguments(parser)`` and
``run(args) -> int`` (the exit code). Verb modules import heavy things (Qt, SQLite
indexes) inside ``run`` so that parsing the command line stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from timeline_app import __version__

# Verb name -> module under timeline_app.cli.
VERBS: dict[str, str] = {
    "validate": "validate",
    "events": "events",
    "screenshot": "screenshot",
    "apply": "apply",
    "dates": "dates",
    "search": "search",
    "export": "export",
    "import": "import_",
    "propose": "propose",
}

EXIT_OK = 0
EXIT_USAGE = 2  # also: the input is invalid


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="timeline-app",
        description="Open a case on a zoomable timeline. With no PATH, opens the default "
        "case (Milwaukee Police SOP 130, 2016-2019).",
        epilog="Commands: "
        + ", ".join(VERBS)
        + ". Run 'timeline-app COMMAND --help' for one command's options.",
    )
    parser.add_argument("--version", action="version", version=f"timeline-app {__version__}")
    parser.add_argument("path", nargs="?", help="a case folder or its case.json")
    return parser


def _verb_parser(verb: str) -> tuple[argparse.ArgumentParser, object]:
    module = importlib.import_module(f"timeline_app.cli.{VERBS[verb]}")
    parser = argparse.ArgumentParser(prog=f"timeline-app {verb}", description=module.HELP)
    module.add_arguments(parser)
    return parser, module


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in VERBS:
        parser, module = _verb_parser(args[0])
        parsed = parser.parse_args(args[1:])
        try:
            return int(module.run(parsed))
        except KeyboardInterrupt:
            return 130
        except BrokenPipeError:  # e.g. piped into head
            return EXIT_OK
    parsed = _gui_parser().parse_args(args)
    from timeline_app.ui.app import run_gui

    return run_gui(parsed.path)
