"""Lists in and out of files (YAML and .xlsx): a town shares templates, a village imports them.
Export then import gives the same items; a bad file is refused whole with every problem listed."""

from __future__ import annotations

import io

import openpyxl
import pytest
import yaml

from tests.refusals import refused
from tests.worlds.lists import FENGSHENG, adopted_lists, counts
from webapp.extensions import db
from webapp.lists.services import import_export as lists_io, versions


@pytest.fixture
def villages(make):
    town = make.town(code="FS")
    return make.village(town, code="YF", name="油房村"), make.village(town, code="WJ", name="王家村")


def contents(lists) -> dict:
    return {code: versions.version_content(v) for code, v in lists}


@pytest.mark.parametrize("fmt", ["yaml", "xlsx"])
def test_exporting_lists_and_importing_the_file_gives_the_same_items(villages, fmt):
    """Every field of every item and step survives the trip, in order, as a draft of the other village."""
    yf, wj = villages
    source = adopted_lists(yf)
    entries = [(d, d.versions[-1]) for d in source.values()]
    body, _mimetype, name = lists_io.export_file(fmt, entries)
    assert name == f"lists-all.{fmt}"

    imported = lists_io.import_lists(wj.town, wj, lists_io.read_lists_file(body))

    assert contents((e.duty_list.code, e.draft) for e in imported) == contents((d.code, v) for d, v in entries)
    assert all(e.created and e.draft.status == "draft" and e.duty_list.village_id == wj.id for e in imported)
    assert [(e.duty_list.kind, e.duty_list.name) for e in imported] == [(d.kind, d.name) for d, _v in entries]
    again, _m, _n = lists_io.export_file(fmt, [(e.duty_list, e.draft) for e in imported])
    if fmt == "yaml":
        assert again == body


def test_the_yaml_export_is_readable_chinese_with_multi_line_text_as_blocks(villages):
    """A town officer can read and edit the file: no \\u escapes, materials one per line."""
    text = lists_io.export_yaml([(d, d.versions[-1]) for d in adopted_lists(villages[0]).values()])
    assert "城乡居民基本养老保险参保登记" in text and "\\u" not in text
    assert "materials: |-\n      居民身份证\n      户口簿" in text
    assert yaml.safe_load(text)["format"] == "jifen-lists/1"


def test_importing_into_a_list_with_that_code_makes_a_new_draft_and_leaves_the_adopted_version_alone(villages):
    """The adopted version stays in force until the new draft is adopted at a meeting."""
    yf = villages[0]
    service = adopted_lists(yf)["FW"]
    before = versions.version_content(service.versions[0])
    changed = FENGSHENG.replace("最低生活保障申请", "最低生活保障申请（含特困供养）")
    done = lists_io.import_lists(yf.town, yf, lists_io.read_yaml(changed))
    assert [e.created for e in done] == [False, False]
    assert done[0].draft.number == 2 and done[0].draft.items[1].name == "最低生活保障申请（含特困供养）"
    assert versions.version_content(service.versions[0]) == before


BAD_YAML = [
    ("lists: [", "The file is not valid YAML."),
    ("a: &x [1]\nb: *x\nlists: []", "The file is not valid YAML."),  # aliases are refused
    ("format: other/1\nlists: []", "This is not a lists file (format %(format)s)."),
    (FENGSHENG.replace("kind: certificate", "kind: 积分清单"), "Unknown kind of list: %(kind)s."),
    (FENGSHENG.replace("code: FW-02", "code: FW-01"), "Item code %(code)s appears twice."),
    (FENGSHENG.replace("days: 5", "days: 五"), "Write a whole number of days."),
    (FENGSHENG.replace("days: 5", "days: 400"), "Write a number of days from 0 to 365."),
    (FENGSHENG.replace("name: 居住证明", "name: ''"), "This field is required."),
    (FENGSHENG.replace("responsible: 村民委员会\n    time", "resposible: 村民委员会\n    time"), "Unknown field."),
    (FENGSHENG.replace("code: ZM-01", "code: ZM 01"), "A code has up to 32 letters, digits, dots, dashes or underscores."),
]


