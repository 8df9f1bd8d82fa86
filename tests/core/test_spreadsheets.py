"""One rule for every workbook Jifen writes: text a spreadsheet could run as a formula is written as text."""

from __future__ import annotations

import io

import openpyxl
import pytest

from webapp.core.spreadsheets import is_formula_like, workbook_bytes
from webapp.people.services.roster import roster_template_xlsx


@pytest.mark.parametrize("value", ["=1+1", "+86 138", "-5", "@SUM(A1)", "\t=1", "\r=1"])
def test_text_starting_with_a_formula_sign_tab_or_return_is_formula_like(value):
    """= + - @, a tab and a carriage return can start a formula in Excel or WPS."""
    assert is_formula_like(value)


@pytest.mark.parametrize("value", ["张三丰", "1+1", "", None, -5, 3.5])
def test_ordinary_text_and_numbers_are_left_alone(value):
    """Names, text with signs inside it and real numbers are written as they are."""
    assert not is_formula_like(value)


def test_a_written_workbook_holds_text_where_a_formula_was_typed_and_numbers_stay_numbers():
    """Every sheet is checked: the formula-like text is a quoted text cell; a number keeps its type."""
    book = openpyxl.Workbook()
    book.active.append(["=cmd|' /C calc'!A0", -5, "普通"])
    book.create_sheet("二").append(["@SUM(1,2)"])
    written = openpyxl.load_workbook(io.BytesIO(workbook_bytes(book)))
    first, number, plain = written.worksheets[0][1]
    assert (first.value, first.data_type, first.quotePrefix) == ("=cmd|' /C calc'!A0", "s", True)
    assert (number.value, number.data_type) == (-5, "n") and not plain.quotePrefix
    assert written.worksheets[1]["A1"].data_type == "s"


def test_the_roster_template_holds_no_formula():
    """The downloadable roster template goes through the same rule."""
    book = openpyxl.load_workbook(io.BytesIO(roster_template_xlsx()))
    assert all(c.data_type != "f" for row in book.active.iter_rows() for c in row)
