"""PySide6 views over timeline_app.core objects."""
