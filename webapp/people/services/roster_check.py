"""Checking a household roster before anything is written: every cell, every household code.

A roster with one bad row is refused whole, with one message per bad cell (roster.py imports it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import select

from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.extensions import db
from webapp.people.models.geo import Village
from webapp.people.models.household import Household
from webapp.people.schemas import COLUMNS, CellMessage, RosterRowSchema, header_key

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


MAX_PROBLEMS = 100  # bad cells listed; the others are only counted


class ShownProblems(list):  # type: ignore[type-arg]
    """The first MAX_PROBLEMS problems; `more` says how many others were found but are not listed."""

    more: int = 0


class RosterError(Refusal):
    """The roster was refused whole; `problems` lists the first 100 bad cells (`problems.more`: how many
    others there are; none for a file-level refusal)."""

    def __init__(self, msgid: str, problems: list[RosterProblem] | None = None, **params: Any) -> None:
        super().__init__(msgid, **params)
        problems = problems or []
        self.problems = ShownProblems(problems[:MAX_PROBLEMS])
        self.problems.more = max(0, len(problems) - MAX_PROBLEMS)


@dataclass
class RosterRow:
    """A data row as the schema loaded it, with its spreadsheet row number."""

    number: int
    values: dict[str, Any]


def validated_rows(village: Village, filename: str, table: list[list[Any]]) -> list[RosterRow]:
    """Every data row loaded through the schema and checked against the others and the database."""
    if not any(any(v != "" for v in row) for row in table):
        raise RosterError(N_("The file %(filename)s is empty."), filename=filename)
    positions, titles, problems = _header(table[0])
    schema = RosterRowSchema()
    rows: list[RosterRow] = []
    for number, cells in enumerate(table[1:], start=2):
        if all(v == "" for v in cells):
            continue  # blank lines, and Excel's formatted-but-empty rows at the end
        raw = {f: cells[i] if i < len(cells) else "" for f, i in positions.items()}
        control = [f for f, v in raw.items() if isinstance(v, str) and any(c < " " and c not in "\t\r\n" for c in v)]
        if control:  # NUL and the like: PostgreSQL refuses them in text, SQLite would keep them
            problems += [RosterProblem(number, titles[f], N_("This cell holds an invisible control character "
                                                             "(such as NUL); type it again."), {}) for f in control]
            continue
        try:
            values = schema.load(raw)
        except ValidationError as err:
            values = err.valid_data or {}
            problems += [_problem(number, titles[f], messages) for f, messages in err.messages.items()]
        rows.append(RosterRow(number, values))
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


def _code_problems(village: Village, rows: list[RosterRow], column: str) -> list[RosterProblem]:
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
