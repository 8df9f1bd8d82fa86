"""The village's current roster as .xlsx: the first sheet in the import template's columns (so it can be
edited and imported again), with the participation dates after them; a second sheet lists every
member, present or not, with the dates they joined and left. Cells are data, never formulas."""

from __future__ import annotations

from datetime import date

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from webapp.core.spreadsheets import workbook_bytes
from webapp.extensions import db
from webapp.people.models.geo import Village
from webapp.people.models.household import Household, Member
from webapp.people.schemas import COLUMNS

# After the import's columns; the import ignores columns it does not know.
EXTRA_TITLES = ("停止参与日期", "停止参与原因")
MEMBER_TITLES = ("户编码", "户主", "姓名", "与户主关系", "状态", "加入方式", "加入日期", "离开原因", "离开日期")
JOINED = {"born": "出生", "moved_in": "迁入", "": ""}
LEFT = {"moved_out": "迁出", "deceased": "死亡", "": ""}
YES, NO = "是", "否"


def roster_xlsx(village: Village) -> bytes:
    """Every household of the village, by code, with its members; re-importable (sheet one)."""
    households = db.session.scalars(
        select(Household).options(selectinload(Household.members), selectinload(Household.group),
                                  selectinload(Household.grid))
        .where(Household.village_id == village.id).order_by(Household.code)
    ).all()
    book = openpyxl.Workbook()
    roster = book.active
    roster.title = "户籍名册"
    _header(roster, [c.title for c in COLUMNS] + list(EXTRA_TITLES))
    members = book.create_sheet("家庭成员")
    _header(members, list(MEMBER_TITLES))
    for hh in households:
        head = next((m for m in hh.members if m.is_head), None)
        present = [m for m in hh.members if m.active and not m.is_head]
        roster.append([
            hh.code, hh.head_name, hh.group.name if hh.group else "", hh.grid.name if hh.grid else "",
            hh.address, hh.phone, head.id_number if head else "",
            "、".join(f"{m.name}（{m.relation}）" if m.relation else m.name for m in present),
            YES if hh.resident else NO, YES if hh.eligible else NO, hh.enrolled_on,
            hh.left_on, hh.left_reason,
        ])
        for m in hh.members:
            members.append([hh.code, hh.head_name, m.name, m.relation, _status(m), JOINED.get(m.joined_reason, ""),
                            m.joined_on, LEFT.get(m.left_reason, ""), m.left_on])
    _formats(roster, text=("户编码", "联系电话", "身份证号"), dates=("入户日期", "停止参与日期"))
    _formats(members, text=("户编码",), dates=("加入日期", "离开日期"))
    return workbook_bytes(book)


def _status(member: Member) -> str:
    """在户 while in the household; after leaving, why (迁出, 已故), or 不在户 for one left without a reason."""
    if member.active:
        return "在户"
    return {"moved_out": "迁出", "deceased": "已故"}.get(member.left_reason, "不在户")


def _header(sheet: Worksheet, titles: list[str]) -> None:
    sheet.append(titles)
    for index in range(1, len(titles) + 1):
        sheet.cell(1, index).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = 14
    sheet.freeze_panes = "A2"


def _formats(sheet: Worksheet, text: tuple[str, ...], dates: tuple[str, ...]) -> None:
    """Codes and numbers as text (Excel keeps leading zeros and all 18 digits); dates as dates."""
    titles = [cell.value for cell in sheet[1]]
    for index, title in enumerate(titles, start=1):
        if title in text or title in dates:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                if title in text:
                    cell.number_format = "@"
                elif isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
