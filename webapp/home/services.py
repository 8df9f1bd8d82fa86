"""What each role sees first."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.home.todo import Todo, committee_todo, reviewer_todo, waiting_by_village
from webapp.people.domain.access import Role, can_decide_for_village, visibility
from webapp.people.models.geo import Grid, Village
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.points.models.entry import Entry, month_number
from webapp.points.models.scheme import Scheme, SchemeVersion
from webapp.publication.models import Objection, Publication
from webapp.store.models import Store


@dataclass
class VillageCard:
    village: Village
    households: int
    entries_this_month: int
    scheme_name: str | None
    scheme_version: int | None
    waiting_for_review: int = 0
    open_objections: int = 0
    todo: list[Todo] | None = None  # the committee's (or a reviewer's) to-do list; None for readers


@dataclass
class HomeSummary:
    role: str | None
    villages: list[VillageCard] = field(default_factory=list)
    grids: list[tuple[Grid, int]] = field(default_factory=list)
    stores: list[Store] = field(default_factory=list)
    household_code: str | None = None


def _village_cards(villages: list[Village], today: date) -> list[VillageCard]:
    """Every village's card: each figure one query grouped by village, however many villages a town has."""
    ids = [v.id for v in villages]
    if not ids:
        return []
    households = _by_village(select(Household.village_id, func.count()).where(Household.village_id.in_(ids))
                             .group_by(Household.village_id))
    entries = _by_village(select(Entry.village_id, func.count()).where(
        Entry.village_id.in_(ids), Entry.occurred_month == month_number(today)).group_by(Entry.village_id))
    waiting = waiting_by_village(ids)
    objections = _by_village(select(Publication.village_id, func.count(Objection.id)).join(Objection.publication)
                             .where(Publication.village_id.in_(ids), Objection.status == "open")
                             .group_by(Publication.village_id))
    schemes = _rules_in_force(ids, today)
    return [VillageCard(v, households.get(v.id, 0), entries.get(v.id, 0), *schemes.get(v.id, (None, None)),
                        waiting.get(v.id, 0), objections.get(v.id, 0)) for v in villages]


def _by_village(query) -> dict[int, int]:
    return {village_id: n or 0 for village_id, n in db.session.execute(query)}


def _rules_in_force(ids: list[int], today: date) -> dict[int, tuple[str, int]]:
    """village → (scheme name, version number) in force today: the newest version effective by today, else
    the first to come (as the village's scheme timeline reads it)."""
    found: dict[int, tuple[str, int, date]] = {}
    for village_id, name, number, effective_from in db.session.execute(
        select(Scheme.village_id, Scheme.name, SchemeVersion.number, SchemeVersion.effective_from)
        .join(SchemeVersion.scheme).where(Scheme.village_id.in_(ids))
        .order_by(SchemeVersion.effective_from, SchemeVersion.imported_at, SchemeVersion.id)
    ):
        if effective_from <= today or village_id not in found or found[village_id][2] > today:
            found[village_id] = (name, number, effective_from)
    return {v: (name, number) for v, (name, number, _) in found.items()}


def home_summary(user: User, role: str | None, today: date) -> HomeSummary:
    """The figures on a user's home page, limited to their scope."""
    summary = HomeSummary(role=role)
    vis = visibility(user.domain_grants())
    if role == Role.VILLAGER:
        hh = db.session.get(Household, next(iter(vis.household_ids)))
        summary.household_code = hh.code if hh else None
        return summary
    village_ids = set(vis.village_ids)
    if vis.town_ids:
        village_ids |= set(db.session.scalars(select(Village.id).where(Village.town_id.in_(vis.town_ids))))
    if vis.grid_ids:
        grids = db.session.scalars(select(Grid).where(Grid.id.in_(vis.grid_ids)).order_by(Grid.code)).all()
        for grid in grids:
            count = db.session.scalar(select(func.count(Household.id)).where(Household.grid_id == grid.id)) or 0
            summary.grids.append((grid, count))
    if vis.store_ids:
        summary.stores = list(db.session.scalars(select(Store).where(Store.id.in_(vis.store_ids))))
    villages = db.session.scalars(select(Village).where(Village.id.in_(village_ids), Village.retired_on.is_(None))
                                  .order_by(Village.code))
    summary.villages = _village_cards(list(villages), today)
    grants = user.domain_grants()
    for card in summary.villages:
        if can_decide_for_village(grants, card.village.id):
            card.todo = committee_todo(card.village, today)
        elif any(g.role == Role.REVIEWER and g.village_id == card.village.id for g in grants):
            card.todo = reviewer_todo(user, card.village)
            card.waiting_for_review = card.todo[0].params["count"] if card.todo else 0  # their own area's
    return summary
