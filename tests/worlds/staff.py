"""Staff files as a town office fills them in: the template's Chinese headers, one account per row."""

from __future__ import annotations

import io

import openpyxl

HEADERS = ("姓名", "用户名", "联系电话", "角色", "村", "网格")


def staff_xlsx(*rows: tuple[str, ...], headers: tuple[str, ...] = HEADERS) -> bytes:
    """An .xlsx with the headers and these rows (every cell typed as text)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
