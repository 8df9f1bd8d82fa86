"""Importing the household roster (户籍名册) from CSV or Excel, one household per row.

The whole file is validated before anything is added: a roster with one bad row
is refused whole, with one message per bad cell. Then households are upserted by
code; members are only ever added, never deleted.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import openpyxl
from marshmallow import ValidationError
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from webapp.people.domain.pinyin import pinyin_initials
from webapp.core.messages import N_
from webapp.extensions import db
from webapp.people.models.geo import Grid, Village, VillageGroup
from webapp.people.models.household import Household, Member
from webapp.people.schemas import COLUMNS, CellMessage, RosterRowSchema, header_key, read_table
from webapp.people.services.audit import record
from webapp.core.refusal import Refusal

HEAD_RELATION = "户主"
TITLES = {c.field: c.title for c in COLUMNS}
ORDER = {c.field: i for i, c in enumerate(COLUMNS)}
ALIASES = {header_key(name): c.field for c in COLUMNS for name in (c.title, *c.aliases)}


@dataclass(frozen=True)
class RosterProblem:
    """One bad cell: spreadsheet row (header = 1), column header, and a msgid with params."""

    row: int
    column: str
    msgid: str
    params: dict[str, Any] = field(default_factory=dict)

    def translated(self) -> str:
        """The message in the current locale (needs an app context)."""
        from flask_babel import gettext

        return gettext(self.msgid, **self.params)


class RosterError(Refusal):
    """The roster was refused whole; `problems` lists the bad cells (empty for a file-level refusal)."""

    def __init__(self, msgid: str, problems: list[RosterProblem] | None = None, **params: Any) -> None:
        super().__init__(msgid, **params)
        self.problems = problems or []


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
    rows = _validated_rows(village, filename, table)
    counts = _Upsert(village).apply(rows)
    result = RosterResult(rows=len(rows), **counts)
    record(actor_id, "roster.import", "village", village.id, village_id=village.id, created=result.created,
           updated=result.updated, members_added=result.members_added, rows=result.rows, filename=filename)
    db.session.flush()
    return result


@dataclass
class _Row:
    number: int
    values: dict[str, Any]


def _validated_rows(village: Village, filename: str, table: list[list[Any]]) -> list[_Row]:
    """Every data row loaded through the schema and checked against the others and the database."""
    if not any(any(v != "" for v in row) for row in table):
        raise RosterError(N_("The file %(filename)s is empty."), filename=filename)
    positions, titles, problems = _header(table[0])
    schema = RosterRowSchema()
    rows: list[_Row] = []
    for number, cells in enumerate(table[1:], start=2):
        if all(v == "" for v in cells):
            continue  # blank lines, and Excel's formatted-but-empty rows at the end
        raw = {f: cells[i] if i < len(cells) else "" for f, i in positions.items()}
        try:
            values = schema.load(raw)
        except ValidationError as err:
            values = err.valid_data or {}
            problems += [_problem(number, titles[f], messages) for f, messages in err.messages.items()]
        rows.append(_Row(number, values))
    if not rows and not problems:
        raise RosterError(N_("The file %(filename)s has a header row but no households."), filename=filename)
    problems += _code_problems(village, rows, titles.get("code", TITLES["code"]))
    if problems:
        order = {c.title: ORDER[c.field] for c in COLUMNS} | {t: ORDER[f] for f, t in titles.items()}
        problems.sort(key=lambda p: (p.row, order.get(p.column, -1)))
        raise RosterError(N_("The roster was not imported: %(count)s rows have problems."),
                          problems=problems, count=len({p.row for p in problems}))
    return rows


def _header(cells: list[Any]) -> tuple[dict[str, int], dict[str, str], list[RosterProblem]]:
    """Field → column index and field → header text as written; problems for missing or repeated columns."""
    positions: dict[str, int] = {}
    titles: dict[str, str] = {}
    problems: list[RosterProblem] = []
    for index, cell in enumerate(cells):
        text = str(cell).strip()
        name = ALIASES.get(header_key(text))
        if name is None:
            continue  # extra columns (序号, 备注, …) are allowed and ignored
        if name in positions:
            problems.append(RosterProblem(1, text, N_("The column %(column)s appears more than once."),
                                          {"column": text}))
            continue
        positions[name], titles[name] = index, text
    for column in COLUMNS:
        if column.required and column.field not in positions:
            problems.append(RosterProblem(1, column.title, N_("The required column %(column)s is missing."),
                                          {"column": column.title}))
    return positions, titles, problems


def _problem(number: int, column: str, messages: list[Any]) -> RosterProblem:
    """The first message of a cell: one clear message per cell is enough to fix it."""
    first = messages[0] if isinstance(messages[0], CellMessage) else CellMessage(str(messages[0]))
    return RosterProblem(number, column, first.msgid, dict(first.params))


def _code_problems(village: Village, rows: list[_Row], column: str) -> list[RosterProblem]:
    """Codes repeated inside the file, and codes another village already uses (codes are global)."""
    problems: list[RosterProblem] = []
    first_row: dict[str, int] = {}
    for row in rows:
        code = row.values.get("code")
        if code is None:
            continue
        if code in first_row:
            problems.append(RosterProblem(row.number, column, N_(
                "The household code %(code)s is already used on row %(first_row)s."),
                {"code": code, "first_row": first_row[code]}))
        else:
            first_row[code] = row.number
    elsewhere = set(db.session.scalars(
        select(Household.code).where(Household.code.in_(first_row), Household.village_id != village.id)
    )) if first_row else set()
    for code in elsewhere:
        # Which village is not said: villages never see each other's households.
        problems.append(RosterProblem(first_row[code], column, N_(
            "The household code %(code)s is already used by a household of another village."),
            {"code": code}))
    return problems


class _Upsert:
    """Creates or updates the households of valid rows, with their groups, grids and members."""

    def __init__(self, village: Village) -> None:
        self.village = village
        self.today = date.today()
        self.places: dict[type, dict[str, VillageGroup | Grid]] = {}
        self.counts = {"created": 0, "updated": 0, "members_added": 0}

    def apply(self, rows: list[_Row]) -> dict[str, int]:
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
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
