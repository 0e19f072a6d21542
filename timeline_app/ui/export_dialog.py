"""File > Export (the CLI's choices, with a preview) and File > Import / dropped timeline files.

`export_case` is the one export operation both the dialog and its tests use: narrow the case
(`registry.select`), then write a data format (`registry.export_data`) or a snapshot (the
exporters ``timeline-app export`` uses), atomically. `import_timeline` makes a new case folder
from a timeline file with `registry.import_into` and reports what it skipped.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from timeline_app.core.dates import DateError, When
from timeline_app.core.formats import registry
from timeline_app.core.model import Case, Event

FORMAT_CHOICES: tuple[tuple[str, str, str], ...] = (
    ("png", ".png", "PNG image"),
    ("svg", ".svg", "SVG image (text kept as text)"),
    ("pdf", ".pdf", "PDF (vector, landscape)"),
    ("html", ".html", "Standalone HTML page"),
    ("csv", ".csv", "CSV, one row per event"),
    ("ics", ".ics", "iCalendar (.ics)"),
    ("timelinejs", ".json", "TimelineJS JSON"),
    ("zip", ".zip", "Case folder as a .zip"),
)
SNAPSHOTS = ("png", "svg", "pdf", "html")
IMPORTABLE = (".json", ".csv", ".tsv", ".timeline", ".zip")
PREVIEW_DELAY_MS = 250


@dataclass(frozen=True)
class ExportChoice:
    """What to export: like ``timeline-app export``'s options, plus the visible window."""

    format: str = "png"
    period: When | None = None
    lanes: tuple[str, ...] = ()
    scale: float | None = None
    width: int | None = None
    window: tuple[float, float] | None = None


def export_case(case: Case, out: str | Path, choice: ExportChoice) -> list[object]:
    """Write ``case`` narrowed to the choice to ``out`` (atomically); returns the report.
    Raises ValueError (bad lanes or size) or OSError (cannot write)."""
    from timeline_app.cli.export import snapshot_exporter
    from timeline_app.core.formats.common import atomic_output

    selected = narrow(case, choice)
    if choice.format in registry.DATA_EXPORTS:
        return list(registry.export_data(selected, out, choice.format))
    exporter = snapshot_exporter(choice.format)
    if exporter is None:
        raise ValueError(f"{choice.format.upper()} export is not available")
    with atomic_output(out) as tmp:
        return list(exporter(selected, tmp, choice) or [])


def narrow(case: Case, choice: ExportChoice) -> Case:
    """The events the choice covers: its dates (or the visible window) and lanes."""
    selected = registry.select(case, choice.period, choice.lanes)
    if choice.window is not None:
        first, last = choice.window
        events = [ev for ev in selected.events if _overlaps(ev, first, last)]
        selected = dataclasses.replace(selected, events=events)
    return selected


def _overlaps(event: Event, first: float, last: float) -> bool:
    return event.when.sort_start < last and event.when.sort_end > first


def suggested_name(case: Case, extension: str) -> str:
    stem = re.sub(r"[^\w\-]+", "-", case.title, flags=re.UNICODE).strip("-")[:60]
    return f"{stem or 'timeline'}{extension}"


