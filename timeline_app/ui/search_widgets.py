"""The search field (Esc clears it, Down and Enter go to the results) and the status bar
readout of search ("Indexing… 40%" with a progress bar, "Match 3 of 12")."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QProgressBar, QWidget

from timeline_app.ui.icons import icon
from timeline_app.ui.plain_text import plain_label


class SearchField(QLineEdit):
    """The search field: Esc clears it (before the window's Esc shortcut can take the key),
    Down moves into the results, Enter chooses the first result."""

    escape_pressed = Signal()
    down_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("search_field")
        self.setPlaceholderText("Search documents and events  (Ctrl+F)")
        self.setClearButtonEnabled(True)
        self.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.setToolTip(
            'Words (all must match), "a phrase", word*, -word, a OR b; '
            "filters lane:NAME tag:NAME doc:ID after:2017-06 before:2017-08"
        )

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Escape:
                event.accept()  # handled below, not by the window's "clear selection"
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
        elif event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.down_pressed.emit()
        else:
            super().keyPressEvent(event)


class SearchStatus(QWidget):
    """Status bar readout: "Indexing… 40%" with a progress bar, or "Match 3 of 12"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("search_status")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.setSpacing(6)
        self.label = plain_label("", "search_status_text")
        self.label.setWordWrap(False)
        self.progress = QProgressBar()
        self.progress.setObjectName("search_progress")
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(False)
        self.progress.setFixedSize(110, 12)
        self.progress.hide()
        layout.addWidget(self.label)
        layout.addWidget(self.progress)

    def show_progress(self, percent: int) -> None:
        self.label.setText(f"Indexing… {percent}%")
        self.progress.setValue(percent)
        self.progress.show()

    def show_text(self, text: str) -> None:
        self.progress.hide()
        self.label.setText(text)
