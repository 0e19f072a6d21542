"""Importers and exporters of foreign formats, one module per format.

- registry: the format tables, `export_data`, `import_into`, `select` (range and lanes)
- common: report items, FormatError, ImportResult, EDTF and text helpers, atomic output
- csv_export, ics, timelinejs (export and import), timeline_project (The Timeline Project
  .timeline XML), generic_csv (any CSV with a column map), case_zip (export and safe import)

docs/export-formats.md describes each format as this app writes and reads it.
"""
