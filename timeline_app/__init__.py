"""timeline-app: a desktop timeline viewer for cases built from documents."""

__version__ = "0.1.0"
