"""Importing documents into the open case from the window: File ▸ Import documents… and drops;
and :class:`BackgroundTask`, the worker with a progress dialog it runs on.

The files are read in a worker thread (:func:`timeline_app.core.documents.read_documents`,
plain data only) while a QProgressDialog shows how far it got and offers Cancel; a QTimer on
the main thread polls the worker. When it is done the documents are added to the case on the
main thread, as one undoable command, or, when the open case cannot be changed (the shipped
case, a read-only folder, no case), as a new unsaved case.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMimeData, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from timeline_app.core.document_text import SUFFIX_KINDS
from timeline_app.core.documents import read_documents

POLL_MS = 50
SHOW_PROGRESS_AFTER_MS = 300
FILE_FILTER = "Documents (" + " ".join(f"*{suffix}" for suffix in SUFFIX_KINDS) + ");;All files (*)"


def document_paths(mime: QMimeData) -> list[Path]:
    """The local document files and folders being dragged, when every one of them is one.

    A folder holding a case.json is a case to open, not documents: with one among them,
    nothing is taken as documents."""
    urls = mime.urls() if mime.hasUrls() else []
    paths = [Path(url.toLocalFile()) for url in urls if url.isLocalFile()]
    if not paths or len(paths) != len(urls):
        return []
    if any(p.is_dir() and (p / "case.json").exists() for p in paths):
        return []
    wanted = all(p.is_dir() or p.suffix.lower() in SUFFIX_KINDS for p in paths)
    return paths if wanted else []


@dataclass
class _Progress:
    """Shared between the worker (writes) and the main thread (reads); ints are atomic enough."""

    done: int = 0
    total: int = 0
    current: str = ""


Work = Callable[[Callable[[int, int, str], None], Callable[[], bool]], object]


class BackgroundTask(QObject):
    """Runs one piece of work at a time in a worker thread, with a progress dialog and Cancel.

    The work is ``fn(progress, cancelled)``: it calls ``progress(done, total, name)`` and
    stops soon after ``cancelled()`` turns true; it returns plain data. A QTimer on the main
    thread polls it. ``finished`` carries the result (check :attr:`was_cancelled`);
    ``failed`` a message when the work raised.
    """

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QWidget, title: str, step: str) -> None:
        super().__init__(parent)
        self._title = title
        self._step = step  # "Reading document" -> "Reading document 3 of 10"
        self._executor: ThreadPoolExecutor | None = None
        self._future: Future[object] | None = None
        self._cancel = threading.Event()
        self._progress = _Progress()
        self._dialog: QProgressDialog | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    @property
    def busy(self) -> bool:
        return self._future is not None

    @property
    def dialog(self) -> QProgressDialog | None:
        return self._dialog

    @property
    def was_cancelled(self) -> bool:
        return self._cancel.is_set()

    def start_work(self, fn: Work) -> bool:
        """Start ``fn`` in the worker; False when work is already running."""
        if self.busy:
            return False
        self._cancel.clear()
        self._progress = _Progress()
        self._dialog = self._make_dialog()
        progress, cancelled = _progress_writer(self._progress), self._cancel.is_set
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="timeline-task")
        self._future = self._executor.submit(fn, progress, cancelled)
        self._timer.start()
        return True

    def cancel(self) -> None:
        """Ask the work to stop; ``finished`` still comes, with what the work returned."""
        self._cancel.set()

    def shutdown(self) -> None:
        """Cancel and wait for the worker (when the window goes away)."""
        self.cancel()
        if self._executor is not None:
            self._executor.shutdown(wait=True)

    def _make_dialog(self) -> QProgressDialog:
        parent = self.parent()
        assert isinstance(parent, QWidget)
        dialog = QProgressDialog(f"{self._title}…", "Cancel", 0, 0, parent)
        dialog.setObjectName("background_progress")
        dialog.setWindowTitle(self._title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(SHOW_PROGRESS_AFTER_MS)
        dialog.setMinimumWidth(420)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        return dialog

    def _poll(self) -> None:
        dialog, progress = self._dialog, self._progress
        if dialog is not None and dialog.wasCanceled():
            self.cancel()
        if dialog is not None and progress.total:
            dialog.setMaximum(progress.total)
            dialog.setValue(progress.done)
            name = Path(progress.current).name if progress.current else ""
            number = min(progress.done + 1, progress.total)
            dialog.setLabelText(
                f"{self._step} {number} of {progress.total}" + (f"\n{name}" if name else "")
            )
        if self._future is None or not self._future.done():
            return
        self._finish(self._future, dialog)

    def _finish(self, future: Future[object], dialog: QProgressDialog | None) -> None:
        self._timer.stop()
        self._future = None
        if self._executor is not None:
            self._executor.shutdown(wait=False)  # its one thread has finished
            self._executor = None
        if dialog is not None:
            dialog.canceled.disconnect(self.cancel)
            dialog.close()
            dialog.deleteLater()
            self._dialog = None
        try:
            result = future.result()
        except Exception as err:  # noqa: BLE001 (said to the user, not a traceback)
            self.failed.emit(str(err))
            return
        self.finished.emit(result)


class DocumentReader(BackgroundTask):
    """Reads document files in the background. ``finished`` carries a :class:`DocumentBatch`
    (``batch.cancelled`` when the user cancelled)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, "Import documents", "Reading document")

    def start(self, paths: Sequence[Path], max_bytes: int | None = None) -> bool:
        """Start reading ``paths`` (files and folders); False when a read is already running."""
        chosen = list(paths)

        def work(progress: Callable[[int, int, str], None], cancelled: Callable[[], bool]):
            return read_documents(
                chosen, max_bytes=max_bytes, progress=progress, cancelled=cancelled
            )

        return self.start_work(work)


def _progress_writer(progress: _Progress) -> Callable[[int, int, str], None]:
    def write(done: int, total: int, current: str) -> None:
        progress.total = total
        progress.done = done
        progress.current = current

    return write
