"""Lists files are bounded: bytes, nesting, lists, items and sheet rows; a hostile file is refused at once."""

from __future__ import annotations

import io
import re
import time
import zipfile

import openpyxl
import pytest
import yaml

from webapp.lists.services import import_export as lists_io
from webapp.lists.services.import_export import ListImportError


def refusal(content: bytes) -> list[str]:
    with pytest.raises(ListImportError) as caught:
        lists_io.read_lists_file(content)
    return [p.msgid for p in caught.value.problems]


def a_list(code: str, items: int) -> dict:
    return {"code": code, "kind": "service", "name": f"清单{code}",
            "items": [{"code": f"S{n}", "name": f"事项{n}"} for n in range(items)]}


def test_a_lists_file_over_4_mb_is_refused_before_it_is_parsed():
    """Size first: 5 MB of YAML is refused without being read."""
    content = b"format: jifen-lists/1\nlists: []\n" + b"# x\n" * (5 * 2**20 // 4)
    started = time.perf_counter()
    assert refusal(content) == ["The file is %(size)s MB; at most %(max)s MB can be imported at once."]
    assert time.perf_counter() - started < 0.2


@pytest.mark.parametrize("text", ["[" * 5000 + "]" * 5000, "- " * 5000 + "x", "lists: 2024-13-45"])
def test_deep_nesting_or_an_impossible_date_is_not_valid_yaml_rather_than_a_crash(text):
    """5,000 levels of nesting (it was a 500) or a date YAML cannot build: the file is not valid YAML."""
    assert refusal(text.encode()) == ["The file is not valid YAML."]


def test_too_many_items_in_a_list_or_in_the_file_are_refused():
    """501 items in a list, or 2,001 in the file, are refused before any item is read."""
    one = yaml.safe_dump({"format": "jifen-lists/1", "lists": [a_list("A", 501)]}, allow_unicode=True).encode()
    assert refusal(one) == ["%(count)s entries here; at most %(max)s are allowed."]
    many = yaml.safe_dump({"format": "jifen-lists/1", "lists": [a_list(f"L{n}", 401) for n in range(5)]}).encode()
    assert refusal(many) == ["The file has %(count)s items; at most %(max)s can be imported at once."]


def test_an_xlsx_declaring_2_000_000_rows_is_refused_at_once():
    """A sheet whose dimension claims two million rows is refused without reading them."""
    book = openpyxl.Workbook()
    book.active.title = lists_io.ITEMS_SHEET
    book.active.append(list(lists_io.ITEM_TITLES.values()))
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:N2000000"', data)
            target.writestr(info.filename, data)
    started = time.perf_counter()
    assert refusal(out.getvalue()) == ["The sheet %(sheet)s has more than %(max)s rows."]
    assert time.perf_counter() - started < 2
