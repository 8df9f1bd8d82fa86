"""Importing the household roster (户籍名册) from CSV or Excel, one household per row.

The whole file is validated before anything is added: a roster with one bad row
is refused whole, with one message per bad cell. Then households are upserted by
code; members are only ever added, never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import openpyxl
from marshmallow import ValidationError
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from webapp.core.spreadsheets import workbook_bytes
from webapp.extensions import db
from webapp.people.domain.pinyin import pinyin_initials
from webapp.people.models.geo import Grid, Village, VillageGroup
from webapp.people.models.household import Household, Member
from webapp.people.schemas import COLUMNS
from webapp.people.services.audit import record
from webapp.people.services.roster_check import RosterError, RosterProblem, RosterRow, validated_rows
from webapp.people.services.roster_file import read_table

__all__ = ["RosterError", "RosterProblem", "RosterResult", "import_roster", "pinyin_initials", "roster_template_xlsx"]

HEAD_RELATION = "户主"


@dataclass(frozen=True)
class RosterResult:
    """What an import did: households created and changed, members added, data rows read."""

    created: int
    updated: int
    members_added: int
    rows: int


def import_roster(village: Village, filename: str, data: bytes, actor_id: int | None = None) -> RosterResult:
    """Validate the whole roster, then create or update its households; raises RosterError before any write."""
    try:
        table = read_table(filename, data)
    except ValidationError as err:
        raise RosterError(err.messages[0].msgid, **err.messages[0].params) from None
    rows = validated_rows(village, filename, table)
    counts = _Upsert(village).apply(rows)
    result = RosterResult(rows=len(rows), **counts)
    record(actor_id, "roster.import", "village", village.id, village_id=village.id, created=result.created,
           updated=result.updated, members_added=result.members_added, rows=result.rows, filename=filename)
    db.session.flush()
    return result


class _Upsert:
    """Creates or updates the households of valid rows, with their groups, grids and members."""

    def __init__(self, village: Village) -> None:
        self.village = village
        self.today = date.today()
        self.places: dict[type, dict[str, VillageGroup | Grid]] = {}
        self.counts = {"created": 0, "updated": 0, "members_added": 0}

    def apply(self, rows: list[RosterRow]) -> dict[str, int]:
        """Write every row; returns the counts for RosterResult."""
        codes = [row.values["code"] for row in rows]
        existing = {hh.code: hh for hh in db.session.scalars(
            select(Household).options(selectinload(Household.members))
            .where(Household.village_id == self.village.id, Household.code.in_(codes))
        )}
        for row in rows:
            household = existing.get(row.values["code"])
            if household is None:
                self._create(row.values)
            elif self._update(household, row.values):
                self.counts["updated"] += 1
        db.session.flush()
        return self.counts

    def _create(self, v: dict[str, Any]) -> None:
        household = Household(
            village_id=self.village.id, code=v["code"], head_name=v["head"],
            head_initials=pinyin_initials(v["head"])[:50],
            group=self._place(VillageGroup, v["group"]), grid=self._place(Grid, v["grid"]),
            address=v["address"] or "", phone=v["phone"] or "",
            resident=v["resident"] is not False, eligible=v["eligible"] is not False,
            enrolled_on=v["enrolled_on"] or self.today, members=[],
        )
        db.session.add(household)
        self._members(household, v)
        self.counts["created"] += 1

    def _update(self, household: Household, v: dict[str, Any]) -> bool:
        """Apply the given cells; a blank cell keeps the stored value. True when anything changed."""
        changes = {
            "head_name": v["head"], "head_initials": pinyin_initials(v["head"])[:50],
            "address": v["address"], "phone": v["phone"], "resident": v["resident"],
            "eligible": v["eligible"], "enrolled_on": v["enrolled_on"],
        }
        if v["group"] is not None:
            changes["group"] = self._place(VillageGroup, v["group"])
        if v["grid"] is not None:
            changes["grid"] = self._place(Grid, v["grid"])
        changed = False
        for attr, value in changes.items():
            if value is not None and getattr(household, attr) != value:
                setattr(household, attr, value)
                changed = True
        return self._members(household, v) or changed

    def _members(self, household: Household, v: dict[str, Any]) -> bool:
        """Make the named head the only head and add absent members; True when anything changed."""
        before = self.counts["members_added"]
        changed = False
        head = next((m for m in household.members if m.name == v["head"]), None)
        for member in household.members:
            if member.is_head and member is not head:
                member.is_head, changed = False, True
                if member.relation == HEAD_RELATION:
                    member.relation = ""
        if head is None:
            head = self._add_member(household, v["head"], HEAD_RELATION, is_head=True)
        if not head.is_head or head.relation != HEAD_RELATION:
            head.is_head, head.relation, changed = True, HEAD_RELATION, True
        for attr in ("id_number", "phone"):
            if v[attr] is not None and getattr(head, attr) != v[attr]:
                setattr(head, attr, v[attr])
                changed = True
        names = {m.name for m in household.members}
        for name, relation in v["members"]:
            if name not in names:
                self._add_member(household, name, relation)
                names.add(name)
        return changed or self.counts["members_added"] > before

    def _add_member(self, household: Household, name: str, relation: str, is_head: bool = False) -> Member:
        member = Member(name=name, relation=relation, is_head=is_head)
        household.members.append(member)
        self.counts["members_added"] += 1
        return member

    def _place(self, model: type[VillageGroup] | type[Grid], name: str | None) -> VillageGroup | Grid | None:
        """The village's group or grid of that name (or code), created when the village has none yet."""
        if name is None:
            return None
        known = self.places.get(model)
        if known is None:
            rows = db.session.scalars(select(model).where(model.village_id == self.village.id)).all()
            # Names first: a code that happens to equal another place's name must not win.
            known = {r.code: r for r in rows} | {r.name: r for r in rows}
            self.places[model] = known
        place = known.get(name)
        if place is None:
            taken = {p.code for p in known.values()}
            code, n = name[:32], 1
            while code in taken:  # only when a long name's first 32 characters collide
                n += 1
                code = f"{name[:32 - len(str(n)) - 1]}~{n}"
            place = model(village_id=self.village.id, code=code, name=name)
            db.session.add(place)
            known[name] = place
        return place


TEMPLATE_EXAMPLE = ("0001", "张三丰", "一组", "第一网格", "油房村1号", "13800138000", "110101199001011234",
                    "李四（配偶）、张小明（子）", "是", "是", date(2024, 1, 1))


def roster_template_xlsx() -> bytes:
    """A blank roster workbook: the Chinese headers and one example row, for download."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "户籍名册"
    sheet.append([c.title for c in COLUMNS])
    sheet.append(list(TEMPLATE_EXAMPLE))
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.cell(1, index).font = Font(bold=True)
        sheet.column_dimensions[letter].width = 28 if column.field in {"members", "address", "id_number"} else 14
        # Text, so that Excel keeps leading zeros and all 18 digits of an ID number.
        if column.field in {"code", "phone", "id_number"}:
            sheet.cell(2, index).number_format = "@"
        if column.field == "enrolled_on":
            sheet.cell(2, index).number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    return workbook_bytes(book)
