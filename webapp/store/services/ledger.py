"""A household's balance at the store counter: earned points (which no redemption changes) and
spendable points (earned − redeemed, by the balance policy in force today), with any freeze.

The spendable figure is the household's running account's (store/services/accounts.py) when it is
current, so the counter, the reservation page and the 积分明细 show the balance a redemption checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from webapp.people.models.household import Household
from webapp.points.models.entry import Freeze
from webapp.points.services.points import active_freeze
from webapp.store.services.accounts import current_balance
from webapp.store.services.earned import Earned, earned_fingerprint, household_earned, household_spends

__all__ = ["Earned", "Ledger", "earned_fingerprint", "household_earned", "household_ledger", "household_spends",
           "spendable"]

ZERO = Decimal(0)


@dataclass
class Ledger:
    """What the counter shows and checks: earned this year, spendable now, any freeze."""

    earned_year: Decimal
    spendable: Decimal
    balance_policy: str
    frozen: Freeze | None
    yuan_per_point: Decimal


def spendable(earned: Earned, household: Household, today: date) -> Decimal:
    """Earned − redeemed (net of returns), over the window the balance policy keeps: the account's."""
    return current_balance(household, today, earned)


def household_ledger(household: Household, today: date) -> Ledger:
    """The household's ledgers as the counter shows them."""
    earned = household_earned(household, today)
    return Ledger(
        earned_year=sum((t for (y, _), t in earned.month_totals.items() if y == today.year), ZERO),
        spendable=spendable(earned, household, today), balance_policy=earned.policy,
        frozen=active_freeze(household.id, today), yuan_per_point=earned.yuan_per_point,
    )
