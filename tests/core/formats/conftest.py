"""Fixtures of the format tests: the hand-made files and the default case."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline_app.core.casefile import load_case
from timeline_app.core.model import Case

from .helpers import FIXTURES


@pytest.fixture()
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture()
def default_case(default_case_path: Path) -> Case:
    case, problems = load_case(default_case_path)
    assert problems == []
    return case
