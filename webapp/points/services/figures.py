"""Stored figures of closed periods: written by the close, read instead of recomputing.

A close stores each participating household's figures (period_figure); what arrives for a closed
period later goes into the next publication, so a closed period's ranking and totals are read, never
recomputed (`jifen totals verify` recomputes them: figures_verify.py). The earned ledger reads a
closed month only while the household's count of counted items in it is what the close saw.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import delete, func, select

from webapp.core.periods import Period, keys_ending_in
from webapp.extensions import db
from webapp.people.models.household import Household
from webapp.points.domain.entry_states import COUNTED_STATUSES
from webapp.points.models.entry import Entry, Inspection
from webapp.points.models.figures import PeriodFigure
from webapp.points.services.figures_as_of import counted_by
from webapp.points.services.period_results import ResultRow
from webapp.points.services.village_year import VillageYear


@dataclass(frozen=True)
class PeriodTotals:
    """A household's stored totals of a closed period."""

    base: Decimal
    bonus: Decimal
    deduction: Decimal
    total: Decimal
    earned: Decimal
    points: Decimal  # the ranking score (a year: by the scheme's annual basis)
    cumulative: Decimal
    rank: int


def _yyyymm(year: int, month: int) -> int:
    return year * 100 + month


def counted_items(village_id: int, months: Iterable[tuple[int, int]], household_ids: list[int] | None = None,
                  as_of_publication: int | None = None) -> dict[tuple[int, int], int]:
    """(household, YYYYMM) → its counted entries and inspections (every revision) counting in that month."""
    months = list(months)
    counts: dict[tuple[int, int], int] = {}
    as_of = counted_by(village_id, as_of_publication) if as_of_publication is not None else None
    numbers = sorted(_yyyymm(*m) for m in months)
    if not numbers:
        return counts
    # A range, then the months asked: one index range (a household's, or the village's months).
    entries = (select(Entry.household_id, Entry.occurred_month, func.count())
               .where(Entry.occurred_month.between(numbers[0], numbers[-1]), Entry.status.in_(COUNTED_STATUSES))
               .group_by(Entry.household_id, Entry.occurred_month))
    inspections = (select(Inspection.household_id, Inspection.period, func.count())
                   .where(Inspection.village_id == village_id, Inspection.period.in_(keys_ending_in(months)),
                          Inspection.status.in_(COUNTED_STATUSES))
                   .group_by(Inspection.household_id, Inspection.period))
    if household_ids is not None:  # the households' own index, not the village's months
        entries = entries.where(Entry.household_id.in_(household_ids))
        inspections = inspections.where(Inspection.household_id.in_(household_ids))
    else:
        entries = entries.where(Entry.village_id == village_id)
    if as_of is not None:
        entries, inspections = entries.where(as_of.entries), inspections.where(as_of.inspections)
    wanted = set(numbers)
    for hh, month, n in db.session.execute(entries):
        if month in wanted:
            counts[(hh, month)] = counts.get((hh, month), 0) + n
    for hh, key, n in db.session.execute(inspections):
        period = Period.parse(key)
        month = _yyyymm(period.year, period.last_month)  # an inspection counts in the month its period ends
        counts[(hh, month)] = counts.get((hh, month), 0) + n
    return counts


def figure_rows(publication_id: int, village_id: int, period: Period, rows: list[ResultRow],
                as_of_publication: int | None = None) -> list[PeriodFigure]:
    """The period_figure rows of a close (not added to the session)."""
    counts = counted_items(village_id, period.months(), as_of_publication=as_of_publication)
    months = [_yyyymm(*m) for m in period.months()]
    return [PeriodFigure(
        publication_id=publication_id, village_id=village_id, household_id=r.household_id, period=period.key,
        kind=period.kind, first_month=months[0], last_month=months[-1], base=r.base, bonus=r.bonus,
        deduction=r.deduction, total=r.total, earned=r.earned, points=r.points, cumulative=r.cumulative,
        rank=r.rank, counted=sum(counts.get((r.household_id, m), 0) for m in months), lines=list(r.lines),
    ) for r in rows]


def store_figures(publication_id: int, village_id: int, period: Period, rows: list[ResultRow],
                  as_of_publication: int | None = None) -> int:
    """Store a closed period's figures (replacing any the publication had); returns how many."""
    db.session.execute(delete(PeriodFigure).where(PeriodFigure.publication_id == publication_id))
    figures = figure_rows(publication_id, village_id, period, rows, as_of_publication)
    db.session.add_all(figures)
    db.session.flush()
    return len(figures)


