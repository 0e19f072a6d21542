"""Keeps the open case's search index: built or updated in the background, opened on the
main thread.

The worker thread runs :func:`~timeline_app.core.search_cache.open_index` (reuse the cached
index, update it, or build it) with its own SQLite connection, closes it and returns only
the file's path; the main thread then opens its own connection to that file. Signals say
what happened: ``index_ready``, ``index_failed(message)``, ``progressed(percent)``.
"""

from __future__ import annotations

import sqlite3
import threading
from concurrent.futures import Future
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal

from timeline_app.core.model import Case
from timeline_app.core.search import BuildCancelled, SearchIndex, SearchUnavailable
from timeline_app.core.search_cache import open_index
from timeline_app.ui.background import BackgroundJob, run_in_background


def build_index_file(case: Case, job: BackgroundJob) -> Path:
    """Worker side: bring the cached index of ``case`` up to date; returns its file."""
    index = open_index(case, progress=job.report, cancelled=job.cancelled)
    try:
        if index.path is None:  # open_index always caches to a file; be safe anyway
            raise OSError("the search index has no file")
        return index.path
    finally:
        index.close()


_worker_indexes = threading.local()  # each pool thread's own connection: (key, SearchIndex)


def search_in_worker(key: tuple[Path, int], text: str, limit: int, job: BackgroundJob) -> list:
    """Worker side: ``search`` on this thread's own connection to the index file ``key[0]``
    (``key[1]``: the keeper's generation, so a rebuilt file is opened afresh)."""
    held = getattr(_worker_indexes, "held", None)
    if held is None or held[0] != key:
        if held is not None:
            held[1].close()
        _worker_indexes.held = held = (key, SearchIndex.open(key[0]))
    return held[1].search(text, limit=limit)


class IndexKeeper(QObject):
    """The search index of one case at a time; ``index`` is None while it is being made."""

    index_ready = Signal()
    index_failed = Signal(str)
    progressed = Signal(int)  # percent done

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.index: SearchIndex | None = None
        self.generation = 0  # bumped whenever ``index`` is opened anew
        self._job: BackgroundJob | None = None
        self._case: Case | None = None
        app = QCoreApplication.instance()
        if app is not None:  # quitting stops a build at its next batch instead of waiting
            app.aboutToQuit.connect(self.stop)

    @property
    def building(self) -> bool:
        return self._job is not None

    @property
    def worker_key(self) -> tuple[Path, int] | None:
        """What :func:`search_in_worker` needs to open its own connection; None when no index."""
        if self.index is None or self.index.path is None:
            return None
        return self.index.path, self.generation

    def set_case(self, case: Case | None) -> None:
        """Forget the current index and make the one of ``case`` (in the background)."""
        self._case = case
        self.refresh()

    def refresh(self) -> None:
        """Bring the index up to date with the case (after it changed)."""
        self.stop()
        if self._case is None:
            return
        case = self._case
        self._job = run_in_background(
            partial(build_index_file, case), self._job_done, self._job_progress, owner=self
        )

    def stop(self) -> None:
        """Cancel any build and close the index (the main thread's connection)."""
        if self._job is not None:
            self._job.cancel()
            self._job = None
        if self.index is not None:
            self.index.close()
            self.index = None

    def _job_progress(self, done: int, total: int) -> None:
        if self._job is not None:
            self.progressed.emit(round(100 * done / total) if total else 0)

    def _job_done(self, future: Future) -> None:
        if self._job is None or not self._job.done:
            return  # a cancelled or superseded build (the current one is not done yet)
        self._job = None
        try:
            path = future.result()
            self.index = SearchIndex.open(path)
            self.generation += 1
        except BuildCancelled:
            return
        except SearchUnavailable as err:
            self.index_failed.emit(str(err))
            return
        except (OSError, ValueError, sqlite3.Error) as err:
            self.index_failed.emit(f"The search index could not be made: {err}")
            return
        self.index_ready.emit()
