"""The datebench corpus scored with its own scorer (skipped when the corpus is absent).

The corpus is not part of the project: it is looked up in ``$DATEBENCH_DIR`` or in
``../shared/datebench`` next to the repository.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MIN_CALENDAR_F1 = 0.85


def datebench_dir() -> Path | None:
    candidates = [os.environ.get("DATEBENCH_DIR"), REPO.parent / "shared" / "datebench"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "score.py").is_file():
            return Path(candidate)
    return None


def test_calendar_f1_on_the_datebench_development_set() -> None:
    bench = datebench_dir()
    if bench is None:
        pytest.skip("datebench not found: set DATEBENCH_DIR or place it at ../shared/datebench")
    result = subprocess.run(
        [
            sys.executable,
            str(bench / "score.py"),
            str(bench / "aquaint.jsonl"),
            "--python-module",
            "timeline_app.core.extract:datebench_mentions",
            "--json",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    scores = json.loads(result.stdout.strip().splitlines()[-1])
    assert scores["failed_documents"] == 0
    assert scores["calendar"]["f1"] >= MIN_CALENDAR_F1, scores["calendar"]
