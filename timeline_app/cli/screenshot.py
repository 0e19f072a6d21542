"""``timeline-app screenshot``: render the main window offscreen to a PNG."""

from __future__ import annotations

import argparse
import os
import sys

from timeline_app.cli.common import add_case_argument, case_path

HELP = (
    "Render the main window offscreen (no display needed) to a PNG, optionally with one "
    "event selected and its sources shown in the detail pane."
)
DEFAULT_WIDTH = 1400
DEFAULT_HEIGHT = 900


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_case_argument(parser)
    parser.add_argument("-o", "--output", required=True, help="the PNG file to write")
    parser.add_argument("--width", type=_size, default=DEFAULT_WIDTH, help="pixels (default 1400)")
    parser.add_argument("--height", type=_size, default=DEFAULT_HEIGHT, help="pixels (default 900)")
    parser.add_argument("--select", metavar="EVENT_ID", help="the id of the event to select")
    parser.add_argument(
        "--range",
        metavar="EDTF",
        help="show this period on the timeline instead of the whole case, e.g. 2016-01/2020-03 "
        "(write --range=-0043/0014 for a negative year)",
    )


def _size(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a whole number of pixels, got {text!r}"
        ) from None
    if not 200 <= value <= 10000:
        raise argparse.ArgumentTypeError(f"expected 200 to 10000 pixels, got {value}")
    return value


def run(args: argparse.Namespace) -> int:
    period = None
    if args.range:
        from timeline_app.core.dates import DateError, When

        try:
            period = When.parse(args.range)
        except DateError as err:
            print(f"error: --range: {err}", file=sys.stderr)
            return 2
    args.period = period
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # only read when the QApplication is created
    from PySide6.QtCore import qInstallMessageHandler

    from timeline_app.ui.app import make_app
    from timeline_app.ui.main_window import MainWindow

    previous_handler = qInstallMessageHandler(_drop_offscreen_noise)
    app = make_app()
    window = MainWindow()
    try:
        return _render(app, window, args)
    finally:
        window.close()
        window.deleteLater()
        qInstallMessageHandler(previous_handler)


def _drop_offscreen_noise(_kind: object, _context: object, message: str) -> None:
    """Qt's messages to stderr, without the offscreen plugin's harmless size-hint notices."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def _render(app, window, args: argparse.Namespace) -> int:
    from timeline_app.core.casefile import CaseLoadError, load_case

    path = case_path(args.path)
    try:
        case, problems = load_case(path)
    except CaseLoadError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print(f"error: {path} could not be opened as a case", file=sys.stderr)
        return 2
    for problem in problems:
        print(problem, file=sys.stderr)
    window.set_case(case, problems, path)
    window.resize(args.width, args.height)
    window.show()
    app.processEvents()
    if args.select is not None and not window.select_event(args.select):
        print(f"error: the case has no event with id {args.select!r}", file=sys.stderr)
        return 2
    if args.period is not None:
        window.canvas.show_period(args.period.sort_start, args.period.sort_end)
    return _save(app, window, args)


def _save(app, window, args: argparse.Namespace) -> int:
    for _ in range(3):  # layouts settle over a few passes (splitters, centred passages)
        app.processEvents()
    image = window.grab().toImage()
    if (image.width(), image.height()) != (args.width, args.height):
        from PySide6.QtCore import QSize, Qt

        image = image.scaled(
            QSize(args.width, args.height),
            Qt.AspectRatioMode.IgnoreAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    if not image.save(args.output, "PNG"):
        print(f"error: could not write {args.output}", file=sys.stderr)
        return 1
    print(args.output)
    return 0
