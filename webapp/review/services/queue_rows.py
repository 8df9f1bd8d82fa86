"""The rows of the review queue: each entry or inspection with what a reviewer needs to decide it.

Rows are loaded for a whole page at once — one query per kind of fact (the rows, their photos,
their decisions, their corrections, the base items of inspections), and per village on the page
its rules, its closed months and its households' points this month — so a page of 20 costs what
a page of 1 does.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from webapp.core.periods import Period
from webapp.extensions import db
from webapp.people.models.geo import Grid, Village, VillageGroup
from webapp.people.models.household import Household, Member
from webapp.people.models.user import User
from webapp.photos.models import EntryPhoto
from webapp.points.models.entry import Entry, Inspection, InspectionItem
from webapp.points.models.scheme import Item
from webapp.points.services.village_year import VillageYear
from webapp.points.services.schemes import timeline
from webapp.publication.services.query import closed_months
from webapp.points.domain.entry_states import RECORDED
from webapp.review.domain import standing_approvals
from webapp.review.models import ReviewDecision
from webapp.review.services.queue_row import Change, Finding, QueueRow


class RecordedItem(NamedTuple):
    """A base item as an inspection recorded it, with what the reviewer needs of the scheme's item."""

    code: str
    name: str
    points: Decimal
    evidence: str
    met: bool
    default_met: bool


class HouseholdOf(NamedTuple):
    """The household a row is about, and its village."""

    household_id: int
    village_id: int


class _VillageFacts:
    """Per village: the rules in force by month, the closed months, and points this month."""

    def __init__(self, today: date) -> None:
        self.today = today
        self._timelines: dict[int, object] = {}
        self._closed: dict[int, set[tuple[int, int]]] = {}

    def approvals_needed(self, village_id: int, year: int, month: int) -> int:
        if village_id not in self._timelines:
            self._timelines[village_id] = timeline(village_id)
        line = self._timelines[village_id]
        return line.rules_for_month(year, month).policies.approvals_needed if line else 1

    def closed(self, village_id: int, year: int, month: int) -> bool:
        if village_id not in self._closed:
            self._closed[village_id] = closed_months(village_id)
        return (year, month) in self._closed[village_id]

    def month_points(self, rows: list[QueueRow], households: dict[str, HouseholdOf]) -> None:
        """Fill each row's household points this month (one engine load per village)."""
        by_village: dict[int, set[int]] = defaultdict(set)
        for household_id, village_id in set(households.values()):
            by_village[village_id].add(household_id)
        totals: dict[int, Decimal] = {}
        for village_id, ids in by_village.items():
            data = VillageYear(village_id, self.today.year, self.today.month, household_ids=sorted(ids),
                               only_month=self.today.month)
            if data.timeline:
                for household_id in ids:
                    months = data.months(household_id)
                    if months:
                        totals[household_id] = months[-1].total
        for row in rows:
            row.month_points = totals.get(households[row.dom_id].household_id)


def _scorer(display_name: str | None, username: str | None) -> str:
    return display_name or username or ""


def _photos(column: InstrumentedAttribute, ids: list[int]) -> tuple[dict[int, dict[str, list[int]]], dict[int, int]]:
    """Uploaded photo ids by owner and item code ("" = the whole), and how many still wait per owner."""
    stored: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    waiting: dict[int, int] = defaultdict(int)
    for owner, code, photo_id in db.session.execute(
            select(column, EntryPhoto.item_code, EntryPhoto.photo_id).where(column.in_(ids)).order_by(EntryPhoto.id)):
        if photo_id is None:
            waiting[owner] += 1
        else:
            stored[owner][code].append(photo_id)
    return stored, waiting


def _decisions(column: InstrumentedAttribute, ids: list[int]) -> dict[int, list[ReviewDecision]]:
    """Each owner's decisions in order, each with its reviewer's name as `reviewer_name`."""
    found: dict[int, list[ReviewDecision]] = defaultdict(list)
    for decision, shown, username in db.session.execute(
            select(ReviewDecision, User.display_name, User.username).join(User, User.id == ReviewDecision.reviewer_id)
            .where(column.in_(ids)).order_by(ReviewDecision.at, ReviewDecision.id)):
        decision.reviewer_name = _scorer(shown, username)
        found[getattr(decision, column.key)].append(decision)
    return found


