"""Small widgets and helpers that show untrusted text from a case as plain text only."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from timeline_app.core.dates import DateError, When


def human_date(edtf: str) -> str:
    """``edtf`` as a person reads it; the raw text when it is not a valid date."""
    try:
        return When.parse(edtf).human()
    except DateError:
        return edtf


def plain_label(text: str = "", name: str = "") -> QLabel:
    """A label that never interprets its text as HTML, wraps, and can be selected."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setText(text)
    if name:
        label.setObjectName(name)
    return label


def set_muted(label: QLabel) -> None:
    """Draw ``label`` in the palette's quieter text colour (for captions and hints)."""
    palette = label.palette()
    palette.setColor(
        QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.PlaceholderText)
    )
    label.setPalette(palette)


def plain_tooltip(text: str) -> str:
    """A tooltip showing ``text`` literally (Qt would otherwise guess HTML in tooltips)."""
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"


def fact_form() -> QFormLayout:
    """A compact two-column form: muted names on the left, values on the right."""
    form = QFormLayout()
    form.setContentsMargins(0, 4, 0, 4)
    form.setHorizontalSpacing(12)
    form.setVerticalSpacing(3)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


def fact_name(text: str) -> QLabel:
    label = plain_label(text)
    set_muted(label)
    return label


def scaled_font(widget: QWidget, factor: float, bold: bool = False) -> QFont:
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    return font
