"""How long the window takes to show an edit of one event on a large case; prints JSON.

    python bench/edit.py --events 100000

A MainWindow (1280 x 800, offscreen) shows the peer-vis synthetic case (bench/synth.py) with an
event selected. Each of ``--edits`` edits (default 20) is pushed through the window's editing
controller, as its dialogs and drags do: in turn a new title, a new date (the event moves in
time order), another lane, a new event, a duplicate, a deletion. Timed per edit (main thread):
the command, the refresh of every view (`MainWindow.refresh_after_edit`) and a repaint of the
canvas and the event list. The search index is then brought up to date in the background
(its worker starts once the event loop turns, after the views have painted) before the next
edit; not timed in edit_refresh_ms, its wall time is search_update_s_median.

Output: events, edits, edit_refresh_ms_median, edit_refresh_ms_max, edit_refresh_cpu_ms_median
(this thread's CPU time), by_kind_ms (median per kind of edit), search_update_s_median.
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

os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import synth  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from timeline_app.core.commands import (  # noqa: E402
    AddEvent,
    Command,
    DeleteEvent,
    DuplicateEvent,
    UpdateEvent,
)
from timeline_app.core.dates import When  # noqa: E402
from timeline_app.core.model import Event  # noqa: E402
from timeline_app.ui.main_window import MainWindow  # noqa: E402

KINDS = ("title", "date", "lane", "add", "duplicate", "delete")


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _wait_for_search(app: QApplication, window: MainWindow, limit_s: float = 120.0) -> float:
    """Let the background search index update finish; its wall time (s)."""
    t = time.perf_counter()
    while not window.search_panel.index_ready and time.perf_counter() - t < limit_s:
        app.processEvents()
        time.sleep(0.005)
    app.processEvents()
    return time.perf_counter() - t


def _command(kind: str, window: MainWindow, number: int) -> tuple[Command, str | None]:
    """The edit of this kind on the selected event, and the event to select afterwards."""
    case = window.case
    assert case is not None
    event_id = window.selected_id()
    event = case.event_by_id(event_id) if event_id else None
    assert event is not None
    if kind == "title":
        return UpdateEvent(event.id, {"title": f"{event.title} (edited {number})"}), event.id
    if kind == "date":
        year = 2001 + number % 18
        return UpdateEvent(event.id, {"when": f"{year}-0{1 + number % 9}-1{number % 10}"}), event.id
    if kind == "lane":
        lanes = [lane.id for lane in case.lanes if lane.id != event.lane]
        return UpdateEvent(event.id, {"lane": lanes[number % len(lanes)]}), event.id
    if kind == "add":
        new = Event(f"bench-new-{number}", f"New event {number}", When.parse("2010-06-15"))
        new.lane = case.lanes[0].id
        return AddEvent(new), new.id
    if kind == "duplicate":
        command = DuplicateEvent(event.id)
        return command, None
    ordered = [ev.id for ev in case.events_in_time_order()]
    at = ordered.index(event.id)
    return DeleteEvent(event.id), ordered[at + 1] if at + 1 < len(ordered) else ordered[at - 1]


def run(events: int, edits: int, seed: int) -> dict:
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")  # a fresh search index cache
        folder = synth.write_case(Path(tmp) / "synthetic", events, seed)
        window = MainWindow()
        window.resize(1280, 800)
        if not window.open_case(folder):
            raise SystemExit(f"cannot open {folder}")
        window.show()
        app.processEvents()
        _wait_for_search(app, window)
        case = window.case
        assert case is not None
        window.select_event(case.events_in_time_order()[len(case.events) // 2].id)
        app.processEvents()
        wall: list[float] = []
        cpu: list[float] = []
        by_kind: dict[str, list[float]] = {kind: [] for kind in KINDS}
        search: list[float] = []
        for number in range(edits):
            kind = KINDS[number % len(KINDS)]
            command, select = _command(kind, window, number)
            t, c = time.perf_counter(), time.thread_time()
            if not window.editing.push(command, select=select):
                raise SystemExit(f"edit {number} ({kind}) failed")
            if kind == "duplicate":
                window.select_event(command.new_id)  # as Edit > Duplicate does
            window.canvas.repaint()
            window.event_list.viewport().repaint()
            wall.append(time.perf_counter() - t)
            cpu.append(time.thread_time() - c)
            by_kind[kind].append(wall[-1])
            search.append(_wait_for_search(app, window))
        window.editing.history.set_clean()  # type: ignore[union-attr]
        window.close()
    return {
        "events": events,
        "edits": edits,
        "edit_refresh_ms_median": _ms(statistics.median(wall)),
        "edit_refresh_ms_max": _ms(max(wall)),
        "edit_refresh_cpu_ms_median": _ms(statistics.median(cpu)),
        "by_kind_ms": {k: _ms(statistics.median(v)) for k, v in by_kind.items() if v},
        "search_update_s_median": round(statistics.median(search), 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--json", action="store_true", help="print JSON (the only format)")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.events, args.edits, args.seed)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
