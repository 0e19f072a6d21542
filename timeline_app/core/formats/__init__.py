"""Importers and exporters of foreign formats, one module per format.

- registry: the format tables, `export_data`, `import_into`, `select` (range and lanes)
- common: report items, FormatError, ImportResult, background periods, ids, atomic output
- edtf_fields, text_input: EDTF from calendar fields and back; HTML and CSV input
- csv_export, ics, timelinejs: data exports
- timelinejs_import, timelinejs_sheet, timeline_project (The Timeline Project .timeline XML),
  generic_csv (any CSV with a column map): imports into a new case held in memory
- case_zip: the case folder as a zip, out and (safely) in

docs/export-formats.md describes each format as this app writes and reads it.
"""
