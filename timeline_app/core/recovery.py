"""Autosave recovery copies of open cases, kept outside the case folder.

Each case folder has one recovery folder under the user's data directory
(``$XDG_DATA_HOME/timeline-app/recovery/<key>/`` on Linux, the platform's equivalent
elsewhere), keyed by a hash of the case folder's absolute path. It holds a full copy of the
case written with ``save_case`` (atomic, documents only rewritten when they change) and a
``recovery.json`` saying which case it belongs to and when it was written. After a crash the
window lists what is there and offers to restore (open the copy, to be saved to the case
folder) or discard it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from timeline_app.core.casefile import Problem, load_case, save_case, write_atomically
from timeline_app.core.model import Case

INFO_FILE = "recovery.json"
FORMAT = "timeline-app-recovery"


@dataclass(frozen=True)
class Recovery:
    """One recovery copy: where it is, which case folder it belongs to, when it was written."""

    folder: Path
    case_folder: Path | None
    saved_at: float  # seconds since the epoch
    title: str
    event_count: int

    def is_newer_than_case(self) -> bool:
        """True when the copy was written after the case file on disk was last changed."""
        if self.case_folder is None:
            return True
        try:
            return self.saved_at > (self.case_folder / "case.json").stat().st_mtime
        except OSError:
            return True


def data_dir() -> Path:
    """The user's data directory for this app (created on demand by the writers)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "timeline-app"


def recovery_root() -> Path:
    return data_dir() / "recovery"


def recovery_folder(case_folder: str | Path | None) -> Path:
    """Where the recovery copy of ``case_folder`` lives (``None``: a case never saved)."""
    if case_folder is None:
        return recovery_root() / "unsaved"
    key = str(Path(case_folder).resolve())
    digest = hashlib.sha256(key.encode("utf-8", errors="surrogatepass")).hexdigest()[:16]
    name = Path(key).name or "case"
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in name)[:40]
    return recovery_root() / f"{safe}-{digest}"


def write_recovery(case: Case, case_folder: str | Path | None = None) -> Path:
    """Write a recovery copy of ``case`` (default key: ``case.folder``); its folder.

    ``case.folder`` is left as it was, so that Save still writes to the case's own folder.
    Raises OSError when it cannot be written (the previous copy then stays as it was).
    """
    original = case.folder
    owner = Path(case_folder) if case_folder is not None else original
    target = recovery_folder(owner)
    try:
        save_case(case, target)
    finally:
        case.folder = original
    info = {
        "format": FORMAT,
        "case_folder": None if owner is None else str(Path(owner).resolve()),
        "saved_at": time.time(),
        "title": case.title,
        "event_count": len(case.events),
    }
    write_atomically(
        target / INFO_FILE, json.dumps(info, ensure_ascii=False, indent=2).encode("utf-8")
    )
    return target


def list_recoveries() -> list[Recovery]:
    """Every recovery copy there is, newest first (unreadable ones are skipped)."""
    root = recovery_root()
    if not root.is_dir():
        return []
    found = [_read_info(folder) for folder in root.iterdir() if folder.is_dir()]
    return sorted((r for r in found if r is not None), key=lambda r: r.saved_at, reverse=True)


def find_recovery(case_folder: str | Path | None) -> Recovery | None:
    """The recovery copy of ``case_folder``, if there is one."""
    return _read_info(recovery_folder(case_folder))


def restore_recovery(recovery: Recovery) -> tuple[Case, list[Problem]]:
    """Open a recovery copy as a case whose ``folder`` is the original case folder.

    The copy stays on disk until :func:`discard_recovery`; the caller marks the restored case
    as unsaved (it differs from what the case folder holds).
    """
    case, problems = load_case(recovery.folder)
    case.folder = recovery.case_folder
    return case, problems


def discard_recovery(recovery: Recovery | str | Path | None) -> None:
    """Delete a recovery copy (a Recovery, or the case folder it belongs to)."""
    folder = recovery.folder if isinstance(recovery, Recovery) else recovery_folder(recovery)
    if folder.resolve().parent != recovery_root().resolve():
        raise ValueError(f"{folder} is not a recovery folder")
    shutil.rmtree(folder, ignore_errors=True)


def _read_info(folder: Path) -> Recovery | None:
    try:
        info = json.loads((folder / INFO_FILE).read_text(encoding="utf-8"))
        if info.get("format") != FORMAT or not (folder / "case.json").is_file():
            return None
        owner = info.get("case_folder")
        return Recovery(
            folder=folder,
            case_folder=None if owner is None else Path(owner),
            saved_at=float(info["saved_at"]),
            title=str(info.get("title", "")),
            event_count=int(info.get("event_count", 0)),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
