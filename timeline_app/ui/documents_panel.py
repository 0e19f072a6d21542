"""The documents side of the main window: the Documents list, File ▸ Import documents…,
Documents ▸ Show document / Find events in documents…, and dropped document files.

:class:`DocumentsController` belongs to the main window (like the EditController). Changes to
the case go through the window's editing history: imported documents as one
:class:`~timeline_app.core.documents.AddDocuments`, accepted proposals as one Macro of AddEvent.
When the open case cannot be changed (the shipped case, a read-only folder, no case), imported
documents become a new, unsaved case.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from timeline_app.core.commands import AddEvent, Command, Macro, passage_source
from timeline_app.core.documents import (
    AddDocuments,
    DocumentBatch,
    SetDocumentDate,
    describe_date,
    documents_for,
)
from timeline_app.core.model import Case, Document
from timeline_app.core.propose import Proposal, propose
from timeline_app.ui.actions import ActionSpec, create_actions
from timeline_app.ui.document_view import DocumentWindow
from timeline_app.ui.import_documents import FILE_FILTER, BackgroundTask, DocumentReader
from timeline_app.ui.plain_text import human_date, plain_tooltip
from timeline_app.ui.proposals_dialog import ProposalsDialog

if TYPE_CHECKING:
    from timeline_app.ui.main_window import MainWindow

FILE, DOCUMENTS = "&File", "&Documents"
DOC_ID_ROLE = Qt.ItemDataRole.UserRole
NEW_CASE_TITLE = "Imported documents"
PROPOSE_IN_PLACE_CHARS = 200_000  # more text than this is searched for dates in the background
LIST_STYLE = (
    "QListWidget#documents_list::item { padding: 5px 4px; border-bottom: 1px solid #e4e4e4; }"
    "QListWidget#documents_list::item:selected { background: palette(highlight);"
    " color: palette(highlighted-text); }"
)

# fmt: off
DOCUMENT_SPECS: tuple[ActionSpec, ...] = (
    ActionSpec("import_documents", "Import &documents…", "choose_and_import", FILE,
               ("Ctrl+I",), "", "Add text, Markdown, HTML or PDF files to the case"),
    ActionSpec("import_folder", "Import a fo&lder of documents…", "choose_folder_and_import",
               FILE, (), "", "Add every document in a folder and its subfolders to the case"),
    ActionSpec("show_document", "&Show document…", "ask_and_show_document", DOCUMENTS, (), "",
               "Read a document with its dates underlined and cited passages highlighted"),
    ActionSpec("find_events", "&Find events in documents…", "find_events_in_all", DOCUMENTS, (), "",
               "Propose events from the dates written in the documents"),
)
# fmt: on


class DocumentsPanel(QDockWidget):
    """A dock listing the case's documents: double-click one to read it.

    ``show_requested`` carries a document id; ``find_requested`` the ids selected (empty
    list: every document)."""

    show_requested = Signal(str)
    find_requested = Signal(list)

    def __init__(self, parent: QWidget) -> None:
        super().__init__("Documents", parent)
        self.setObjectName("documents_panel")
        self.list = QListWidget()
        self.list.setObjectName("documents_list")
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.list.itemActivated.connect(self._on_activated)
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setStyleSheet(LIST_STYLE)
        show = QPushButton("Show")
        show.setObjectName("documents_show")
        show.clicked.connect(self._show_current)
        find = QPushButton("Find events…")
        find.setObjectName("documents_find_events")
        find.setToolTip("Propose events from the dates in the selected documents (or all)")
        find.clicked.connect(self._find_in_selected)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(show)
        buttons.addWidget(find)
        buttons.addStretch(1)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.setWidget(body)

    def set_documents(self, documents: Sequence[Document]) -> None:
        current = self.selected_ids()
        self.list.clear()
        for document in documents:
            date = human_date(document.date) if document.date else "no date"
            details = "  ·  ".join(p for p in (date, document.kind) if p)
            item = QListWidgetItem(f"{document.title or document.id}\n{details}")
            item.setData(DOC_ID_ROLE, document.id)
            item.setToolTip(plain_tooltip(document.title or document.id))
            self.list.addItem(item)
            item.setSelected(document.id in current)

    def selected_ids(self) -> list[str]:
        return [item.data(DOC_ID_ROLE) for item in self.list.selectedItems()]

    def _on_activated(self, item: QListWidgetItem) -> None:
        self.show_requested.emit(item.data(DOC_ID_ROLE))

    def _show_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.show_requested.emit(item.data(DOC_ID_ROLE))

    def _find_in_selected(self) -> None:
        self.find_requested.emit(self.selected_ids())


class DocumentsController(QObject):
    """See the module docstring. ``last_report`` holds the lines of the last import."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._case: Case | None = None
        self.last_report: list[str] = []
        self.last_message: QMessageBox | None = None
        self.proposals_dialog: ProposalsDialog | None = None
        self.document_windows: dict[str, DocumentWindow] = {}
        self.reader = DocumentReader(window)
        self.reader.finished.connect(self._on_read)
        self.reader.failed.connect(self._on_read_failed)
        self.finder = BackgroundTask(
            window, "Find events in documents", "Looking for dates: document"
        )
        self.finder.finished.connect(self._on_proposed)
        self.finder.failed.connect(self._on_task_failed)
        self._proposing: Case | None = None
        self.panel = DocumentsPanel(window)
        self.panel.show_requested.connect(self.show_document)
        self.panel.find_requested.connect(self._find_in)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.panel)
        self.panel.hide()
        self.actions_by_id: dict[str, QAction] = create_actions(self, DOCUMENT_SPECS)
        self._install_actions()
        window.editing.case_edited.connect(self._on_case_edited)

    @property
    def _window(self) -> MainWindow:
        # The parent, looked up each time: an attribute would make a reference cycle that
        # leaves closed windows to the garbage collector (which may run inside a Qt event).
        return self.parent()  # type: ignore[return-value]

    # -- building ---------------------------------------------------------------------------

    def _install_actions(self) -> None:
        window = self._window
        bar = window.menuBar()
        menus = {action.text(): action for action in bar.actions()}
        file_menu = menus[FILE].menu() if FILE in menus else None
        if isinstance(file_menu, QMenu):
            anchor = next((a for a in file_menu.actions() if a.isSeparator()), None)
            file_menu.insertAction(anchor, self.actions_by_id["import_documents"])
            file_menu.insertAction(anchor, self.actions_by_id["import_folder"])
        menu = QMenu(DOCUMENTS, bar)
        menu.setObjectName("documents_menu")
        menu.addAction(self.actions_by_id["show_document"])
        menu.addAction(self.actions_by_id["find_events"])
        menu.addSeparator()
        toggle = self.panel.toggleViewAction()
        toggle.setText("Documents &list")
        menu.addAction(toggle)
        help_menu = next((a for a in bar.actions() if a.text() == "&Help"), None)
        bar.insertMenu(help_menu, menu) if help_menu is not None else bar.addMenu(menu)
        for action in self.actions_by_id.values():
            window.addAction(action)
        window.actions_by_id.update(self.actions_by_id)

    # -- the case ---------------------------------------------------------------------------

    def set_case(self, case: Case | None) -> None:
        """The window shows another case: list its documents, close views of the old one."""
        if case is not self._case:
            for view in self.document_windows.values():
                view.close()
            self.document_windows.clear()
            if self.proposals_dialog is not None:
                self.proposals_dialog.close()
                self.proposals_dialog = None
        self._case = case
        self.panel.set_documents(case.documents if case else [])

    def _on_case_edited(self) -> None:
        case = self._window.case
        if case is None:
            return
        self._case = case
        self.panel.set_documents(case.documents)
        for doc_id, view in list(self.document_windows.items()):
            if case.document_by_id(doc_id) is None:
                view.close()
                del self.document_windows[doc_id]
            else:
                view.view.refresh()

    def _editable(self) -> bool:
        editing = self._window.editing
        return editing.case is not None and not editing.read_only

    def _push(self, command: Command) -> bool:
        """Run ``command`` through the window's history; select the first event it adds."""
        if not self._editable():
            self._refuse_read_only()
            return False
        return self._window.editing.push(command, select=_first_added_event(command))

    def _refuse_read_only(self) -> None:
        self._inform(
            "This case cannot be changed",
            "This case is read-only (the shipped example, or a folder you cannot write to). "
            "Use File ▸ Save As… to make a copy you can change.",
        )

    # -- importing --------------------------------------------------------------------------

    def choose_and_import(self) -> None:
        """File ▸ Import documents…: pick document files and import them."""
        files, _ = QFileDialog.getOpenFileNames(
            self._window, "Import documents", self._start_folder(), FILE_FILTER
        )
        if files:
            self.import_paths([Path(f) for f in files])

    def choose_folder_and_import(self) -> None:
        """File ▸ Import a folder of documents…: every document in it, recursively."""
        folder = QFileDialog.getExistingDirectory(
            self._window, "Import every document in a folder", self._start_folder()
        )
        if folder:
            self.import_paths([Path(folder)])

    def _start_folder(self) -> str:
        path = self._window.case_path
        return str(Path(path).parent) if path else str(Path.home())

    def import_paths(self, paths: Sequence[Path]) -> bool:
        """Read ``paths`` (files and folders) in the background, then add them to the case."""
        if self.reader.busy:
            self._window.statusBar().showMessage("An import is already running.", 4000)
            return False
        self._window.statusBar().showMessage("Reading documents…")
        return self.reader.start(paths)

    def _on_read_failed(self, message: str) -> None:
        self._window.statusBar().clearMessage()
        self._inform("Import failed", f"Reading the documents failed: {message}")

    def _on_read(self, batch: DocumentBatch) -> None:
        bar = self._window.statusBar()
        if batch.cancelled:
            self.last_report = ["Import cancelled; no document was added"]
            bar.showMessage(self.last_report[0], 6000)
            return
        if not batch.read:
            self.last_report = [str(s) for s in batch.skipped] or ["No documents found"]
            self._inform("No documents imported", "\n".join(self.last_report[:20]))
            bar.clearMessage()
            return
        added = self._add_documents(batch)
        if added is None:
            bar.clearMessage()
            return
        self.last_report = _report(batch, added)
        skipped = f", {len(batch.skipped)} skipped" if batch.skipped else ""
        summary = f"Imported {len(added)} document" + ("" if len(added) == 1 else "s") + skipped
        bar.showMessage(summary, 8000)
        self.panel.show()
        self.panel.raise_()
        if batch.skipped or any(read.warnings for read in batch.read):
            self._inform(
                "Documents imported", summary + ".", "\n".join(self.last_report), _notes(batch)
            )

    def _add_documents(self, batch: DocumentBatch) -> list[Document] | None:
        window = self._window
        if self._editable() and window.case is not None:
            documents = documents_for(window.case, batch.read)
            return documents if window.editing.push(AddDocuments(documents)) else None
        if not window.editing.may_replace_case():
            return None
        case = Case(title=NEW_CASE_TITLE)
        case.documents = documents_for(case, batch.read)
        window.set_case(case, [], None)
        window.editing.mark_unsaved()  # not on disk yet: closing asks, autosave keeps a copy
        window.statusBar().showMessage("New case: save it with File ▸ Save As…", 8000)
        return case.documents

    # -- reading and proposing --------------------------------------------------------------

    def ask_and_show_document(self) -> None:
        """Documents ▸ Show document…: ask which (the one selected in the list, or one the
        selected event cites, comes first) and show it."""
        self.show_document(None)

    def find_events_in_all(self) -> None:
        """Documents ▸ Find events in documents…: proposals from every document."""
        self.find_events(None)

    def show_document(self, document_id: str | None = None) -> DocumentWindow | None:
        """Open (or raise) the window of a document; without an id, ask which."""
        case = self._window.case
        if case is None or not case.documents:
            self._window.statusBar().showMessage("This case has no documents.", 4000)
            return None
        document = case.document_by_id(document_id) if document_id else self._ask_document(case)
        if document is None:
            return None
        view = self.document_windows.get(document.id)
        if view is None:
            view = DocumentWindow(self._window)
            view.view.event_chosen.connect(self._window.select_event)
            view.view.new_event_requested.connect(self._new_event_from_passage)
            view.view.find_events_requested.connect(self._find_in_one)
            view.view.date_chosen.connect(self._set_document_date)
            self.document_windows[document.id] = view
        view.set_document(case, document)
        view.show()
        view.raise_()
        view.activateWindow()
        return view

    def _ask_document(self, case: Case) -> Document | None:
        preferred = self.panel.selected_ids()[:1] or self._cited_by_selection(case)
        labels = [doc.title or doc.id for doc in case.documents]
        ids = [doc.id for doc in case.documents]
        current = ids.index(preferred[0]) if preferred and preferred[0] in ids else 0
        label, ok = QInputDialog.getItem(
            self._window, "Show document", "Document:", labels, current, False
        )
        return case.documents[labels.index(label)] if ok and label in labels else None

    def _cited_by_selection(self, case: Case) -> list[str]:
        event_id = self._window.selected_id()
        event = case.event_by_id(event_id) if event_id else None
        return [s.document for s in event.sources if s.document] if event else []

    def _new_event_from_passage(self, document_id: str, start: int, end: int) -> None:
        if not self._editable():
            self._refuse_read_only()
            return
        self._window.editing.new_event_from_passage(document_id, start, end)

    def find_events(self, document_ids: Sequence[str] | None = None) -> ProposalsDialog | None:
        """Documents ▸ Find events in documents…: the review list of proposals.

        Up to :data:`PROPOSE_IN_PLACE_CHARS` of text is read at once and the dialog returned;
        more is read in the background (progress, Cancel) and the dialog opens when done."""
        case = self._window.case
        if case is None or not case.documents:
            self._window.statusBar().showMessage("This case has no documents.", 4000)
            return None
        ids = list(document_ids) if document_ids else None
        unknown = [i for i in ids or [] if case.document_by_id(i) is None]
        if unknown:
            self._inform("No such document", f"The case has no document {unknown[0]!r}.")
            return None
        chosen = [case.document_by_id(i) for i in ids] if ids else case.documents
        if sum(len(doc.text) for doc in chosen if doc) <= PROPOSE_IN_PLACE_CHARS:
            return self._show_proposals(case, propose(case, ids))
        snapshot = _snapshot(case)
        self._proposing = case

        def work(progress: Callable[[int, int, str], None], cancelled: Callable[[], bool]):
            return propose(snapshot, ids, progress=progress, cancelled=cancelled)

        self.finder.start_work(work)
        return None

    def _on_proposed(self, proposals: list[Proposal]) -> None:
        case, self._proposing = self._proposing, None
        if self.finder.was_cancelled:
            self._window.statusBar().showMessage("Finding events cancelled.", 5000)
        elif case is not None and case is self._window.case:
            self._show_proposals(case, proposals)

    def _on_task_failed(self, message: str) -> None:
        self._proposing = None
        self._inform("Something went wrong", message)

    def _show_proposals(self, case: Case, proposals: list[Proposal]) -> ProposalsDialog:
        if self.proposals_dialog is not None:
            self.proposals_dialog.close()
        dialog = ProposalsDialog(case, proposals, self._push, self._open_editor, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(self._forget_dialog)
        self.proposals_dialog = dialog
        dialog.show()
        return dialog

    def _set_document_date(self, document_id: str, date: str) -> None:
        self._push(SetDocumentDate(document_id, date))

    def _find_in_one(self, document_id: str) -> None:
        self.find_events([document_id])

    def _find_in(self, document_ids: list[str]) -> None:
        self.find_events(document_ids or None)

    def _forget_dialog(self) -> None:
        self.proposals_dialog = None

    def _open_editor(self, proposal: Proposal, title: str, when: str) -> str | None:
        case = self._window.case
        document = case.document_by_id(proposal.document) if case else None
        if document is None or not self._editable():
            self._refuse_read_only()
            return None
        source = passage_source(document, proposal.start, proposal.end)
        return self._window.editing.create_event_with_editor(
            title=title, when=when, sources=[source]
        )

    # -- messages ---------------------------------------------------------------------------

    def _inform(self, title: str, text: str, details: str = "", notes: str = "") -> None:
        box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=self._window)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.setTextFormat(Qt.TextFormat.PlainText)
        if notes:
            box.setInformativeText(notes)
        if details:
            box.setDetailedText(details)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_message = box
        box.open()


