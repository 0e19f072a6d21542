"""Where the window keeps what it remembers (geometry, dock state, last case).

``TIMELINE_APP_SETTINGS`` names an INI file to use instead of the platform's
settings store; tests and benchmarks set it so they never touch a user's settings.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QSettings

SETTINGS_ENV = "TIMELINE_APP_SETTINGS"
ORGANIZATION = "timeline-app"
APPLICATION = "timeline-app"

KEY_GEOMETRY = "window/geometry"
KEY_STATE = "window/state"
KEY_LAST_CASE = "case/last"


def app_settings() -> QSettings:
    """The settings store for this user (or the INI file named by TIMELINE_APP_SETTINGS)."""
    override = os.environ.get(SETTINGS_ENV)
    if override:
        return QSettings(override, QSettings.Format.IniFormat)
    return QSettings(ORGANIZATION, APPLICATION)


def last_case_path(settings: QSettings) -> str | None:
    """The case opened last, when it is remembered and still exists on disk."""
    value = settings.value(KEY_LAST_CASE)
    if isinstance(value, str) and value and os.path.exists(value):
        return value
    return None
