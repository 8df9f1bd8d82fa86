"""A household's earned points as the store sees them: the month totals the rules engine gives, the
balance policy in force, a cheap fingerprint of what they depend on, and its redemptions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import bindparam, func, select

from webapp.extensions import db
from webapp.people.models.household import Household
from webapp.points.domain import ledger
from webapp.points.domain.entry_states import COUNTED_STATUSES
from webapp.points.models.entry import Entry, Inspection
from webapp.points.models.scheme import Scheme, SchemeVersion
from webapp.points.services.points import household_month_totals
from webapp.points.services.schemes import timeline
from webapp.store.models import Redemption, RedemptionReturn


@dataclass(frozen=True)
class Earned:
    """What the rules engine makes of a household's entries; redemptions never change it."""

    month_totals: dict[tuple[int, int], Decimal]
    policy: str  # the balance policy in force today
    yuan_per_point: Decimal
    fingerprint: tuple[int | None, ...]  # see earned_fingerprint


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
    return tuple(db.session.execute(FINGERPRINT, {"household": household_id, "village": village_id}).one())


def _fingerprint_query():  # noqa: ANN202 - built once: the counter asks under the lock, every time
    def counted(model):  # noqa: ANN001, ANN202
        where = (model.household_id == bindparam("household"), model.status.in_(sorted(COUNTED_STATUSES)))
        return (select(func.count(model.id)).where(*where).scalar_subquery(),
                select(func.max(model.id)).where(*where).scalar_subquery())

    newest_rules = (select(func.max(SchemeVersion.id)).join(Scheme, Scheme.id == SchemeVersion.scheme_id)
                    .where(Scheme.village_id == bindparam("village")).scalar_subquery())
    return select(*counted(Entry), *counted(Inspection), newest_rules)


FINGERPRINT = _fingerprint_query()


def household_spends(household_id: int) -> list[ledger.Spend]:
    """The household's redemptions at any store, each on its day; a reversed one spends nothing."""
    rows = db.session.execute(
        select(Redemption.redeemed_on, Redemption.total_points)
        .outerjoin(RedemptionReturn, RedemptionReturn.redemption_id == Redemption.id)
        .where(Redemption.household_id == household_id, RedemptionReturn.id.is_(None))
    )
    return [ledger.Spend(on=on, points=Decimal(points)) for on, points in rows]
