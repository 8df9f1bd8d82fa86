"""The two ledgers of a household: earned points (for rankings) and the spendable balance."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from webapp.points.domain.scheme import ZERO

YearMonth = tuple[int, int]
_CENTS = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Spend:
    """Points spent on one day (a redemption at the store, or anything else that spends)."""

    on: date
    points: Decimal


@dataclass(frozen=True, slots=True)
class Freeze:
    """A period in which the household may earn but not redeem; ends_on is the last frozen day."""

    starts_on: date
    ends_on: date | None
    reason: str


def earned_in_year(month_totals: Mapping[int, Decimal]) -> Decimal:
    """The year's earned points: the sum of its monthly totals (spending never lowers it)."""
    return sum(month_totals.values(), ZERO)


def months_enrolled(year: int, enrolled_on: date | None, left_on: date | None, through_month: int = 12) -> int:
    """How many months of the year up to through_month the household was enrolled for at least a day."""
    count = 0
    for month in range(1, through_month + 1):
        first = date(year, month, 1)
        after = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        # Enrolled from enrolled_on (inclusive) until left_on (exclusive: the day they left).
        if (enrolled_on is None or enrolled_on < after) and (left_on is None or left_on > first):
            count += 1
    return count


def annual_score(basis: str, month_totals: Mapping[int, Decimal], months_enrolled: int) -> Decimal:
    """The year's ranking score: the sum, or the sum over the months enrolled (2 decimals, half up)."""
    total = sum(month_totals.values(), ZERO)
    if basis == "sum":
        return total
    if basis == "monthly_average":
        if months_enrolled <= 0:
            return ZERO
        return (total / months_enrolled).quantize(_CENTS, rounding=ROUND_HALF_UP)
    raise ValueError(f"unknown annual ranking basis: {basis}")


def spendable_balance(
    policy_balance: str, month_totals: Mapping[YearMonth, Decimal], spends: Iterable[Spend], as_of: date
) -> Decimal:
    """Earned minus spent, over the window the balance policy keeps: all time, the year, or the month."""
    if policy_balance == "carry_over":
        first: YearMonth = (1, 1)
    elif policy_balance == "reset_yearly":
        first = (as_of.year, 1)
    elif policy_balance == "reset_monthly":
        first = (as_of.year, as_of.month)
    else:
        raise ValueError(f"unknown balance policy: {policy_balance}")
    last: YearMonth = (as_of.year, as_of.month)
    earned = sum((points for ym, points in month_totals.items() if first <= ym <= last), ZERO)
    spent = sum((s.points for s in spends if first <= (s.on.year, s.on.month) and s.on <= as_of), ZERO)
    return earned - spent


def active_freeze(freezes: Iterable[Freeze], on: date) -> Freeze | None:
    """The freeze in force on a day (the one lasting longest if several overlap), or None."""
    active = [f for f in freezes if f.starts_on <= on and (f.ends_on is None or on <= f.ends_on)]
    if not active:
        return None
    # An open-ended freeze outlasts any dated one; ties go to the earliest start, for a stable answer.
    return max(active, key=lambda f: (f.ends_on is None, f.ends_on or on, -f.starts_on.toordinal()))
