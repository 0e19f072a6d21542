"""Data shipped with timeline-app: the default case and icons (not code)."""
