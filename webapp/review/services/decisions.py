"""Review decisions on entries and inspections: approve, reject (with a reason), adjust.

The rules are the domain's (webapp/review/domain.py); this module loads the facts they need
(who recorded it, its evidence, earlier approvals, the scheme's approvals_needed), checks
that the entry lies in the reviewer's area, writes the decision, the correction an
adjustment makes, and the audit trail. Never commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from webapp.core.messages import N_
from webapp.core.periods import Period
from webapp.core.refusal import NotFound, Refusal
from webapp.db import take_write_lock
from webapp.extensions import db
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.people.services.audit import record
from webapp.photos.models import EntryPhoto
from webapp.points.domain.entry_states import counts
from webapp.points.models.entry import Entry, Freeze, Inspection
from webapp.points.models.scheme import Item
from webapp.points.services.corrections import correction_entry, inspection_revision
from webapp.points.services.schemes import timeline
from webapp.review.domain import ReviewError, ReviewFacts, decide
from webapp.review.models import ReviewDecision
from webapp.review.services.scope import review_area


class ReviewRefused(Refusal):
    """A decision the rules refuse (the domain's msgid and params); nothing is written."""


@dataclass
class Outcome:
    decision: ReviewDecision
    status: str
    waiting_for: int  # approvals still needed (0 once approved)


def _reviewable(model, object_id: int, user: User):  # noqa: ANN001, ANN202 - Entry or Inspection
    """The entry or inspection and its household, if it lies in the user's review area.

    Read under the write lock (SQLite) or with its row locked (PostgreSQL), as are the approvals
    read after it: two reviewers deciding at once take turns, and the second sees the first's."""
    take_write_lock(db.session.connection())
    found = db.session.get(model, object_id, with_for_update=True, populate_existing=True)
    household = db.session.get(Household, found.household_id) if found is not None else None
    if household is None or not review_area(user, household.village_id).covers(household.grid_id,
                                                                               household.group_id):
        raise NotFound(N_("No such entry in your review area."))
    return found, household


def _waiting(facts: ReviewFacts, status: str) -> int:
    """Approvals still missing after this decision (0 once the status moved on)."""
    return 0 if status != facts.status else max(facts.approvals_needed - len(facts.approved_by) - 1, 0)


def _approvals_needed(village_id: int, year: int, month: int) -> int:
    line = timeline(village_id)
    return line.rules_for_month(year, month).policies.approvals_needed if line else 1


def _approved_by(column, object_id: int) -> frozenset[int]:  # noqa: ANN001 - a ReviewDecision column
    return frozenset(db.session.scalars(select(ReviewDecision.reviewer_id).where(
        column == object_id, ReviewDecision.decision == "approve")))


def entry_facts(entry: Entry) -> ReviewFacts:
    """What the review rules need to know about an entry."""
    item = db.session.get(Item, entry.item_id)
    has_photo = db.session.scalar(select(EntryPhoto.id).where(
        EntryPhoto.entry_id == entry.id, EntryPhoto.photo_id.is_not(None)).limit(1)) is not None
    return ReviewFacts(
        status=entry.status, recorded_by_id=entry.recorded_by_id,
        evidence_required=frozenset({item.code}) if item.evidence == "required" else frozenset(),
        evidence_present=frozenset({item.code}) if has_photo else frozenset(),
        approved_by=_approved_by(ReviewDecision.entry_id, entry.id),
        approvals_needed=_approvals_needed(entry.village_id, entry.occurred_on.year, entry.occurred_on.month),
    )


def inspection_facts(inspection: Inspection) -> ReviewFacts:
    """What the review rules need to know about an inspection: met items needing evidence have photos."""
    required = frozenset(row.item.code for row in inspection.items if row.met and row.item.evidence == "required")
    present = frozenset(db.session.scalars(select(EntryPhoto.item_code).where(
        EntryPhoto.inspection_id == inspection.id, EntryPhoto.photo_id.is_not(None))))
    period = Period.parse(inspection.period)  # it counts in the month its period ends
    return ReviewFacts(
        status=inspection.status, recorded_by_id=inspection.recorded_by_id,
        evidence_required=required, evidence_present=present,
        approved_by=_approved_by(ReviewDecision.inspection_id, inspection.id),
        approvals_needed=_approvals_needed(inspection.village_id, period.year, period.last_month),
    )


def _decide(facts: ReviewFacts, reviewer: User, action: str, reason: str) -> str:
    try:
        return decide(facts, reviewer.id, action, reason)
    except ReviewError as error:
        raise ReviewRefused(error.msgid, **error.params) from None


def review_entry(reviewer: User, entry_id: int, action: str, reason: str = "",
                 new_quantity: Decimal | None = None, device: str = "") -> Outcome:
    """Approve, reject or adjust one entry (adjust: the quantity it should have had)."""
    entry, household = _reviewable(Entry, entry_id, reviewer)
    facts = entry_facts(entry)
    status = _decide(facts, reviewer, action, reason)
    decision = ReviewDecision(entry_id=entry.id, reviewer_id=reviewer.id, decision=action, reason=reason.strip())
    if action == "adjust":
        if new_quantity is None or new_quantity <= 0:
            raise ReviewRefused(N_("Give the quantity it should be (reject it if nothing happened)."))
        if new_quantity == entry.quantity:
            raise ReviewRefused(N_("That is the recorded quantity: approve the entry instead."))
        correction = correction_entry(reviewer.id, household, new_quantity - entry.quantity, reason,
                                      corrects=entry, device=device)
        decision.correction_entry_id = correction.id
    entry.status = status
    db.session.add(decision)
    if counts(status) and not counts(facts.status):
        _freeze_if_needed(entry, reviewer)
    db.session.flush()
    record(reviewer.id, f"entry.{action}", "entry", entry.id, village_id=entry.village_id, device=device,
           household=household.code, reason=reason.strip(), status=status,
           **({"correction_entry_id": decision.correction_entry_id} if decision.correction_entry_id else {}))
    return Outcome(decision, status, _waiting(facts, status))


def _freeze_if_needed(entry: Entry, reviewer: User) -> None:
    """A reviewed freeze item (K9: 在影响期内只积分，不参与兑换) freezes redemption from its day
    until the committee lifts it; points are still earned."""
    item = db.session.get(Item, entry.item_id)
    if item.kind == "freeze":
        db.session.add(Freeze(household_id=entry.household_id, starts_on=entry.occurred_on, ends_on=None,
                              reason=f"{item.code} {item.name}"[:200], entry_id=entry.id, created_by_id=reviewer.id))


def review_inspection(reviewer: User, inspection_id: int, action: str, reason: str = "",
                      met: dict[str, bool] | None = None, device: str = "") -> Outcome:
    """Approve, reject or adjust one inspection (adjust: the findings it should have had)."""
    inspection, household = _reviewable(Inspection, inspection_id, reviewer)
    facts = inspection_facts(inspection)
    status = _decide(facts, reviewer, action, reason)
    decision = ReviewDecision(inspection_id=inspection.id, reviewer_id=reviewer.id, decision=action,
                              reason=reason.strip())
    if action == "adjust":
        revision = inspection_revision(reviewer.id, inspection, met or {}, reason)
        decision.correction_inspection_id = revision.id
    inspection.status = status
    db.session.add(decision)
    db.session.flush()
    record(reviewer.id, f"inspection.{action}", "inspection", inspection.id, village_id=inspection.village_id,
           device=device, household=household.code, period=inspection.period, reason=reason.strip(), status=status)
    return Outcome(decision, status, _waiting(facts, status))


__all__ = ["Outcome", "ReviewRefused", "entry_facts", "inspection_facts", "review_entry", "review_inspection"]
