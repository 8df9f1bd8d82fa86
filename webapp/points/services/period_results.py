"""A village's results for a period, as a closing freezes them: each participating household's
points, its year-to-date total, and its shared rank (the year by the scheme's annual basis)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from webapp.core.periods import Period
from webapp.extensions import db
from webapp.people.models.geo import VillageGroup
from webapp.people.models.household import Household
from webapp.points.domain import ledger
from webapp.points.domain.ranking import rank
from webapp.points.domain.scheme import ZERO
from webapp.points.domain.statement import statement_for
from webapp.points.services.points import VillageYear


@dataclass(frozen=True)
class ResultRow:
    household_id: int
    name: str
    group: str
    resident: bool
    points: Decimal  # the period's score (for a year: by the annual basis)
    cumulative: Decimal  # the sum of the year's month totals up to the period's end
    rank: int


def period_results(village_id: int, period: Period, basis: str = "sum") -> list[ResultRow]:
    """Every participating household's score, year-to-date total and shared rank, best first."""
    households = db.session.execute(
        select(Household.id, Household.head_name, VillageGroup.name.label("group_name"), Household.resident,
               Household.enrolled_on, Household.left_on)
        .outerjoin(VillageGroup, VillageGroup.id == Household.group_id)
        .where(Household.village_id == village_id, Household.eligible.is_(True))
    ).all()
    data = VillageYear(village_id, period.year, period.last_month)
    scores: dict[int, Decimal] = {}
    cumulative: dict[int, Decimal] = {}
    for hh in households:
        months = data.months(hh.id)
        totals = {m.month: m.total for m in months}
        cumulative[hh.id] = sum(totals.values(), ZERO)
        if period.kind == "year" and basis == "monthly_average":
            enrolled = ledger.months_enrolled(period.year, hh.enrolled_on, hh.left_on, period.last_month)
            scores[hh.id] = ledger.annual_score(basis, totals, enrolled)
        else:
            scores[hh.id] = statement_for(period, months).total if months else ZERO
    ranks = {r.key: r.rank for r in rank(scores.items())}
    rows = [ResultRow(hh.id, hh.head_name, hh.group_name or "", bool(hh.resident), scores[hh.id], cumulative[hh.id],
                      ranks[hh.id]) for hh in households]
    return sorted(rows, key=lambda r: (r.rank, r.name, r.household_id))
