"""A household's records of a period, line by line: every entry and inspection with its state,
the reviewer's reason, corrections and evidence photos — what a villager needs to see why
their points are what they are (DOMAIN.md §5: "show every step").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from webapp.core.periods import Period, month_key
from webapp.extensions import db
from webapp.people.models.household import Household
from webapp.photos.models import EntryPhoto
from webapp.points.domain.entry_states import REJECTED
from webapp.points.models.entry import Entry, Inspection, InspectionItem
from webapp.points.models.scheme import Item
from webapp.publication.services.query import period_is_closed
from webapp.review.models import ReviewDecision


@dataclass(frozen=True)
class EntryLine:
    id: int
    occurred_on: date
    item_code: str
    item_name: str
    member_name: str | None
    quantity: Decimal
    points: Decimal  # the item's points × quantity, before caps
    status: str
    note: str
    reason: str  # the reviewer's reason for a rejection or an adjustment
    pending_publication: bool  # late: arrived after its period was closed, waits for the next notice
    self_declared: bool
    corrects: date | None  # for a correction: the day of the entry it corrects
    correction: bool
    photo_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class InspectionLine:
    id: int
    period: str
    status: str
    revision: int
    reason: str
    note: str  # for a corrected revision: why it was corrected
    correction: bool
    pending_publication: bool
    # (code, name) of the standards found not met: the shortfalls the scorer marked on items that
    # are usually met. Items earned only by achievement (A1 …) show in the statement's base lines.
    not_met: tuple[tuple[str, str], ...]
    photo_ids: tuple[int, ...] = ()
    item_photo_ids: dict[str, tuple[int, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class HouseholdRecords:
    entries: list[EntryLine]
    inspections: list[InspectionLine]

    def __bool__(self) -> bool:
        return bool(self.entries or self.inspections)


def review_reasons(column, ids: list[int]) -> dict[int, str]:  # type: ignore[no-untyped-def]
    """The latest reject or adjust reason per entry (or inspection)."""
    if not ids:
        return {}
    rows = db.session.execute(
        select(column, ReviewDecision.reason).where(column.in_(ids), ReviewDecision.decision.in_(("reject", "adjust")))
        .order_by(ReviewDecision.at, ReviewDecision.id)
    )
    return {key: reason for key, reason in rows}


def photos_of(column, ids: list[int]) -> dict[int, dict[str, list[int]]]:  # type: ignore[no-untyped-def]
    """Stored photos per entry (or inspection), by the item code they were taken for ("" = the whole)."""
    found: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    if ids:
        rows = db.session.execute(
            select(column, EntryPhoto.item_code, EntryPhoto.photo_id)
            .where(column.in_(ids), EntryPhoto.photo_id.is_not(None)).order_by(EntryPhoto.id)
        )
        for key, code, photo_id in rows:
            if photo_id not in found[key][code]:
                found[key][code].append(photo_id)
    return found


def _pending(village_id: int, period_key: str, status: str, publication_id: int | None, cache: dict[str, bool]) -> bool:
    """Not yet in any publication although its period is closed: it waits for the next one."""
    if publication_id is not None or status == REJECTED:
        return False
    if period_key not in cache:
        cache[period_key] = period_is_closed(village_id, period_key)
    return cache[period_key]


def _entry_lines(household: Household, period: Period, closed: dict[str, bool]) -> list[EntryLine]:
    entries = list(db.session.scalars(
        select(Entry).options(joinedload(Entry.item), joinedload(Entry.member))
        .where(Entry.household_id == household.id, Entry.occurred_on >= period.start, Entry.occurred_on < period.end)
        .order_by(Entry.occurred_on, Entry.id)
    ))
    ids = [e.id for e in entries]
    reasons = review_reasons(ReviewDecision.entry_id, ids)
    photos = photos_of(EntryPhoto.entry_id, ids)
    corrected_ids = [e.corrects_entry_id for e in entries if e.corrects_entry_id]
    corrected_days = {row.id: row.occurred_on for row in db.session.execute(
        select(Entry.id, Entry.occurred_on).where(Entry.id.in_(corrected_ids)))} if corrected_ids else {}
    flags_of = {e.id: set(e.flags or ()) for e in entries}
    return [EntryLine(
        id=e.id, occurred_on=e.occurred_on, item_code=e.item.code, item_name=e.item.name,
        member_name=e.member.name if e.member else None, quantity=e.quantity, points=e.item.points * e.quantity,
        status=e.status, note=e.note or "", reason=reasons.get(e.id, ""),
        pending_publication=_pending(household.village_id, month_key((e.occurred_on.year, e.occurred_on.month)),
                                     e.status, e.publication_id, closed),
        self_declared="self_declared" in flags_of[e.id],
        corrects=corrected_days.get(e.corrects_entry_id) if e.corrects_entry_id else None,
        correction=e.corrects_entry_id is not None or "correction" in flags_of[e.id],
        photo_ids=tuple(pid for ids_ in photos[e.id].values() for pid in ids_),
    ) for e in entries]


def _in_period(key: str, period: Period) -> bool:
    """An inspection belongs to the period its points are credited in: the month its own period ends."""
    try:
        own = Period.parse(key)
    except ValueError:
        return False
    return period.contains_month(own.year, own.last_month)


def _inspection_lines(household: Household, period: Period, closed: dict[str, bool]) -> list[InspectionLine]:
    inspections = [i for i in db.session.scalars(
        select(Inspection).where(Inspection.household_id == household.id, Inspection.period.like(f"{period.year}%"))
        .order_by(Inspection.period, Inspection.revision, Inspection.id)
    ) if _in_period(i.period, period)]
    ids = [i.id for i in inspections]
    not_met: dict[int, list[tuple[str, str]]] = defaultdict(list)
    if ids:
        for inspection_id, code, name in db.session.execute(
            select(InspectionItem.inspection_id, Item.code, Item.name).join(Item, Item.id == InspectionItem.item_id)
            .where(InspectionItem.inspection_id.in_(ids), InspectionItem.met.is_(False), Item.default_met.is_(True))
            .order_by(Item.position)
        ):
            not_met[inspection_id].append((code, name))
    reasons = review_reasons(ReviewDecision.inspection_id, ids)
    photos = photos_of(EntryPhoto.inspection_id, ids)
    return [InspectionLine(
        id=i.id, period=i.period, status=i.status, revision=i.revision, reason=reasons.get(i.id, ""),
        note=i.note or "", correction=i.corrects_inspection_id is not None or i.revision > 0,
        pending_publication=_pending(household.village_id, i.period, i.status, i.publication_id, closed),
        not_met=tuple(not_met[i.id]), photo_ids=tuple(photos[i.id].get("", ())),
        item_photo_ids={code: tuple(p) for code, p in photos[i.id].items() if code},
    ) for i in inspections]


def household_records(household: Household, period: Period) -> HouseholdRecords:
    """Every entry (by the day it occurred) and inspection (by the month it counts in) of the period."""
    closed: dict[str, bool] = {}
    return HouseholdRecords(_entry_lines(household, period, closed), _inspection_lines(household, period, closed))
