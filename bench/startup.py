"""Startup benchmark: seconds from launching ``python -m timeline_app`` to its first paint.

Runs the app offscreen on the default case with TIMELINE_APP_BENCH_FIRST_PAINT=1, which
makes it print {"first_paint_s": S} after the main window's first paint and exit.
Prints {"first_paint_s": median, "runs": [...]} as JSON (--json) or a line of text.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

TIMEOUT_S = 60


def measure_once(settings_file: str) -> float:
    """Launch the app once; the seconds it reports from launch to first paint."""
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        TIMELINE_APP_BENCH_FIRST_PAINT="1",
        TIMELINE_APP_SETTINGS=settings_file,  # never the user's settings or last case
        TIMELINE_APP_BENCH_T0=repr(time.time()),
    )
    done = subprocess.run(
        [sys.executable, "-m", "timeline_app"],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("{"):
            return float(json.loads(line)["first_paint_s"])
    raise RuntimeError(
        f"the app did not report its first paint (exit {done.returncode}):\n{done.stderr[-2000:]}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="launches to take the median of")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings_file = os.path.join(folder, "settings.ini")
        measure_once(settings_file)  # warm the file cache; not counted
        runs = [measure_once(settings_file) for _ in range(max(1, args.runs))]
    result = {"first_paint_s": round(statistics.median(runs), 3), "runs": runs}
    print(json.dumps(result) if args.json else f"first paint: {result['first_paint_s']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
