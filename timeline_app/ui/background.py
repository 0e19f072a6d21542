"""Background work on the global QThreadPool, with callbacks on the main thread (Anki style).

``run_in_background(fn, on_done, on_progress)`` runs ``fn(job)`` in a pool thread. ``fn``
returns plain data (never QObjects) and may call ``job.report(...)`` to send progress and
``job.cancelled()`` to see whether it should stop. ``on_done(future)`` then runs on the main
thread: ``future.result()`` is what ``fn`` returned, or raises what it raised. Progress reports
arrive on the main thread too, in order, always before ``on_done``.

The only QObject involved, the :class:`BackgroundJob`, is created by the caller on the main
thread; the worker thread merely emits its signals, which Qt queues to the main thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from functools import partial
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QThreadPool, Signal

T = TypeVar("T")

_running: set[BackgroundJob] = set()  # keeps each job alive until its on_done has run


class BackgroundJob(QObject):
    """A handle on one piece of background work: report progress from it, cancel it."""

    progressed = Signal(object)
    finished = Signal(object)

    def __init__(
        self,
        on_done: Callable[[Future], None],
        on_progress: Callable[..., None] | None,
        owner: QObject | None = None,
    ) -> None:
        super().__init__()
        self._on_done: Callable[[Future], None] | None = on_done
        self._on_progress = on_progress
        self._cancel = threading.Event()
        self.done = False
        self.progressed.connect(self._deliver_progress)
        self.finished.connect(self._deliver_result)
        if owner is not None:
            owner.destroyed.connect(self._owner_destroyed)

    # ---- called from the worker thread

    def report(self, *values: Any) -> None:
        """Send progress (for example ``done, total``) to ``on_progress`` on the main thread."""
        if self._on_progress is not None and not self._cancel.is_set():
            _emit_if_alive(self.progressed, values)

    def cancelled(self) -> bool:
        """True once :meth:`cancel` has been called; long work should then stop soon."""
        return self._cancel.is_set()

    # ---- called from the main thread

    def cancel(self) -> None:
        """Ask the work to stop; no more progress is delivered. ``on_done`` still runs."""
        self._cancel.set()

    def _owner_destroyed(self) -> None:
        """The callbacks' object is gone: stop the work and call nothing back."""
        self.cancel()
        self._on_done = None

    def _deliver_progress(self, values: tuple) -> None:
        if self._on_progress is not None and not self._cancel.is_set():
            self._on_progress(*values)

    def _deliver_result(self, future: Future) -> None:
        self.done = True
        _running.discard(self)
        if self._on_done is not None:
            self._on_done(future)


def _run(fn: Callable[[BackgroundJob], Any], job: BackgroundJob) -> None:
    """In the pool thread: run ``fn(job)`` and hand the outcome, as a Future, to the job."""
    future: Future = Future()
    try:
        future.set_result(fn(job))
    except BaseException as err:  # delivered to on_done, which decides what to say
        future.set_exception(err)
    _emit_if_alive(job.finished, future)


def _emit_if_alive(signal: Any, value: Any) -> None:
    """Emit from a worker; when the application is shutting down the job's C++ object may
    already be gone, and then there is nobody left to tell."""
    try:
        signal.emit(value)
    except RuntimeError:  # "Signal source has been deleted"
        pass


def run_in_background(
    fn: Callable[[BackgroundJob], T],
    on_done: Callable[[Future], None],
    on_progress: Callable[..., None] | None = None,
    owner: QObject | None = None,
) -> BackgroundJob:
    """Run ``fn(job)`` in a pool thread; ``on_done(future)`` and ``on_progress(*values)``
    run on the main thread. Returns the job (to cancel it). Call from the main thread.

    Give the ``owner`` of the callbacks (a QObject) when it may be deleted before the work
    ends: the job is then cancelled and nothing is called back."""
    job = BackgroundJob(on_done, on_progress, owner)
    _running.add(job)
    QThreadPool.globalInstance().start(partial(_run, fn, job))
    return job
