"""Where the shipped resources are, installed or run from a source checkout."""

from __future__ import annotations

from pathlib import Path


def resources_dir() -> Path:
    """The folder holding the default case and icons."""
    try:
        import timeline_app.resources as res

        return Path(res.__file__).resolve().parent
    except ImportError:  # running from a checkout without installing
        return Path(__file__).resolve().parent.parent / "resources"


def default_case_dir() -> Path:
    """The SOP 130 case that opens when no path is given."""
    return resources_dir() / "default-case"