def stored_ranking(village_id: int, period: Period) -> tuple[dict[int, int], dict[int, Decimal]] | None:
    """Ranks and scores of a closed period as its close stored them; None when none are stored."""
    rows = db.session.execute(select(PeriodFigure.household_id, PeriodFigure.rank, PeriodFigure.points).where(
        PeriodFigure.village_id == village_id, PeriodFigure.period == period.key)).all()
    if not rows:
        return None
    return {hh: r for hh, r, _ in rows}, {hh: Decimal(p) for hh, _, p in rows}


def stored_totals(village_id: int, period: Period,
                  household_ids: list[int] | None = None) -> dict[int, PeriodTotals] | None:
    """household → its stored totals of a closed period; None when none are stored (the period is open)."""
    query = select(PeriodFigure).where(PeriodFigure.village_id == village_id, PeriodFigure.period == period.key)
    if household_ids is not None:
        if not db.session.scalar(select(PeriodFigure.id).where(
                PeriodFigure.village_id == village_id, PeriodFigure.period == period.key).limit(1)):
            return None
        query = query.where(PeriodFigure.household_id.in_(household_ids))
    rows = db.session.scalars(query).all()
    if not rows and household_ids is None:
        return None
    return {f.household_id: PeriodTotals(Decimal(f.base), Decimal(f.bonus), Decimal(f.deduction), Decimal(f.total),
                                         Decimal(f.earned), Decimal(f.points), Decimal(f.cumulative), f.rank)
            for f in rows}


def stored_year_totals(village_id: int, year: int) -> dict[int, PeriodTotals] | None:
    """A closed year's stored totals per household (the town's evaluation reads these); None if open."""
    return stored_totals(village_id, Period.whole_year(year))


def stored_month_earned(household_id: int, year: int) -> dict[int, tuple[Decimal, int]]:
    """month → (earned, counted) of the household's closed months of a year, as their closes stored them."""
    rows = db.session.execute(select(PeriodFigure.first_month, PeriodFigure.earned, PeriodFigure.counted).where(
        PeriodFigure.household_id == household_id, PeriodFigure.kind == "month",
        PeriodFigure.first_month.between(_yyyymm(year, 1), _yyyymm(year, 12)))).all()
    return {month % 100: (Decimal(earned), counted) for month, earned, counted in rows}


def closing_publication(village_id: int, period: Period) -> int | None:
    """The id of the publication whose close stored the period's figures, if it is closed."""
    return db.session.scalar(select(PeriodFigure.publication_id).where(
        PeriodFigure.village_id == village_id, PeriodFigure.period == period.key).limit(1))


class _OpenMonths(VillageYear):
    """VillageYear from `only_month` to the end, with the year's inspections from January: a month's
    earned points need its base period's earlier inspections (base_period.py), tallies do not."""

    def _load_inspections(self, household_ids, only_month):
        super()._load_inspections(household_ids, None)


def year_earned(household: Household, year: int, through: int) -> dict[tuple[int, int], Decimal]:
    """(year, month) → earned points of January..through: stored where exact, computed otherwise."""
    stored = {m: figure for m, figure in stored_month_earned(household.id, year).items() if m <= through}
    run = _closed_run(household, year, stored)
    if run is None:
        return _computed(household, year, 1, through)
    first, last = run
    totals = _computed(household, year, 1, first - 1) if first > 1 else {}
    totals.update({(year, m): stored[m][0] for m in range(first, last + 1)})
    if last < through:
        totals.update(_computed(household, year, last + 1, through))
    return totals


def _closed_run(household: Household, year: int, stored: dict[int, tuple[Decimal, int]]) -> tuple[int, int] | None:
    """The first unbroken run of closed months that can be read as stored, or None (compute the year).

    Readable while each month's counted items number what its close counted, and the months before
    the run have none (an unclosed month's items are never claimed, so one that came in after the
    close could not be told apart, and a year-scoped one would change the run's months)."""
    if not stored:
        return None
    first = last = min(stored)
    while last + 1 in stored:
        last += 1
    now = counted_items(household.village_id, [(year, m) for m in range(1, last + 1)], [household.id])
    for month in range(1, last + 1):
        expected = stored[month][1] if month >= first else 0
        if now.get((household.id, year * 100 + month), 0) != expected:
            return None  # a late item came in: the whole year as today
    return first, last


def _computed(household: Household, year: int, first: int, through: int) -> dict[tuple[int, int], Decimal]:
    """Earned points of months first..through computed from the entries (earlier months folded in)."""
    if first > 1:
        data: VillageYear = _OpenMonths(household.village_id, year, through, household_ids=[household.id],
                                        only_month=first)
    else:
        data = VillageYear(household.village_id, year, through, household_ids=[household.id])
    return {(year, month.month): month.earned for month in data.months(household.id)}
