"""Keeping the open case safe: saving, the question on close, recovery copies, disk changes.

:class:`CaseKeeper` belongs to the window's :class:`~timeline_app.ui.editing.EditController`.
Save and Save As write atomically with ``save_case`` and, when that fails, say why and keep the
edits; closing (or opening another case) with unsaved changes asks Save / Discard / Cancel; a
recovery copy is written every 30 s while there are unsaved changes and offered at the next
start; a change of case.json by someone else is noticed (QFileSystemWatcher) and a reload is
offered, the unsaved edits being kept in the recovery copy first.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QFileSystemWatcher, QObject, Qt, QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from timeline_app.core import recovery
from timeline_app.core.casefile import CASE_FILE, CaseLoadError, load_case, save_case
from timeline_app.core.commands import History
from timeline_app.core.model import Case
from timeline_app.paths import default_case_dir

if TYPE_CHECKING:
    from timeline_app.ui.editing import EditController
    from timeline_app.ui.main_window import MainWindow

AUTOSAVE_INTERVAL_MS = 30_000
DISK_CHECK_DELAY_MS = 300
StdButton = QMessageBox.StandardButton
Icon = QMessageBox.Icon


def is_writable_folder(folder: Path) -> bool:
    """Whether the user may write the case in ``folder`` (the folder and its case.json); a
    folder that does not exist yet may be written when its nearest existing parent may."""
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    case_file = folder / CASE_FILE
    if not os.access(folder, os.W_OK | os.X_OK):
        return False
    return not case_file.exists() or os.access(case_file, os.W_OK)


def is_read_only_folder(folder: Path | None) -> bool:
    """The shipped default case and folders the user cannot write are opened read-only."""
    if folder is None:
        return False
    try:
        if Path(folder).resolve() == default_case_dir().resolve():
            return True
    except OSError:
        pass
    return not is_writable_folder(Path(folder))


def disk_signature(path: Path) -> tuple[int, int, int] | None:
    """What tells one version of a file from another: (mtime ns, size, inode); None if absent."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def ask(
    parent: QWidget,
    title: str,
    text: str,
    buttons: StdButton,
    default: StdButton,
    *,
    detail: str = "",
    names: dict[StdButton, str] | None = None,
    icon: Icon = Icon.Warning,
) -> StdButton:
    """A modal question with standard buttons (``names`` relabels some); the button pressed."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setInformativeText(detail)
    box.setDefaultButton(default)
    for button, name in (names or {}).items():
        if box.button(button) is not None:
            box.button(button).setText(name)
    return StdButton(box.exec())


def _same(a: Path | str | None, b: Path | str | None) -> bool:
    if a is None or b is None:
        return False
    return Path(a).resolve() == Path(b).resolve()


def _time_text(seconds: float) -> str:
    return time.strftime("%d %b %Y %H:%M", time.localtime(seconds))


def _history_state(history: History) -> tuple[int, int, int]:
    """Which state of which case a history is at: (history, position, last command done)."""
    done = history.commands[history.index - 1] if history.index else None
    return (id(history), history.index, id(done))


class CaseKeeper(QObject):
    """Saving and safety for the case of an EditController (its parent); see the module."""

    _never_saved_offered = False  # the never-saved case's copy is offered once a run

    def __init__(self, editor: EditController) -> None:
        super().__init__(editor)
        self._restoring = False
        self._skip_offer = False
        self._disk_sig: tuple[int, int, int] | None = None
        self._autosaved_state: tuple[int, int, int] | None = None
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(AUTOSAVE_INTERVAL_MS)
        self.autosave_timer.timeout.connect(self.autosave_now)
        self._watcher: QFileSystemWatcher | None = None  # made when an editable case opens
        self._disk_timer = QTimer(self)
        self._disk_timer.setSingleShot(True)
        self._disk_timer.setInterval(DISK_CHECK_DELAY_MS)
        self._disk_timer.timeout.connect(self.check_disk)
        # Recovery copies are offered once the window has finished showing the case.
        self._offer_timer = QTimer(self)
        self._offer_timer.setSingleShot(True)
        self._offer_timer.setInterval(0)
        self._offer_timer.timeout.connect(self._offer_recoveries)

    # Parents are looked up each time: attributes would make reference cycles that leave
    # closed windows to the garbage collector (which may run inside a Qt event).
    @property
    def _editor(self) -> EditController:
        return self.parent()  # type: ignore[return-value]

    @property
    def _window(self) -> MainWindow:
        return self._editor.parent()  # type: ignore[return-value]

    # -- a case is shown ----------------------------------------------------------------------

    def take_restoring(self) -> bool:
        """True (once) when the case being shown is a restored recovery copy."""
        restoring, self._restoring = self._restoring, False
        return restoring

    def case_shown(self, case: Case, restoring: bool) -> None:
        """Watch the case's file, run the autosave timer, offer recovery copies."""
        skip_offer, self._skip_offer = self._skip_offer, False
        self.watch(case.folder)
        self.autosave_timer.start()
        if restoring or skip_offer:
            self._offer_timer.stop()
        else:
            self._offer_timer.start()

    def _offer_recoveries(self) -> None:
        """Offer the recovery copy of the case just shown, then that of a never-saved case."""
        case = self._editor.case
        if case is None or case.folder is None or self._editor.is_dirty():
            return
        if not self._editor.read_only:
            self._offer_recovery(case.folder)
        if self._editor.case is case:  # not replaced by a restored copy
            self._offer_never_saved_case()

    # -- saving -------------------------------------------------------------------------------

    def save(self) -> bool:
        """Save to the case's folder (Save As when it has none or is read-only)."""
        case = self._editor.case
        if case is None:
            return False
        if case.folder is None or self._editor.read_only:
            return self.save_as()
        return self.save_to(case.folder)

    def save_as(self) -> bool:
        """Ask for a folder and save the case there; from then on the case lives there."""
        case = self._editor.case
        if case is None:
            return False
        start = str(Path(case.folder).parent) if case.folder else str(Path.home())
        folder = QFileDialog.getExistingDirectory(
            self._window, "Save case in folder (choose or create an empty folder)", start
        )
        if not folder:
            return False
        return self.save_to(Path(folder), new_place=True)

    def save_to(self, folder: Path, *, new_place: bool = False) -> bool:
        """Write the case to ``folder`` atomically. On failure say why and keep the edits."""
        case = self._editor.case
        if case is None:
            return False
        if new_place and is_read_only_folder(folder):
            self._editor.inform(
                Icon.Warning,
                "Cannot save there",
                f"{folder} cannot be written: it is read-only (or it is the shipped default "
                "case). Choose another folder.",
            )
            return False
        if new_place and not self._confirm_overwrite(case, folder):
            return False
        old_folder = case.folder
        try:
            save_case(case, folder)
        except (OSError, ValueError) as err:
            self._report_failed_save(folder, err)
            return False
        self._saved(case, old_folder)
        return True

    def _confirm_overwrite(self, case: Case, folder: Path) -> bool:
        if _same(case.folder, folder) or not (folder / CASE_FILE).exists():
            return True
        answer = ask(
            self._window,
            "Replace the case there?",
            f"{folder} already holds a case. Replace it with this one?",
            StdButton.Save | StdButton.Cancel,
            StdButton.Cancel,
            names={StdButton.Save: "Replace"},
        )
        return answer == StdButton.Save

    def _report_failed_save(self, folder: Path, err: Exception) -> None:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        self._editor.inform(
            Icon.Critical,
            "The case was not saved",
            f"The case could not be saved in {folder}: {reason}.\n\n"
            "Your changes are still here, unsaved, and the files on disk are as they were. "
            "Free some space or use Save As… to save them in another folder.",
        )

    def _saved(self, case: Case, old_folder: Path | None) -> None:
        if not _same(old_folder, case.folder):
            recovery.discard_recovery(old_folder)  # its edits are saved, in the new folder
        recovery.discard_recovery(case.folder)
        self._editor.set_read_only(is_read_only_folder(case.folder))
        self.watch(case.folder)
        self._editor.history.set_clean()  # type: ignore[union-attr]
        self._window.remember_case_path(str(case.folder))
        self._window.statusBar().showMessage(f"Saved in {case.folder}", 5000)

    # -- closing, replacing -------------------------------------------------------------------

    def confirm_close(self) -> bool:
        """True when the window may close (saved, or the user chose to discard the changes)."""
        if not self.may_replace_case(closing=True):
            return False
        self.autosave_timer.stop()
        self._offer_timer.stop()
        return True

    def may_replace_case(self, *, closing: bool = False) -> bool:
        """Ask about unsaved changes before the case goes away; True to go on."""
        editor = self._editor
        case = editor.case
        if case is None or not editor.is_dirty():
            return True
        what = "closing" if closing else "opening another case"
        answer = ask(
            self._window,
            "Unsaved changes",
            f"Save the changes to “{case.title}” before {what}?",
            StdButton.Save | StdButton.Discard | StdButton.Cancel,
            StdButton.Save,
            detail="If you don't save, the changes made since the last save are lost.",
        )
        if answer == StdButton.Save:
            return self.save()
        if answer == StdButton.Discard:
            recovery.discard_recovery(case.folder)
            editor.history.set_clean()  # type: ignore[union-attr]
            return True
        return False

    # -- autosave and recovery ----------------------------------------------------------------

    def autosave_now(self) -> Path | None:
        """Keep the unsaved changes in the recovery copy (the timer's slot); its folder, or
        None when there is nothing unsaved or it cannot be written. A copy already up to date
        is not written again (a large case takes a moment to write)."""
        editor = self._editor
        case, history = editor.case, editor.history
        if case is None or history is None or not editor.is_dirty() or editor.read_only:
            return None
        state = _history_state(history)
        found = recovery.find_recovery(case.folder)
        if state == self._autosaved_state and found is not None:
            return found.folder
        try:
            folder = recovery.write_recovery(case)
        except (OSError, ValueError) as err:
            self._window.statusBar().showMessage(f"Could not write the recovery copy: {err}", 8000)
            return None
        self._autosaved_state = state
        self._window.statusBar().showMessage("Unsaved changes kept in a recovery copy", 3000)
        return folder

    def _offer_recovery(self, folder: Path) -> None:
        found = recovery.find_recovery(folder)
        if found is None:
            return
        older = (
            ""
            if found.is_newer_than_case()
            else "The case was saved after this copy was made; restoring it brings back the "
            "older state. "
        )
        self._offer_restore(
            found,
            "Restore unsaved changes?",
            f"This case has unsaved changes from an earlier session ({found.event_count} events,"
            f" kept {_time_text(found.saved_at)}). Restore them?",
            older + "Not now keeps the copy for later (File ▸ Restore unsaved changes).",
        )

    def _offer_never_saved_case(self) -> None:
        """Once a run: offer the recovery copy of a new case that was never saved."""
        found = recovery.find_recovery(None)
        if found is None or CaseKeeper._never_saved_offered:
            return
        CaseKeeper._never_saved_offered = True
        self._offer_restore(
            found,
            "Restore a new case?",
            f"A new case that was never saved (“{found.title}”, {found.event_count} events) was "
            f"kept {_time_text(found.saved_at)}. Restore it?",
            "Restoring replaces the case shown now; save the new case with Save As….",
        )

    def _offer_restore(self, found: recovery.Recovery, title: str, text: str, detail: str) -> None:
        answer = ask(
            self._window,
            title,
            text,
            StdButton.Yes | StdButton.Discard | StdButton.Cancel,
            StdButton.Yes,
            detail=detail,
            names={StdButton.Yes: "Restore", StdButton.Cancel: "Not now"},
            icon=Icon.Question,
        )
        if answer == StdButton.Yes:
            self._restore(found)
        elif answer == StdButton.Discard:
            recovery.discard_recovery(found)

    def restore_unsaved(self) -> bool:
        """File ▸ Restore unsaved changes: open this case's recovery copy, if there is one."""
        case = self._editor.case
        found = recovery.find_recovery(case.folder) if case else None
        if found is None:
            self._editor.inform(
                Icon.Information,
                "Nothing to restore",
                "There is no recovery copy of unsaved changes for this case.",
            )
            return False
        if self._editor.is_dirty() and not self._confirm_replace_changes():
            return False
        return self._restore(found)

    def _confirm_replace_changes(self) -> bool:
        answer = ask(
            self._window,
            "Replace your changes?",
            "Restoring replaces the unsaved changes you have now with those of the recovery copy.",
            StdButton.Yes | StdButton.Cancel,
            StdButton.Cancel,
            names={StdButton.Yes: "Restore"},
        )
        return answer == StdButton.Yes

    def _restore(self, found: recovery.Recovery) -> bool:
        try:
            case, problems = recovery.restore_recovery(found)
        except (CaseLoadError, OSError, ValueError) as err:
            self._editor.inform(Icon.Warning, "Cannot restore", f"{found.folder}: {err}")
            return False
        self._restoring = True
        path = str(found.case_folder) if found.case_folder else None
        self._window.set_case(case, problems, path)
        self._window.statusBar().showMessage("Unsaved changes restored; save to keep them", 8000)
        return True

    # -- changes on disk ----------------------------------------------------------------------

    def watch(self, folder: Path | None) -> None:
        """Watch case.json (and its folder, as saves replace the file) of an editable case."""
        watcher = self._watcher
        if watcher is not None and watcher.files() + watcher.directories():
            watcher.removePaths(watcher.files() + watcher.directories())
        self._disk_sig = None
        if folder is None or self._editor.read_only:
            return
        if watcher is None:
            watcher = self._watcher = QFileSystemWatcher(self)
            watcher.fileChanged.connect(self._schedule_disk_check)
            watcher.directoryChanged.connect(self._schedule_disk_check)
        case_file = Path(folder) / CASE_FILE
        self._disk_sig = disk_signature(case_file)
        watcher.addPaths([str(p) for p in (case_file, Path(folder)) if p.exists()])

    def _schedule_disk_check(self, _path: str) -> None:
        self._disk_timer.start()

    def check_disk(self) -> bool:
        """If case.json changed on disk since it was opened or saved here, offer to reload.

        True when it had changed."""
        case = self._editor.case
        if case is None or case.folder is None:
            return False
        case_file = Path(case.folder) / CASE_FILE
        watcher = self._watcher
        if watcher is not None and case_file.exists() and str(case_file) not in watcher.files():
            watcher.addPath(str(case_file))  # a rename replaced the watched file
        signature = disk_signature(case_file)
        if signature is None or signature == self._disk_sig:
            return False
        self._disk_sig = signature
        self._offer_reload()
        return True

    def _offer_reload(self) -> None:
        dirty = self._editor.is_dirty()
        kept = self.autosave_now() if dirty else None
        if dirty and kept is not None:
            detail = (
                "Your unsaved changes are kept in a recovery copy: File ▸ Restore unsaved "
                "changes brings them back. Keep mine leaves the case as you have it here; "
                "saving it then replaces the other version."
            )
        elif dirty:
            detail = "Your unsaved changes could not be copied; reloading would lose them."
        else:
            detail = "You have no unsaved changes here."
        answer = ask(
            self._window,
            "The case changed on disk",
            "This case's file was changed outside this window (by another program or person)."
            " Reload it from disk?",
            StdButton.Yes | StdButton.No,
            StdButton.Yes if not dirty or kept else StdButton.No,
            detail=detail,
            names={StdButton.Yes: "Reload", StdButton.No: "Keep mine" if dirty else "Not now"},
        )
        if answer == StdButton.Yes:
            self.reload_from_disk()

    def reload_from_disk(self) -> bool:
        """Open the case again from its folder (no question about unsaved changes)."""
        case = self._editor.case
        if case is None or case.folder is None:
            return False
        folder, selected = case.folder, self._window.selected_id()
        try:
            fresh, problems = load_case(folder)
        except (CaseLoadError, OSError, ValueError) as err:
            reason = "; ".join(str(p) for p in getattr(err, "problems", [])) or str(err)
            self._editor.inform(Icon.Warning, "Cannot reload", reason)
            return False
        self._skip_offer = True  # the recovery copy may hold the edits just set aside
        self._window.set_case(fresh, problems, str(folder))
        if selected is not None:
            self._window.select_event(selected)
        return True
