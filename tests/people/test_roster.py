"""Importing the household roster from CSV and Excel."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, strategies as st
from sqlalchemy import func, select

from tests.refusals import refused
from webapp.extensions import db
from webapp.people.models.audit import AuditEvent
from webapp.people.models.geo import Grid, VillageGroup
from webapp.people.models.household import Household, Member
from webapp.people.schemas import COLUMNS
from webapp.people.services.roster import RosterError, import_roster, pinyin_initials, roster_template_xlsx

DATA = Path(__file__).parent.parent / "data" / "roster"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def household(code: str) -> Household:
    return db.session.scalar(select(Household).where(Household.code == code))


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def where(err: RosterError) -> list[tuple[int, str]]:
    return [(p.row, p.column) for p in err.problems]


def test_csv_roster_creates_households_members_groups_and_grids(make):
    """A good CSV creates every household with its head, members, group, grid and flags."""
    village = make.village()
    result = import_roster(village, "good.csv", (DATA / "good.csv").read_bytes())

    assert (result.created, result.updated, result.members_added, result.rows) == (3, 0, 7, 3)
    zhang = household("YF001")
    assert (zhang.head_name, zhang.head_initials, zhang.address, zhang.phone) == ("张三丰", "zsf", "油房村1号", "13800138000")
    assert (zhang.group.name, zhang.grid.name, zhang.enrolled_on) == ("一组", "第一网格", date(2024, 3, 1))
    assert [(m.name, m.relation, m.is_head) for m in zhang.members] == [
        ("张三丰", "户主", True), ("李四", "配偶", False), ("张小明", "子", False)]
    assert zhang.members[0].id_number == "110101199001011234"
    wang = household("YF002")
    assert (wang.resident, wang.eligible, wang.enrolled_on) == (False, True, date.today())
    assert [(m.name, m.relation) for m in wang.members[1:]] == [("赵六", "配偶"), ("王小红", "女")]
    zeng = household("YF003")
    assert (zeng.head_initials, zeng.eligible, zeng.enrolled_on) == ("zgf", False, date(2023, 12, 5))
    assert zeng.members[0].id_number == "11010119900101123X"
    assert sorted(g.name for g in village.groups) == ["一组", "二组"]
    assert sorted(g.name for g in village.grids) == ["第一网格", "第二网格"]


def test_xlsx_roster_reads_numbers_as_text_and_date_cells_as_dates(make):
    """Excel's numeric codes and phones become text, its date cells dates, its empty rows nothing."""
    village = make.village()
    result = import_roster(village, "good.xlsx", (DATA / "good.xlsx").read_bytes())

    assert (result.created, result.rows) == (2, 2)
    liu = household("1001")
    assert (liu.head_name, liu.head_initials, liu.phone, liu.enrolled_on) == ("刘备", "lb", "13900001111", date(2022, 5, 4))
    assert [m.name for m in liu.members] == ["刘备", "关羽", "张飞"]
    sun = household("XL002")
    assert (sun.resident, sun.eligible, sun.address, sun.grid.name) == (False, False, "", "西网格")


def test_gb18030_csv_from_chinese_excel_is_read(make):
    """A CSV saved by Chinese Excel (GB18030, no BOM) imports like the UTF-8 one."""
    data = (DATA / "good.csv").read_text(encoding="utf-8-sig").encode("gb18030")
    result = import_roster(make.village(), "名册.CSV", data)
    assert result.created == 3
    assert household("YF001").members[1].name == "李四"


def test_reimporting_the_same_roster_changes_nothing_and_duplicates_nothing(make):
    """The same file twice: the second import finds every household and adds no rows."""
    village = make.village()
    data = (DATA / "good.csv").read_bytes()
    import_roster(village, "good.csv", data)
    again = import_roster(village, "good.csv", data)

    assert (again.created, again.updated, again.members_added, again.rows) == (0, 0, 0, 3)
    assert (count(Household), count(Member), count(VillageGroup), count(Grid)) == (3, 7, 2, 2)


