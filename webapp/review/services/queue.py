"""The review queue (审核): recorded entries and inspections in a user's review area, newest first.

A reviewer's area is their review group's (or the whole village); a village admin's is the whole
village (services/review_scope.py). The queue spans every village the user reviews, or one chosen
village, and filters by area (grid or village group), item, scorer and flag. "Late" means what a
committee means by it: the entry arrived after its period was closed (the flag the phone set), or
its period has been closed since — either way it will be in the next publication.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlalchemy import ColumnElement, String, Subquery, and_, cast, false, func, literal_column, or_, select, union_all
from sqlalchemy.orm import InstrumentedAttribute

from webapp.core.messages import N_
from webapp.core.periods import keys_ending_in
from webapp.core.refusal import NotFound
from webapp.extensions import db
from webapp.people.models.geo import Grid, Village, VillageGroup
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.points.domain.entry_states import RECORDED
from webapp.points.models.entry import Entry, Inspection
from webapp.points.models.scheme import Item
from webapp.publication.services.query import closed_months
from webapp.review.services.queue_rows import QueueRow, load_rows
from webapp.review.services.scope import (
    ReviewArea,
    read_area,
    reading_village_ids,
    review_area,
    reviewing_village_ids,
)

PAGE_SIZE = 20
# The flags a reviewer can filter by; "any" is everything that needs a closer look.
FLAG_FILTERS = ("late", "retired_item", "rules_changed", "photo_missing", "future_time", "old_time", "unknown_version",
                "self_declared", "any")
INSPECTIONS = "inspection"  # the item filter's value for household inspections

AREA_PROBLEMS = {
    "group_too_small": N_("Your review group has fewer members than the rules require, so it reviews nothing yet."),
    "no_cross_review_target": N_("The rules ask for cross-review, and your review group has no other group's area "
                                 "to review yet."),
    "not_in_a_group": N_("You are not a member of any review group of this village: ask the village committee."),
}


@dataclass(frozen=True)
class QueueFilters:
    village_id: int | None = None
    area: str = ""  # "grid-<id>" or "group-<id>"
    item: str = ""  # an item code, or INSPECTIONS
    scorer_id: int | None = None
    flag: str = ""
    page: int = 1

    def args(self, **changes: object) -> dict[str, object]:
        """The query arguments of these filters (for links), with some changed."""
        values = {"village": self.village_id, "area": self.area, "item": self.item, "scorer": self.scorer_id,
                  "flag": self.flag, "page": self.page if self.page > 1 else None}
        values.update(changes)
        return {key: value for key, value in values.items() if value}


class Choice(NamedTuple):
    """One option of a filter: the value it sends and the label it shows."""

    value: str | int
    label: str


class AreaProblem(NamedTuple):
    """Why the user's review area in a village reviews nothing: the village and an English msgid."""

    village_name: str
    msgid: str


class ClosedKeys(NamedTuple):
    """A village's closed months (as YYYYMM) and the keys of the inspection periods that end in them."""

    months: set[int]
    periods: set[str]


@dataclass
class QueuePage:
    rows: list[QueueRow]
    total: int
    filters: QueueFilters
    villages: list[Village]
    areas: list[Choice] = field(default_factory=list)  # "grid-<id>" or "group-<id>"
    items: list[Choice] = field(default_factory=list)  # item codes
    scorers: list[Choice] = field(default_factory=list)  # user ids
    problems: list[AreaProblem] = field(default_factory=list)
    page_size: int = PAGE_SIZE
    can_decide: bool = False  # the user reviews somewhere (batch approval is offered)

    @property
    def has_next(self) -> bool:
        return self.total > self.filters.page * self.page_size

    @property
    def has_previous(self) -> bool:
        return self.filters.page > 1


def _areas(user: User, village_id: int | None) -> dict[int, ReviewArea]:
    """What the queue lists in each village it covers (404 for a village the user neither reviews nor
    oversees): the review area, or a 包村干部's read-only whole village."""
    villages = reading_village_ids(user)
    if village_id is not None:
        if village_id not in villages:
            raise NotFound(N_("No such village."))
        villages = [village_id]
    return {v: read_area(user, v) for v in villages}