def _apply_decisions(row: QueueRow, decisions: list[ReviewDecision], user_id: int) -> ReviewDecision | None:
    """Approvals that stand (an adjustment restarts the count), the latest reason; returns an
    adjustment still waiting for approvals, if any."""
    approvers, adjusted = standing_approvals([(d.reviewer_id, d.decision) for d in decisions])
    row.approvals, row.approved_by_me = len(approvers), user_id in approvers
    reasons = [d.reason for d in decisions if d.decision in ("reject", "adjust")]
    row.reason = reasons[-1] if reasons else ""
    adjustments = [d for d in decisions if d.decision == "adjust"]
    if adjusted and row.status == RECORDED:
        row.adjusted_by = adjustments[-1].reviewer_name
        return adjustments[-1]
    return None


def _entry_rows(user: User, ids: list[int], facts: _VillageFacts, households: dict[str, HouseholdOf]) -> list[QueueRow]:
    query = (
        select(Entry, Household.code, Household.head_name, Item.code, Item.name, Item.points, Item.evidence,
               Member.name, User.display_name, User.username, VillageGroup.name, Grid.name, Village.name,
               Household.id)
        .join(Household, Household.id == Entry.household_id).join(Item, Item.id == Entry.item_id)
        .join(Village, Village.id == Entry.village_id)
        .outerjoin(Member, Member.id == Entry.member_id).outerjoin(User, User.id == Entry.recorded_by_id)
        .outerjoin(VillageGroup, VillageGroup.id == Household.group_id).outerjoin(Grid, Grid.id == Household.grid_id)
        .where(Entry.id.in_(ids))
    )
    photos, waiting = _photos(EntryPhoto.entry_id, ids)
    decisions = _decisions(ReviewDecision.entry_id, ids)
    correction_ids = [d.correction_entry_id for ds in decisions.values() for d in ds if d.correction_entry_id]
    deltas = {i: quantity for i, quantity in db.session.execute(
        select(Entry.id, Entry.quantity).where(Entry.id.in_(correction_ids)))} if correction_ids else {}
    rows = []
    for (entry, code, head, item_code, item_name, points, evidence, member, shown, username, group, grid,
         village, household_id) in db.session.execute(query):
        day = entry.occurred_on
        photo_ids = [pid for pids in photos[entry.id].values() for pid in pids]
        row = QueueRow(
            kind="entry", id=entry.id, status=entry.status, received_at=entry.received_at, village_name=village,
            household_code=code, head_name=head, group_name=group or "", grid_name=grid or "",
            scorer_name=_scorer(shown, username), device=entry.device, note=entry.note, flags=tuple(entry.flags or ()),
            recorded_by_me=entry.recorded_by_id == user.id, occurred_on=day, item_code=item_code,
            item_name=item_name, item_points=points, member_name=member or "", quantity=entry.quantity,
            place=entry.place, photo_ids=photo_ids, photos_waiting=waiting[entry.id],
            missing_evidence=(item_code,) if evidence == "required" and not photo_ids else (),
            approvals_needed=facts.approvals_needed(entry.village_id, day.year, day.month),
            pending_publication=facts.closed(entry.village_id, day.year, day.month),
        )
        pending = _apply_decisions(row, decisions[entry.id], user.id)
        if pending is not None:
            row.proposed_quantity = pending.quantity
        delta = sum((deltas.get(d.correction_entry_id, 0) for d in decisions[entry.id] if d.correction_entry_id),
                    Decimal(0))
        if delta:
            row.corrected_quantity = entry.quantity + delta
        households[row.dom_id] = HouseholdOf(household_id, entry.village_id)
        rows.append(row)
    return rows


