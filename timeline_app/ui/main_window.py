"""The main window: timeline canvas, event list and detail pane, kept in step.

Every change of selection, whoever starts it (a click on the canvas, a row of the
list, a key), goes through :meth:`MainWindow.select_event`, which updates the other
views with their signals quiet, so no view ever echoes a selection back.
"""

from __future__ import annotations

import html
from operator import attrgetter, indexOf
from pathlib import Path

from PySide6.QtCore import QMimeData, QSettings, QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QSplitter,
    QToolBar,
    QToolButton,
    QWidget,
)

from timeline_app import __version__
from timeline_app.core.casefile import CaseLoadError, Problem, load_case
from timeline_app.core.model import Case, Event
from timeline_app.paths import default_case_dir
from timeline_app.ui import settings as keys
from timeline_app.ui.actions import ACTION_SPECS, TOOLBAR_GROUPS, create_actions, shortcut_text
from timeline_app.ui.detail_pane import DetailPane
from timeline_app.ui.documents_panel import DocumentsController
from timeline_app.ui.editing import EDIT_SPECS, EditController
from timeline_app.ui.event_list import EventListView
from timeline_app.ui.icons import app_icon
from timeline_app.ui.import_documents import document_paths
from timeline_app.ui.problems import ProblemsPanel
from timeline_app.ui.search_panel import SearchPanel
from timeline_app.ui.time_order import TimeOrder
from timeline_app.ui.timeline_canvas import TimelineCanvas

APP_NAME = "timeline-app"
DEFAULT_SIZE = (1280, 800)
MAX_PROBLEMS_IN_MESSAGE = 8
MOUSE_GESTURES = [
    ("Wheel", "Zoom around the pointer"),
    ("Shift+Wheel", "Scroll the lanes"),
    ("Drag", "Pan the timeline"),
    ("Click", "Select an event and read its sources"),
    ("Double-click", "Edit an event"),
    ("Drag a selected event", "Move it in time or to another lane"),
]


def dropped_path(mime: QMimeData) -> str | None:
    """The one local file or folder being dragged onto the window, if that is what it is."""
    urls = mime.urls() if mime.hasUrls() else []
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    return urls[0].toLocalFile()