def _in_areas(areas: dict[int, ReviewArea]) -> ColumnElement[bool]:
    """A WHERE clause on Household: in the user's area of any of these villages."""
    parts = [and_(Household.village_id == v, area.household_condition()) for v, area in areas.items() if not area.empty]
    return or_(*parts) if parts else false()


def _flagged(column: InstrumentedAttribute, flag: str) -> ColumnElement[bool]:
    # Flags are a JSON list of plain words ('["late", "self_declared"]' on both databases): match the
    # quoted word in its text. "any": a list with at least one word in it.
    text = cast(column, String)
    return text.like(f'%"{flag}"%') if flag != "any" else text.like('%"%')


def _closed_keys(areas: dict[int, ReviewArea]) -> dict[int, ClosedKeys]:
    """Per village: its closed months, and the inspection periods that end in them."""
    found = {}
    for village_id in areas:
        closed = closed_months(village_id)
        found[village_id] = ClosedKeys({year * 100 + month for year, month in closed}, keys_ending_in(closed))
    return found


def _late_entries(closed: dict[int, ClosedKeys]) -> ColumnElement[bool]:
    return or_(_flagged(Entry.flags, "late"), *[and_(Entry.village_id == v, Entry.occurred_month.in_(c.months))
                                               for v, c in closed.items() if c.months])


def _late_inspections(closed: dict[int, ClosedKeys]) -> ColumnElement[bool]:
    return or_(_flagged(Inspection.flags, "late"), *[and_(Inspection.village_id == v, Inspection.period.in_(c.periods))
                                                    for v, c in closed.items() if c.periods])


def _household_filter(filters: QueueFilters) -> ColumnElement[bool] | None:
    kind, _, number = filters.area.partition("-")
    if number.isdigit() and kind == "grid":
        return Household.grid_id == int(number)
    if number.isdigit() and kind == "group":
        return Household.group_id == int(number)
    return None


def _queued(areas: dict[int, ReviewArea], filters: QueueFilters) -> Subquery:
    """(kind, id, received_at) of every queued entry and inspection that passes the filters."""
    where = [_in_areas(areas)]
    if (area := _household_filter(filters)) is not None:
        where.append(area)
    closed = _closed_keys(areas) if filters.flag in ("late", "any") else {}
    parts = []
    if filters.item != INSPECTIONS:
        entries = (select(literal_column("'entry'", String).label("kind"), Entry.id.label("id"),
                          Entry.received_at.label("received_at"))
                   .join(Household, Household.id == Entry.household_id).where(Entry.status == RECORDED, *where))
        if filters.item:
            entries = entries.join(Item, Item.id == Entry.item_id).where(Item.code == filters.item)
        if filters.scorer_id:
            entries = entries.where(Entry.recorded_by_id == filters.scorer_id)
        if filters.flag == "late":
            entries = entries.where(_late_entries(closed))
        elif filters.flag == "any":
            entries = entries.where(or_(_flagged(Entry.flags, "any"), _late_entries(closed)))
        elif filters.flag:
            entries = entries.where(_flagged(Entry.flags, filters.flag))
        parts.append(entries)
    if not filters.item or filters.item == INSPECTIONS:
        inspections = (select(literal_column("'inspection'", String).label("kind"), Inspection.id.label("id"),
                              Inspection.received_at.label("received_at"))
                       .join(Household, Household.id == Inspection.household_id)
                       .where(Inspection.status == RECORDED, *where))
        if filters.scorer_id:
            inspections = inspections.where(Inspection.recorded_by_id == filters.scorer_id)
        if filters.flag == "late":
            inspections = inspections.where(_late_inspections(closed))
        elif filters.flag == "any":
            inspections = inspections.where(or_(_flagged(Inspection.flags, "any"), _late_inspections(closed)))
        elif filters.flag:
            inspections = inspections.where(_flagged(Inspection.flags, filters.flag))
        parts.append(inspections)
    return union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()


def _area_choices(areas: dict[int, ReviewArea], villages: list[Village]) -> list[Choice]:
    names = {v.id: v.name for v in villages}
    prefix = len(areas) > 1
    choices = []
    for model, kind, ids_of in ((Grid, "grid", "grid_ids"), (VillageGroup, "group", "village_group_ids")):
        for row in db.session.scalars(select(model).where(model.village_id.in_(areas)).order_by(model.code)):
            area = areas[row.village_id]
            if area.whole_village or row.id in getattr(area, ids_of):
                label = f"{names[row.village_id]} · {row.name}" if prefix else row.name
                choices.append(Choice(f"{kind}-{row.id}", label))
    return choices