class ExportDialog(QDialog):
    """Format, scope (whole case, visible window, date range), lanes, size; a live preview."""

    def __init__(
        self,
        case: Case,
        window: tuple[float, float] | None = None,
        parent: QWidget | None = None,
        folder: str | Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.case = case
        self._window = window
        self._folder = (
            Path(folder) if folder else (case.folder.parent if case.folder else Path.home())
        )
        self.exported_to: Path | None = None
        self._preview_timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.update_preview)
        self._build()
        self._connect()
        self._format_changed()

    # ---- widgets ----------------------------------------------------------------------------

    def _build(self) -> None:
        self.format_box = QComboBox()
        for name, extension, text in FORMAT_CHOICES:
            self.format_box.addItem(f"{text} ({extension})", name)
        self.scope_whole = QRadioButton("Whole case")
        self.scope_window = QRadioButton("Visible window")
        self.scope_range = QRadioButton("Dates")
        self.scope_whole.setChecked(True)
        self.scope_window.setEnabled(self._window is not None)
        self.scope_group = QButtonGroup(self)
        for button in (self.scope_whole, self.scope_window, self.scope_range):
            self.scope_group.addButton(button)
        self.range_edit = QLineEdit(placeholderText="EDTF, e.g. 2017-06/2017-08 or 2017")
        self.lane_list = QListWidget()
        for lane in self.case.lanes:
            item = QListWidgetItem(lane.name or lane.id)
            item.setData(Qt.ItemDataRole.UserRole, lane.id)
            item.setCheckState(Qt.CheckState.Checked)
            self.lane_list.addItem(item)
        self.lane_list.setMaximumHeight(110)
        self.width_box = QSpinBox(minimum=480, maximum=20000, value=1600, suffix=" px")
        self.scale_box = QDoubleSpinBox(minimum=0.25, maximum=10.0, value=2.0, singleStep=0.5)
        self.path_edit = QLineEdit()
        browse = QPushButton("Browse…")
        browse.clicked.connect(self.choose_path)
        self.preview = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(640, 320)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.message = QLabel(textFormat=Qt.TextFormat.PlainText, wordWrap=True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Save
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Export")
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        self.setLayout(self._layout(browse))

    def _layout(self, browse: QPushButton) -> QHBoxLayout:
        scope = QHBoxLayout()
        for widget in (self.scope_whole, self.scope_window, self.scope_range):
            scope.addWidget(widget)
        scope.addStretch(1)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("Format", self.format_box)
        form.addRow("Show", scope)
        form.addRow("", self.range_edit)
        form.addRow("Lanes", self.lane_list)
        form.addRow("Width", self.width_box)
        form.addRow("Scale (PNG)", self.scale_box)
        form.addRow("Save as", path_row)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self.message)
        left.addStretch(1)
        left.addWidget(self.buttons)
        outer = QHBoxLayout()
        outer.addLayout(left)
        outer.addWidget(self.preview, 1)
        return outer

    def _connect(self) -> None:
        self.format_box.currentIndexChanged.connect(self._format_changed)
        self.scope_group.buttonToggled.connect(self._schedule_preview)
        self.range_edit.textChanged.connect(self._range_typed)
        self.lane_list.itemChanged.connect(self._schedule_preview)
        self.width_box.valueChanged.connect(self._schedule_preview)

    # ---- choices ----------------------------------------------------------------------------

    def set_format(self, fmt: str) -> None:
        self.format_box.setCurrentIndex(self.format_box.findData(fmt))

    def choice(self) -> ExportChoice:
        """The options chosen; ValueError naming what is wrong."""
        fmt = self.format_box.currentData()
        period, window = None, None
        if self.scope_range.isChecked():
            try:
                period = When.parse(self.range_edit.text().strip())
            except DateError as err:
                raise ValueError(f"Dates: {err}") from None
        elif self.scope_window.isChecked():
            window = self._window
        lanes = self._checked_lanes()
        if lanes == ():
            raise ValueError("Lanes: tick at least one lane")
        snapshot = fmt in SNAPSHOTS
        return ExportChoice(
            fmt,
            period,
            lanes or (),
            self.scale_box.value() if snapshot else None,
            self.width_box.value() if snapshot else None,
            window,
        )

    def _checked_lanes(self) -> tuple[str, ...] | None:
        """Ids of the ticked lanes; None when all are (no filter)."""
        items = [self.lane_list.item(i) for i in range(self.lane_list.count())]
        ticked = [i for i in items if i.checkState() == Qt.CheckState.Checked]
        if len(ticked) == len(items):
            return None
        return tuple(item.data(Qt.ItemDataRole.UserRole) for item in ticked)

    def _format_changed(self) -> None:
        fmt = self.format_box.currentData()
        extension = next(ext for name, ext, _ in FORMAT_CHOICES if name == fmt)
        current = self.path_edit.text().strip()
        path = Path(current) if current else self._folder / suggested_name(self.case, "")
        self.path_edit.setText(str(path.with_suffix(extension)))
        snapshot = fmt in SNAPSHOTS
        self.width_box.setEnabled(snapshot)
        self.scale_box.setEnabled(fmt == "png")
        self._schedule_preview()

    def _range_typed(self) -> None:
        self.scope_range.setChecked(True)
        self._schedule_preview()

    def choose_path(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export to", self.path_edit.text())
        if path:
            self.path_edit.setText(path)

    # ---- preview and export -----------------------------------------------------------------

    def _schedule_preview(self, *_args: object) -> None:
        self._preview_timer.start()

    def update_preview(self) -> None:
        """Draw the snapshot the choices make (data formats: the same picture of what they
        hold), scaled into the preview."""
        from timeline_app.ui.export_image import SnapshotSettings, build_pages, paint_png

        try:
            choice = self.choice()
            selected = narrow(self.case, choice)
            settings = SnapshotSettings.from_options(
                ExportChoice(
                    "png", choice.period, choice.lanes, 1.0, self.width_box.value(), choice.window
                )
            )
            image = paint_png(build_pages(selected, settings), 1.0)
        except ValueError as err:
            self.preview.setPixmap(QPixmap())
            self.preview.setText(str(err))
            return
        size = self.preview.size()
        pixmap = QPixmap.fromImage(image).scaled(
            size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        self.preview.setPixmap(pixmap)
        self.message.setText(f"{len(selected.events):,} events")

    def export(self) -> None:
        """Export with the choices; stay open with the reason when it cannot."""
        out = self.path_edit.text().strip()
        if not out:
            self.message.setText("Save as: choose a file to write")
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            report = export_case(self.case, out, self.choice())
        except ValueError as err:
            self.message.setText(str(err))
            return
        except OSError as err:
            self.message.setText(f"Cannot write {out}: {err.strerror or err}")
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.exported_to = Path(out)
        if report:
            QMessageBox.information(self, "Export", "\n".join(str(item) for item in report[:20]))
        self.accept()


# ==================================================================================== import


def is_importable(path: str | Path) -> bool:
    """A timeline file to import (not a case folder or a case.json to open)."""
    path = Path(path)
    if path.is_dir() or path.suffix.lower() not in IMPORTABLE or path.name == "case.json":
        return False
    if path.suffix.lower() == ".json":
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                return '"timeline-app-case"' not in handle.read(4096)
        except OSError:
            return False
    return True


def choose_import_file(parent: QWidget | None) -> str | None:
    path, _ = QFileDialog.getOpenFileName(
        parent,
        "Import a timeline",
        str(Path.home()),
        "Timelines (*.json *.csv *.tsv *.timeline *.zip);;All files (*)",
    )
    return path or None


def new_case_folder(source: str | Path) -> Path:
    """A folder that does not exist yet, beside ``source``, named after it."""
    source = Path(source)
    base = source.parent / f"{source.stem} (imported)"
    target, n = base, 2
    while target.exists():
        target = base.with_name(f"{base.name} {n}")
        n += 1
    return target


def choose_import_target(parent: QWidget | None, source: str | Path) -> Path | None:
    """Ask for the new case folder (suggested: beside the file)."""
    path, _ = QFileDialog.getSaveFileName(
        parent, "Create the case folder", str(new_case_folder(source))
    )
    return Path(path) if path else None


def import_timeline(parent: QWidget | None, source: str | Path, target: Path) -> Path | None:
    """Import ``source`` into the new folder ``target``; say what was skipped or why it
    failed (plain text). Returns the case folder, or None."""
    from timeline_app.core.formats.common import FormatError, MissingDependencyError

    try:
        result = registry.import_into(source, target)
    except (FormatError, registry.TargetError, ValueError, MissingDependencyError) as err:
        _message(parent, QMessageBox.Icon.Warning, f"Could not import {Path(source).name}", err)
        return None
    except OSError as err:
        _message(parent, QMessageBox.Icon.Warning, f"Could not write {target}", err)
        return None
    if result.skipped:
        lines = [str(item) for item in result.report][:30]
        text = f"Imported {len(result.case.events)} events into {target}.\n\n" + "\n".join(lines)
        _message(parent, QMessageBox.Icon.Information, "Import: some items were skipped", text)
    return target


def _message(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: object) -> None:
    box = QMessageBox(icon, title, str(text), QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()
