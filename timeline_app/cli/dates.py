"""``timeline-app dates FILE|- [--anchor YYYY-MM-DD] [--json] [--day-first]``: the date
mentions of one text file (or stdin).

Offsets are Python str offsets into the text as read: UTF-8 (a BOM is dropped) with
newlines normalised to ``\\n``. Plain output is one line per mention,
``START-END<TAB>VALUE<TAB>TEXT``; ``--json`` prints a list of
``{start, end, text, value, confidence}`` objects.
"""

from __future__ import annotations

import argparse
import json
import sys

HELP = (
    "List the date mentions of a text file (or '-' for stdin) with their EDTF values. "
    "Relative mentions ('Friday', 'last year') need --anchor, the document's date."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="a UTF-8 text file, or - for standard input")
    parser.add_argument(
        "--anchor", metavar="YYYY-MM-DD", help="the document's date, for relative mentions"
    )
    parser.add_argument("--json", action="store_true", help="print a JSON list of mentions")
    parser.add_argument(
        "--day-first", action="store_true", help="read 6/7/2017 as 6 July (default: June 7)"
    )


def read_text(source: str) -> str:
    """The text of a file or of stdin ('-'): UTF-8, BOM stripped, newlines as \\n."""
    if source == "-":
        data = sys.stdin.buffer.read()
    else:
        with open(source, "rb") as handle:
            data = handle.read()
    text = data.decode("utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def run(args: argparse.Namespace) -> int:
    from timeline_app.core.extract import find_dates
    from timeline_app.core.extract_resolve import parse_anchor

    if args.anchor is not None:
        try:
            parse_anchor(args.anchor)
        except ValueError as err:
            print(f"timeline-app dates: --anchor: {err}", file=sys.stderr)
            return 2
    try:
        text = read_text(args.file)
    except OSError as err:
        print(
            f"timeline-app dates: cannot read {args.file}: {err.strerror or err}", file=sys.stderr
        )
        return 2
    except UnicodeDecodeError as err:
        print(
            f"timeline-app dates: {args.file} is not UTF-8 text (byte {err.start}: {err.reason})",
            file=sys.stderr,
        )
        return 2
    mentions = find_dates(text, args.anchor, day_first=args.day_first)
    if args.json:
        json.dump([m.as_dict() for m in mentions], sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    for m in mentions:
        shown = " ".join(m.text.split())
        print(f"{m.start}-{m.end}\t{m.value}\t{shown}")
    return 0
