"""The product's core: dates, the case model and file format, layout, search.

Pure Python. Nothing under timeline_app.core may import PySide6 (tests enforce it).
"""
