"""The committee's home is a to-do list: what waits in a village, each line with its deadline from the rules
and the page that does it (issue 14). Reviewers see what waits in their own review area.

Lines are plain values (an English msgid with its parameters, a due day, an endpoint and its arguments);
the template translates and links them. Counting is done in SQL, grouped, never per household.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, distinct, func, select, true

from webapp.core.messages import N_
from webapp.core.periods import Period
from webapp.extensions import db
from webapp.people.models.geo import Grid, Village
from webapp.people.models.household import Household, participating_in
from webapp.people.models.stores import store_villages
from webapp.people.models.user import User
from webapp.points.domain.scheme import SchemeRules
from webapp.points.models.entry import ENTRY_WAITING, INSPECTION_WAITING, Entry, Inspection
from webapp.points.services.schemes import timeline, version_rules
from webapp.publication.domain.deadlines import (
    inspection_deadline,
    next_day_of_month,
    period_publish_deadline,
    rules_cover,
)
from webapp.publication.domain.publication import publication_kinds
from webapp.publication.models import Objection, Publication
from webapp.review.services.scope import review_area
from webapp.store.models import Product, Store
from webapp.store.services.stock import on_hand

ZONE = ZoneInfo("Asia/Shanghai")
UTC = ZoneInfo("UTC")


@dataclass(frozen=True)
class Todo:
    """One line of the to-do list."""

    kind: str  # review, inspect, close, publish, objections, finalise, redeem, stock
    msgid: str
    params: dict[str, Any]
    endpoint: str
    args: dict[str, Any] = field(default_factory=dict)
    due: date | None = None

    def overdue(self, today: date) -> bool:
        return self.due is not None and self.due < today


def _local_day(at: datetime) -> date:
    return at.replace(tzinfo=UTC).astimezone(ZONE).date()


# What waits for review: read through the partial indexes of the waiting rows (ix_entry_waiting,
# ix_inspection_waiting), so a count costs the rows that wait, not the village's years of reviewed history.
# An entry of a month already closed still waits (a late item: it goes into the next publication once
# reviewed), so it is counted with the open months' ones.
WAITING = ((Entry, ENTRY_WAITING), (Inspection, INSPECTION_WAITING))


def waiting_by_village(village_ids: list[int]) -> dict[int, int]:
    """village → its entries and inspections waiting for review: one grouped query each, for all villages."""
    out: dict[int, int] = {}
    for model, waiting in WAITING:
        for village_id, n in db.session.execute(
            select(model.village_id, func.count()).where(model.village_id.in_(village_ids), waiting)
            .group_by(model.village_id)
        ):
            out[village_id] = out.get(village_id, 0) + n
    return out


def waiting_for_review(village_id: int, area: ColumnElement[bool]) -> Todo | None:
    """Entries and inspections waiting in an area of the village: how many, and since when the oldest."""
    count, oldest = 0, None
    for model, waiting in WAITING:
        n, first = db.session.execute(
            select(func.count(model.id), func.min(model.received_at)).join(Household, Household.id == model.household_id)
            .where(model.village_id == village_id, waiting, area)).one()
        count += n or 0
        oldest = min(x for x in (oldest, first) if x is not None) if (oldest or first) else None
    if not count:
        return None
    return Todo("review", N_("%(count)s entries wait for review; the oldest arrived on %(day)s."),
                {"count": count, "day": _local_day(oldest).isoformat() if oldest else "—"},
                "review.queue", {"village": village_id})


def _inspection_periods(rules: SchemeRules, today: date) -> list[Period]:
    """The inspection periods still open for scoring today: each monthly or quarterly kind's current period,
    and the one before while the rules' deadline allows (Fengsheng: until the 3rd)."""
    periods = []
    for kind in rules.inspection_kinds:
        if kind not in ("month", "quarter"):
            continue
        current = Period.of_date(kind, today)
        previous = Period.of_date(kind, current.start - timedelta(days=1))
        if today <= inspection_deadline(previous, rules.policies.scoring_deadline_day):
            periods.append(previous)
        periods.append(current)
    return periods


def not_inspected(village: Village, rules: SchemeRules, today: date) -> list[Todo]:
    """Per grid, the households taking part that have no inspection (not rejected) for an open period."""
    todos = []
    for period in _inspection_periods(rules, today):
        done = select(Inspection.household_id).where(
            Inspection.village_id == village.id, Inspection.period == period.key, Inspection.status != "rejected")
        rows = db.session.execute(
            select(Household.grid_id, func.count(distinct(Household.id))).where(
                Household.village_id == village.id, participating_in(period.start, period.end),
                Household.id.not_in(done)).group_by(Household.grid_id)).all()
        grids = {g.id: g for g in db.session.scalars(select(Grid).where(Grid.village_id == village.id))}
        names = {i: g.name for i, g in grids.items()}
        due = inspection_deadline(period, rules.policies.scoring_deadline_day)
        for grid_id, count in sorted(rows, key=lambda r: (r[0] is None, grids[r[0]].code if r[0] in grids else "")):
            if grid_id is None:
                todos.append(Todo("inspect", N_("Households in no grid: %(count)s not yet inspected for %(period)s."),
                                  {"count": count, "period": period.key}, "households.index",
                                  {"village": village.id}, due))
            else:
                todos.append(Todo("inspect", N_("%(grid)s: %(count)s households not yet inspected for %(period)s."),
                                  {"grid": names.get(grid_id, ""), "count": count, "period": period.key},
                                  "households.index", {"grid": grid_id}, due))
    return todos


