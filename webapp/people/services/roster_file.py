"""Reading a roster file (.csv or .xlsx) into rows of cells, within limits: a file of a few
hundred kilobytes must not keep a worker busy for minutes (a sheet declaring 2,000,000 rows, a zip
bomb). Rows are read one at a time and reading stops at the first limit passed."""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

import openpyxl
from marshmallow import ValidationError
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.functions import iterparse

from webapp.core.messages import N_
from webapp.core.text_files import decode_text
from webapp.people.schemas import refuse

MAX_ROSTER_BYTES = 4 * 1024 * 1024  # a roster file; 10,000 households in CSV take about 1.5 MB
MAX_ROSTER_ROWS = 10_000  # households in one file: more than any village has
MAX_SHEET_ROWS = 100_000  # rows read, blank ones included (Excel's formatted-but-empty rows at the end)
MAX_COLUMNS = 64  # columns read; the roster has 11, extra ones (序号, 备注, …) are ignored
MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # an .xlsx's parts, unpacked (a zip bomb is refused unread)


def read_table(filename: str, data: bytes) -> list[list[Any]]:
    """The first sheet of a .csv or .xlsx file as rows of cells (a blank row as []); ValidationError
    when it cannot be read or is too big. Rows are read one at a time and reading stops at the limits."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise refuse(N_("Only .csv and .xlsx files can be imported; save %(filename)s as one of these."),
                     filename=filename)
    if len(data) > MAX_ROSTER_BYTES:
        raise refuse(N_("The file %(filename)s is %(size)s MB; at most %(max)s MB can be imported at once. "
                        "Split it into smaller files, for example one per village group."),
                     filename=filename, size=f"{len(data) / 2**20:.1f}", max=MAX_ROSTER_BYTES // 2**20)
    rows = _read_csv(filename, data) if suffix == ".csv" else _read_xlsx(filename, data)
    table: list[list[Any]] = []
    households = 0
    try:
        for row in rows:
            if len(table) > MAX_SHEET_ROWS:
                raise refuse(N_("The file %(filename)s has more than %(max)s rows, counting blank ones; delete "
                                "the empty rows at its end and save it again."), filename=filename, max=MAX_SHEET_ROWS)
            row = row[:MAX_COLUMNS]
            cells = [] if row.count(None) + row.count("") == len(row) else [_cell(value) for value in row]
            if not any(v != "" for v in cells):
                cells = []
            elif table:  # not the header
                households += 1
                if households > MAX_ROSTER_ROWS:
                    raise _too_many_rows(filename)
            table.append(cells)
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()
    return table


def _too_many_rows(filename: str) -> ValidationError:
    return refuse(N_("The file %(filename)s has more than %(max)s households; import at most %(max)s at a time, "
                     "for example one file per village group."), filename=filename, max=MAX_ROSTER_ROWS)


def _read_csv(filename: str, data: bytes) -> Iterator[list[str]]:
    text = decode_text(data)  # Chinese Excel saves "CSV" in the system code page, GB18030
    if text is None:
        raise refuse(N_("The file %(filename)s could not be read as text (UTF-8 or GB18030)."), filename=filename)
    try:
        yield from csv.reader(io.StringIO(text, newline=""))
    except csv.Error:
        raise refuse(N_("The file %(filename)s could not be read as CSV."), filename=filename) from None


def _size_from_the_head(self: ReadOnlyWorksheet) -> None:
    """A read-only sheet's declared size, from its <dimension>, which the schema puts before <sheetData>.

    openpyxl's own _get_size parses the whole sheet when there is no <dimension> (seconds for a sheet
    of two million empty rows, and for every sheet of the workbook as it opens); this stops at <sheetData>.
    """
    source = self._get_source()
    try:
        for _event, element in iterparse(source, events=("start",)):
            if element.tag == DIMENSION_TAG:
                self._min_column, self._min_row, self._max_column, self._max_row = \
                    SheetDimension.from_tree(element).boundaries
                break
            if element.tag == DATA_TAG:
                break
    finally:
        source.close()


ReadOnlyWorksheet._get_size = _size_from_the_head  # type: ignore[method-assign]


def unpacked_size(data: bytes) -> int | None:
    """The size of a zip file's parts once unpacked (as its directory declares them), None if it is no zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


def _read_xlsx(filename: str, data: bytes) -> Iterator[tuple[Any, ...]]:
    """The first sheet's rows, streamed (openpyxl's read-only mode); refused unread when the workbook
    unpacks to more than MAX_UNPACKED_BYTES or its dimension declares more rows than can be imported."""
    unreadable = refuse(N_("The file %(filename)s could not be read as an Excel workbook."), filename=filename)
    unpacked = unpacked_size(data)
    if unpacked is None:
        raise unreadable
    if unpacked > MAX_UNPACKED_BYTES:
        raise _too_many_rows(filename)
    try:
        with warnings.catch_warnings():
            # Files saved by WPS or old Excel trip openpyxl's style warnings; the cell values are fine.
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = book.worksheets[0]
                if (sheet.max_row or 0) > MAX_SHEET_ROWS:  # what the sheet's <dimension> declares
                    raise _too_many_rows(filename)
                yield from sheet.iter_rows(max_col=min(sheet.max_column or MAX_COLUMNS, MAX_COLUMNS),
                                           values_only=True)
            finally:
                book.close()
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - a broken zip, XML or sheet all mean the same to the user
        raise unreadable from None


def _cell(value: Any) -> Any:
    """A cell as trimmed text, or a date for an Excel date cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    # Codes and phone numbers typed into Excel become numbers: 1001.0 is the code "1001".
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return str(value).strip()
