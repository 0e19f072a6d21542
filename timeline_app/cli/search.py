"""``timeline-app search [PATH] QUERY [--json] [--limit N]``: ranked hits in a case."""

from __future__ import annotations

import argparse
import json
import sys

HELP = (
    'Search a case\'s documents and events. QUERY: words (all must match), "a phrase", '
    "word*, -word, a OR b, and filters lane:NAME tag:NAME doc:ID after:DATE before:DATE."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.usage = "%(prog)s [-h] [--json] [--limit N] [PATH] QUERY"
    parser.epilog = "Put -- before a query that starts with a dash: search -- '-flynn lane:city'."
    parser.add_argument(
        "args",
        nargs="+",
        metavar="[PATH] QUERY",
        help="a case folder or its case.json (default: the shipped SOP 130 case), then the query",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON list of hits")
    parser.add_argument(
        "--limit", type=_positive, default=20, metavar="N", help="at most N hits (default 20)"
    )


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {value}")
    return value


def run(args: argparse.Namespace) -> int:
    from timeline_app.cli.common import open_case_or_report
    from timeline_app.core.query import QueryError, parse_query
    from timeline_app.core.search import SearchUnavailable, check_fts5
    from timeline_app.core.search_cache import cached_index_if_fresh, open_index

    if len(args.args) > 2:
        print(
            "timeline-app search: give [PATH] QUERY; quote a query of several words, "
            "e.g. timeline-app search 'shall inform'",
            file=sys.stderr,
        )
        return 2
    path, text = (None, args.args[0]) if len(args.args) == 1 else args.args
    try:
        parse_query(text)  # a bad query is reported before any indexing work
        check_fts5()
    except QueryError as err:
        print(f"timeline-app search: {err}", file=sys.stderr)
        return 2
    except SearchUnavailable as err:
        print(f"timeline-app search: {err}", file=sys.stderr)
        return 1
    case = open_case_or_report(path)
    if case is None:
        return 2
    index = cached_index_if_fresh(case)
    if index is None:
        if len(case.documents) + len(case.events) > 5000:
            print("Indexing the case for search (once; cached for later)…", file=sys.stderr)
        index = open_index(case)
    try:
        hits = index.search(text, limit=args.limit)
    except QueryError as err:
        print(f"timeline-app search: {err}", file=sys.stderr)
        return 2
    finally:
        index.close()
    if args.json:
        json.dump([hit.to_dict() for hit in hits], sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    if not hits:
        print("No matches.")
    for n, hit in enumerate(hits):
        if n:
            print()
        print(f"{hit.kind} {hit.id}  (score {hit.score:g})")
        print(f"  {hit.title}")
        print(f"  {marked(hit.snippet, hit.snippet_matches)}")
    return 0


def marked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each span wrapped in [brackets]."""
    out = []
    pos = 0
    for start, end in spans:
        if start < pos:
            continue
        out.append(text[pos:start] + "[" + text[start:end] + "]")
        pos = end
    return "".join(out) + text[pos:]
