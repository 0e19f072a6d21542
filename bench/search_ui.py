"""Search in the window: how soon the first results appear after a keystroke.

Opens the main window (offscreen) on bench/search.py's generated case (N documents of about
500 words plus 100,000 events), waits for the background index build, then for each query of
bench/search.py's fixed mix of 50 times a change of the field's text after a pause in typing,
which is answered at once (run the query, fill the results model, emphasise the matching
events on the canvas); keys typed in a fast burst after it are answered when typing pauses.
``with_paint_ms_median`` also counts repainting the results list and the canvas;
``all_results_ms_median`` is until the worker's longer list and canvas emphasis are shown
(it starts once typing pauses for 350 ms); ``worker_busy_first_results_ms_*`` time queries
typed while that worker is still searching. ``ui_stall_ms_*_while_indexing``: how late a
10 ms timer fired on the main thread while the index was built in the background.

    python bench/search_ui.py --docs 10000 --json
prints {"docs", "events", "first_results_ms_median", "first_results_ms_p95", ...}.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from search import make_bench_case, query_mix  # noqa: E402


def _wait(app, condition, timeout_s: float) -> None:
    end = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the search index was not ready in time")
        app.processEvents()
        time.sleep(0.005)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))]


class _StallMeter:
    """How late a 10 ms timer fires on the main thread: the longest the window was frozen."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.gaps_ms: list[float] = [0.0]
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    @property
    def worst_ms(self) -> float:
        return max(self.gaps_ms)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps_ms.append((now - self._last) * 1000 - 10)
        self._last = now

    def stop(self) -> None:
        self._timer.stop()


def run(n_docs: int, n_events: int, rounds: int = 3) -> dict:
    case, corpus = make_bench_case(n_docs, n_events)
    with tempfile.TemporaryDirectory() as cache:
        os.environ["XDG_CACHE_HOME"] = cache  # a cold cache: the window builds the index
        from timeline_app.ui.app import make_app
        from timeline_app.ui.main_window import MainWindow

        app = make_app()
        window = MainWindow()
        window.resize(1280, 800)
        window.show()
        t0 = time.perf_counter()
        window.set_case(case, [])
        open_s = time.perf_counter() - t0
        panel = window.search_panel
        app.processEvents()  # the first paint of 100,000 events is the canvas's, not search's
        stalls = _StallMeter()
        _wait(app, lambda: panel.index_ready, 600)
        ready_s = time.perf_counter() - t0
        stalls.stop()
        mix = query_mix(corpus, case)
        first_ms, painted_ms, complete_ms, busy_ms, rows = [], [], [], [], []
        for round_no in range(rounds + 1):
            for query in mix:
                panel._debounce.stop()  # the user paused: the next keystroke is answered at once
                t = time.perf_counter()
                panel.field.setText(query)  # the keystroke: text changed -> query -> results
                elapsed = (time.perf_counter() - t) * 1000
                assert panel.answered_text == query, (panel.answered_text, query)
                if round_no == rounds:  # the last round: the previous query's worker is busy
                    busy_ms.append(elapsed)
                    panel._more_timer.setInterval(0)
                    _wait(app, lambda: panel._more_job is not None or not panel._more_for, 5)
                    continue
                first_ms.append(elapsed)
                panel.results_view.repaint()
                window.canvas.repaint()
                painted_ms.append((time.perf_counter() - t) * 1000)
                _wait(app, lambda: panel._more_for is None and panel._more_job is None, 60)
                complete_ms.append((time.perf_counter() - t) * 1000)
                rows.append(panel.model.rowCount())
        window.close()
    return {
        "docs": n_docs,
        "events": n_events,
        "first_results_ms_median": round(statistics.median(first_ms), 2),
        "first_results_ms_p95": round(_percentile(first_ms, 0.95), 2),
        "first_results_ms_max": round(max(first_ms), 2),
        "with_paint_ms_median": round(statistics.median(painted_ms), 2),
        "with_paint_ms_p95": round(_percentile(painted_ms, 0.95), 2),
        "all_results_ms_median": round(statistics.median(complete_ms), 1),
        "worker_busy_first_results_ms_median": round(statistics.median(busy_ms), 2),
        "worker_busy_first_results_ms_p95": round(_percentile(busy_ms, 0.95), 2),
        "queries_with_results": sum(1 for n in rows[: len(mix)] if n),
        "set_case_s": round(open_s, 2),
        "index_ready_s": round(ready_s, 2),
        "ui_stall_ms_max_while_indexing": round(stalls.worst_ms, 1),
        "ui_stall_ms_p99_while_indexing": round(_percentile(stalls.gaps_ms, 0.99), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--json", action="store_true", help="print only the JSON result")
    args = parser.parse_args()
    result = run(args.docs, args.events)
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
