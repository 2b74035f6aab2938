"""Spreadsheet formula injection: a cell a user typed must never run as a formula when opened."""

from __future__ import annotations

# A cell starting with one of these is a formula (or DDE payload) to Excel, LibreOffice or Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """``=HYPERLINK(...)`` -> ``'=HYPERLINK(...)``: shown as text, never run."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def restore(value: str) -> str:
    """Undo :func:`neutralise` on import, so an exported tracker imports back unchanged."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
