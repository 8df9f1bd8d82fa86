"""A village's results for a period, as a closing freezes them: each participating household's
points, its year-to-date total, and its shared rank (the year by the scheme's annual basis).
A household is ranked for a period it took part in for at least a day (enrolled_on, left_on)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from webapp.core.periods import Period
from webapp.extensions import db
from webapp.people.models.geo import VillageGroup
from webapp.people.models.household import Household, participating_in
from webapp.points.domain import ledger
from webapp.points.domain.ranking import rank
from webapp.points.domain.scheme import ZERO
from webapp.points.domain.statement import statement_for
from webapp.points.services.village_year import VillageYear


@dataclass(frozen=True)
class ResultRow:
    household_id: int
    name: str
    group: str
    resident: bool
    points: Decimal  # the period's score (for a year: by the annual basis)
    cumulative: Decimal  # the sum of the year's month totals up to the period's end
    rank: int
    # Still taking part on the period's last day (left_on unset or after it): a household that stopped
    # during a year is ranked for it but wins no prize and is not counted for the prize places.
    stayed: bool = True


def period_results(village_id: int, period: Period, basis: str = "sum",
                   progress: Callable[[int, int], None] | None = None) -> list[ResultRow]:
    """Every participating household's score, year-to-date total and shared rank, best first;
    `progress(done, total)` is told after each household (a job's progress page shows it)."""
    households = db.session.execute(
        select(Household.id, Household.head_name, VillageGroup.name.label("group_name"), Household.resident,
               Household.enrolled_on, Household.left_on)
        .outerjoin(VillageGroup, VillageGroup.id == Household.group_id)
        .where(Household.village_id == village_id, participating_in(period.start, period.end))
    ).all()
    data = VillageYear(village_id, period.year, period.last_month)
    scores: dict[int, Decimal] = {}
    cumulative: dict[int, Decimal] = {}
    for done, hh in enumerate(households, start=1):
        months = data.months(hh.id)
        # Earned, not the months' own totals: an averaged base counts once over its base period.
        totals = {m.month: m.earned for m in months}
        cumulative[hh.id] = sum(totals.values(), ZERO)
        if period.kind == "year" and basis == "monthly_average":
            enrolled = ledger.months_enrolled(period.year, hh.enrolled_on, hh.left_on, period.last_month)
            scores[hh.id] = ledger.annual_score(basis, totals, enrolled)
        else:
            scores[hh.id] = statement_for(period, months).total if months else ZERO
        if progress is not None:
            progress(done, len(households))
    ranks = {r.key: r.rank for r in rank(scores.items())}
    rows = [ResultRow(hh.id, hh.head_name, hh.group_name or "", bool(hh.resident), scores[hh.id], cumulative[hh.id],
                      ranks[hh.id], hh.left_on is None or hh.left_on >= period.end) for hh in households]
    return sorted(rows, key=lambda r: (r.rank, r.name, r.household_id))
