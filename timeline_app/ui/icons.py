"""Icons drawn for timeline-app, shipped as SVG files in resources/icons."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from timeline_app.paths import resources_dir


def icon_path(name: str) -> str:
    """The file of the icon called ``name`` (without ``.svg``)."""
    return str(resources_dir() / "icons" / f"{name}.svg")


@cache
def icon(name: str) -> QIcon:
    """The icon called ``name``; an empty icon when the file is missing."""
    return QIcon(icon_path(name))


def app_icon() -> QIcon:
    """The application's own icon (window and task bar)."""
    return icon("app")
