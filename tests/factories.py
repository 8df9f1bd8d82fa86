"""Small factories for database tests: each makes one row with sensible defaults."""

from __future__ import annotations

import itertools
import uuid
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from webapp.extensions import db
from webapp.people.models.geo import Grid, Town, Village, VillageGroup
from webapp.people.models.household import Household, Member
from webapp.people.services.users import create_user
from webapp.points.models.entry import Entry, Inspection, InspectionItem
from webapp.points.models.scheme import Item, SchemeVersion
from webapp.points.services.schemes import import_scheme
from webapp.store.models import Store

RULES = Path(__file__).parent / "data" / "rules"
_seq = itertools.count(1)


class Factory:
    def town(self, code: str | None = None, name: str = "丰盛镇") -> Town:
        town = Town(code=code or f"T{next(_seq)}", name=name)
        db.session.add(town)
        db.session.flush()
        return town

    def village(self, town: Town | None = None, code: str | None = None, name: str = "油房村") -> Village:
        village = Village(town=town or self.town(), code=code or f"V{next(_seq)}", name=name)
        db.session.add(village)
        db.session.flush()
        return village

    def group(self, village: Village, name: str = "一组") -> VillageGroup:
        group = VillageGroup(village=village, code=f"G{next(_seq)}", name=name)
        db.session.add(group)
        db.session.flush()
        return group

    def grid(self, village: Village, name: str = "第一网格") -> Grid:
        grid = Grid(village=village, code=f"W{next(_seq)}", name=name)
        db.session.add(grid)
        db.session.flush()
        return grid

    def household(
        self, village: Village, head: str = "张三丰", code: str | None = None,
        group: VillageGroup | None = None, grid: Grid | None = None, members: tuple[str, ...] = (),
        **fields,
    ) -> Household:
        hh = Household(
            village=village, code=code or f"H{next(_seq):05d}", head_name=head, group=group, grid=grid,
            enrolled_on=fields.pop("enrolled_on", date(2020, 1, 1)), **fields,
        )
        db.session.add(hh)
        db.session.flush()
        db.session.add(Member(household=hh, name=head, relation="户主", is_head=True))
        for name in members:
            db.session.add(Member(household=hh, name=name, relation=""))
        db.session.flush()
        return hh

    def user(self, role: str, username: str | None = None, password: str = "password123", **scope):
        return create_user(username or f"{role}{next(_seq)}", password, role, **scope)

    def store(self, town: Town, villages: list[Village]) -> Store:
        store = Store(town=town, code=f"S{next(_seq)}", name="积分超市", villages=villages)
        db.session.add(store)
        db.session.flush()
        return store

    def scheme(self, village: Village, name: str = "fengsheng", effective_from: date = date(2020, 1, 1)) -> SchemeVersion:
        text = (RULES / f"{name}.yaml").read_text(encoding="utf-8")
        version, _ = import_scheme(village, text, effective_from=effective_from)
        return version

    def item(self, version: SchemeVersion, code: str) -> Item:
        return db.session.scalar(select(Item).where(Item.version_id == version.id, Item.code == code))

    def entry(
        self, household: Household, version: SchemeVersion, code: str, on: date,
        quantity: str | int = 1, member: Member | None = None, status: str = "approved", **fields,
    ) -> Entry:
        entry = Entry(
            client_uuid=uuid.uuid4(), village_id=household.village_id, household_id=household.id,
            member_id=member.id if member else None, item_id=self.item(version, code).id,
            scheme_version_id=version.id, quantity=Decimal(str(quantity)),
            occurred_at=datetime(on.year, on.month, on.day, 2, 0), occurred_on=on, status=status,
            **fields,
        )
        db.session.add(entry)
        db.session.flush()
        return entry

    def inspection(
        self, household: Household, version: SchemeVersion, period: str, not_met: tuple[str, ...] = (),
        met: tuple[str, ...] = (), status: str = "approved",
    ) -> Inspection:
        """An inspection with every item at its default, except the ones named."""
        inspection = Inspection(
            village_id=household.village_id, household_id=household.id, period=period,
            scheme_version_id=version.id, occurred_at=datetime(2026, 1, 1), status=status,
        )
        db.session.add(inspection)
        db.session.flush()
        for item in db.session.scalars(select(Item).where(Item.version_id == version.id, Item.kind == "base")):
            is_met = (item.default_met or item.code in met) and item.code not in not_met
            db.session.add(InspectionItem(inspection_id=inspection.id, item_id=item.id, met=is_met))
        db.session.flush()
        return inspection
