"""``timeline-app screenshot`` renders the window offscreen to a PNG of the asked size."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from timeline_app.cli import main


def test_screenshot_writes_a_png_of_the_requested_size(qapp, tmp_path: Path, capsys) -> None:
    out = tmp_path / "shot.png"
    code = main(
        [
            "screenshot",
            "-o",
            str(out),
            "--width",
            "900",
            "--height",
            "640",
            "--select",
            "aclu-letter-sent",
        ]
    )
    assert code == 0
    assert capsys.readouterr().out.strip() == str(out)
    image = QImage(str(out))
    assert not image.isNull()
    assert (image.width(), image.height()) == (900, 640)


def test_unknown_event_id_exits_2_with_a_message(qapp, tmp_path: Path, capsys) -> None:
    out = tmp_path / "shot.png"
    code = main(["screenshot", "-o", str(out), "--select", "no-such-event"])
    assert code == 2
    assert "no-such-event" in capsys.readouterr().err
    assert not out.exists()


def test_a_path_that_is_not_a_case_exits_2(qapp, tmp_path: Path, capsys) -> None:
    code = main(["screenshot", str(tmp_path), "-o", str(tmp_path / "x.png")])
    assert code == 2
    assert str(tmp_path) in capsys.readouterr().err


@pytest.mark.parametrize("size", ["12", "wide"])
def test_bad_sizes_are_usage_errors(size: str, tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["screenshot", "-o", str(tmp_path / "x.png"), "--width", size])
    assert exit_info.value.code == 2
    assert "pixels" in capsys.readouterr().err


def test_runs_without_a_display(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    env["WAYLAND_DISPLAY"] = ""
    out = tmp_path / "default.png"
    done = subprocess.run(
        [sys.executable, "-m", "timeline_app", "screenshot", "-o", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1400, 900)


def test_a_bad_range_exits_2_naming_the_option(qapp, tmp_path: Path, capsys) -> None:
    code = main(["screenshot", "-o", str(tmp_path / "x.png"), "--range", "2017-13/2018"])
    assert code == 2
    err = capsys.readouterr().err
    assert "--range" in err and "2017-13" in err
    assert not (tmp_path / "x.png").exists()


def test_range_shows_that_period(qapp, tmp_path: Path) -> None:
    from timeline_app.core.dates import day_number
    from timeline_app.ui.main_window import MainWindow

    out = tmp_path / "range.png"
    assert main(["screenshot", "-o", str(out), "--range", "2017-06/2017-07"]) == 0
    assert QImage(str(out)).width() == 1400
    # the same through the canvas API the verb uses
    window = MainWindow()
    try:
        window.resize(1400, 900)
        window.show()
        window.canvas.show_period(day_number(2017, 6, 1), day_number(2017, 8, 1))
        vp = window.canvas.viewport()
        assert day_number(2017, 5, 20) < vp.start_day <= day_number(2017, 6, 1)
        assert day_number(2017, 8, 1) <= vp.end_day < day_number(2017, 8, 12)
    finally:
        window.close()
