"""Batch approval (issue 14: review at the volume of a real month).

Two batches a reviewer can approve at once, after one confirmation:
- "this page's unflagged entries": the entries on one page of the queue (its filters and page
  number) that carry no flag;
- "every inspection that meets all standards": the household inspections waiting in the user's
  review area (the filters' village and area) with no shortfall (no usual standard left unmet)
  and no flag.
Each one is then decided on its own by the same service as one by one (services/decisions.py: no
self-approval, evidence, approvals_needed): what could not be approved is listed with its reason,
what got this reviewer's approval but waits for another reviewer is listed as waiting. Never commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, select

from webapp.core.messages import N_
from webapp.core.refusal import NotFound, Refusal
from webapp.extensions import db
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.points.models.entry import Entry, Inspection, InspectionItem
from webapp.points.models.scheme import Item
from webapp.review.services.decisions import review_entry, review_inspection
from webapp.review.services.meetings import meeting_for_decisions
from webapp.review.services.queue import INSPECTIONS, QueueFilters, queued_keys

PAGE_ENTRIES = "page"  # 通过本页无标记记录
MET_INSPECTIONS = "inspections"  # 通过全部达标的入户评分
BATCHES = (PAGE_ENTRIES, MET_INSPECTIONS)


@dataclass(frozen=True)
class BatchItem:
    """One entry or inspection of a batch, as the result page names it."""

    kind: str
    id: int
    head_name: str
    household_code: str
    what: str  # the item ("J2 …") or the inspection's period key

    @property
    def dom_id(self) -> str:
        return f"{self.kind}-{self.id}"


@dataclass(frozen=True)
class NotApproved:
    item: BatchItem
    msgid: str
    params: dict[str, object]


@dataclass
class BatchResult:
    approved: list[BatchItem] = field(default_factory=list)
    waiting: list[BatchItem] = field(default_factory=list)  # approval counted; another reviewer must approve
    refused: list[NotApproved] = field(default_factory=list)


def _unflagged(ids: list[int], model) -> set[int]:  # noqa: ANN001 - Entry or Inspection
    return {i for i, flags in db.session.execute(select(model.id, model.flags).where(model.id.in_(ids))) if not flags}


def _with_shortfall(ids: list[int]) -> set[int]:
    """Inspections with a usual standard (default met) found not met."""
    return set(db.session.scalars(
        select(InspectionItem.inspection_id).join(Item, Item.id == InspectionItem.item_id)
        .where(InspectionItem.inspection_id.in_(ids), and_(Item.default_met.is_(True), InspectionItem.met.is_(False)))))


def candidates(user: User, batch: str, filters: QueueFilters) -> list[tuple[str, int]]:
    """(kind, id) of what the batch takes, in queue order."""
    if batch == PAGE_ENTRIES:
        keys = [(kind, i) for kind, i in queued_keys(user, filters) if kind == "entry"]
        plain = _unflagged([i for _, i in keys], Entry)
        return [key for key in keys if key[1] in plain]
    if batch == MET_INSPECTIONS:
        whole = QueueFilters(village_id=filters.village_id, area=filters.area, item=INSPECTIONS)
        ids = [i for _, i in queued_keys(user, whole, whole_queue=True)]
        plain, short = _unflagged(ids, Inspection), _with_shortfall(ids)
        return [("inspection", i) for i in ids if i in plain and i not in short]
    raise NotFound(N_("No such batch."))


def still_eligible(batch: str, keys: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Of the keys a confirmation page posted, those that still belong to the batch (no flag since;
    for inspections, no shortfall), in the same order."""
    entry_ids = [i for kind, i in keys if kind == "entry"]
    inspection_ids = [i for kind, i in keys if kind == "inspection"]
    if batch == PAGE_ENTRIES:
        plain = _unflagged(entry_ids, Entry)
        return [("entry", i) for i in entry_ids if i in plain]
    if batch == MET_INSPECTIONS:
        plain, short = _unflagged(inspection_ids, Inspection), _with_shortfall(inspection_ids)
        return [("inspection", i) for i in inspection_ids if i in plain and i not in short]
    raise NotFound(N_("No such batch."))


def describe(keys: list[tuple[str, int]]) -> dict[tuple[str, int], BatchItem]:
    """The household and item of each key, for the result page."""
    found: dict[tuple[str, int], BatchItem] = {}
    entry_ids = [i for kind, i in keys if kind == "entry"]
    inspection_ids = [i for kind, i in keys if kind == "inspection"]
    if entry_ids:
        for i, head, code, item_code, item_name in db.session.execute(
                select(Entry.id, Household.head_name, Household.code, Item.code, Item.name)
                .join(Household, Household.id == Entry.household_id).join(Item, Item.id == Entry.item_id)
                .where(Entry.id.in_(entry_ids))):
            found[("entry", i)] = BatchItem("entry", i, head, code, f"{item_code} {item_name}")
    if inspection_ids:
        for i, head, code, period in db.session.execute(
                select(Inspection.id, Household.head_name, Household.code, Inspection.period)
                .join(Household, Household.id == Inspection.household_id).where(Inspection.id.in_(inspection_ids))):
            found[("inspection", i)] = BatchItem("inspection", i, head, code, period)
    return found


def approve_batch(user: User, keys: list[tuple[str, int]], today: date, meeting_id: int | None = None,
                  device: str = "") -> BatchResult:
    """Approve each of these on its own, by the one-by-one rules; a refusal of one writes nothing for
    it (a savepoint) and is listed with its reason. With a meeting, each decision is recorded as
    taken in it."""
    if meeting_id is not None:
        meeting_for_decisions(user, meeting_id, today)
    names = describe(keys)
    result = BatchResult()
    for key in keys:
        kind, object_id = key
        shown = names.get(key) or BatchItem(kind, object_id, "", "", "")
        decide = review_entry if kind == "entry" else review_inspection
        try:
            with db.session.begin_nested():
                outcome = decide(user, object_id, "approve", device=device, meeting_id=meeting_id)
        except Refusal as error:
            result.refused.append(NotApproved(shown, error.msgid, dict(error.params)))
            continue
        (result.waiting if outcome.waiting_for else result.approved).append(shown)
    return result


__all__ = ["BATCHES", "MET_INSPECTIONS", "PAGE_ENTRIES", "BatchItem", "BatchResult", "NotApproved",
           "approve_batch", "candidates", "describe", "still_eligible"]