@pytest.mark.parametrize(("text", "msgid"), BAD_YAML)
def test_a_bad_yaml_file_is_refused_with_its_problem_and_nothing_written(villages, text, msgid):
    """Each problem says where (a path in the file) and what, as a translatable msgid."""
    before = counts()
    with pytest.raises(lists_io.ListImportError) as caught:
        lists_io.import_lists(villages[0].town, villages[0], lists_io.read_yaml(text))
    assert msgid in [p.msgid for p in caught.value.problems]
    assert counts() == before


def test_a_list_that_exists_as_another_kind_is_refused(villages):
    """A code names one list; importing a different kind under it would mix two lists."""
    yf = villages[0]
    adopted_lists(yf)
    other = FENGSHENG.replace("kind: certificate", "kind: negative")
    with pytest.raises(lists_io.ListImportError) as caught:
        lists_io.import_lists(yf.town, yf, lists_io.read_yaml(other))
    assert caught.value.problems[0].path == "lists[1].kind"


def workbook(rows_items, rows_steps) -> bytes:
    book = openpyxl.Workbook()
    items = book.active
    items.title = "事项"
    for row in rows_items:
        items.append(row)
    steps = book.create_sheet("流程")
    for row in rows_steps:
        steps.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ITEM_HEADER = list(lists_io.ITEM_TITLES.values())
STEP_HEADER = list(lists_io.STEP_TITLES.values())


def test_an_xlsx_file_written_by_hand_is_read_with_chinese_headers_and_numbers_as_codes():
    """Excel keeps 101 as a number and 3 days as 3.0: both read as they were meant."""
    data = lists_io.read_xlsx(workbook(
        [ITEM_HEADER, ["ZM", "依法出具证明事项清单", "证明清单", 101, "居住证明", None, "村委会", None]],
        [STEP_HEADER, ["ZM", 101, 2, "村委会", "出具证明", 1.0], ["ZM", 101, 1, "申请人", "提出申请", None]],
    ))
    item = data["lists"][0]["items"][0]
    assert data["lists"][0]["kind"] == "certificate" and item["code"] == "101"
    assert [(s["actor"], s["days"]) for s in item["steps"]] == [("申请人", None), ("村委会", 1)]


def test_a_bad_xlsx_file_points_at_the_row_and_column_of_each_problem():
    """Row numbers are the spreadsheet's (the header is row 1)."""
    with pytest.raises(lists_io.ListImportError) as caught:
        lists_io.read_xlsx(workbook(
            [ITEM_HEADER, ["ZM", "证明", "证明清单", "ZM-01", "居住证明"], ["ZM", "证明", "证明清单", "ZM-02", None]],
            [STEP_HEADER, ["ZM", "ZM-09", 1, "村委会", "出具证明", 1]],
        ))
    places = {(p.msgid, p.row, p.column) for p in caught.value.problems}
    assert ("This step names no item of the sheet %(sheet)s.", 2, "事项编码") in places
    assert ("This field is required.", 3, "事项名称") in places


def test_a_file_that_is_neither_a_workbook_nor_text_is_refused():
    """Binary junk is not YAML."""
    for data, problem in ((b"\xff\xfe\x00\x81" * 10, "The file could not be read as text (UTF-8 or GB18030)."),
                          (b"PK\x03\x04 not really a zip", "The file is not an .xlsx workbook.")):
        with refused("The lists were not imported. Please correct the file.", lists_io.ListImportError) as caught:
            lists_io.read_lists_file(data)
        assert [p.msgid for p in caught.value.problems] == [problem]


def test_a_town_imports_templates_into_its_own_template_lists(villages):
    """With no village, the file fills the town's templates."""
    town = villages[0].town
    done = lists_io.import_lists(town, None, lists_io.read_yaml(FENGSHENG))
    assert all(e.duty_list.is_template and e.duty_list.town_id == town.id for e in done)
    db.session.commit()