def _base_items(ids: list[int]) -> dict[int, list[RecordedItem]]:
    """Each inspection's base items as recorded, in scheme order."""
    found: dict[int, list[RecordedItem]] = defaultdict(list)
    for inspection_id, *item in db.session.execute(
            select(InspectionItem.inspection_id, Item.code, Item.name, Item.points, Item.evidence, InspectionItem.met,
                   Item.default_met)
            .join(Item, Item.id == InspectionItem.item_id).where(InspectionItem.inspection_id.in_(ids))
            .order_by(Item.position)):
        found[inspection_id].append(RecordedItem(*item))
    return found


def _inspection_rows(user: User, ids: list[int], facts: _VillageFacts,
                     households: dict[str, HouseholdOf]) -> list[QueueRow]:
    query = (
        select(Inspection, Household.code, Household.head_name, User.display_name, User.username, VillageGroup.name,
               Grid.name, Village.name, Household.id)
        .join(Household, Household.id == Inspection.household_id).join(Village, Village.id == Inspection.village_id)
        .outerjoin(User, User.id == Inspection.recorded_by_id)
        .outerjoin(VillageGroup, VillageGroup.id == Household.group_id).outerjoin(Grid, Grid.id == Household.grid_id)
        .where(Inspection.id.in_(ids))
    )
    photos, waiting = _photos(EntryPhoto.inspection_id, ids)
    decisions = _decisions(ReviewDecision.inspection_id, ids)
    revisions = {d.correction_inspection_id: iid for iid, ds in decisions.items() for d in ds
                 if d.correction_inspection_id}
    items = _base_items(ids + list(revisions))
    rows = []
    for inspection, code, head, shown, username, group, grid, village, household_id in db.session.execute(query):
        period = Period.parse(inspection.period)
        shot = photos[inspection.id]
        findings = [Finding(i.code, i.name, i.points, i.met, i.default_met, tuple(shot.get(i.code, ())))
                    for i in items[inspection.id]]
        row = QueueRow(
            kind="inspection", id=inspection.id, status=inspection.status, received_at=inspection.received_at,
            village_name=village, household_code=code, head_name=head, group_name=group or "", grid_name=grid or "",
            scorer_name=_scorer(shown, username), device=inspection.device, note=inspection.note,
            flags=tuple(inspection.flags or ()), recorded_by_me=inspection.recorded_by_id == user.id,
            period=inspection.period, revision=inspection.revision, findings=findings,
            photo_ids=list(shot.get("", ())), photos_waiting=waiting[inspection.id],
            missing_evidence=tuple(i.code for i in items[inspection.id]
                                   if i.met and i.evidence == "required" and not shot.get(i.code)),
            approvals_needed=facts.approvals_needed(inspection.village_id, period.year, period.last_month),
            pending_publication=facts.closed(inspection.village_id, period.year, period.last_month),
        )
        pending = _apply_decisions(row, decisions[inspection.id], user.id)
        before = {f.code: f.met for f in findings}
        if pending is not None:
            proposed = pending.findings or {}
            row.proposed_changes = [Change(f.code, bool(proposed[f.code])) for f in findings
                                    if f.code in proposed and bool(proposed[f.code]) != f.met]
        for revision_id, original in revisions.items():
            if original == inspection.id:
                row.changed = [Change(i.code, i.met) for i in items[revision_id] if before.get(i.code) != i.met]
        households[row.dom_id] = HouseholdOf(household_id, inspection.village_id)
        rows.append(row)
    return rows


def load_rows(user: User, keys: list[tuple[str, int]], today: date,
              read_only_villages: set[int] | frozenset[int] = frozenset()) -> list[QueueRow]:
    """The rows for these (kind, id) pairs, in the given order (read-only in `read_only_villages`)."""
    facts, households = _VillageFacts(today), {}
    entry_ids = [i for kind, i in keys if kind == "entry"]
    inspection_ids = [i for kind, i in keys if kind == "inspection"]
    rows = (_entry_rows(user, entry_ids, facts, households) if entry_ids else []) + \
        (_inspection_rows(user, inspection_ids, facts, households) if inspection_ids else [])
    if rows:
        facts.month_points(rows, households)
    for row in rows:
        row.read_only = households[row.dom_id].village_id in read_only_villages
    by_key = {(row.kind, row.id): row for row in rows}
    return [by_key[key] for key in keys if key in by_key]
