"""What a closing publication takes in: its period's reviewed entries and inspections, the late
entries and corrections of earlier closed periods that arrived since, and the objections
answered since the last publication."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select, update

from webapp.core.periods import Period, keys_ending_in, month_key
from webapp.extensions import db
from webapp.people.models.geo import VillageGroup
from webapp.people.models.household import Household
from webapp.points.domain.entry_states import PUBLISHABLE_STATUSES, PUBLISHED
from webapp.points.domain.scheme import ZERO
from webapp.points.domain.statement import format_points
from webapp.points.models.entry import Entry, Inspection, InspectionItem
from webapp.points.models.scheme import Item
from webapp.publication.models import Objection
from webapp.publication.services.query import closed_months, correction_points


def _inspection_keys(months: set[tuple[int, int]]) -> list[str]:
    """Keys of the inspection periods that count in these months (each ends in one of them)."""
    return sorted(keys_ending_in(months))


def claim_items(village_id: int, period: Period, publication_id: int) -> list[dict[str, Any]]:
    """Mark the period's reviewed items and earlier closed periods' late ones as published here;
    return the late ones and corrections, described for the notice."""
    in_period = set(period.months())
    # Earlier months that some publication already covered: what arrives for them now is late.
    earlier = {m for m in closed_months(village_id) if m < (period.year, period.first_month)}
    names = _household_names(village_id)
    waiting_entries = (Entry.village_id == village_id, Entry.publication_id.is_(None),
                       Entry.status.in_(PUBLISHABLE_STATUSES))
    waiting_inspections = (Inspection.village_id == village_id, Inspection.publication_id.is_(None),
                           Inspection.status.in_(PUBLISHABLE_STATUSES))
    carried: list[dict[str, Any]] = []
    late_entries = db.session.execute(
        select(Entry.id, Entry.household_id, Entry.occurred_month, Entry.quantity, Entry.flags, Item.code,
               Item.name, Item.points)
        .join(Item, Item.id == Entry.item_id)
        .where(*waiting_entries, Entry.occurred_month.in_([y * 100 + m for y, m in earlier]))
    ).all() if earlier else []
    for row in late_entries:
        carried.append({
            "type": "entry", "id": row.id, "household_id": row.household_id, **names[row.household_id],
            "period": month_key(divmod(row.occurred_month, 100)), "item": row.code,
            "item_name": row.name,
            # Item points are signed (deductions negative): a correction's negative quantity takes points back.
            "points": format_points(Decimal(row.points) * Decimal(row.quantity)),
            "kind": "correction" if "correction" in (row.flags or ()) else "late",
        })
    late_inspections = db.session.execute(
        select(Inspection.id, Inspection.household_id, Inspection.period, Inspection.flags)
        .where(*waiting_inspections, Inspection.period.in_(_inspection_keys(earlier)))
    ).all() if earlier else []
    for row in late_inspections:
        carried.append({
            "type": "inspection", "id": row.id, "household_id": row.household_id, **names[row.household_id],
            "period": row.period, "item": "", "item_name": "", "points": format_points(_met_points(row.id)),
            "kind": "correction" if "correction" in (row.flags or ()) else "late",
        })
    # The period's own items (corrections made in review included) are claimed without being read.
    month_numbers = [y * 100 + m for y, m in in_period]
    claims = (
        (Entry, (*waiting_entries, Entry.occurred_month.in_(month_numbers)), [r.id for r in late_entries]),
        (Inspection, (*waiting_inspections, Inspection.period.in_(_inspection_keys(in_period))),
         [r.id for r in late_inspections]),
    )
    for model, own, late_ids in claims:
        db.session.execute(update(model).where(*own).values(publication_id=publication_id, status=PUBLISHED))
        for start in range(0, len(late_ids), 500):
            db.session.execute(update(model).where(model.id.in_(late_ids[start:start + 500]))
                               .values(publication_id=publication_id, status=PUBLISHED))
        expire_loaded(model)
    carried.sort(key=lambda c: (c["period"], c["name"], c["type"], c["id"]))
    return carried


def _met_points(inspection_id: int) -> Decimal:
    """The base points an inspection finds met."""
    points = db.session.scalars(
        select(Item.points).join(InspectionItem, InspectionItem.item_id == Item.id)
        .where(InspectionItem.inspection_id == inspection_id, InspectionItem.met.is_(True)))
    return sum((Decimal(p) for p in points), ZERO)


def _household_names(village_id: int) -> dict[int, dict[str, str]]:
    rows = db.session.execute(
        select(Household.id, Household.head_name, VillageGroup.name)
        .outerjoin(VillageGroup, VillageGroup.id == Household.group_id).where(Household.village_id == village_id))
    return {hh: {"name": name, "group": group or ""} for hh, name, group in rows}


def list_answered_objections(village_id: int, publication_id: int) -> list[dict[str, Any]]:
    """Objections answered since the last publication: listed here with their outcome."""
    rows = list(db.session.scalars(
        select(Objection).join(Objection.publication)
        .where(Objection.listed_in_id.is_(None), Objection.status != "open",
               Objection.publication.has(village_id=village_id))
        .order_by(Objection.answered_at, Objection.id)
    ))
    names = _household_names(village_id) if rows else {}
    listed = []
    for objection in rows:
        objection.listed_in_id = publication_id
        listed.append({"id": objection.id, "household_id": objection.household_id, **names[objection.household_id],
                       "period": objection.publication.period, "outcome": objection.status,
                       "points": correction_points(objection)})
    db.session.flush()
    return listed


def expire_loaded(model) -> None:  # noqa: ANN001 - a mapped class
    """Make rows already loaded in the session re-read the state a bulk UPDATE changed."""
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, model):
            db.session.expire(obj, ["publication_id", "status"])
