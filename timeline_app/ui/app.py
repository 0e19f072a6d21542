"""Starting the GUI: the QApplication, the main window, the error hook, the startup probe.

With no path, ``timeline-app`` opens the case the user had open last (when it still
exists), else the shipped default case; a new user therefore meets the SOP 130 case.
A path that cannot be opened still shows the window (on the default case) with a
message saying why.

Set ``TIMELINE_APP_BENCH_FIRST_PAINT=1`` to make the app print
``{"first_paint_s": S}`` (seconds from process launch to the first painted main window)
and exit; ``TIMELINE_APP_BENCH_T0`` may carry the launch time (``time.time()``) measured
by the caller, otherwise the process start time is read from /proc.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

if TYPE_CHECKING:
    from timeline_app.ui.main_window import MainWindow

FIRST_PAINT_ENV = "TIMELINE_APP_BENCH_FIRST_PAINT"
LAUNCH_TIME_ENV = "TIMELINE_APP_BENCH_T0"

_error_box: QMessageBox | None = None


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication (created once), named and styled for timeline-app."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    from timeline_app import __version__
    from timeline_app.ui.icons import app_icon
    from timeline_app.ui.settings import APPLICATION, ORGANIZATION

    app.setApplicationName(APPLICATION)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationVersion(__version__)
    app.setApplicationDisplayName("timeline-app")
    app.setDesktopFileName("timeline-app")
    app.setWindowIcon(app_icon())
    app.setStyle("Fusion")
    return app


def run_gui(path: str | None) -> int:
    """Open the main window on ``path`` (or the last/default case); run until it closes."""
    app = make_app()
    install_excepthook()
    window = open_main_window(path)
    if os.environ.get(FIRST_PAINT_ENV):
        _probe = FirstPaintProbe(window)  # noqa: F841 (a child of the window)
    return app.exec()


def open_main_window(path: str | None) -> MainWindow:
    """The shown main window on ``path``; with None, the last case if it still exists, else
    the default case. A path that cannot be opened falls back to the default case (the
    window says why)."""
    from timeline_app.paths import default_case_dir
    from timeline_app.ui.main_window import MainWindow
    from timeline_app.ui.settings import app_settings, last_case_path

    settings = app_settings()
    window = MainWindow(settings)
    default = str(default_case_dir())
    target = path if path is not None else (last_case_path(settings) or default)
    if not window.open_case(target) and target != default:
        window.open_case(default)
    window.show()
    return window


def install_excepthook() -> None:
    """Uncaught exceptions: log the traceback to stderr and show a dialog; never vanish."""
    sys.excepthook = _show_uncaught


def _show_uncaught(
    kind: type[BaseException], error: BaseException, tb: TracebackType | None
) -> None:
    global _error_box
    traceback.print_exception(kind, error, tb, file=sys.stderr)
    if issubclass(kind, KeyboardInterrupt):
        QApplication.quit()
        return
    if QApplication.instance() is None or (_error_box is not None and _error_box.isVisible()):
        return  # one dialog at a time: a failing paint must not open hundreds
    box = QMessageBox(QMessageBox.Icon.Critical, "timeline-app: something went wrong", "")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(
        f"An unexpected error happened: {kind.__name__}: {error}\n\nYour files are unchanged."
    )
    box.setDetailedText("".join(traceback.format_exception(kind, error, tb)))
    box.open()
    _error_box = box


def seconds_since_launch() -> float:
    """Seconds since this process was launched (or since TIMELINE_APP_BENCH_T0)."""
    given = os.environ.get(LAUNCH_TIME_ENV)
    if given:
        return time.time() - float(given)
    try:  # process start and uptime are both counted from boot: no clock rounding
        with open("/proc/self/stat", encoding="ascii") as stat_file:
            fields = stat_file.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime", encoding="ascii") as uptime_file:
            uptime = float(uptime_file.read().split()[0])
        return uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22: starttime
    except (OSError, ValueError, IndexError):
        return time.process_time()


class FirstPaintProbe(QObject):
    """Prints the time from launch to the first paint of the window's canvas, then quits."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._done = False
        self._target = getattr(window, "canvas", window)
        self._target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if not self._done and watched is self._target and event.type() == QEvent.Type.Paint:
            self._done = True
            QTimer.singleShot(0, self._report)  # after this paint reaches the screen
        return False

    def _report(self) -> None:
        import json

        print(json.dumps({"first_paint_s": round(seconds_since_launch(), 3)}), flush=True)
        QApplication.quit()
