"""Workbooks Jifen hands out are data, never formulas: the one rule against spreadsheet formula injection.

A name or a list field typed as `=HYPERLINK("http://…","点我")` would otherwise become a live formula
when openpyxl writes it, and run when a committee member opens the report in Excel or WPS. Every
text cell that a spreadsheet could read as a formula (it starts with = + - @, a tab or a carriage
return) is written as text, with the quote prefix Excel itself sets when one types '=…, so the value
stays exactly what was stored (an export read back imports the same text) and stays text when edited.
Every xlsx export ends with `workbook_bytes(book)`, which applies the rule to every cell.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    """Whether a spreadsheet could take this value for a formula (a string starting with = + - @ tab CR)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def safe_cell(cell: Cell) -> Cell:
    """Make a cell whose value could be read as a formula plain text; any other cell is left as it is."""
    if is_formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def workbook_bytes(book: Workbook) -> bytes:
    """The workbook as .xlsx bytes, with every formula-like text cell of every sheet written as text."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                safe_cell(cell)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