class MainWindow(QMainWindow):
    """Canvas on the upper left, event list below it, detail pane on the right.

    ``settings``, when given, is where geometry, layout and the last case are remembered;
    without it (tests, screenshots) the window starts fresh and remembers nothing.
    """

    def __init__(self, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._case: Case | None = None
        self._case_path: str | None = None
        self._order = TimeOrder()
        self._selected_id: str | None = None
        self._selecting = False
        self.last_message: QMessageBox | None = None
        self._pending_messages: list[QMessageBox] = []
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(app_icon())
        self._build_views()
        self.actions_by_id: dict[str, QAction] = create_actions(self)
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()
        self._connect_views()
        self._editing = EditController(self)
        self._documents = DocumentsController(self)
        self._restore_layout()
        self.setAcceptDrops(True)

    # -- building -------------------------------------------------------------------------

    def _build_views(self) -> None:
        self._canvas = TimelineCanvas()
        self._canvas.setObjectName("timeline_canvas")
        self._event_list = EventListView()
        self._event_list.setObjectName("event_list")
        self._detail_pane = DetailPane()
        self._detail_pane.setObjectName("detail_pane")
        self._left = QSplitter(Qt.Orientation.Vertical)
        self._left.setObjectName("left_splitter")
        self._left.addWidget(self._canvas)
        self._left.addWidget(self._event_list)
        self._left.setStretchFactor(0, 3)
        self._left.setStretchFactor(1, 2)
        self._left.setChildrenCollapsible(False)
        self._main = QSplitter(Qt.Orientation.Horizontal)
        self._main.setObjectName("main_splitter")
        self._main.addWidget(self._left)
        self._main.addWidget(self._detail_pane)
        self._main.setStretchFactor(0, 3)
        self._main.setStretchFactor(1, 2)
        self._main.setChildrenCollapsible(False)
        self.setCentralWidget(self._main)
        self._problems_panel = ProblemsPanel(self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self._problems_panel)
        self._problems_panel.hide()
        self._search_panel = SearchPanel(self)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self._search_panel)
        self._search_panel.hide()

    def _build_menus(self) -> None:
        menus: dict[str, object] = {}
        for spec in ACTION_SPECS:
            if spec.menu not in menus:
                menus[spec.menu] = self.menuBar().addMenu(spec.menu)
            menu = menus[spec.menu]
            if spec.id in ("quit", "show_problems", "first_event", "clear_selection"):
                menu.addSeparator()
            menu.addAction(self.actions_by_id[spec.id])

    def _build_toolbar(self) -> None:
        toolbar = QToolBar("Toolbar", self)
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        for number, group in enumerate(TOOLBAR_GROUPS):
            if number:
                toolbar.addSeparator()
            for action_id in group:
                toolbar.addAction(self.actions_by_id[action_id])
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        toolbar.addWidget(self._search_panel.field)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        self._toolbar = toolbar

    def _build_status_bar(self) -> None:
        self._status_case = self._status_label("status_case")
        self._status_count = self._status_label("status_count")
        self._status_selected = self._status_label("status_selected")
        self._status_problems = QToolButton()
        self._status_problems.setObjectName("status_problems")
        self._status_problems.setDefaultAction(self.actions_by_id["show_problems"])
        self._status_problems.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._status_problems.setAutoRaise(True)
        self._status_problems.hide()
        bar = self.statusBar()
        bar.addWidget(self._status_case, 1)
        bar.addPermanentWidget(self._search_panel.status_widget)
        bar.addPermanentWidget(self._status_problems)
        bar.addPermanentWidget(self._status_selected)
        bar.addPermanentWidget(self._status_count)

    @staticmethod
    def _status_label(name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setContentsMargins(6, 0, 6, 0)
        return label

    def _connect_views(self) -> None:
        self._canvas.event_clicked.connect(self.select_event)
        self._event_list.event_selected.connect(self.select_event)

    # -- public API -----------------------------------------------------------------------

    @property
    def canvas(self) -> TimelineCanvas:
        return self._canvas

    @property
    def detail_pane(self) -> DetailPane:
        return self._detail_pane

    @property
    def event_list(self) -> EventListView:
        return self._event_list

    @property
    def problems_panel(self) -> ProblemsPanel:
        return self._problems_panel

    @property
    def search_panel(self) -> SearchPanel:
        return self._search_panel

    @property
    def editing(self) -> EditController:
        return self._editing

    @property
    def documents(self) -> DocumentsController:
        return self._documents

    @property
    def case(self) -> Case | None:
        return self._case

    @property
    def case_path(self) -> str | None:
        return self._case_path

    def selected_id(self) -> str | None:
        return self._selected_id

    def open_case(self, path: str | Path) -> bool:
        """Open the case at ``path``; on failure say why and keep the current case."""
        try:
            case, problems = load_case(path)
        except CaseLoadError as err:
            self._report_not_a_case(path, [str(p) for p in err.problems])
            return False
        except (OSError, ValueError) as err:
            self._report_not_a_case(path, [str(err)])
            return False
        if not self._editing.may_replace_case():
            return False
        self.set_case(case, problems, str(path))
        return True

    def set_case(self, case: Case, problems: list[Problem], path: str | None = None) -> None:
        """Show ``case`` in every view; list its ``problems`` (the panel opens when any)."""
        self._case = case
        self._case_path = path
        self._order = TimeOrder(case)
        self._selected_id = None
        self._canvas.set_case(case)
        self._event_list.set_case(case)
        self._detail_pane.set_case(case)
        self._search_panel.set_case(case)
        self._show_problems_if_any(problems)
        self.setWindowTitle(f"{case.title} — {APP_NAME}")
        self._update_status()
        if path is not None and self._settings is not None:
            self._settings.setValue(keys.KEY_LAST_CASE, str(Path(path).resolve()))
        self._canvas.setFocus()
        self._editing.case_shown(case)
        self._documents.set_case(case)

    def _show_problems_if_any(self, problems: list[Problem]) -> None:
        panel = self._problems_panel
        panel.set_problems(problems)
        count = len(problems)
        self._status_problems.setText(f"{count} problem" + ("" if count == 1 else "s"))
        self._status_problems.setVisible(bool(problems))
        panel.setVisible(bool(problems))
        if problems and not panel.isFloating():
            self.resizeDocks([panel], [panel.preferred_height()], Qt.Orientation.Vertical)

    def select_event(self, event_id: str | None) -> bool:
        """Select ``event_id`` (None clears) in the canvas, the list and the pane.

        Returns False (and changes nothing) when the case has no such event.
        """
        if self._selecting:
            return True
        if event_id is not None and event_id not in self._order:
            return False
        self._selecting = True
        try:
            self._selected_id = event_id
            self._canvas.set_selected(event_id)
            self._event_list.select_event_id(event_id)
            event = self._order.events[self._order.rank(event_id)] if event_id is not None else None
            self._detail_pane.show_event(event)
            self._update_status()
        finally:
            self._selecting = False
        return True

    def refresh_after_edit(self, select_id: str | None, edited: set[str] | None = None) -> None:
        """Show the edited case again in every view (the canvas keeps its viewport); select
        ``select_id`` (None: nothing). ``edited``, when known, are the ids of the only events
        the edit added, changed or removed: the views then update just those."""
        case = self._case
        if case is None:
            return
        if edited is None or not self._update_events(case, edited):
            self._order = TimeOrder(case)
            self._canvas.refresh()
            self._event_list.set_case(case)
        self._detail_pane.set_case(case)
        self._selected_id = None
        self.select_event(select_id)
        self._update_status()
        self._search_panel.case_changed()  # last: its worker starts at once

    def _update_events(self, case: Case, edited: set[str]) -> bool:
        """Update the views for an edit of the ``edited`` events only; False when they must
        be rebuilt instead."""
        changes: dict[str, Event | None] = {}
        for event_id in edited:
            try:
                changes[event_id] = case.events[
                    indexOf(map(attrgetter("id"), case.events), event_id)
                ]
            except ValueError:
                changes[event_id] = None
        if self._order.apply(changes) is None or len(self._order) != len(case.events):
            return False
        self._canvas.update_events(changes)
        self._event_list.update_events(case, changes)
        return True

    def remember_case_path(self, path: str) -> None:
        """The case now lives at ``path`` (after Save As): remember it as the last case."""
        self._case_path = path
        if self._settings is not None:
            self._settings.setValue(keys.KEY_LAST_CASE, str(Path(path).resolve()))

    # -- action handlers ------------------------------------------------------------------

    def select_next_event(self) -> None:
        self._step(+1)

    def select_previous_event(self) -> None:
        self._step(-1)

    def select_first_event(self) -> None:
        if self._order.events:
            self.select_event(self._order.events[0].id)

    def select_last_event(self) -> None:
        if self._order.events:
            self.select_event(self._order.events[-1].id)

    def clear_selection(self) -> None:
        self.select_event(None)

    def _step(self, delta: int) -> None:
        ordered = self._order.events
        if not ordered:
            return
        if self._selected_id is None:
            target = 0 if delta > 0 else len(ordered) - 1
        else:
            position = self._order.rank(self._selected_id) + delta  # type: ignore[operator]
            target = min(max(position, 0), len(ordered) - 1)
        self.select_event(ordered[target].id)

    def zoom_in(self) -> None:
        self._canvas.zoom_in()

    def zoom_out(self) -> None:
        self._canvas.zoom_out()

    def fit_all(self) -> None:
        self._canvas.fit_all()

    def find(self) -> None:
        self._search_panel.focus_field()

    def find_next_match(self) -> None:
        self._search_panel.next_match()

    def find_previous_match(self) -> None:
        self._search_panel.previous_match()

    def clear_search(self) -> None:
        self._search_panel.clear_search()

    def show_problems(self) -> None:
        self._problems_panel.show()
        self._problems_panel.raise_()

    def choose_and_open_case(self) -> None:
        start = str(Path(self._case_path).parent) if self._case_path else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(
            self, "Open case", start, "Case files (case.json *.json);;All files (*)"
        )
        if path:
            self.open_case(path)

    def open_default_case(self) -> None:
        self.open_case(default_case_dir())

    def show_export_dialog(self) -> None:
        """File > Export: the case as an image, PDF, web page or data."""
        from timeline_app.ui.export_dialog import ExportDialog

        if self._case is None:
            return
        vp = self.canvas.viewport()
        ExportDialog(self._case, (vp.start_day, vp.end_day), self).exec()

    def choose_and_import(self) -> None:
        """File > Import: a timeline made elsewhere becomes a new case, then opens."""
        from timeline_app.ui.export_dialog import choose_import_file

        path = choose_import_file(self)
        if path:
            self.import_timeline(path)

    def import_timeline(self, path: str | Path, target: str | Path | None = None) -> bool:
        """Import ``path`` into a new case folder (``target``, else asked) and open it."""
        from timeline_app.ui import export_dialog

        folder = Path(target) if target else export_dialog.choose_import_target(self, path)
        if folder is None:
            return False
        case_dir = export_dialog.import_timeline(self, path, folder)
        return case_dir is not None and self.open_case(case_dir)

    def show_about(self) -> None:
        text = (
            f"<h3>timeline-app {html.escape(__version__)}</h3>"
            "<p>A timeline viewer for people who reconstruct what happened when from "
            "documents: every event shows the passage of the source it rests on.</p>"
        )
        self._show_message(QMessageBox.Icon.NoIcon, "About timeline-app", text, rich=True)

    def show_shortcuts(self) -> None:
        pairs = [
            (shortcut_text(spec), spec.text.replace("&", "").rstrip("…"))
            for spec in ACTION_SPECS + EDIT_SPECS
            if spec.shortcuts
        ]
        pairs += MOUSE_GESTURES
        rows = "".join(
            f"<tr><td><b>{html.escape(keys)}</b></td><td>&nbsp;&nbsp;{html.escape(what)}</td></tr>"
            for keys, what in pairs
        )
        text = f"<table cellspacing='4'>{rows}</table>"
        self._show_message(QMessageBox.Icon.NoIcon, "Keyboard shortcuts", text, rich=True)

    # -- messages, status, settings -------------------------------------------------------

    def _report_not_a_case(self, path: str | Path, reasons: list[str]) -> None:
        shown = reasons[:MAX_PROBLEMS_IN_MESSAGE]
        if len(reasons) > len(shown):
            shown.append(f"… and {len(reasons) - len(shown)} more")
        keep = "The current case stays open." if self._case else ""
        text = f"{path} could not be opened as a case.\n\n" + "\n".join(shown)
        self._show_message(QMessageBox.Icon.Warning, "Not a case", f"{text}\n\n{keep}".strip())

    def _show_message(self, icon: QMessageBox.Icon, title: str, text: str, rich=False) -> None:
        """A non-blocking message box; kept as ``last_message`` (tests read it)."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_message = box
        if self.isVisible():
            box.open()
        else:  # e.g. a bad path on the command line: show it once the window is up
            self._pending_messages.append(box)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        while self._pending_messages:
            self._pending_messages.pop(0).open()

    def _update_status(self) -> None:
        case = self._case
        self._status_case.setText(case.title if case else "No case open")
        count = len(case.events) if case else 0
        self._status_count.setText(f"{count} event" + ("" if count == 1 else "s"))
        event = self._detail_pane.event
        self._status_selected.setText(event.when.human() if event else "")

    def _restore_layout(self) -> None:
        self.resize(self._default_size())
        self._main.setSizes([780, 500])
        self._left.setSizes([500, 270])
        if self._settings is None:
            return
        geometry = self._settings.value(keys.KEY_GEOMETRY)
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self._settings.value(keys.KEY_STATE)
        if state is not None:
            self.restoreState(state)
        for splitter in (self._main, self._left):
            saved = self._settings.value(f"window/{splitter.objectName()}")
            if saved is not None:
                splitter.restoreState(saved)

    def _default_size(self) -> QSize:
        """1280 x 800, or less on a small screen."""
        wanted = QSize(*DEFAULT_SIZE)
        screen = self.screen()
        if screen is None:
            return wanted
        available = screen.availableGeometry().size() * 0.92
        return wanted.boundedTo(available) if available.width() >= 640 else wanted

    def save_layout(self) -> None:
        """Remember geometry, toolbar/dock state and splitter positions."""
        if self._settings is None:
            return
        self._settings.setValue(keys.KEY_GEOMETRY, self.saveGeometry())
        self._settings.setValue(keys.KEY_STATE, self.saveState())
        for splitter in (self._main, self._left):
            self._settings.setValue(f"window/{splitter.objectName()}", splitter.saveState())
        self._settings.sync()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt override)
        mime = event.mimeData()
        if dropped_path(mime) is not None or document_paths(mime):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt override)
        documents = document_paths(event.mimeData())
        if documents:  # text, HTML, PDF files or a folder of them (not a case folder)
            event.acceptProposedAction()
            self._documents.import_paths(documents)
            return
        path = dropped_path(event.mimeData())
        if path is not None:
            event.acceptProposedAction()
            from timeline_app.ui.export_dialog import is_importable

            if is_importable(path):
                self.import_timeline(path)
            else:
                self.open_case(path)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if not self._editing.confirm_close():
            event.ignore()
            return
        self.save_layout()
        super().closeEvent(event)
