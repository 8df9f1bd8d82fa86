"""What each role sees first."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.home.todo import Todo, committee_todo, reviewer_todo
from webapp.people.domain.access import Role, can_decide_for_village, visibility
from webapp.people.models.geo import Grid, Village
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.points.models.entry import Entry, Inspection, month_number
from webapp.points.services.schemes import timeline
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


def _village_card(village: Village, today: date) -> VillageCard:
    households = db.session.scalar(select(func.count(Household.id)).where(Household.village_id == village.id))
    entries = db.session.scalar(
        select(func.count(Entry.id)).where(Entry.village_id == village.id, Entry.occurred_month == month_number(today))
    )
    current = timeline(village.id).current
    waiting = db.session.scalar(select(func.count(Entry.id)).where(
        Entry.village_id == village.id, Entry.status == "recorded"))
    waiting_inspections = db.session.scalar(select(func.count(Inspection.id)).where(
        Inspection.village_id == village.id, Inspection.status == "recorded"))
    objections = db.session.scalar(select(func.count(Objection.id)).join(Objection.publication).where(
        Publication.village_id == village.id, Objection.status == "open"))
    return VillageCard(
        village, households or 0, entries or 0,
        current.scheme.name if current else None, current.number if current else None,
        (waiting or 0) + (waiting_inspections or 0), objections or 0,
    )


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
    summary.villages = [_village_card(v, today) for v in villages]
    grants = user.domain_grants()
    for card in summary.villages:
        if can_decide_for_village(grants, card.village.id):
            card.todo = committee_todo(card.village, today)
        elif any(g.role == Role.REVIEWER and g.village_id == card.village.id for g in grants):
            card.todo = reviewer_todo(user, card.village)
            card.waiting_for_review = card.todo[0].params["count"] if card.todo else 0  # their own area's
    return summary
