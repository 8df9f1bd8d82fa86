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
from webapp.photos.models import EntryPhoto, Photo
from webapp.points.domain.entry_states import ADJUSTED, counts
from webapp.points.models.entry import Entry, Freeze, Inspection
from webapp.points.models.scheme import Item
from webapp.points.services.corrections import correction_entry, inspection_revision
from webapp.points.services.schemes import timeline
from webapp.review.domain import ReviewError, ReviewFacts, decide, standing_approvals
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


def _waiting(facts: ReviewFacts, status: str, action: str) -> int:
    """Approvals still missing after this decision (0 once the status moved on); an adjustment is
    the only approval that stands after it."""
    if status != facts.status:
        return 0
    standing = 1 if action == "adjust" else len(facts.approved_by) + 1
    return max(facts.approvals_needed - standing, 0)


def _approvals_needed(village_id: int, year: int, month: int) -> int:
    line = timeline(village_id)
    return line.rules_for_month(year, month).policies.approvals_needed if line else 1


def _decisions(column, object_id: int) -> list[ReviewDecision]:  # noqa: ANN001 - a ReviewDecision column
    return list(db.session.scalars(select(ReviewDecision).where(column == object_id)
                                   .order_by(ReviewDecision.at, ReviewDecision.id)))


def _standing(decisions: list[ReviewDecision]) -> tuple[frozenset[int], bool]:
    return standing_approvals([(d.reviewer_id, d.decision) for d in decisions])


def _pending_adjustment(column, object_id: int) -> ReviewDecision | None:  # noqa: ANN001
    """The latest adjustment of an entry still waiting for approvals: the one to apply."""
    adjustments = [d for d in _decisions(column, object_id) if d.decision == "adjust"]
    return adjustments[-1] if adjustments else None


def _has_uploaded_photo(column, object_id: int) -> set[str]:  # noqa: ANN001
    """The item codes ("" for the entry itself) that have a photo that was uploaded: a slot the phone
    listed whose upload never arrived (photo_id empty, or its photo row gone) is not evidence."""
    query = (select(EntryPhoto.item_code).join(Photo, Photo.id == EntryPhoto.photo_id)
             .where(column == object_id))
    return set(db.session.scalars(query))


def entry_facts(entry: Entry) -> ReviewFacts:
    """What the review rules need to know about an entry."""
    item = db.session.get(Item, entry.item_id)
    has_photo = bool(_has_uploaded_photo(EntryPhoto.entry_id, entry.id))
    approved_by, adjusted = _standing(_decisions(ReviewDecision.entry_id, entry.id))
    return ReviewFacts(
        status=entry.status, recorded_by_id=entry.recorded_by_id,
        evidence_required=frozenset({item.code}) if item.evidence == "required" else frozenset(),
        evidence_present=frozenset({item.code}) if has_photo else frozenset(),
        approved_by=approved_by, adjustment_pending=adjusted,
        approvals_needed=_approvals_needed(entry.village_id, entry.occurred_on.year, entry.occurred_on.month),
    )


def inspection_facts(inspection: Inspection) -> ReviewFacts:
    """What the review rules need to know about an inspection: met items needing evidence have photos."""
    required = frozenset(row.item.code for row in inspection.items if row.met and row.item.evidence == "required")
    present = frozenset(_has_uploaded_photo(EntryPhoto.inspection_id, inspection.id))
    period = Period.parse(inspection.period)  # it counts in the month its period ends
    approved_by, adjusted = _standing(_decisions(ReviewDecision.inspection_id, inspection.id))
    return ReviewFacts(
        status=inspection.status, recorded_by_id=inspection.recorded_by_id,
        evidence_required=required, evidence_present=present,
        approved_by=approved_by, adjustment_pending=adjusted,
        approvals_needed=_approvals_needed(inspection.village_id, period.year, period.last_month),
    )


def _decide(facts: ReviewFacts, reviewer: User, action: str, reason: str) -> str:
    try:
        return decide(facts, reviewer.id, action, reason)
    except ReviewError as error:
        raise ReviewRefused(error.msgid, **error.params) from None