def _first_added_event(command: Command) -> str | None:
    if isinstance(command, AddEvent):
        return command.event.id
    if isinstance(command, Macro):
        return next((i for c in command.commands if (i := _first_added_event(c))), None)
    return None


def _report(batch: DocumentBatch, added: Sequence[Document]) -> list[str]:
    lines = []
    for read, document in zip(batch.read, added, strict=True):
        lines.append(f"{read.path} → {document.id}: {describe_date(read)}")
        lines.extend(f"    {warning}" for warning in read.warnings)
    lines.extend(str(skip) for skip in batch.skipped)
    return lines


def _notes(batch: DocumentBatch, most: int = 8) -> str:
    """The files skipped and the warnings, briefly (the first ``most`` of each)."""
    parts = []
    if batch.skipped:
        lines = [f"• {Path(s.path).name}: {s.reason}" for s in batch.skipped[:most]]
        more = len(batch.skipped) - most
        parts.append("Skipped:\n" + "\n".join(lines) + (f"\n… and {more} more" if more > 0 else ""))
    warned = [(Path(r.path).name, w) for r in batch.read for w in r.warnings]
    if warned:
        lines = [f"• {name}: {warning}" for name, warning in warned[:most]]
        parts.append("Check:\n" + "\n".join(lines))
    return "\n\n".join(parts)


def _snapshot(case: Case) -> Case:
    """What proposing reads (documents, events and their sources), copied so that the worker
    does not see edits made meanwhile."""
    events = [dataclasses.replace(ev, sources=list(ev.sources)) for ev in case.events]
    return Case(title=case.title, documents=list(case.documents), events=events)
