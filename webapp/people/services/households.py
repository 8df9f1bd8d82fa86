"""Finding households, always within what the user may see."""

from __future__ import annotations

from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.orm import joinedload

from webapp.core.messages import N_
from webapp.core.refusal import NotFound
from webapp.extensions import db
from webapp.people.domain.access import HouseholdRef, Role, can_view_household, visibility
from webapp.people.models.geo import Village, VillageGroup
from webapp.people.models.household import Household
from webapp.people.models.stores import store_villages
from webapp.people.models.user import User

PAGE_SIZE = 50


def visible_households(user: User) -> Select[tuple[Household]]:
    """A query of the households this user may see (refine it further as needed)."""
    vis = visibility(user.domain_grants())
    if vis.nothing:
        return select(Household).where(false())
    conditions = []
    if vis.town_ids:
        conditions.append(Household.village_id.in_(select(Village.id).where(Village.town_id.in_(vis.town_ids))))
    if vis.village_ids:
        conditions.append(Household.village_id.in_(vis.village_ids))
    if vis.grid_ids:
        conditions.append(Household.grid_id.in_(vis.grid_ids))
    # A clerk's store (vis.store_ids) shows no household here: the counter finds them (PIPL: the least a role needs).
    if vis.household_ids:
        conditions.append(Household.id.in_(vis.household_ids))
    return select(Household).where(or_(*conditions) if conditions else false())


def search(
    user: User, q: str = "", group_id: int | None = None, page: int = 1,
    village_id: int | None = None, grid_id: int | None = None,
) -> tuple[list[Household], int]:
    """Households matching a name, code or pinyin initials ("zsf" finds 张三丰), and the total count."""
    query = visible_households(user)
    if village_id:
        query = query.where(Household.village_id == village_id)
    if grid_id:
        query = query.where(Household.grid_id == grid_id)
    q = q.strip()
    if q:
        like = f"%{q}%"
        query = query.where(or_(
            Household.code.ilike(like),
            Household.head_name.like(like),
            Household.head_initials.like(f"{q.lower()}%"),
        ))
    if group_id:
        query = query.where(Household.group_id == group_id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(
        query.options(joinedload(Household.group), joinedload(Household.grid))
        .order_by(Household.code)
        .limit(PAGE_SIZE)
        .offset((max(page, 1) - 1) * PAGE_SIZE)
    ).all()
    return list(rows), total


def visible_villages(user: User) -> list[Village]:
    """The villages of the households this user may see, by code (a town user's filter and column)."""
    ids = visible_households(user).with_only_columns(Household.village_id).distinct()
    return list(db.session.scalars(select(Village).where(Village.id.in_(ids)).order_by(Village.code)))


def visible_groups(user: User) -> list[VillageGroup]:
    """The village groups of the households a user may see, for the search filter."""
    ids = select(Household.group_id).where(Household.id.in_(visible_households(user).with_only_columns(Household.id)))
    return list(db.session.scalars(
        select(VillageGroup).where(VillageGroup.id.in_(ids)).order_by(VillageGroup.village_id, VillageGroup.code)
    ))


def household_ref(hh: Household) -> HouseholdRef:
    """The plain facts the access rules need about a household."""
    store_ids = frozenset(db.session.scalars(
        select(store_villages.c.store_id).where(store_villages.c.village_id == hh.village_id)
    ))
    return HouseholdRef(
        id=hh.id, village_id=hh.village_id, town_id=hh.village.town_id, grid_id=hh.grid_id, store_ids=store_ids,
    )


def household_for(user: User, code: str) -> Household:
    """The household with this code if the user may see it; otherwise NotFound (never 'forbidden',
    which would tell an outsider that the code exists)."""
    hh = db.session.scalar(select(Household).where(Household.code == code))
    if hh is None or not can_view_household(user.domain_grants(), household_ref(hh)):
        raise NotFound(N_("No such household."))
    return hh


def own_household(user: User) -> Household | None:
    """The household whose villager account this is."""
    ids = [g.household_id for g in user.grants if g.role == Role.VILLAGER and g.household_id is not None]
    return db.session.get(Household, ids[0]) if ids else None
