"""Each village's points version: a counter that moves, in the writing transaction, whenever something
the village's open ranking is computed from changes, so a ranking computed once is good until then
(webapp/points/services/ranking_cache.py).

What moves it, seen at every ORM flush (a listener on every Session, registered when this module is
imported; webapp/points/services/ranking_cache.py imports it, and points.py imports that, so every
app and script that touches points has it):
- a counted entry or inspection added or deleted, or an entry's or inspection's status or quantity
  changed to or from a counted one (a review decision, a correction, a late item approved);
- an inspection item added to a counted inspection;
- a scheme version imported (new rules);
- a household added, moved, or its enrolment dates or eligibility changed (who takes part).
Bulk Core INSERTs bypass the ORM: the sync ingest writes only "recorded" items, which count only once
a reviewer decides them (through the ORM). A script that bulk-loads counted items calls `bump`.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from webapp.extensions import db
from webapp.people.models.household import Household
from webapp.points.domain.entry_states import COUNTED_STATUSES
from webapp.points.models.entry import Entry, Inspection, InspectionItem
from webapp.points.models.figures import VillagePointsVersion
from webapp.points.models.scheme import Scheme, SchemeVersion

_HOUSEHOLD_FIELDS = ("village_id", "enrolled_on", "left_on", "eligible", "resident")
# Besides the status: what else of a counted entry or inspection changes what it adds to whom.
_COUNTING_FIELDS = {Entry: ("quantity", "household_id", "occurred_month"), Inspection: ("household_id", "period")}


def village_version(village_id: int) -> int:
    """The village's points version now (0 before anything moved it)."""
    return db.session.scalar(select(VillagePointsVersion.version)
                             .where(VillagePointsVersion.village_id == village_id)) or 0


def bump(session: Session, village_ids: Iterable[int]) -> None:
    """Move the versions of these villages by one, in the session's transaction. One upsert each,
    which cannot fail under two writers (the row is created by whichever comes first, the other's
    conflict turns into the increment); villages in id order, so two writers never deadlock. A new
    row starts at a random number, not 1: a village emptied and made again (a restored backup, the
    tests' wiped tables, where ids come back) never meets a ranking cached for its earlier self."""
    connection = session.connection()
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    table = VillagePointsVersion.__table__
    for village_id in sorted(set(village_ids)):
        statement = dialect.insert(table).values(village_id=village_id, version=random.randint(1, 2**30))
        connection.execute(statement.on_conflict_do_update(
            index_elements=[table.c.village_id], set_={"version": table.c.version + 1}))


def _counted(status: Any) -> bool:
    return status in COUNTED_STATUSES


def _changed_counting(obj: Entry | Inspection, fields: tuple[str, ...]) -> bool:
    """An update that may change what counts: a status to or from a counted one, or a quantity."""
    state = inspect(obj)
    status = state.attrs.status.history
    if status.has_changes() and any(_counted(s) for s in (*status.added, *status.deleted)):
        return True
    return any(state.attrs[name].history.has_changes() for name in fields) and _counted(obj.status)


def affected_villages(session: Session) -> set[int]:
    """The villages whose open ranking the session's pending changes may change."""
    villages: set[int] = set()
    for obj in session.new:
        if isinstance(obj, (Entry, Inspection)) and _counted(obj.status):
            villages.add(obj.village_id)
        elif isinstance(obj, InspectionItem):
            villages.update(_inspection_village(session, obj))
        elif isinstance(obj, SchemeVersion):
            villages.update(_scheme_village(session, obj))
        elif isinstance(obj, Household):
            villages.add(obj.village_id)
    for obj in session.dirty:
        if isinstance(obj, (Entry, Inspection)) and _changed_counting(obj, _COUNTING_FIELDS[type(obj)]):
            villages.add(obj.village_id)
        elif isinstance(obj, Household):
            state = inspect(obj)
            if any(state.attrs[name].history.has_changes() for name in _HOUSEHOLD_FIELDS):
                villages.add(obj.village_id)
                villages.update(v for v in state.attrs.village_id.history.deleted if v is not None)
    for obj in session.deleted:
        if isinstance(obj, (Entry, Inspection)) and _counted(obj.status) or isinstance(obj, Household):
            villages.add(obj.village_id)
    villages.discard(None)  # type: ignore[arg-type]
    return villages


def _inspection_village(session: Session, item: InspectionItem) -> set[int]:
    inspection = item.inspection if "inspection" in item.__dict__ else None
    if inspection is None and item.inspection_id is not None:
        with session.no_autoflush:
            inspection = session.get(Inspection, item.inspection_id)
    return {inspection.village_id} if inspection is not None and _counted(inspection.status) else set()


def _scheme_village(session: Session, version: SchemeVersion) -> set[int]:
    scheme = version.scheme if "scheme" in version.__dict__ else None
    if scheme is None and version.scheme_id is not None:
        with session.no_autoflush:
            scheme = session.get(Scheme, version.scheme_id)
    return {scheme.village_id} if scheme is not None else set()


@event.listens_for(Session, "before_flush")
def _bump_changed_villages(session: Session, _context: Any, _instances: Any) -> None:
    if not (session.new or session.dirty or session.deleted):
        return
    villages = affected_villages(session)
    if villages:
        bump(session, villages)
