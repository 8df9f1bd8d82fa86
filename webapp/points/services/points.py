"""Points of households: load entries and inspections, call the engine, rank.

The loading, aggregated in SQL, is village_year.py's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from webapp.core.collector import quiet_collector
from webapp.core.periods import Period
from webapp.extensions import db
from webapp.people.models.household import Household, Member, participating_in
from webapp.points.domain import ledger
from webapp.points.domain.ranking import rank
from webapp.points.domain.statement import MonthStatement, PeriodStatement, statement_for
from webapp.points.models.entry import Entry, Freeze
from webapp.points.services.figures import closing_publication, stored_ranking, year_earned
from webapp.points.services.ranking_cache import cached_ranking
from webapp.points.services.schemes import timeline
from webapp.points.services.village_year import VillageYear

ZERO = Decimal(0)


@dataclass
class HouseholdPoints:
    """Everything the household page and its JSON show: the explanation and the ledgers."""

    household: Household
    period: Period
    statement: PeriodStatement
    rank: int | None
    ranked_households: int
    earned_year: Decimal
    annual_score: Decimal | None
    annual_basis: str
    spendable: Decimal
    balance_policy: str
    frozen: Freeze | None
    member_names: dict[int, str]
    scheme_name: str | None


def village_explanations(village_id: int, period: Period) -> dict[int, MonthStatement | PeriodStatement]:
    """The explained statement of each household that took part in the period for at least a day
    (a month's is the engine's own)."""
    households = db.session.scalars(select(Household.id).where(
        Household.village_id == village_id, participating_in(period.start, period.end))).all()
    only_month = period.index if period.kind == "month" else None
    data = VillageYear(village_id, period.year, period.last_month, only_month=only_month)
    if only_month:
        return {hh: data.months(hh)[-1] for hh in households} if data.timeline else {}
    return {hh: statement_for(period, data.months(hh)) for hh in households}


def village_ranking(village_id: int, period: Period) -> tuple[dict[int, int], dict[int, Decimal]]:
    """Ranks (shared on ties) and scores of a village's participating households for a period: a
    closed period's as its close stored them, an open one's computed once per change of the village."""
    stored = stored_ranking(village_id, period)
    if stored is not None:
        return stored
    return cached_ranking(village_id, period, lambda: computed_ranking(village_id, period))


def computed_ranking(village_id: int, period: Period) -> tuple[dict[int, int], dict[int, Decimal]]:
    """The ranking computed from the entries (what a close stores, and what verify compares)."""
    with quiet_collector():  # h3: no collector pass over a village's tallies (webapp/core/collector.py)
        explanations = village_explanations(village_id, period)
    scores = {hh: statement.total for hh, statement in explanations.items()}
    if period.kind == "year":
        scores = _annual_scores(village_id, period, explanations)
    ranked = rank(scores.items())
    return {r.key: r.rank for r in ranked}, scores


def _annual_scores(village_id: int, period: Period, explanations: dict) -> dict[int, Decimal]:
    """A year ranks by the scheme's basis: the sum, or the average over the months enrolled."""
    current = timeline(village_id)
    if not current:
        return {hh: st.total for hh, st in explanations.items()}
    basis = current.rules_for_month(period.year, 12).policies.annual_rank_basis
    if basis == "sum":
        return {hh: st.total for hh, st in explanations.items()}
    enrolment = {hh: (on, left) for hh, on, left in db.session.execute(
        select(Household.id, Household.enrolled_on, Household.left_on).where(Household.village_id == village_id)
    )}
    scores = {}
    for hh, st in explanations.items():
        months = {m.month: m.earned for m in st.months}
        enrolled = ledger.months_enrolled(period.year, *enrolment[hh], period.last_month)
        scores[hh] = ledger.annual_score(basis, months, enrolled)
    return scores


def household_points(household: Household, period: Period, today: date,
                     spends: list[ledger.Spend]) -> HouseholdPoints:
    """The explained statement of a household for a period, with its rank and ledgers; `spends` are
    its redemptions (the store's ledger knows them: webapp/store/services/ledger.py)."""
    # A closed period explains what its close counted, so the lines add up to the published totals
    # and rank (a late item shows in the next publication, and in the earned ledger at once).
    data = VillageYear(household.village_id, period.year, period.last_month, household_ids=[household.id],
                       as_of_publication=closing_publication(household.village_id, period))
    statement = statement_for(period, data.months(household.id))
    ranks, scores = village_ranking(household.village_id, period)
    rules = data.rules_for_month(period.year, period.last_month) if data.timeline else None
    basis = rules.policies.annual_rank_basis if rules else "sum"
    balance = rules.policies.balance if rules else "carry_over"
    month_totals = household_month_totals(household, today)
    earned_year = sum((t for (y, _), t in month_totals.items() if y == period.year), ZERO)
    members = {mid: name for mid, name in db.session.execute(
        select(Member.id, Member.name).where(Member.household_id == household.id))}
    return HouseholdPoints(
        household=household, period=period, statement=statement,
        rank=ranks.get(household.id), ranked_households=len(ranks),
        earned_year=earned_year,
        annual_score=scores.get(household.id) if period.kind == "year" else None,
        annual_basis=basis,
        spendable=ledger.spendable_balance(balance, month_totals, spends, today),
        balance_policy=balance, frozen=active_freeze(household.id, today), member_names=members,
        scheme_name=rules.name if rules else None,
    )


def household_month_totals(household: Household, today: date) -> dict[tuple[int, int], Decimal]:
    """Earned points of each month of every year the household has points in, up to today (for the
    ledgers; a month's earned points are its total unless its base is averaged: base_period.py)."""
    first = db.session.scalar(select(func.min(Entry.occurred_on)).where(Entry.household_id == household.id))
    start_year = min(y for y in (first.year if first else today.year, household.enrolled_on.year
                                 if household.enrolled_on else today.year, today.year))
    totals: dict[tuple[int, int], Decimal] = {}
    for year in range(start_year, today.year + 1):
        # Closed months as their closes stored them while nothing came in late (figures.py: year_earned).
        totals.update(year_earned(household, year, 12 if year < today.year else today.month))
    return totals


def active_freeze(household_id: int, today: date) -> Freeze | None:
    """The redemption freeze in force today, if any."""
    freezes = db.session.scalars(select(Freeze).where(Freeze.household_id == household_id)).all()
    active = ledger.active_freeze(
        [ledger.Freeze(starts_on=f.starts_on, ends_on=f.ends_on, reason=f.reason) for f in freezes], today
    )
    return next((f for f in freezes if active and f.starts_on == active.starts_on and f.reason == active.reason), None)
