"""A village's results for a period, as a closing freezes them: each participating household's
points, its year-to-date total, and its shared rank (the year by the scheme's annual basis).
A household is ranked for a period it took part in for at least a day (enrolled_on, left_on)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from webapp.core.periods import Period
from webapp.extensions import db
from webapp.people.models.geo import VillageGroup
from webapp.people.models.household import Household, participating_in
from webapp.points.domain import ledger
from webapp.points.domain.ranking import rank
from webapp.points.domain.scheme import ZERO
from webapp.points.domain.statement import PeriodStatement, format_points, statement_for
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
    # What a close stores besides (webapp/points/models/figures.py): the period's totals, what it adds
    # to the earned ledger, and its lines' summary.
    base: Decimal = ZERO
    bonus: Decimal = ZERO
    deduction: Decimal = ZERO
    total: Decimal = ZERO
    earned: Decimal = ZERO
    lines: tuple[dict[str, Any], ...] = ()


def period_results(village_id: int, period: Period, basis: str = "sum",
                   progress: Callable[[int, int], None] | None = None,
                   as_of_publication: int | None = None) -> list[ResultRow]:
    """Every participating household's score, year-to-date total, shared rank and totals, best first;
    `progress(done, total)` is told after each household (a job's progress page shows it). With
    `as_of_publication`, from only what that publication's close counted (`jifen totals verify`)."""
    households = db.session.execute(
        select(Household.id, Household.head_name, VillageGroup.name.label("group_name"), Household.resident,
               Household.enrolled_on, Household.left_on)
        .outerjoin(VillageGroup, VillageGroup.id == Household.group_id)
        .where(Household.village_id == village_id, participating_in(period.start, period.end))
    ).all()
    data = VillageYear(village_id, period.year, period.last_month, as_of_publication=as_of_publication)
    scores: dict[int, Decimal] = {}
    cumulative: dict[int, Decimal] = {}
    statements: dict[int, tuple[PeriodStatement | None, Decimal]] = {}
    for done, hh in enumerate(households, start=1):
        months = data.months(hh.id)
        # Earned, not the months' own totals: an averaged base counts once over its base period.
        totals = {m.month: m.earned for m in months}
        cumulative[hh.id] = sum(totals.values(), ZERO)
        statement = statement_for(period, months) if months else None
        statements[hh.id] = (statement, sum((e for m, e in totals.items() if m >= period.first_month), ZERO))
        if period.kind == "year" and basis == "monthly_average":
            enrolled = ledger.months_enrolled(period.year, hh.enrolled_on, hh.left_on, period.last_month)
            scores[hh.id] = ledger.annual_score(basis, totals, enrolled)
        else:
            scores[hh.id] = statement.total if statement else ZERO
        if progress is not None:
            progress(done, len(households))
    ranks = {r.key: r.rank for r in rank(scores.items())}
    rows = []
    for hh in households:
        statement, earned = statements[hh.id]
        totals = (statement.base, statement.bonus, statement.deduction, statement.total) if statement else (ZERO,) * 4
        rows.append(ResultRow(hh.id, hh.head_name, hh.group_name or "", bool(hh.resident), scores[hh.id],
                              cumulative[hh.id], ranks[hh.id], hh.left_on is None or hh.left_on >= period.end,
                              *totals, earned, _lines_summary(statement) if statement else ()))
    return sorted(rows, key=lambda r: (r.rank, r.name, r.household_id))


def _lines_summary(statement: PeriodStatement) -> tuple[dict[str, Any], ...]:
    """Per item: how many times it counted and its points (strings: JSON keeps them exact)."""
    # h3: summed from the rows, as the lines would add up (a year's lines cost a close seconds).
    return tuple({"item": code, "count": count, "points": format_points(points)}
                 for code, (count, points) in statement.item_totals().items())
