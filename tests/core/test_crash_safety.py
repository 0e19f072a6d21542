"""Work is never lost: failed or killed saves leave the old case; recovery copies round-trip."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from timeline_app.cli import main
from timeline_app.core import recovery
from timeline_app.core.casefile import case_to_dict, load_case, validate_case
from timeline_app.core.commands import History, UpdateEvent

EVENTS = 100_000
KILLS = 8


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture()
def case_dir(tmp_path: Path, default_case_path: Path) -> Path:
    target = tmp_path / "case"
    shutil.copytree(default_case_path, target)
    return target


@pytest.fixture()
def edits(tmp_path: Path) -> Path:
    path = tmp_path / "edits.jsonl"
    path.write_text(
        json.dumps({"op": "update_event", "id": "aclu-letter-sent", "title": "Changed"}) + "\n",
        encoding="utf-8",
    )
    return path


# --- a save that fails half way -------------------------------------------------------------------


class _HalfWriter:
    """A file that takes half of what is written, then fails as a full disk would."""

    def __init__(self, handle) -> None:
        self._handle = handle

    def write(self, data: bytes) -> int:
        self._handle.write(data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    def __getattr__(self, name: str):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._handle.close()


def _fail_replace(*args, **kwargs):
    raise PermissionError(13, "Permission denied")


def _fail_fsync(*args, **kwargs):
    raise OSError(5, "Input/output error")


@pytest.mark.parametrize("failure", ["disk full mid-write", "fsync fails", "rename fails"])
def test_a_save_that_fails_half_way_leaves_the_old_files(
    failure: str, case_dir: Path, edits: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    before = snapshot(case_dir)
    if failure == "disk full mid-write":
        real_fdopen = os.fdopen
        monkeypatch.setattr(os, "fdopen", lambda *a, **k: _HalfWriter(real_fdopen(*a, **k)))
    elif failure == "fsync fails":
        monkeypatch.setattr(os, "fsync", _fail_fsync)
    else:
        monkeypatch.setattr(os, "replace", _fail_replace)
    assert main(["apply", str(case_dir), str(edits)]) == 1
    assert "the case on disk is unchanged" in capsys.readouterr().err
    monkeypatch.undo()
    assert snapshot(case_dir) == before  # same files, same bytes: no temporary file left


# --- SIGKILL while saving a 100,000-event case ---------------------------------------------------


@pytest.fixture(scope="session")
def big_case(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A 100,000-event case, its bytes, and the bytes `apply` writes (made once per session)."""
    from timeline_app.paths import default_case_dir

    root = tmp_path_factory.mktemp("big")
    pristine = root / "pristine"
    shutil.copytree(default_case_dir(), pristine)
    data = json.loads((pristine / "case.json").read_text(encoding="utf-8"))
    lanes = [lane["id"] for lane in data["lanes"]]
    data["events"] = [
        {
            "id": f"e{i}",
            "title": f"Event {i}",
            "when": f"{1900 + i % 120:04d}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "lane": lanes[i % len(lanes)],
            "summary": "x" * 40,
        }
        for i in range(EVENTS)
    ]
    (pristine / "case.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    edits = root / "edits.jsonl"
    edits.write_text(
        "\n".join(
            json.dumps(obj)
            for obj in (
                {"op": "update_event", "id": "e5", "title": "Changed by apply"},
                {"op": "add_event", "id": "new", "title": "New", "when": "2017-06-30"},
            )
        )
        + "\n",
        encoding="utf-8",
    )
    finished = root / "finished"
    shutil.copytree(pristine, finished)
    started = time.monotonic()
    subprocess.run(_apply_argv(finished, edits), check=True, capture_output=True)
    return {
        "pristine": pristine,
        "edits": edits,
        "old": (pristine / "case.json").read_bytes(),
        "new": (finished / "case.json").read_bytes(),
        "seconds": time.monotonic() - started,
    }


def _apply_argv(folder: Path, edits: Path) -> list[str]:
    return [sys.executable, "-m", "timeline_app", "apply", str(folder), str(edits)]


def _kill_while_saving(folder: Path, edits: Path, delay: float, wait_for_temp: bool) -> int:
    """Run apply; SIGKILL it ``delay`` s after start (or after its temporary file appears).

    Returns its exit status (-SIGKILL when the kill came before it finished)."""
    process = subprocess.Popen(
        _apply_argv(folder, edits), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        if wait_for_temp:
            deadline = time.monotonic() + 30
            while process.poll() is None and time.monotonic() < deadline:
                if any(p.name.endswith(".tmp") for p in folder.iterdir()):
                    break
                time.sleep(0.002)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=60)
    return process.returncode


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_during_apply_leaves_the_old_or_the_new_case(
    big_case: dict, tmp_path: Path
) -> None:
    rng = random.Random(1373)
    work = tmp_path / "work"
    outcomes = []
    for attempt in range(KILLS):
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(big_case["pristine"], work)
        # half the kills at any moment of the run, half in the save itself
        in_save = attempt % 2 == 1
        delay = rng.uniform(0, 0.05) if in_save else rng.uniform(0, big_case["seconds"] * 1.2)
        status = _kill_while_saving(work, big_case["edits"], delay, wait_for_temp=in_save)
        assert status in (0, -signal.SIGKILL)
        written = (work / "case.json").read_bytes()
        assert written in (big_case["old"], big_case["new"]), f"kill {attempt}: torn case.json"
        outcomes.append("new" if written == big_case["new"] else "old")
        if status == 0:
            assert written == big_case["new"]
    assert validate_case(work) == []
    assert "old" in outcomes  # some kills landed before the rename (the test kills for real)


# --- recovery copies ------------------------------------------------------------------------------


def test_recovery_copy_round_trips_unsaved_edits(case_dir: Path) -> None:
    case, _ = load_case(case_dir)
    history = History(case)
    history.push(UpdateEvent("aclu-letter-sent", {"title": "Edited, not saved"}))
    assert recovery.find_recovery(case_dir) is None
    written = recovery.write_recovery(case)
    assert case.folder == case_dir.resolve()  # saving still goes to the case folder
    assert not written.is_relative_to(case_dir)
    found = recovery.find_recovery(case_dir)
    assert found is not None and found.event_count == len(case.events)
    assert [r.folder for r in recovery.list_recoveries()] == [found.folder]
    assert found.is_newer_than_case()
    restored, problems = recovery.restore_recovery(found)
    assert problems == []
    assert restored.folder == case_dir.resolve()
    assert case_to_dict(restored) == case_to_dict(case)
    assert restored.event_by_id("aclu-letter-sent").title == "Edited, not saved"
    recovery.discard_recovery(found)
    assert recovery.find_recovery(case_dir) is None and recovery.list_recoveries() == []


def test_recovery_lives_in_the_user_data_dir(case_dir: Path, tmp_path: Path) -> None:
    data_home = Path(os.environ["XDG_DATA_HOME"])
    folder = recovery.recovery_folder(case_dir)
    if sys.platform.startswith("linux"):
        assert folder.is_relative_to(data_home)
    assert recovery.recovery_folder(case_dir / ".") == folder
    assert recovery.recovery_folder(tmp_path / "other") != folder


def test_a_rewritten_recovery_copy_replaces_the_old_one(case_dir: Path) -> None:
    case, _ = load_case(case_dir)
    recovery.write_recovery(case)
    case.title = "Second autosave"
    recovery.write_recovery(case)
    found = recovery.list_recoveries()
    assert len(found) == 1 and found[0].title == "Second autosave"


def test_broken_recovery_folders_are_ignored_and_discard_refuses_other_folders(
    case_dir: Path,
) -> None:
    root = recovery.recovery_root()
    (root / "junk").mkdir(parents=True)
    (root / "junk" / "recovery.json").write_text("{not json", encoding="utf-8")
    assert recovery.list_recoveries() == []
    with pytest.raises(ValueError):
        recovery.discard_recovery(recovery.Recovery(case_dir, None, 0.0, "", 0))
    assert (case_dir / "case.json").exists()
