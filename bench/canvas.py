"""Timeline canvas speed on the peer-vis synthetic case; prints one JSON object.

    python bench/canvas.py --events 100000 --json

Definitions (1200 x 800 canvas, offscreen, software raster into a QImage):
- load_s: case.json (written to a temp folder first, not timed) -> casefile.load_case ->
  canvas.set_case -> first full paint. Parts: parse_s, set_case_s, first_paint_ms.
- paint_full_ms: median repaint of the whole canvas fitted to all events (scene cached, as on
  an expose); paint_full_cold_ms also recomputes the scene (visible slice, packing, density).
- paint_zoomed_ms: the same zoomed to one month (June 2010); cold variant likewise.
- zoom_step_ms: median of 20 steps as peer-vis does them: window half as wide around the
  centre, then twice as wide, alternating, from the fitted view; each step = viewport change +
  full repaint. zoom_walk_ms: 20 steps zooming in by 1.25x each (a new level every step).
- pan_step_ms: median of 20 steps shifting by 10 % of the width (10 later, 10 back), fitted
  view like peer-vis; pan_year_ms and pan_month_ms do the same at one-year and one-month zoom.
- rss_mb: peak resident set size of the process (ru_maxrss).
- cpu_ms, load_cpu_s: the same in CPU time of this thread / process (the machine is shared;
  wall time includes waiting for a core).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import synth  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from timeline_app.core.casefile import load_case  # noqa: E402
from timeline_app.core.dates import day_number  # noqa: E402
from timeline_app.core.layout import Viewport  # noqa: E402
from timeline_app.ui.timeline_canvas import TimelineCanvas  # noqa: E402

WIDTH, HEIGHT = 1200, 800
STEPS = 20


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


class Bench:
    """Times canvas work in wall-clock time, and in this thread's CPU time (``cpu``), which
    other processes on a shared machine do not inflate."""

    def __init__(self, canvas: TimelineCanvas) -> None:
        self.canvas = canvas
        self.image = QImage(WIDTH, HEIGHT, QImage.Format.Format_ARGB32_Premultiplied)
        self.cpu: dict[str, float] = {}

    def paint(self) -> float:
        t = time.perf_counter()
        self.canvas.render(self.image)
        return time.perf_counter() - t

    def _median(self, name: str, steps: list) -> float:
        wall, cpu = [], []
        for step in steps:
            t, c = time.perf_counter(), time.thread_time()
            step()
            self.canvas.render(self.image)
            wall.append(time.perf_counter() - t)
            cpu.append(time.thread_time() - c)
        self.cpu[name] = statistics.median(cpu)
        return statistics.median(wall)

    def repaint_median(self, name: str, count: int, cold: bool) -> float:
        # cold: drop the cached scene first (benchmark only), so it is rebuilt for the paint
        step = self.canvas._invalidate if cold else (lambda: None)
        return self._median(name, [step] * count)

    def steps_median(self, name: str, viewports: list[Viewport]) -> float:
        return self._median(name, [partial(self.canvas.set_viewport, vp) for vp in viewports])


def _zoom_steps(start: Viewport) -> list[Viewport]:
    centre = start.width_px / 2
    half = start.zoom_at(centre, 2.0, 0.0)
    return [half if i % 2 == 0 else start for i in range(STEPS)]


def _zoom_walk(start: Viewport) -> list[Viewport]:
    out, vp = [], start
    for _ in range(STEPS):
        vp = vp.zoom_at(vp.width_px / 2, 1.25, 0.0)
        out.append(vp)
    return out


def _pan_steps(start: Viewport) -> list[Viewport]:
    out, vp = [], start
    for i in range(STEPS):
        vp = vp.pan_px(-start.width_px * 0.1 if i < STEPS // 2 else start.width_px * 0.1)
        out.append(vp)
    return out


def run(events: int, seed: int) -> dict:
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        folder = synth.write_case(Path(tmp) / "synthetic", events, seed)
        gc.collect()
        canvas = TimelineCanvas()
        canvas.resize(WIDTH, HEIGHT)
        bench = Bench(canvas)
        t0, c0 = time.perf_counter(), time.process_time()
        case, problems = load_case(folder)
        t1 = time.perf_counter()
        canvas.set_case(case)
        t2 = time.perf_counter()
        first_paint = bench.paint()
        load_s = time.perf_counter() - t0
        load_cpu_s = time.process_time() - c0
    result: dict = {"events": len(case.events), "load_s": round(load_s, 3)}
    fitted = canvas.viewport()
    result["paint_full_ms"] = _ms(bench.repaint_median("paint_full", 30, cold=False))
    result["paint_full_cold_ms"] = _ms(bench.repaint_median("paint_full_cold", 15, cold=True))
    time_w = fitted.width_px
    month = Viewport(day_number(2010, 6, 1), 30.0 / time_w, time_w)
    canvas.set_viewport(month)
    bench.paint()
    result["paint_zoomed_ms"] = _ms(bench.repaint_median("paint_zoomed", 30, cold=False))
    result["paint_zoomed_cold_ms"] = _ms(bench.repaint_median("paint_zoomed_cold", 15, cold=True))
    canvas.fit_all()
    bench.paint()
    result["zoom_step_ms"] = _ms(bench.steps_median("zoom_step", _zoom_steps(fitted)))
    result["zoom_walk_ms"] = _ms(bench.steps_median("zoom_walk", _zoom_walk(fitted)))
    result["pan_step_ms"] = _ms(bench.steps_median("pan_step", _pan_steps(fitted)))
    year = Viewport(day_number(2010, 1, 1), 365.0 / time_w, time_w)
    canvas.set_viewport(year)
    bench.paint()
    result["pan_year_ms"] = _ms(bench.steps_median("pan_year", _pan_steps(year)))
    canvas.set_viewport(month)
    bench.paint()
    result["pan_month_ms"] = _ms(bench.steps_median("pan_month", _pan_steps(month)))
    result["cpu_ms"] = {name: _ms(value) for name, value in bench.cpu.items()}
    result["load_cpu_s"] = round(load_cpu_s, 3)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result["rss_mb"] = round(peak_kb / 1024, 1)
    result.update(
        parse_s=round(t1 - t0, 3),
        set_case_s=round(t2 - t1, 3),
        first_paint_ms=_ms(first_paint),
        problems=len(problems),
        canvas=f"{WIDTH}x{HEIGHT}",
        seed=seed,
    )
    del app
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--json", action="store_true", help="print JSON (the only format)")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.events, args.seed)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
