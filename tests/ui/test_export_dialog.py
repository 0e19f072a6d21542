"""File > Export (choices, preview, errors), File > Import and dropping a timeline file."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialogButtonBox

from timeline_app.core.casefile import load_case
from timeline_app.core.dates import day_number
from timeline_app.paths import default_case_dir
from timeline_app.ui import export_dialog
from timeline_app.ui.export_dialog import ExportDialog, is_importable
from timeline_app.ui.main_window import MainWindow

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "formats"
SVG_TEXT = "{http://www.w3.org/2000/svg}text"


@pytest.fixture()
def dialog(qtbot, tmp_path: Path) -> ExportDialog:
    case, _ = load_case(default_case_dir())
    window = (float(day_number(2017, 6)), float(day_number(2017, 8)))
    dlg = ExportDialog(case, window, folder=tmp_path)
    qtbot.addWidget(dlg)
    return dlg


def click_export(dlg: ExportDialog) -> None:
    dlg.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def untick_all_but(dlg: ExportDialog, keep: set[str]) -> None:
    for i in range(dlg.lane_list.count()):
        item = dlg.lane_list.item(i)
        state = Qt.CheckState.Checked if item.text() in keep else Qt.CheckState.Unchecked
        item.setCheckState(state)


def svg_texts(path: Path) -> list[str]:
    return ["".join(el.itertext()) for el in ET.parse(path).getroot().iter(SVG_TEXT)]


def test_exports_svg_with_range_and_lanes(dialog: ExportDialog, tmp_path: Path) -> None:
    dialog.set_format("svg")
    assert dialog.path_edit.text().endswith(".svg")
    dialog.range_edit.setText("2017-07/2017-07")
    assert dialog.scope_range.isChecked()
    untick_all_but(dialog, {"Advocates", "City of Milwaukee"})
    out = tmp_path / "july.svg"
    dialog.path_edit.setText(str(out))
    click_export(dialog)
    assert dialog.result() == ExportDialog.DialogCode.Accepted
    texts = svg_texts(out)
    assert "Rally at City Hall against the revision" in texts
    assert "Revised SOP 130 takes effect" in texts
    assert not any(t.startswith("Executive Order") for t in texts)


def test_visible_window_png(dialog: ExportDialog, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    dialog.set_format("png")
    dialog.scope_window.setChecked(True)
    dialog.width_box.setValue(1000)
    dialog.scale_box.setValue(1.0)
    out = tmp_path / "window.png"
    dialog.path_edit.setText(str(out))
    click_export(dialog)
    assert dialog.exported_to == out
    assert QImage(str(out)).width() == 1000
    dialog.update_preview()
    assert dialog.message.text() == "9 events"  # those in June and July 2017


def test_visible_window_narrows_data_exports(dialog: ExportDialog, tmp_path: Path) -> None:
    dialog.set_format("csv")
    dialog.scope_window.setChecked(True)
    click_export(dialog)
    with open(dialog.exported_to, encoding="utf-8", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == 9


def test_data_format_from_the_dialog(dialog: ExportDialog, tmp_path: Path) -> None:
    dialog.set_format("csv")
    assert not dialog.width_box.isEnabled()
    untick_all_but(dialog, {"Press"})
    click_export(dialog)
    with open(dialog.exported_to, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["lane"] for row in rows] == ["press"]


def test_bad_range_is_explained_and_nothing_written(dialog: ExportDialog, tmp_path) -> None:
    dialog.range_edit.setText("next summer")
    click_export(dialog)
    assert dialog.result() != ExportDialog.DialogCode.Accepted
    assert dialog.message.text().startswith("Dates:")
    dialog.update_preview()
    assert "Dates:" in dialog.preview.text()
    assert list(tmp_path.iterdir()) == []


def test_no_lane_ticked_is_explained(dialog: ExportDialog, tmp_path: Path) -> None:
    untick_all_but(dialog, set())
    click_export(dialog)
    assert "at least one lane" in dialog.message.text()
    assert list(tmp_path.iterdir()) == []


def test_preview_shows_the_snapshot(dialog: ExportDialog) -> None:
    dialog.update_preview()
    assert not dialog.preview.pixmap().isNull()
    assert dialog.message.text() == "19 events"


def test_what_a_drop_imports(tmp_path: Path) -> None:
    case_json = tmp_path / "other.json"
    case_json.write_text('{"format": "timeline-app-case", "version": 1}', encoding="utf-8")
    assert is_importable(FIXTURES / "timelinejs_full.json")
    assert is_importable(FIXTURES / "sop130.timeline")
    assert is_importable(FIXTURES / "generic.csv")
    assert not is_importable(case_json)
    assert not is_importable(default_case_dir())
    assert not is_importable(default_case_dir() / "case.json")


def test_dropping_a_timeline_imports_and_opens_it(qtbot, tmp_path, monkeypatch) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    target = tmp_path / "imported"
    monkeypatch.setattr(export_dialog, "choose_import_target", lambda parent, source: target)
    monkeypatch.setattr(export_dialog, "_message", lambda *args: None)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(FIXTURES / "sop130.timeline"))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    assert (target / "case.json").is_file()
    assert window.case is not None and window.case.events
    assert window.case_path is not None and Path(window.case_path) == target


def test_failed_import_says_why_and_opens_nothing(qtbot, tmp_path, monkeypatch) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    messages: list[str] = []
    monkeypatch.setattr(
        export_dialog, "_message", lambda _p, _i, title, text: messages.append(title)
    )
    assert not window.import_timeline(FIXTURES / "malformed.json", tmp_path / "new")
    assert messages and "Could not import malformed.json" in messages[0]
    assert not (tmp_path / "new").exists()
