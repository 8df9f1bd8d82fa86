"""Ledgers: earned stays whole; the spendable balance follows the scheme's balance policy."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from webapp.points.domain.ledger import (
    Freeze,
    Spend,
    active_freeze,
    annual_score,
    earned_in_year,
    months_enrolled,
    spendable_balance,
)

D = Decimal
TOTALS = {(2025, 12): D(50), (2026, 1): D(60), (2026, 2): D(70)}
SPENDS = [Spend(date(2025, 12, 20), D(30)), Spend(date(2026, 1, 20), D(40)),
          Spend(date(2026, 2, 20), D(25)), Spend(date(2026, 2, 27), D(5))]
AS_OF = date(2026, 2, 25)


@pytest.mark.parametrize("policy, expected", [
    ("carry_over", D(85)),      # earned 50 + 60 + 70 = 180, spent 30 + 40 + 25 = 95 (the 27th is after as_of)
    ("reset_yearly", D(65)),    # 2026: earned 60 + 70 = 130, spent 40 + 25 = 65
    ("reset_monthly", D(45)),   # February: earned 70, spent 25
])
def test_spendable_balance_follows_the_balance_policy(policy, expected):
    """Carry-over keeps everything unspent; the resets keep only the year or the month."""
    assert spendable_balance(policy, TOTALS, SPENDS, AS_OF) == expected


def test_spending_never_lowers_the_earned_total():
    """January 60 + February 70 earned = 130, whatever was redeemed."""
    assert earned_in_year({1: D(60), 2: D(70)}) == D(130)


@pytest.mark.parametrize("enrolled_on, left_on, through, expected", [
    (None, None, 12, 12),
    (date(2026, 7, 1), None, 12, 6),      # July–December
    (date(2026, 7, 15), None, 12, 6),     # a part month counts
    (date(2026, 7, 1), None, 9, 3),       # July–September
    (None, date(2026, 3, 1), 12, 2),      # left on 1 March: January and February
    (date(2025, 5, 1), date(2026, 3, 2), 12, 3),
    (date(2027, 1, 1), None, 12, 0),
])
def test_months_enrolled_counts_months_with_at_least_one_enrolled_day(enrolled_on, left_on, through, expected):
    """A month counts if the household was enrolled on any day of it."""
    assert months_enrolled(2026, enrolled_on, left_on, through) == expected


def test_monthly_average_divides_by_the_months_enrolled():
    """Enrolled in July: 100 + 90 + 110 + 95 + 105 + 101 = 601 over 6 months = 100.1666… → 100.17."""
    totals = {7: D(100), 8: D(90), 9: D(110), 10: D(95), 11: D(105), 12: D(101)}
    assert annual_score("monthly_average", totals, months_enrolled(2026, date(2026, 7, 1), None, 12)) == D("100.17")
    assert annual_score("sum", totals, 6) == D(601)
    assert annual_score("monthly_average", {}, 0) == D(0)


def test_a_monthly_average_rounds_half_up():
    """7 / 2 = 3.50; 1.005 / 1 = 1.005 → 1.01 (half up; half even would give 1.00)."""
    assert annual_score("monthly_average", {1: D(7)}, 2) == D("3.50")
    assert annual_score("monthly_average", {1: D("1.005")}, 1) == D("1.01")


def test_the_active_freeze_covers_its_days_inclusive():
    """A freeze from 1 to 31 March is active on both ends and not on 1 April; open-ended ones never end."""
    march = Freeze(date(2026, 3, 1), date(2026, 3, 31), "K9 违法违纪")
    assert active_freeze([march], date(2026, 3, 1)) is march
    assert active_freeze([march], date(2026, 3, 31)) is march
    assert active_freeze([march], date(2026, 4, 1)) is None
    assert active_freeze([march], date(2026, 2, 28)) is None
    forever = Freeze(date(2026, 2, 1), None, "open")
    assert active_freeze([march, forever], date(2026, 3, 15)) is forever