def _item_choices(areas: dict[int, ReviewArea]) -> list[Choice]:
    """The items of the entries waiting in the area."""
    return [Choice(code, name) for code, name in db.session.execute(
        select(Item.code, func.min(Item.name)).join(Entry, Entry.item_id == Item.id)
        .join(Household, Household.id == Entry.household_id)
        .where(Entry.status == RECORDED, _in_areas(areas)).group_by(Item.code).order_by(Item.code))]


def _scorer_choices(areas: dict[int, ReviewArea]) -> list[Choice]:
    """The people who recorded what waits in the area."""
    recorded_by = union_all(
        select(Entry.recorded_by_id.label("user_id")).join(Household, Household.id == Entry.household_id)
        .where(Entry.status == RECORDED, _in_areas(areas)),
        select(Inspection.recorded_by_id).join(Household, Household.id == Inspection.household_id)
        .where(Inspection.status == RECORDED, _in_areas(areas)),
    ).subquery()
    users = db.session.execute(select(User.id, User.display_name, User.username)
                               .where(User.id.in_(select(recorded_by.c.user_id))).order_by(User.username))
    return [Choice(uid, shown or username) for uid, shown, username in users]


def _page_keys(queued: Subquery, page: int | None) -> list[tuple[str, int]]:
    """(kind, id) of one page of the queue, newest arrival first (every page when page is None)."""
    query = select(queued.c.kind, queued.c.id).order_by(queued.c.received_at.desc(), queued.c.kind,
                                                        queued.c.id.desc())
    if page is not None:
        query = query.limit(PAGE_SIZE).offset((max(page, 1) - 1) * PAGE_SIZE)
    return [(kind, i) for kind, i in db.session.execute(query)]


def queued_keys(user: User, filters: QueueFilters, whole_queue: bool = False) -> list[tuple[str, int]]:
    """(kind, id) of what waits on the filters' page (or on every page) in the user's REVIEW area:
    what a batch decision may take (a village the user only reads gives nothing)."""
    villages = reviewing_village_ids(user)
    if filters.village_id is not None:
        villages = [v for v in villages if v == filters.village_id]
    areas = {v: review_area(user, v) for v in villages}
    return _page_keys(_queued(areas, filters), None if whole_queue else filters.page)


def queue_page(user: User, filters: QueueFilters, today: date) -> QueuePage:
    """One page of the queue with the choices its filters offer."""
    areas = _areas(user, filters.village_id)
    villages = list(db.session.scalars(select(Village).where(Village.id.in_(reading_village_ids(user)))
                                       .order_by(Village.code)))
    shown = [v for v in villages if v.id in areas]
    queued = _queued(areas, filters)
    total = db.session.scalar(select(func.count()).select_from(queued))
    keys = _page_keys(queued, filters.page)
    problems = [AreaProblem(v.name, AREA_PROBLEMS[p]) for v in shown for p in areas[v.id].problems
                if p in AREA_PROBLEMS]
    return QueuePage(
        rows=load_rows(user, keys, today, read_only_villages={v for v, a in areas.items() if a.read_only}),
        total=total, filters=filters, villages=villages,
        areas=_area_choices(areas, shown), items=_item_choices(areas), scorers=_scorer_choices(areas),
        problems=problems, can_decide=bool(reviewing_village_ids(user)),
    )


def queue_row(user: User, kind: str, object_id: int, today: date) -> QueueRow:
    """One row, whatever its state (after a decision), if it lies in the user's review area."""
    model = Entry if kind == "entry" else Inspection
    household = db.session.scalar(select(Household).join(model, model.household_id == Household.id)
                                  .where(model.id == object_id))
    if household is None or not review_area(user, household.village_id).covers(household.grid_id, household.group_id):
        raise NotFound(N_("No such entry in your review area."))
    return load_rows(user, [(kind, object_id)], today)[0]


__all__ = ["FLAG_FILTERS", "INSPECTIONS", "PAGE_SIZE", "AreaProblem", "Choice", "QueueFilters", "QueuePage", "QueueRow",
           "queue_page", "queue_row",
           "queued_keys"]