def review_entry(reviewer: User, entry_id: int, action: str, reason: str = "",
                 new_quantity: Decimal | None = None, device: str = "", meeting_id: int | None = None) -> Outcome:
    """Approve, reject or adjust one entry (adjust: the quantity it should have had).

    An adjustment counts as this reviewer's approval; its correction entry is made once the entry
    has all the approvals it needs (at once with approvals_needed 1)."""
    entry, household = _reviewable(Entry, entry_id, reviewer)
    facts = entry_facts(entry)
    status = _decide(facts, reviewer, action, reason)
    decision = ReviewDecision(entry_id=entry.id, reviewer_id=reviewer.id, decision=action, reason=reason.strip(),
                              meeting_id=meeting_id)
    if action == "adjust":
        if new_quantity is None or new_quantity <= 0:
            raise ReviewRefused(N_("Give the quantity it should be (reject it if nothing happened)."))
        if new_quantity == entry.quantity:
            raise ReviewRefused(N_("That is the recorded quantity: approve the entry instead."))
        decision.quantity = new_quantity
    db.session.add(decision)
    db.session.flush()
    correction_id = None
    if status == ADJUSTED:  # decided now: the adjustment (this one, or the one it approves) is made
        adjustment = decision if action == "adjust" else _pending_adjustment(ReviewDecision.entry_id, entry.id)
        correction = correction_entry(adjustment.reviewer_id, household, adjustment.quantity - entry.quantity,
                                      adjustment.reason, corrects=entry, device=device)
        adjustment.correction_entry_id = correction_id = correction.id
    entry.status = status
    if counts(status) and not counts(facts.status):
        _freeze_if_needed(entry, reviewer)
    db.session.flush()
    record(reviewer.id, f"entry.{action}", "entry", entry.id, village_id=entry.village_id, device=device,
           household=household.code, reason=reason.strip(), status=status,
           **({"quantity": str(new_quantity)} if action == "adjust" else {}),
           **({"correction_entry_id": correction_id} if correction_id else {}))
    return Outcome(decision, status, _waiting(facts, status, action))


def _freeze_if_needed(entry: Entry, reviewer: User) -> None:
    """A reviewed freeze item (K9: 在影响期内只积分，不参与兑换) freezes redemption from its day
    until the committee lifts it; points are still earned."""
    item = db.session.get(Item, entry.item_id)
    if item.kind == "freeze":
        db.session.add(Freeze(household_id=entry.household_id, starts_on=entry.occurred_on, ends_on=None,
                              reason=f"{item.code} {item.name}"[:200], entry_id=entry.id, created_by_id=reviewer.id))


def _check_findings(inspection: Inspection, met: dict[str, bool]) -> None:
    """What inspection_revision would refuse, checked before the revision is made."""
    current = {row.item.code: row.met for row in inspection.items}
    unknown = sorted(code for code in met if code not in current)
    if unknown:
        raise ReviewRefused(N_("%(item)s is not an item of this inspection."), item=", ".join(unknown))
    if all(current[code] == value for code, value in met.items()):
        raise ReviewRefused(N_("The correction changes nothing."))


def review_inspection(reviewer: User, inspection_id: int, action: str, reason: str = "",
                      met: dict[str, bool] | None = None, device: str = "", meeting_id: int | None = None) -> Outcome:
    """Approve, reject or adjust one inspection (adjust: the findings it should have had); an
    adjustment counts as an approval, its revision is made once all approvals are in."""
    inspection, household = _reviewable(Inspection, inspection_id, reviewer)
    facts = inspection_facts(inspection)
    status = _decide(facts, reviewer, action, reason)
    decision = ReviewDecision(inspection_id=inspection.id, reviewer_id=reviewer.id, decision=action,
                              reason=reason.strip(), meeting_id=meeting_id)
    if action == "adjust":
        _check_findings(inspection, met or {})
        decision.findings = dict(met or {})
    db.session.add(decision)
    db.session.flush()
    if status == ADJUSTED:
        adjustment = decision if action == "adjust" else _pending_adjustment(ReviewDecision.inspection_id,
                                                                             inspection.id)
        revision = inspection_revision(adjustment.reviewer_id, inspection, dict(adjustment.findings or {}),
                                       adjustment.reason)
        adjustment.correction_inspection_id = revision.id
    inspection.status = status
    db.session.flush()
    record(reviewer.id, f"inspection.{action}", "inspection", inspection.id, village_id=inspection.village_id,
           device=device, household=household.code, period=inspection.period, reason=reason.strip(), status=status)
    return Outcome(decision, status, _waiting(facts, status, action))


__all__ = ["Outcome", "ReviewRefused", "entry_facts", "inspection_facts", "review_entry", "review_inspection"]
