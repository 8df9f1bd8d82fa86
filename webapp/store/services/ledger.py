"""A household's balance at the store counter: earned points (which no redemption changes) and
spendable points (earned − redeemed, by the balance policy in force today), with any freeze."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import bindparam, func, select

from webapp.extensions import db
from webapp.people.models.household import Household
from webapp.points.domain import ledger
from webapp.points.domain.entry_states import COUNTED_STATUSES
from webapp.points.models.entry import Entry, Freeze, Inspection
from webapp.points.models.scheme import Scheme, SchemeVersion
from webapp.points.services.points import active_freeze, household_month_totals
from webapp.points.services.schemes import timeline
from webapp.store.models import Redemption, RedemptionReturn

ZERO = Decimal(0)


@dataclass(frozen=True)
class Earned:
    """What the rules engine makes of a household's entries; redemptions never change it."""

    month_totals: dict[tuple[int, int], Decimal]
    policy: str  # the balance policy in force today
    yuan_per_point: Decimal
    fingerprint: tuple[int | None, ...]  # see earned_fingerprint


@dataclass
class Ledger:
    """What the counter shows and checks: earned this year, spendable now, any freeze."""

    earned_year: Decimal
    spendable: Decimal
    balance_policy: str
    frozen: Freeze | None
    yuan_per_point: Decimal


def household_earned(household: Household, today: date) -> Earned:
    """Month totals of every year up to today, and the policy that decides what of them is spendable."""
    fingerprint = earned_fingerprint(household.id, household.village_id)
    current = timeline(household.village_id)
    rules = current.rules_for_month(today.year, today.month) if current else None
    return Earned(
        month_totals=household_month_totals(household, today),
        policy=rules.policies.balance if rules else "carry_over",
        yuan_per_point=rules.policies.yuan_per_point if rules else Decimal(1),
        fingerprint=fingerprint,
    )


def earned_fingerprint(household_id: int, village_id: int) -> tuple[int | None, ...]:
    """Changes whenever the earned points may have: a counted entry or inspection added (an entry or
    inspection never stops counting once it counts), or new rules imported. One cheap query, so the
    redemption can compute the earned points before taking the lock and check them under it."""
    return tuple(db.session.execute(_FINGERPRINT, {"household": household_id, "village": village_id}).one())


def _fingerprint_query():  # noqa: ANN202 - built once: the counter asks under the lock, every time
    def counted(model):  # noqa: ANN001, ANN202
        where = (model.household_id == bindparam("household"), model.status.in_(sorted(COUNTED_STATUSES)))
        return (select(func.count(model.id)).where(*where).scalar_subquery(),
                select(func.max(model.id)).where(*where).scalar_subquery())

    newest_rules = (select(func.max(SchemeVersion.id)).join(Scheme, Scheme.id == SchemeVersion.scheme_id)
                    .where(Scheme.village_id == bindparam("village")).scalar_subquery())
    return select(*counted(Entry), *counted(Inspection), newest_rules)


_FINGERPRINT = _fingerprint_query()


def household_spends(household_id: int) -> list[ledger.Spend]:
    """The household's redemptions at any store, each on its day; a reversed one spends nothing."""
    rows = db.session.execute(
        select(Redemption.redeemed_on, Redemption.total_points)
        .outerjoin(RedemptionReturn, RedemptionReturn.redemption_id == Redemption.id)
        .where(Redemption.household_id == household_id, RedemptionReturn.id.is_(None))
    )
    return [ledger.Spend(on=on, points=Decimal(points)) for on, points in rows]


def spendable(earned: Earned, household_id: int, today: date) -> Decimal:
    """Earned − redeemed (net of returns), over the window the balance policy keeps."""
    return ledger.spendable_balance(earned.policy, earned.month_totals, household_spends(household_id), today)


def household_ledger(household: Household, today: date) -> Ledger:
    """The household's ledgers as the counter shows them."""
    earned = household_earned(household, today)
    return Ledger(
        earned_year=sum((t for (y, _), t in earned.month_totals.items() if y == today.year), ZERO),
        spendable=spendable(earned, household.id, today), balance_policy=earned.policy,
        frozen=active_freeze(household.id, today), yuan_per_point=earned.yuan_per_point,
    )
