"""What a grid worker's phone keeps for scoring offline (docs/sync-protocol.md, Bootstrap)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import false, or_, select
from sqlalchemy.orm import joinedload, selectinload

import sync
from sync.canonical import payload_sha256
from webapp.core.periods import keys_of_day
from webapp.extensions import db
from webapp.fieldwork.services.devices import scoring_scope
from webapp.people.models.geo import Village
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.points.models.entry import Inspection
from webapp.points.models.scheme import Category, Item, SchemeVersion
from webapp.points.services.schemes import timeline, version_rules

ZONE = ZoneInfo("Asia/Shanghai")


def _points(value: Decimal) -> str:
    """Points as a string that nothing rounds: "6", "0.5", "-10"."""
    return format(value.normalize(), "f")


def _scheme(version: SchemeVersion | None) -> dict[str, Any] | None:
    if version is None:
        return None
    items_by_category: dict[int, list[dict[str, Any]]] = {}
    for item in db.session.scalars(select(Item).where(Item.version_id == version.id).order_by(Item.position)):
        items_by_category.setdefault(item.category_id, []).append({
            "code": item.code, "name": item.name, "points": _points(item.points), "kind": item.kind,
            "per": item.per, "scope": item.scope, "evidence": item.evidence, "default_met": item.default_met,
        })
    categories = db.session.scalars(
        select(Category).where(Category.version_id == version.id).order_by(Category.position)
    )
    return {
        "version_id": version.id, "number": version.number, "name": version.scheme.name,
        # inspections of a period may be recorded until this day of the next month (None: within the period)
        "scoring_deadline_day": version_rules(version).policies.scoring_deadline_day,
        "categories": [{"code": c.code, "name": c.name, "kind": c.kind, "inspection_period": c.inspection_period,
                        "items": items_by_category.get(c.id, [])} for c in categories],
    }


def scorable_households(user: User, today: date) -> list[Household]:
    """Households the user scores (own grids; a village admin's whole village), not those that left,
    nor those of a retired village (nothing is scored there any more)."""
    scope = scoring_scope(user.domain_grants())
    where = []
    if scope.village_ids:
        where.append(Household.village_id.in_(scope.village_ids))
    if scope.grid_ids:
        where.append(Household.grid_id.in_(scope.grid_ids))
    query = (
        select(Household)
        .options(joinedload(Household.group), joinedload(Household.grid), joinedload(Household.village),
                 selectinload(Household.members))
        .where(or_(*where) if where else false())
        .where(or_(Household.left_on.is_(None), Household.left_on > today))
        .where(Household.village_id.not_in(select(Village.id).where(Village.retired_on.is_not(None))))
        .order_by(Household.code)
    )
    return list(db.session.scalars(query).unique())


def inspected_periods(households: list[Household], periods: list[str]) -> dict[int, list[str]]:
    """Of these periods, those each household already has an inspection for (the server refuses another):
    the phone shows the worker's progress from it ("已评 12 / 50")."""
    done: dict[int, list[str]] = {}
    if not households or not periods:
        return done
    rows = db.session.execute(
        select(Inspection.household_id, Inspection.period).distinct()
        .where(Inspection.household_id.in_([hh.id for hh in households]), Inspection.period.in_(periods))
        .order_by(Inspection.household_id, Inspection.period)
    )
    for household_id, period in rows:
        done.setdefault(household_id, []).append(period)
    return done


def bootstrap(user: User, now: datetime | None = None) -> dict[str, Any]:
    """The bootstrap document; its "version" is the SHA-256 of everything else in it."""
    today = (now or datetime.now(UTC)).astimezone(ZONE).date()
    households = scorable_households(user, today)
    scope = scoring_scope(user.domain_grants())
    village_ids = {hh.village_id for hh in households} | set(scope.village_ids)
    villages = list(db.session.scalars(select(Village).where(Village.id.in_(village_ids)).order_by(Village.code)))
    periods = keys_of_day(today)
    # The current periods and the previous month (open until the rules' scoring deadline).
    last_month = keys_of_day(today.replace(day=1) - timedelta(days=1))["month"]
    done = inspected_periods(households, sorted({*periods.values(), last_month}))
    content = {
        "user": {"id": user.id, "name": user.display_name or user.username},
        "periods": periods,
        "villages": [{"code": v.code, "name": v.name, "scheme": _scheme(timeline(v.id).current)} for v in villages],
        "households": [{
            "code": hh.code, "village": hh.village.code, "head_name": hh.head_name, "initials": hh.head_initials,
            "group": hh.group.name if hh.group else "", "grid": hh.grid.name if hh.grid else "",
            "members": [{"id": m.id, "name": m.name, "relation": m.relation} for m in hh.members if m.active],
            "inspected": done.get(hh.id, []),
        } for hh in households],
    }
    return {"protocol": sync.PROTOCOL_VERSION, "version": payload_sha256(content), **content}
