"""A household's points as its page and its JSON show them: the statement and rank from the points
capability, the spendable balance net of what it redeemed at the store."""

from __future__ import annotations

from datetime import date

from webapp.core.periods import Period
from webapp.people.models.household import Household
from webapp.points.services.points import HouseholdPoints, household_points as points_with_spends
from webapp.store.services.ledger import household_spends


def household_points(household: Household, period: Period, today: date) -> HouseholdPoints:
    """The explained statement for a period, its rank, and the ledgers (earned; spendable)."""
    return points_with_spends(household, period, today, household_spends(household.id))
