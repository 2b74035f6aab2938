"""The job-search tracker spreadsheet: export to CSV/XLSX and validated, all-or-nothing import."""
