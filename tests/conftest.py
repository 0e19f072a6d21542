"""Test set-up shared by every test: Qt runs offscreen, settings are isolated."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from timeline_app.paths import default_case_dir  # noqa: E402


@pytest.fixture()
def default_case_path() -> Path:
    """The shipped SOP 130 case folder (read-only use; copy it to modify)."""
    return default_case_dir()


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keep QSettings and caches of tests out of the user's home."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
