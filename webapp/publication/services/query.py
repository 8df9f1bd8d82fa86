"""Reading publications: whether a period is closed, and the publications a page shows."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from webapp.core.periods import Period
from webapp.extensions import db
from webapp.points.domain.statement import format_points
from webapp.points.models.entry import Entry
from webapp.points.models.scheme import Item
from webapp.publication.domain.publication import CLOSED, FINAL, NOTICE, closing_keys
from webapp.publication.models import Objection, Publication

PUBLIC_STATUSES = (NOTICE, FINAL)


def period_is_closed(village_id: int, period_key: str) -> bool:
    """Whether an item of this period (a month, or an inspection period) arrives late: the month
    it counts in has been closed, on its own or as part of its quarter or year."""
    try:
        keys = closing_keys(period_key)
    except ValueError:
        return False
    return db.session.scalar(
        select(Publication.id).where(Publication.village_id == village_id, Publication.period.in_(keys)).limit(1)
    ) is not None


def closed_months(village_id: int) -> set[tuple[int, int]]:
    """Every (year, month) that a publication of the village covers."""
    months: set[tuple[int, int]] = set()
    for key in db.session.scalars(select(Publication.period).where(Publication.village_id == village_id)):
        months.update(Period.parse(key).months())
    return months


def closable_periods(village_id: int, kinds: tuple[str, ...], today: date) -> list[Period]:
    """Ended periods of the kinds the rules publish, within the last two years, not yet closed (newest first)."""
    closed = set(db.session.scalars(select(Publication.period).where(Publication.village_id == village_id)))
    found: list[Period] = []
    for year in (today.year, today.year - 1):
        candidates = [Period.whole_year(year)] if "year" in kinds else []
        if "quarter" in kinds:
            candidates += [Period.quarter(year, q) for q in range(4, 0, -1)]
        if "month" in kinds:
            candidates += [Period.month(year, m) for m in range(12, 0, -1)]
        found += [p for p in candidates if p.end <= today and p.key not in closed]
    return sorted(found, key=lambda p: (p.end, p.kind != "year"), reverse=True)


def village_publications(village_id: int, public_only: bool = False) -> list[Publication]:
    """A village's publications, newest period first (closed ones too, unless public_only)."""
    query = select(Publication).where(Publication.village_id == village_id)
    if public_only:
        query = query.where(Publication.status.in_(PUBLIC_STATUSES))
    rows = list(db.session.scalars(query))
    return sorted(rows, key=lambda p: (Period.parse(p.period).end, p.kind != "year", p.id), reverse=True)


def snapshot_of(publication: Publication) -> dict[str, Any] | None:
    """The public snapshot as data (None before publication)."""
    return json.loads(publication.snapshot) if publication.snapshot else None


def is_public(publication: Publication) -> bool:
    return publication.status in PUBLIC_STATUSES


def correction_points(objection: Objection) -> str:
    """The points an upheld objection's correction entry changed ("" for none or an inspection)."""
    if objection.correction_entry_id is None:
        return ""
    quantity, points = db.session.execute(
        select(Entry.quantity, Item.points).join(Item, Item.id == Entry.item_id)
        .where(Entry.id == objection.correction_entry_id)).one()
    return format_points(Decimal(quantity) * Decimal(points))


__all__ = ["CLOSED", "FINAL", "NOTICE", "PUBLIC_STATUSES", "closable_periods", "closed_months", "correction_points", "is_public",
           "period_is_closed", "snapshot_of", "village_publications"]
