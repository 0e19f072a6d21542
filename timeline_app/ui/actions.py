"""Every user command of the main window, defined once.

Each :class:`ActionSpec` names the action (``id``), its menu text, its shortcuts, its
icon and the MainWindow method that carries it out. :func:`create_actions` turns the
specs into QActions owned by the window; the menus, the toolbar and the tests all use
those same QActions, looked up by id.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from timeline_app.ui.icons import icon


@dataclass(frozen=True)
class ActionSpec:
    """One command: id, menu text, handler method name, menu; shortcuts, icon, tooltip."""

    id: str
    text: str
    handler: str
    menu: str
    shortcuts: tuple[str, ...] = ()
    icon: str = ""
    tip: str = ""


FILE, VIEW, GO, HELP = "&File", "&View", "&Go", "&Help"
SEARCH = "&Search"

# fmt: off
ACTION_SPECS: tuple[ActionSpec, ...] = (
    ActionSpec("open", "&Open…", "choose_and_open_case", FILE, ("Ctrl+O",), "open",
               "Open a case folder's case.json"),
    ActionSpec("open_default", "Open &default case", "open_default_case", FILE, (),
               "default-case", "Open the Milwaukee Police SOP 130 case"),
    ActionSpec("export", "&Export…", "show_export_dialog", FILE, ("Ctrl+Shift+E",), "",
               "Export the timeline as PNG, SVG, PDF, a web page or data"),
    ActionSpec("import", "&Import…", "choose_and_import", FILE, ("Ctrl+Shift+I",), "",
               "Make a case from a TimelineJS, Timeline or CSV file, or a case .zip"),
    ActionSpec("quit", "&Quit", "close", FILE, ("Ctrl+Q",), "quit"),
    ActionSpec("zoom_in", "Zoom &in", "zoom_in", VIEW, ("+", "=", "Ctrl++"), "zoom-in"),
    ActionSpec("zoom_out", "Zoom &out", "zoom_out", VIEW, ("-", "Ctrl+-"), "zoom-out"),
    ActionSpec("fit_all", "&Fit all", "fit_all", VIEW, ("0",), "zoom-fit",
               "Show the whole timeline"),
    ActionSpec("show_problems", "Show &problems", "show_problems", VIEW, (), "problems",
               "List the problems found when the case was opened"),
    ActionSpec("previous_event", "&Previous event", "select_previous_event", GO, ("Left",),
               "go-previous", "Select the event before this one in time"),
    ActionSpec("next_event", "&Next event", "select_next_event", GO, ("Right",), "go-next",
               "Select the event after this one in time"),
    ActionSpec("first_event", "&First event", "select_first_event", GO, ("Home",), "go-first",
               "Select the earliest event"),
    ActionSpec("last_event", "&Last event", "select_last_event", GO, ("End",), "go-last",
               "Select the latest event"),
    ActionSpec("clear_selection", "&Clear selection", "clear_selection", GO, ("Esc",), "",
               "Select no event"),
    ActionSpec("find", "&Find…", "find", SEARCH, ("Ctrl+F",), "search",
               "Search the documents and events"),
    ActionSpec("find_next", "&Next match", "find_next_match", SEARCH, ("F3",), "",
               "The next match in the document, or the next search result"),
    ActionSpec("find_previous", "&Previous match", "find_previous_match", SEARCH,
               ("Shift+F3",), "", "The previous match in the document, or search result"),
    ActionSpec("clear_search", "&Clear search", "clear_search", SEARCH, (), "",
               "Empty the search field and show every event again (Esc in the field)"),
    ActionSpec("shortcuts", "&Keyboard shortcuts", "show_shortcuts", HELP, ("F1",), "keyboard"),
    ActionSpec("about", "&About timeline-app", "show_about", HELP, (), "about"),
)
# fmt: on

# Toolbar groups, in order; a separator goes between groups.
TOOLBAR_GROUPS: tuple[tuple[str, ...], ...] = (
    ("open",),
    ("zoom_in", "zoom_out", "fit_all"),
    ("first_event", "previous_event", "next_event", "last_event"),
)


def shortcut_text(spec: ActionSpec, first_only: bool = False) -> str:
    """The shortcuts of ``spec`` as the user reads them ("Left", "+, =, Ctrl++")."""
    shortcuts = spec.shortcuts[:1] if first_only else spec.shortcuts
    keys = [QKeySequence(s).toString(QKeySequence.SequenceFormat.NativeText) for s in shortcuts]
    return ", ".join(keys)


def tooltip_for(spec: ActionSpec) -> str:
    """Tooltip: the tip (or plain menu text) followed by the shortcut in parentheses."""
    text = spec.tip or spec.text.replace("&", "").rstrip("…")
    keys = shortcut_text(spec, first_only=True)
    return f"{text} ({keys})" if keys else text


def create_actions(
    window: QObject, specs: tuple[ActionSpec, ...] = ACTION_SPECS
) -> dict[str, QAction]:
    """QActions for ``specs``, owned by ``window`` and connected to its handler methods."""
    actions: dict[str, QAction] = {}
    for spec in specs:
        action = QAction(spec.text, window)
        action.setObjectName(f"action_{spec.id}")
        action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setToolTip(tooltip_for(spec))
        action.setStatusTip(tooltip_for(spec))
        if spec.icon:
            action.setIcon(icon(spec.icon))
        action.triggered.connect(getattr(window, spec.handler))
        actions[spec.id] = action
    return actions
