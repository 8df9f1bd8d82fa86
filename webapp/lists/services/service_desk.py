"""The service desk (帮办代办): matters handled on a household's behalf, and their log.

It names households, so only the village's admins (and the town's) see it. A matter falls
under an adopted list item; its due date follows from the item's time limit; its status
moves only along the domain's transition table, and every move is logged.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select

from webapp.core.messages import N_
from webapp.core.refusal import NotFound, Refusal
from webapp.extensions import db
from webapp.lists.domain.lists import (
    ADOPTED,
    DESK_KINDS,
    DONE,
    OPEN_STATES,
    RECEIVED,
    REOPEN,
    RETURNED,
    ListRuleError,
    MatterFacts,
    MonthSummary,
    days_overdue,
    due_date,
    month_summary,
    next_state,
)
from webapp.lists.models import DutyList, ListItem, MatterEvent, ServiceMatter
from webapp.lists.services.catalog import public_lists
from webapp.lists.services.versions import time_limit
from webapp.people.models.geo import Village
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.people.services.audit import record
from webapp.people.services.villages import managed_village, readable_village

PAGE_SIZE = 100


def matter_for(user: User, matter_id: int, readable: bool = False) -> ServiceMatter:
    """A matter of a village the user manages (or, `readable`, reads as its auditor); NotFound otherwise."""
    matter = db.session.get(ServiceMatter, matter_id)
    if matter is None:
        raise NotFound(N_("Not found."))
    (readable_village if readable else managed_village)(user, matter.village_id)
    return matter


def desk_items(village: Village, today: date) -> list[tuple[DutyList, list[ListItem]]]:
    """The items a matter may fall under: those of the village's service-type lists in force."""
    return [(p.duty_list, list(p.version.items)) for p in public_lists(village, today) if p.duty_list.kind in DESK_KINDS]


def _household(village: Village, code: str) -> Household:
    household = db.session.scalar(
        select(Household).where(Household.village_id == village.id, Household.code == code.strip()))
    if household is None:
        raise Refusal(N_("No household with code %(code)s in this village."), code=code.strip())
    return household


def _item(village: Village, item_id: int | None) -> ListItem:
    item = db.session.get(ListItem, item_id) if item_id else None
    if item is None or item.version.status != ADOPTED or item.version.duty_list.village_id != village.id:
        raise Refusal(N_("Choose the list item the matter falls under."))
    return item


def _next_number(village: Village, year: int) -> str:
    count = db.session.scalar(select(func.count(ServiceMatter.id)).where(
        ServiceMatter.village_id == village.id, ServiceMatter.number.like(f"{year}-%")))
    return f"{year}-{count + 1:04d}"


def register(village: Village, household_code: str, item_id: int | None, received_on: date, handler: str = "",
             notes: str = "", due_on: date | None = None, actor_id: int | None = None) -> ServiceMatter:
    """Log a matter received for a household; the due date comes from the item unless one is given."""
    household, item = _household(village, household_code), _item(village, item_id)
    matter = ServiceMatter(
        village_id=village.id, number=_next_number(village, received_on.year), household_id=household.id,
        item_id=item.id, received_on=received_on, due_on=due_on or due_date(received_on, time_limit(item)),
        status=RECEIVED, handler=handler.strip()[:50], notes=notes.strip(), created_by_id=actor_id,
    )
    matter.events.append(MatterEvent(day=received_on, actor_id=actor_id, from_status="", to_status=RECEIVED))
    db.session.add(matter)
    db.session.flush()
    record(actor_id, "desk.register", "service_matter", matter.id, village_id=village.id, number=matter.number)
    return matter


def transition(matter: ServiceMatter, action: str, on: date, reason: str = "", note: str = "",
               actor_id: int | None = None) -> ServiceMatter:
    """Move a matter along the transition table, logging who, when and why."""
    try:
        target = next_state(matter.status, action, reason)
    except ListRuleError as error:
        raise Refusal(error.msgid, **error.params) from None
    if on < matter.received_on:
        raise Refusal(N_("A matter cannot change before the day it was received."))
    matter.events.append(MatterEvent(day=on, actor_id=actor_id, from_status=matter.status, to_status=target,
                                     note=(reason or note).strip()))
    matter.status = target
    if target in (DONE, RETURNED):
        matter.closed_on = on
    if target == RETURNED:
        matter.return_reason = reason.strip()
    if action == REOPEN:  # the villager came back with what was missing: the clock starts again
        matter.closed_on, matter.return_reason = None, ""
        matter.due_on = due_date(on, time_limit(matter.item))
    db.session.flush()
    record(actor_id, "desk." + action, "service_matter", matter.id, village_id=matter.village_id, status=target)
    return matter


@dataclass(frozen=True, slots=True)
class MatterRow:
    matter: ServiceMatter
    overdue_days: int


def matters(village: Village, today: date, status: str = "", query: str = "", month: str = "") -> list[MatterRow]:
    """The log: overdue matters first (most overdue on top), then open ones by due date, then the latest closed."""
    stmt = select(ServiceMatter).join(Household).where(ServiceMatter.village_id == village.id)
    if status == "open":
        stmt = stmt.where(ServiceMatter.status.in_(OPEN_STATES))
    elif status == "overdue":
        stmt = stmt.where(ServiceMatter.status.in_(OPEN_STATES), ServiceMatter.due_on < today)
    elif status:
        stmt = stmt.where(ServiceMatter.status == status)
    if query.strip():
        like = f"%{query.strip()}%"
        stmt = stmt.where(or_(Household.code.like(like), Household.head_name.like(like),
                              Household.head_initials.like(like.lower()), ServiceMatter.number.like(like)))
    if month:
        first, last = month_bounds(month)
        stmt = stmt.where(ServiceMatter.received_on.between(first, last))
    open_rows = [MatterRow(m, days_overdue(m.status, m.due_on, today))
                 for m in db.session.scalars(stmt.where(ServiceMatter.status.in_(OPEN_STATES)))]
    open_rows.sort(key=lambda r: (-r.overdue_days, r.matter.due_on or date.max, r.matter.id))
    closed = db.session.scalars(stmt.where(ServiceMatter.status.not_in(OPEN_STATES))
                                .order_by(ServiceMatter.closed_on.desc(), ServiceMatter.id.desc()).limit(PAGE_SIZE))
    return open_rows + [MatterRow(m, 0) for m in closed]


def month_bounds(month: str) -> tuple[date, date]:
    """First and last day of a YYYY-MM month (Refusal when malformed)."""
    try:
        year, number = (int(part) for part in month.split("-"))
        return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])
    except (ValueError, TypeError):
        raise Refusal(N_("Choose a month.")) from None


def summary(village: Village, month: str) -> MonthSummary:
    """The month's figures (received, done, on time, returned, open and overdue at its end)."""
    first, last = month_bounds(month)
    stmt = (select(ServiceMatter, ListItem.name).join(ListItem, ServiceMatter.item_id == ListItem.id)
            .where(ServiceMatter.village_id == village.id, ServiceMatter.received_on <= last,
                   or_(ServiceMatter.closed_on.is_(None), ServiceMatter.closed_on >= first)))
    facts = (MatterFacts(name, m.status, m.received_on, m.due_on, m.closed_on) for m, name in db.session.execute(stmt))
    return month_summary(facts, first, last)

