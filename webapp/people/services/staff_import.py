"""Importing staff from an .xlsx (or .csv) file, one account per row, like the household roster: the file
is read within the roster's limits (roster_file.py), every row is checked, and a file with one bad row is
refused whole with one message per bad cell (RosterError, shown by people/_problems.html). Nothing is
written until every row is good.

Passwords: each imported account gets a random one-time password, returned once to the page that shows
the import's result (for the town office to print and hand out) and stored only hashed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import openpyxl
from flask_babel import force_locale
from marshmallow import ValidationError
from openpyxl.styles import Font
from sqlalchemy import select

from webapp.core.messages import N_
from webapp.core.spreadsheets import workbook_bytes
from webapp.extensions import db
from webapp.labels import ROLE_NAMES
from webapp.people.domain.access import SCOPE_OF_ROLE, Role
from webapp.people.domain.staff_rules import USERNAME, one_time_password
from webapp.people.models.geo import Grid, Village
from webapp.people.models.stores import Store
from webapp.people.models.user import User
from webapp.people.schemas import PHONE, halfwidth, header_key
from webapp.people.services.audit import record
from webapp.people.services.roster_check import RosterError, RosterProblem
from webapp.people.services.roster_file import read_table
from webapp.people.services.staff import Scope, add_account, grantable_roles
from webapp.people.services.villages import managed_villages

MAX_STAFF_ROWS = 2_000  # accounts in one file: a town has a few hundred staff
SEPARATORS = re.compile(r"[、,，;；\s]+")

# field → (Chinese header, accepted aliases)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "name": ("姓名", ("name", "显示名")),
    "username": ("用户名", ("username", "账号")),
    "phone": ("联系电话", ("phone", "电话", "手机号")),
    "role": ("角色", ("role",)),
    "village": ("村", ("village", "村编码", "村代码")),
    "grids": ("网格", ("grids", "grid", "网格编码")),
}
REQUIRED = ("name", "username", "role")
EXAMPLE = ("李网格", "li.wangge", "13800138000", "网格员", "YF", "W1、W2")


@dataclass(frozen=True)
class ImportedAccount:
    username: str
    display_name: str
    role: str
    password: str  # shown once on the result page, never stored in clear


def staff_template_xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "工作人员"
    sheet.append([title for title, _ in COLUMNS.values()])
    sheet.append(list(EXAMPLE))
    for index in range(1, len(COLUMNS) + 1):
        sheet.cell(1, index).font = Font(bold=True)
        sheet.cell(2, index).number_format = "@"
    sheet.freeze_panes = "A2"
    return workbook_bytes(book)


def import_staff(actor: User, filename: str, data: bytes) -> list[ImportedAccount]:
    """Check the whole file, then create its accounts; RosterError (nothing written) when any row is bad."""
    try:
        table = read_table(filename, data)
    except ValidationError as err:
        raise RosterError(err.messages[0].msgid, **err.messages[0].params) from None
    rows = _Checker(actor).rows(filename, table)
    accounts = []
    for row in rows:
        password = one_time_password()
        add_account(actor, row["username"], row["name"], row["phone"], password, None, row["role"], row["scope"])
        accounts.append(ImportedAccount(row["username"], row["name"], row["role"], password))
    record(actor.id, "staff.import", "user", None, village_id=next(iter(_villages(rows)), None),
           filename=filename[:100], accounts=len(accounts))
    db.session.flush()
    return accounts


def _villages(rows: list[dict[str, Any]]) -> list[int]:
    return sorted({v for row in rows for v in row["scope"].village_ids})


# Names a town office also writes for a role, besides the app's own (labels.py).
ROLE_ALIASES = {"评议小组": "reviewer", "评议员": "reviewer", "村委": "village_admin", "村委会": "village_admin",
                "监委会": "auditor", "村监委": "auditor", "超市管理员": "clerk", "镇管理员": "town_admin"}


def role_names() -> dict[str, str]:
    """Role code, English and Chinese name (any spacing or case) → role code."""
    names = {header_key(k): v for k, v in ROLE_ALIASES.items() if v in {r.value for r in Role}}
    for role in Role:
        names[header_key(role.value)] = role.value
        label = ROLE_NAMES.get(role.value)
        for locale in ("en", "zh_CN") if label is not None else ():
            with force_locale(locale):
                names[header_key(str(label))] = role.value
    return names


class _Checker:
    """Every row against the file and the database; collects one problem per bad cell."""

    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.allowed = set(grantable_roles(actor)) - {Role.VILLAGER.value}  # villagers come with their household
        self.names = role_names()
        self.villages = {v.code: v for v in managed_villages(actor)}
        self.problems: list[RosterProblem] = []

    def rows(self, filename: str, table: list[list[Any]]) -> list[dict[str, Any]]:
        if not any(table):
            raise RosterError(N_("The file %(filename)s is empty."), filename=filename)
        positions = self._header(table[0])
        rows, seen = [], {}
        for number, cells in enumerate(table[1:], start=2):
            if not cells:
                continue
            if len(rows) >= MAX_STAFF_ROWS:
                raise RosterError(N_("The file %(filename)s has more than %(max)s accounts; import at most %(max)s "
                                     "at a time."), filename=filename, max=MAX_STAFF_ROWS)
            raw = {f: str(cells[i]).strip() if i < len(cells) else "" for f, i in positions.items()}
            row = self._row(number, raw, seen)
            if row is not None:
                rows.append(row)
        if not rows and not self.problems:
            raise RosterError(N_("The file %(filename)s has a header row but no accounts."), filename=filename)
        taken = set(db.session.scalars(select(User.username).where(User.username.in_(seen)))) if seen else set()
        for username in sorted(taken, key=lambda u: seen[u]):
            self._bad(seen[username], "username", N_("The username %(username)s is taken."), username=username)
        if self.problems:
            self.problems.sort(key=lambda p: (p.row, list(COLUMNS).index(_field_of(p.column))))
            raise RosterError(N_("The staff were not imported: %(count)s rows have problems."),
                              problems=self.problems, count=len({p.row for p in self.problems}))
        return rows

    def _header(self, cells: list[Any]) -> dict[str, int]:
        aliases = {header_key(n): f for f, (title, more) in COLUMNS.items() for n in (title, *more)}
        positions: dict[str, int] = {}
        for index, cell in enumerate(cells):
            name = aliases.get(header_key(str(cell)))
            if name is not None and name not in positions:
                positions[name] = index
        missing = [f for f in REQUIRED if f not in positions]
        for f in missing:
            self._bad(1, f, N_("The required column %(column)s is missing."), column=COLUMNS[f][0])
        if missing:
            raise RosterError(N_("The staff were not imported: %(count)s rows have problems."),
                              problems=self.problems, count=1)
        return positions

    def _bad(self, row: int, field: str, msgid: str, **params: Any) -> None:
        self.problems.append(RosterProblem(row, COLUMNS[field][0], msgid, params))

    def _row(self, n: int, raw: dict[str, str], seen: dict[str, int]) -> dict[str, Any] | None:
        before = len(self.problems)
        name, username, phone = raw.get("name", ""), raw.get("username", ""), halfwidth(raw.get("phone", ""))
        if any(ch < " " for value in raw.values() for ch in value):
            self._bad(n, "name", N_("This cell holds an invisible control character (such as NUL); type it again."))
            return None
        if not name:
            self._bad(n, "name", N_("The name is missing."))
        elif len(name) > 50:
            self._bad(n, "name", N_("This value has %(length)s characters; at most %(max)s fit."), length=len(name),
                      max=50)
        if not USERNAME.fullmatch(username):
            self._bad(n, "username", N_("A username has 2 to 64 letters, digits, dots, - or _, and starts with a "
                                        "letter or digit."))
        elif username in seen:
            self._bad(n, "username", N_("The username %(username)s is already used on row %(first_row)s."),
                      username=username, first_row=seen[username])
        else:
            seen[username] = n
        if phone and not (PHONE.fullmatch(phone) and 7 <= len(phone) <= 20 and sum(c.isdigit() for c in phone) >= 7):
            self._bad(n, "phone", N_("%(value)s is not a phone number: use digits, with an optional +, - or spaces "
                                     "(7 to 20 characters)."), value=phone)
        role = self.names.get(header_key(raw.get("role", "")))
        if role is None or role not in self.allowed:
            self._bad(n, "role", N_("%(value)s is not a role you can give here."), value=raw.get("role", ""))
        scope = self._scope(n, role, raw)
        if len(self.problems) > before:
            return None
        return {"name": name, "username": username, "phone": phone, "role": role, "scope": scope}

    def _scope(self, n: int, role: str | None, raw: dict[str, str]) -> Scope:
        codes = [c for c in SEPARATORS.split(raw.get("village", "")) if c]
        grids = [c for c in SEPARATORS.split(raw.get("grids", "")) if c]
        column = SCOPE_OF_ROLE[Role(role)] if role else None
        villages = []
        for code in codes:
            if code not in self.villages:
                self._bad(n, "village", N_("No village with code %(code)s among yours."), code=code)
            else:
                villages.append(self.villages[code])
        if column in (None, "town_id"):
            return Scope()
        if not codes:
            self._bad(n, "village", N_("Name the village (its code) for this role."))
            return Scope()
        if column == "grid_id":
            return self._grids(n, villages, grids)
        if grids:
            self._bad(n, "grids", N_("Only grid workers are given grids; leave this cell empty."))
        if column == "store_id":
            stores = {s.id for v in villages for s in db.session.scalars(
                select(Store).join(Store.villages).where(Village.id == v.id))}
            if len(stores) != 1:
                self._bad(n, "village", N_("A clerk is given the store of the village; this village has %(count)s "
                                           "stores. Add the clerk on the staff page."), count=len(stores))
            return Scope(store_id=next(iter(stores), None))
        return Scope(village_ids=tuple(v.id for v in villages))

    def _grids(self, n: int, villages: list[Village], codes: list[str]) -> Scope:
        if len(villages) != 1:
            if villages:
                self._bad(n, "village", N_("A grid worker works in one village; name one."))
            return Scope()
        if not codes:
            self._bad(n, "grids", N_("Name the grid worker's grids (codes, separated by 、 or ,)."))
        village = villages[0]
        known = {g.code: g for g in db.session.scalars(select(Grid).where(Grid.village_id == village.id))}
        ids = []
        for code in codes:
            if code in known:
                ids.append(known[code].id)
                continue
            elsewhere = db.session.scalar(select(Village.name).join(Grid, Grid.village_id == Village.id)
                                          .where(Grid.code == code, Village.id.in_([v.id for v in self.villages.values()])))
            if elsewhere:
                self._bad(n, "grids", N_("The grid %(code)s belongs to %(other)s, not to %(village)s."), code=code,
                          other=elsewhere, village=village.name)
            else:
                self._bad(n, "grids", N_("%(village)s has no grid with code %(code)s."), code=code,
                          village=village.name)
        return Scope(grid_ids=tuple(ids))


def _field_of(title: str) -> str:
    return next((f for f, (t, _) in COLUMNS.items() if t == title), "name")