def test_reimport_updates_given_cells_and_keeps_blank_ones(make):
    """An update changes what the file gives, keeps what it leaves blank, and adds new members."""
    village = make.village()
    import_roster(village, "good.csv", (DATA / "good.csv").read_bytes())
    result = import_roster(village, "fix.csv", csv_bytes(
        "户编码,户主,村民小组,地址,联系电话,常住,家庭成员",
        "YF001,张三丰,三组,,13900002222,否,李四（配偶）、张小红（女）",
    ))

    assert (result.created, result.updated, result.members_added) == (0, 1, 1)
    zhang = household("YF001")
    assert (zhang.group.name, zhang.address, zhang.phone, zhang.resident) == ("三组", "油房村1号", "13900002222", False)
    assert (zhang.grid.name, zhang.enrolled_on) == ("第一网格", date(2024, 3, 1))
    assert [m.name for m in zhang.members] == ["张三丰", "李四", "张小明", "张小红"]
    assert zhang.members[0].phone == "13900002222"


def test_new_head_takes_over_and_old_head_stays_a_member(make):
    """When the head changes, the new head is the only head and the old one is still a member."""
    village = make.village()
    make.household(village, head="张三丰", code="YF001", members=("李四",))
    import_roster(village, "new-head.csv", csv_bytes("户编码,户主", "YF001,李四"))

    hh = household("YF001")
    db.session.refresh(hh)
    assert (hh.head_name, hh.head_initials) == ("李四", "ls")
    assert [(m.name, m.relation, m.is_head) for m in hh.members] == [("李四", "户主", True), ("张三丰", "", False)]


def test_bad_roster_is_refused_whole_with_one_message_per_bad_cell(make):
    """Every bad cell of bad.csv is reported once, by row and column, and nothing is written."""
    village = make.village()
    with pytest.raises(RosterError) as caught:
        import_roster(village, "bad.csv", (DATA / "bad.csv").read_bytes())

    err = caught.value
    assert where(err) == [
        (3, "户编码"), (4, "户主"), (5, "户编码"), (6, "常住"), (7, "入户日期"),
        (8, "联系电话"), (8, "身份证号"), (10, "户编码"), (11, "家庭成员"),
    ]
    assert err.msgid == "The roster was not imported: %(count)s rows have problems."
    assert err.params == {"count": 8}
    assert err.problems[2].params == {"code": "YF101", "first_row": 2}
    assert err.problems[7].params == {"length": 33, "max": 32}
    assert all(p.msgid and "%" not in p.msgid % p.params for p in err.problems)
    assert (count(Household), count(Member), count(VillageGroup), count(Grid), count(AuditEvent)) == (0, 0, 0, 0, 0)


def test_roster_with_duplicate_codes_is_refused_whole(make):
    """A code given twice is reported on the later row, naming the row that had it first."""
    village = make.village()
    with pytest.raises(RosterError) as caught:
        import_roster(village, "dup.csv", csv_bytes("户编码,户主", "A1,张三", "A2,李四", "A1,王五"))
    assert where(caught.value) == [(4, "户编码")]
    assert caught.value.problems[0].params == {"code": "A1", "first_row": 2}
    assert count(Household) == 0


def test_row_without_head_is_refused(make):
    """A household needs a head's name."""
    with pytest.raises(RosterError) as caught:
        import_roster(make.village(), "r.csv", csv_bytes("户编码,户主", "A1,   "))
    assert where(caught.value) == [(2, "户主")]
    assert caught.value.problems[0].msgid == "The household head's name is empty."


def test_code_used_by_another_village_is_refused_without_naming_it(make):
    """Codes are global: a code of another village's household is refused, and that village stays unnamed."""
    town = make.town()
    other = make.village(town, name="别山村")
    make.household(other, code="YF002")
    village = make.village(town)
    with pytest.raises(RosterError) as caught:
        import_roster(village, "good.csv", (DATA / "good.csv").read_bytes())
    assert where(caught.value) == [(3, "户编码")]
    assert caught.value.problems[0].params == {"code": "YF002"}
    assert count(Household) == 1


def test_missing_required_column_is_reported_on_row_one(make):
    """Without a 户主 column the file is refused at its header, naming the column in Chinese."""
    with pytest.raises(RosterError) as caught:
        import_roster(make.village(), "r.csv", csv_bytes("户编码,地址", "A1,油房村"))
    assert where(caught.value) == [(1, "户主")]
    assert caught.value.problems[0].params == {"column": "户主"}


