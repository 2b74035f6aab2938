"""Writing the tracker as CSV files or one XLSX workbook, with every text cell made formula-safe."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from bot.tracker.columns import COLUMNS, SHEET_TITLES
from bot.tracker.safety import neutralise

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"


def cell_value(value: Any) -> Any:
    """A value ready for a cell: dates and numbers stay typed, text is neutralised."""
    if value is None:
        return ""
    if isinstance(value, (date, int)):
        return value
    return neutralise(str(value))


def rows_for(kind: str, items: Sequence[Any]) -> list[list[Any]]:
    """The rows (without the heading) of one sheet."""
    return [[cell_value(column.export(item)) for column in COLUMNS[kind]] for item in items]


def to_csv(kind: str, items: Sequence[Any]) -> bytes:
    """One sheet as CSV: UTF-8 with a byte-order mark so Excel opens accents correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.heading for c in COLUMNS[kind]])
    for row in rows_for(kind, items):
        writer.writerow([v.isoformat() if isinstance(v, date) else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(sheets: dict[str, Sequence[Any]]) -> bytes:
    """Several sheets in one workbook; text cells are forced to strings, never formulas."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for kind, items in sheets.items():
        sheet = workbook.create_sheet(SHEET_TITLES[kind])
        columns = COLUMNS[kind]
        sheet.append([c.heading for c in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        rows = rows_for(kind, items)
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row, start=1):
                cell = sheet.cell(row=r, column=c, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
                elif isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2"
        for i, column in enumerate(columns):
            longest = max([len(column.heading), *(len(str(row[i])) for row in rows)])
            sheet.column_dimensions[get_column_letter(i + 1)].width = min(max(longest + 2, 10), 50)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
