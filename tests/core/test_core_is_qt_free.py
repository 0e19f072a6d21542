"""The core is the product and must run without Qt (DESIGN.md, STYLE.md)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import timeline_app.core


def core_modules() -> list[str]:
    return [
        m.name
        for m in pkgutil.walk_packages(timeline_app.core.__path__, prefix="timeline_app.core.")
    ]


def test_there_are_core_modules_to_check() -> None:
    assert "timeline_app.core.model" in core_modules()


def test_importing_every_core_module_does_not_import_pyside6() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(' '.join(bad))\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"core imported Qt: {result.stdout} {result.stderr}"