def to_close_and_publish(village: Village, rules: SchemeRules, first_effective: date, today: date) -> list[Todo]:
    """The period just ended of each kind the rules publish, until its results are on the board."""
    todos = []
    for kind in publication_kinds(rules):
        period = Period.of_date(kind, Period.of_date(kind, today).start - timedelta(days=1))
        if not rules_cover(period, first_effective):
            continue
        due = period_publish_deadline(period, rules.policies.publish_by_day)
        publication = db.session.scalar(select(Publication).where(
            Publication.village_id == village.id, Publication.period == period.key))
        if publication is None:
            todos.append(Todo("close", N_("Close and publish %(period)s."), {"period": period.key},
                              "publications.index", {"village": village.id}, due))
        elif publication.status == "closed":
            todos.append(Todo("publish", N_("Choose model households and publish %(period)s."),
                              {"period": period.key}, "publications.detail", {"publication_id": publication.id}, due))
    return todos


def notices(village: Village, today: date) -> list[Todo]:
    """Objections waiting for an answer, with the day the notice ends; ended notices to make final."""
    todos = []
    for publication, count in db.session.execute(
        select(Publication, func.count(Objection.id)).outerjoin(
            Objection, (Objection.publication_id == Publication.id) & (Objection.status == "open"))
        .where(Publication.village_id == village.id, Publication.status == "notice")
        .group_by(Publication.id).order_by(Publication.notice_ends_on, Publication.id)
    ):
        link = {"publication_id": publication.id}
        if count:
            todos.append(Todo("objections", N_("%(count)s objections to %(period)s wait for an answer; the notice "
                                               "ends on %(day)s."),
                              {"count": count, "period": publication.period,
                               "day": publication.notice_ends_on.isoformat()},
                              "publications.detail", link, publication.notice_ends_on))
        elif publication.notice_ends_on and publication.notice_ends_on < today:
            todos.append(Todo("finalise", N_("The notice of %(period)s has ended: make its results final."),
                              {"period": publication.period}, "publications.detail", link))
    return todos


def store_lines(village: Village, rules: SchemeRules | None, today: date) -> list[Todo]:
    """The next redemption day (when the rules name one) and the products at or under their warn level,
    for each store serving the village."""
    stores = list(db.session.scalars(select(Store).join(store_villages, store_villages.c.store_id == Store.id)
                                     .where(store_villages.c.village_id == village.id).order_by(Store.id)))
    todos = []
    day = rules.policies.redemption_day if rules else None
    if day:
        when = next_day_of_month(today, day)
        if stores:
            todos += [Todo("redeem", N_("Redemption day at %(store)s: %(day)s."),
                           {"store": s.name, "day": when.isoformat()}, "store.redemptions", {"store": s.id}, when)
                      for s in stores]
        else:
            todos.append(Todo("redeem", N_("Redemption day: %(day)s."), {"day": when.isoformat()}, "", {}, when))
    for store in stores:
        products = list(db.session.scalars(select(Product).where(Product.store_id == store.id,
                                                                 Product.active.is_(True)).order_by(Product.name)))
        stock = on_hand(p.id for p in products)
        low = [p for p in products if stock[p.id] <= p.low_stock_at]
        if low:
            todos.append(Todo("stock", N_("%(store)s: %(count)s products low in stock (%(names)s)."),
                              {"store": store.name, "count": len(low), "names": "、".join(p.name for p in low[:5])
                               + ("…" if len(low) > 5 else "")}, "store.stock", {"store": store.id}))
    return todos


def committee_todo(village: Village, today: date) -> list[Todo]:
    """Everything waiting in the village for its committee, in the order of the month's work."""
    line = timeline(village.id)
    version = line.version_on(today) or (line.versions[-1] if line else None)
    rules = version_rules(version) if version else None
    todos: list[Todo] = []
    if (waiting := waiting_for_review(village.id, true())) is not None:
        todos.append(waiting)
    if rules is not None:
        todos += not_inspected(village, rules, today)
        todos += to_close_and_publish(village, rules, line.starts[0], today)
    todos += notices(village, today)
    todos += store_lines(village, rules, today)
    return todos


def reviewer_todo(user: User, village: Village) -> list[Todo]:
    """What waits in the reviewer's own review area of the village."""
    area = review_area(user, village.id)
    if area.empty:
        return []
    waiting = waiting_for_review(village.id, area.household_condition())
    return [waiting] if waiting else []
