"""The lists export writes every field as data: a field typed as =…, +…, -… or @… is a text cell, never a
formula, and the file imports back to the same text."""

from __future__ import annotations

import io
import zipfile

import openpyxl

from tests.worlds.lists import FENGSHENG, adopted_lists
from webapp.lists.services import import_export as lists_io, versions

LINK = '=HYPERLINK("http://evil.example","点我")'


def booby_trapped() -> str:
    """The Fengsheng lists with an item name, a material and a flow step typed as formulas."""
    text = FENGSHENG.replace("    name: 城乡居民基本养老保险参保登记\n", f"    name: '{LINK}'\n", 1)
    text = text.replace("      居民身份证\n", "      -2+3 居民身份证\n", 1)
    text = text.replace("      action: 携带材料到村便民服务站提出申请\n", "      action: '@SUM(1,2)'\n", 1)
    assert text.count(LINK) == 1 and "-2+3" in text and "@SUM(1,2)" in text
    return text


def test_list_fields_that_look_like_formulas_are_exported_as_text(make):
    """The item name =HYPERLINK(…), a material -2+3 … and a step @SUM(…) are text cells of the workbook."""
    village = make.village(make.town(code="FS"), code="YF", name="油房村")
    lists = adopted_lists(village, booby_trapped())
    body, _mimetype, _name = lists_io.export_file("xlsx", [(d, d.versions[-1]) for d in lists.values()])

    book = openpyxl.load_workbook(io.BytesIO(body))
    cells = {c.value: c for sheet in book for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    for value in (LINK, "-2+3 居民身份证\n户口簿", "@SUM(1,2)"):
        assert cells[value].data_type == "s" and cells[value].quotePrefix
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert not any("<f>" in archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/"))


def test_an_export_with_formula_like_fields_imports_back_to_the_same_text(make):
    """The text is written as it is (no added quote mark): exporting and importing keeps every field."""
    town = make.town(code="FS")
    yf, wj = make.village(town, code="YF", name="油房村"), make.village(town, code="WJ", name="王家村")
    lists = adopted_lists(yf, booby_trapped())
    entries = [(d, d.versions[-1]) for d in lists.values()]
    body, _mimetype, _name = lists_io.export_file("xlsx", entries)
    imported = lists_io.import_lists(wj.town, wj, lists_io.read_lists_file(body))
    assert [versions.version_content(e.draft) for e in imported] == [versions.version_content(v) for _d, v in entries]
