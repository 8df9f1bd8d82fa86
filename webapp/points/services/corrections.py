"""Corrections: new entries and inspection revisions that change points without editing anything.

An event correction is a signed delta of one item for one household (and member) in the
month it corrects: −1 takes one occurrence back, +1 adds a missed one. The engine sums it
with the entries it corrects. An inspection correction is a new revision of the same
household and period; the engine counts the latest revision.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import func, select

from webapp.core.clock import utcnow
from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.extensions import db
from webapp.people.models.household import Household, Member
from webapp.points.domain.entry_states import APPROVED
from webapp.points.models.entry import Entry, Inspection, InspectionItem
from webapp.points.models.scheme import Item
from webapp.points.services.schemes import timeline

MAX_DELTA = Decimal(100)


def correction_entry(
    actor_id: int, household: Household, quantity: Decimal, reason: str, *, corrects: Entry | None = None,
    item_code: str | None = None, on: date | None = None, member_id: int | None = None, device: str = "",
) -> Entry:
    """A counted delta entry with its reason; copies item, member and day from the entry it corrects."""
    if not reason.strip():
        raise Refusal(N_("Give a reason for the correction."))
    if quantity == 0 or abs(quantity) > MAX_DELTA or quantity != quantity.quantize(Decimal("0.01")):
        raise Refusal(N_("A correction changes the quantity by a number other than 0 (at most 100)."))
    if corrects is not None:
        if corrects.household_id != household.id:
            raise Refusal(N_("That entry belongs to another household."))
        item_id, version_id, member_id = corrects.item_id, corrects.scheme_version_id, corrects.member_id
        on = corrects.occurred_on
        occurred_at = corrects.occurred_at
    else:
        if on is None or not item_code:
            raise Refusal(N_("Choose the item and the day the correction belongs to."))
        version = timeline(household.village_id).version_on(on)
        if version is None:
            raise Refusal(N_("No rules were in force on %(day)s."), day=on.isoformat())
        item = db.session.scalar(select(Item).where(Item.version_id == version.id, Item.code == item_code))
        if item is None or item.kind == "base":
            raise Refusal(N_("%(item)s is not a bonus or deduction item of the rules in force."),
                               item=item_code)
        if item.scope == "member" and member_id is None:
            raise Refusal(N_("Choose the family member for %(item)s."), item=item_code)
        if member_id is not None and db.session.scalar(
                select(Member.household_id).where(Member.id == member_id)) != household.id:
            raise Refusal(N_("That person is not a member of this household."))
        item_id, version_id = item.id, version.id
        occurred_at = datetime.combine(on, time(4, 0))  # noon in China, as UTC: inside the day whatever the zone
    entry = Entry(
        client_uuid=uuid.uuid4(), village_id=household.village_id, household_id=household.id,
        member_id=member_id, item_id=item_id, scheme_version_id=version_id, quantity=quantity,
        occurred_at=occurred_at, occurred_on=on, received_at=utcnow(), recorded_by_id=actor_id,
        device=device, status=APPROVED, note=reason.strip(), place="", flags=["correction"],
        corrects_entry_id=corrects.id if corrects is not None else None,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def inspection_revision(actor_id: int, original: Inspection, met: dict[str, bool], reason: str) -> Inspection:
    """A new, counted revision of an inspection with some items' findings changed."""
    if not reason.strip():
        raise Refusal(N_("Give a reason for the correction."))
    current = {row.item.code: row for row in original.items}
    unknown = sorted(code for code in met if code not in current)
    if unknown:
        raise Refusal(N_("%(item)s is not an item of this inspection."), item=", ".join(unknown))
    if all(current[code].met == value for code, value in met.items()):
        raise Refusal(N_("The correction changes nothing."))
    latest = db.session.scalar(select(func.max(Inspection.revision)).where(
        Inspection.household_id == original.household_id, Inspection.period == original.period)) or 0
    revision = Inspection(
        client_uuid=uuid.uuid4(), village_id=original.village_id, household_id=original.household_id,
        period=original.period, scheme_version_id=original.scheme_version_id, occurred_at=original.occurred_at,
        received_at=utcnow(), recorded_by_id=actor_id, status=APPROVED, note=reason.strip(),
        flags=["correction"], revision=latest + 1, corrects_inspection_id=original.id,
    )
    db.session.add(revision)
    db.session.flush()
    for code, row in current.items():
        db.session.add(InspectionItem(inspection_id=revision.id, item_id=row.item_id, met=met.get(code, row.met),
                                      note=row.note))
    db.session.flush()
    return revision


def latest_inspection(household_id: int, period: str) -> Inspection | None:
    """The latest revision of a household's inspection for a period, whatever its state."""
    return db.session.scalar(
        select(Inspection).where(Inspection.household_id == household_id, Inspection.period == period)
        .order_by(Inspection.revision.desc()).limit(1)
    )
