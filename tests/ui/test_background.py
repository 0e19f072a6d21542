"""run_in_background: work in a pool thread, callbacks (progress, then done) on the main thread."""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future

import pytest
from PySide6.QtCore import QObject

from timeline_app.ui.background import BackgroundJob, run_in_background


class Recorder:
    """Collects what the callbacks received and on which thread they ran."""

    def __init__(self) -> None:
        self.progress: list[tuple] = []
        self.progress_threads: set[int] = set()
        self.future: Future | None = None
        self.done_thread: int | None = None
        self.progress_when_done = -1

    def on_progress(self, *values: object) -> None:
        self.progress.append(values)
        self.progress_threads.add(threading.get_ident())

    def on_done(self, future: Future) -> None:
        self.future = future
        self.done_thread = threading.get_ident()
        self.progress_when_done = len(self.progress)


def test_work_runs_in_a_worker_and_callbacks_on_the_main_thread(qtbot) -> None:
    seen = Recorder()
    worker_threads: list[int] = []

    def work(job: BackgroundJob) -> str:
        worker_threads.append(threading.get_ident())
        for done in range(1, 6):
            job.report(done, 5)
        return "built"

    run_in_background(work, seen.on_done, seen.on_progress)
    qtbot.waitUntil(lambda: seen.future is not None)
    main = threading.get_ident()
    assert worker_threads and worker_threads[0] != main
    assert seen.done_thread == main
    assert seen.progress_threads == {main}
    assert seen.progress == [(d, 5) for d in range(1, 6)]  # all of them, in order
    assert seen.progress_when_done == 5  # progress arrives before on_done
    assert seen.future.result() == "built"


def test_an_exception_in_the_work_is_raised_by_the_future(qtbot) -> None:
    seen = Recorder()

    def work(job: BackgroundJob) -> None:
        raise ValueError("no such thing")

    run_in_background(work, seen.on_done)
    qtbot.waitUntil(lambda: seen.future is not None)
    with pytest.raises(ValueError, match="no such thing"):
        seen.future.result()


def test_cancel_stops_the_work_and_its_progress_but_on_done_still_runs(qtbot) -> None:
    seen = Recorder()
    started = threading.Event()

    def work(job: BackgroundJob) -> int:
        started.set()
        steps = 0
        while not job.cancelled() and steps < 10_000:
            steps += 1
            time.sleep(0.001)
        job.report(steps)  # after cancel(): never delivered
        return steps

    job = run_in_background(work, seen.on_done, seen.on_progress)
    assert started.wait(5)
    job.cancel()
    qtbot.waitUntil(lambda: seen.future is not None)
    assert seen.future.result() < 10_000
    assert seen.progress == []


def test_nothing_is_called_back_once_the_owner_is_deleted(qtbot) -> None:
    seen = Recorder()
    owner = QObject()
    release = threading.Event()

    def work(job: BackgroundJob) -> str:
        release.wait(5)
        job.report(1, 1)
        return "late"

    job = run_in_background(work, seen.on_done, seen.on_progress, owner=owner)
    owner.deleteLater()
    qtbot.waitUntil(job.cancelled)
    release.set()
    qtbot.waitUntil(lambda: job.done)
    assert seen.future is None and seen.progress == []