def test_problems_name_the_column_as_the_file_writes_it(make):
    """English headers match case- and space-insensitively, and problems quote them as written."""
    with pytest.raises(RosterError) as caught:
        import_roster(make.village(), "r.csv", csv_bytes("Code, HEAD ,Enrolled On,Notes", "A1,Li,someday,x"))
    assert where(caught.value) == [(2, "Enrolled On")]
    assert caught.value.problems[0].params == {"value": "someday"}


def test_unknown_file_type_is_refused(make):
    """Only .csv and .xlsx are read; an old .xls is refused with its name."""
    with refused("Only .csv and .xlsx files can be imported; save %(filename)s as one of these.", RosterError) as caught:
        import_roster(make.village(), "名册.xls", b"\xd0\xcf\x11\xe0")
    assert caught.value.params == {"filename": "名册.xls"}
    assert caught.value.problems == []


@pytest.mark.parametrize(("filename", "data", "msgid"), [
    ("empty.csv", b"", "The file %(filename)s is empty."),
    ("blank.csv", b"\xef\xbb\xbf\n,,\n", "The file %(filename)s is empty."),
    ("header.csv", "户编码,户主\n,\n".encode(), "The file %(filename)s has a header row but no households."),
    ("broken.xlsx", b"PK\x03\x04 not really", "The file %(filename)s could not be read as an Excel workbook."),
])
def test_files_without_households_are_refused(make, filename, data, msgid):
    """Empty, header-only and unreadable files are refused with a message about the file."""
    with pytest.raises(RosterError) as caught:
        import_roster(make.village(), filename, data)
    assert (caught.value.msgid, caught.value.params) == (msgid, {"filename": filename})


def test_id_number_excel_stored_as_a_number_is_refused_with_advice(make):
    """An 18-digit ID number typed into a number cell has lost digits; the message says how to fix it."""
    book = openpyxl.Workbook()
    book.active.append(["户编码", "户主", "身份证号"])
    book.active.append(["A1", "张三", 110101199001011234.0])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(RosterError) as caught:
        import_roster(make.village(), "r.xlsx", out.getvalue())
    assert where(caught.value) == [(2, "身份证号")]
    assert "lost digits" in caught.value.problems[0].msgid


def test_existing_group_and_grid_are_reused_by_name(make):
    """A group or grid the village already has is found by name, not created again."""
    village = make.village()
    group, grid = make.group(village, "一组"), make.grid(village, "第一网格")
    import_roster(village, "good.csv", (DATA / "good.csv").read_bytes())
    assert household("YF001").group_id == group.id and household("YF001").grid_id == grid.id
    assert (count(VillageGroup), count(Grid)) == (2, 2)


def test_import_writes_one_audit_record(make):
    """The audit trail gets one roster.import event with the counts."""
    village = make.village()
    import_roster(village, "good.csv", (DATA / "good.csv").read_bytes(), actor_id=None)
    events = db.session.scalars(select(AuditEvent)).all()
    assert [(e.action, e.object_type, e.object_id, e.village_id) for e in events] == [
        ("roster.import", "village", village.id, village.id)]
    assert (events[0].detail["created"], events[0].detail["updated"]) == (3, 0)


def test_template_has_the_chinese_headers_and_imports_cleanly(make):
    """The downloadable template lists every column and its example row is a valid household."""
    data = roster_template_xlsx()
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]] == [c.title for c in COLUMNS]
    result = import_roster(make.village(), "template.xlsx", data)
    assert (result.created, result.members_added) == (1, 3)


@pytest.mark.parametrize(("name", "initials"), [
    ("张三丰", "zsf"), ("曾国藩", "zgf"), ("单雄信", "sxx"), ("John张", "johnz"),
    ("阿依古丽·买买提", "ayglmmt"), ("王 2", "w2"),
])
def test_pinyin_initials_of_a_name(name, initials):
    """Initials are lowercase pinyin first letters; surnames read as surnames; other letters kept."""
    assert pinyin_initials(name) == initials


@given(st.text(max_size=20))
def test_pinyin_initials_are_lowercase_without_spaces_or_punctuation(name):
    """Whatever the name, the initials can be typed into a search box as they are."""
    initials = pinyin_initials(name)
    assert initials == initials.lower()
    assert not any(ch.isspace() or ch in "·.,-、" for ch in initials)
