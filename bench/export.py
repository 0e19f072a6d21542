"""Snapshot export speed on the peer-vis synthetic case; prints one JSON object.

    python bench/export.py --events 100000 --json

Each figure is the wall time (seconds) of one whole-case export as ``timeline-app export``
runs it after loading the case: building the picture (canvas data, packing or density,
fitting the labels) and writing the file, offscreen. The QApplication is created before the
clock starts. Keys: events, png_s, svg_s, pdf_s, html_s, and the output sizes in bytes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import synth  # noqa: E402

from timeline_app.cli.export import SnapshotOptions, snapshot_exporter  # noqa: E402
from timeline_app.ui.export_image import ensure_app  # noqa: E402

FORMATS = ("png", "svg", "pdf", "html")


def time_export(case, fmt: str, folder: Path) -> tuple[float, int]:
    """Seconds to export ``case`` as ``fmt`` (whole case, default options), and the size."""
    exporter = snapshot_exporter(fmt)
    if exporter is None:
        return -1.0, 0  # not available
    out = folder / f"bench.{fmt}"
    t0 = time.perf_counter()
    exporter(case, out, SnapshotOptions(fmt))
    return time.perf_counter() - t0, out.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--json", action="store_true", help="print only the JSON object")
    parser.add_argument("--keep", metavar="DIR", help="write the exports here and keep them")
    args = parser.parse_args()
    ensure_app()
    case = synth.make_case(args.events, args.seed)
    result: dict[str, float | int | None] = {"events": args.events}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for fmt in FORMATS:
            seconds, size = time_export(case, fmt, folder)
            result[f"{fmt}_s"] = round(seconds, 3) if seconds >= 0 else None
            result[f"{fmt}_bytes"] = size
    if not args.json:
        print(f"Whole-case snapshot exports of {args.events} synthetic events:", file=sys.stderr)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
