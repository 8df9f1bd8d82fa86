"""What a close counted: the filter that lets VillageYear load a village's items as a closing saw them.

A close counts every counted entry and inspection then in the database; claim_items then gives the
period's own and the late ones of earlier closed months its publication id (ids grow with closing
order). So what publication P counted is: the items claimed by P or an earlier publication, plus the
counted items still unclaimed in months before P's period that no publication up to P had closed
(a month never closed keeps its items unclaimed; what arrives later for it cannot be told apart).
An unclaimed item of a month P or an earlier publication covers arrived after P's close: left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.sql.elements import ColumnElement

from webapp.core.periods import Period, keys_ending_in
from webapp.extensions import db
from webapp.points.models.entry import Entry, Inspection
from webapp.points.models.figures import PeriodFigure


@dataclass(frozen=True)
class AsOf:
    """The SQL conditions that keep a village's entries and inspections to those a close counted."""

    entries: ColumnElement[bool]
    inspections: ColumnElement[bool]


# Publications whose figures are being stored for the first time (`jifen totals store`): their period's
# first month (YYYYMM), which would otherwise come from their stored figures.
_STORING: dict[int, int] = {}


@contextmanager
def storing(publication_id: int, period: Period) -> Iterator[None]:
    """While a publication's figures are computed before any is stored, tell counted_by its period."""
    _STORING[publication_id] = period.year * 100 + period.first_month
    try:
        yield
    finally:
        _STORING.pop(publication_id, None)


def counted_by(village_id: int, publication_id: int) -> AsOf:
    """Conditions for the items publication `publication_id` of the village counted when it closed."""
    covered: dict[int, tuple[int, int]] = {}  # publication → its first and last month (YYYYMM)
    for pub, first, last in db.session.execute(
        select(PeriodFigure.publication_id, PeriodFigure.first_month, PeriodFigure.last_month)
        .where(PeriodFigure.village_id == village_id, PeriodFigure.publication_id <= publication_id).distinct()
    ):
        covered[pub] = (first, last)
    first_of_period = covered[publication_id][0] if publication_id in covered else _STORING.get(publication_id, 0)
    closed = {m for first, last in covered.values() for m in range(first, last + 1) if 1 <= m % 100 <= 12}
    # Unclaimed months before the period, in its year, that no close up to this one covered.
    year = first_of_period // 100
    open_before = [m for m in range(year * 100 + 1, first_of_period) if m not in closed]
    open_keys = sorted(keys_ending_in(divmod(m, 100) for m in open_before))
    # An inspection period longer than a month is open before the period only if all its months are.
    open_set = set(open_before)
    open_keys = [k for k in open_keys if all(y * 100 + m in open_set for y, m in Period.parse(k).months())]
    unclaimed_inspections = and_(Inspection.publication_id.is_(None), Inspection.period.in_(open_keys))
    return AsOf(
        entries=or_(Entry.publication_id <= publication_id,
                    and_(Entry.publication_id.is_(None), Entry.occurred_month.in_(open_before))),
        inspections=or_(Inspection.publication_id <= publication_id, unclaimed_inspections),
    )
