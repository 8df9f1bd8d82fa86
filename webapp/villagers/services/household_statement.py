"""A household's 积分明细: what it earned (month by month) and what it spent (each receipt), and a
returned redemption as its own line, down to the balance the store counter checks.

The figures are the counter's own (webapp/store/services/ledger.py: the month totals of the rules
engine, the balance policy in force today, the redemptions net of returns), laid out as a passbook:
earned − redeemed + returned = spendable, line by line with the running balance.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from webapp.extensions import db
from webapp.people.models.household import Household
from webapp.people.models.stores import Store
from webapp.store.models import Product, Redemption, RedemptionLine, RedemptionReturn
from webapp.store.services.ledger import household_earned, spendable

ZERO = Decimal(0)
EARNED, EARNED_YEAR, REDEEMED, RETURNED = "earned", "earned_year", "redeemed", "returned"
_ORDER = {EARNED_YEAR: 0, EARNED: 0, REDEEMED: 1, RETURNED: 2}  # within a day: credit first, then spends


@dataclass(frozen=True)
class Spent:
    """A redemption as the statement needs it; returned_on when it was reversed (returned)."""

    receipt_no: str
    store_name: str
    on: date
    points: Decimal
    goods: str = ""  # "大米×1、肥皂×2"
    returned_on: date | None = None


@dataclass(frozen=True)
class StatementLine:
    kind: str  # EARNED (a month), EARNED_YEAR (an earlier year, in one line), REDEEMED, RETURNED
    on: date  # the day; for an earned line the first day of its month (or year)
    points: Decimal  # + earned or returned, − redeemed
    balance: Decimal  # the running balance after this line
    receipt_no: str = ""
    store_name: str = ""
    goods: str = ""


@dataclass(frozen=True)
class Statement:
    lines: list[StatementLine]
    earned: Decimal
    redeemed: Decimal  # a positive number: what the redemptions took
    returned: Decimal  # what returns gave back
    balance: Decimal  # earned − redeemed + returned
    policy: str  # the balance policy in force today (carry_over, reset_yearly, reset_monthly)
    counter_balance: Decimal  # what the store counter computes; equal to balance (a test holds it)


def window_start(policy: str, today: date) -> tuple[int, int]:
    """The first month the balance policy keeps (as webapp/points/domain/ledger.spendable_balance)."""
    return {"carry_over": (1, 1), "reset_yearly": (today.year, 1),
            "reset_monthly": (today.year, today.month)}[policy]


def statement_lines(policy: str, month_totals: Mapping[tuple[int, int], Decimal], spent: Iterable[Spent],
                    today: date) -> list[StatementLine]:
    """The passbook of the balance window, oldest first: a line per month earned this year, one per
    earlier year, a line per redemption and one per return (a returned redemption spends nothing:
    its two lines cancel out, as the counter leaves it out)."""
    first, last = window_start(policy, today), (today.year, today.month)
    credits: dict[tuple[str, date], Decimal] = defaultdict(lambda: ZERO)
    for (year, month), points in month_totals.items():
        if first <= (year, month) <= last and points:
            if year < today.year:
                credits[(EARNED_YEAR, date(year, 1, 1))] += points
            else:
                credits[(EARNED, date(year, month, 1))] += points
    rows: list[tuple[str, date, Decimal, Spent | None]] = [(k, on, p, None) for (k, on), p in credits.items() if p]
    for s in spent:
        if first <= (s.on.year, s.on.month) and s.on <= today:
            rows.append((REDEEMED, s.on, -s.points, s))
            if s.returned_on is not None:
                rows.append((RETURNED, max(s.returned_on, s.on), s.points, s))
    rows.sort(key=lambda r: (r[1], _ORDER[r[0]], r[3].receipt_no if r[3] else ""))
    balance, lines = ZERO, []
    for kind, on, points, s in rows:
        balance += points
        lines.append(StatementLine(kind, on, points, balance, s.receipt_no if s else "", s.store_name if s else "",
                                   s.goods if s else ""))
    return lines


def _spent(household_id: int) -> list[Spent]:
    """The household's redemptions at any store, with their goods and any return."""
    rows = db.session.execute(
        select(Redemption.id, Redemption.receipt_no, Store.name, Redemption.redeemed_on, Redemption.total_points,
               RedemptionReturn.returned_on)
        .join(Store, Store.id == Redemption.store_id)
        .outerjoin(RedemptionReturn, RedemptionReturn.redemption_id == Redemption.id)
        .where(Redemption.household_id == household_id).order_by(Redemption.redeemed_on, Redemption.id)
    ).all()
    goods: dict[int, list[str]] = defaultdict(list)
    if rows:
        for redemption_id, name, quantity in db.session.execute(
            select(RedemptionLine.redemption_id, Product.name, RedemptionLine.quantity)
            .join(Product, Product.id == RedemptionLine.product_id)
            .where(RedemptionLine.redemption_id.in_([r[0] for r in rows])).order_by(RedemptionLine.id)
        ):
            goods[redemption_id].append(f"{name}×{quantity}")
    return [Spent(receipt_no=no, store_name=store, on=on, points=Decimal(points), goods="、".join(goods[rid]),
                  returned_on=returned_on) for rid, no, store, on, points, returned_on in rows]


def household_statement(household: Household, today: date) -> Statement:
    """The household's 积分明细 as of today, from the counter's own ledger."""
    earned = household_earned(household, today)
    lines = statement_lines(earned.policy, earned.month_totals, _spent(household.id), today)
    credit = sum((x.points for x in lines if x.kind in (EARNED, EARNED_YEAR)), ZERO)
    redeemed = -sum((x.points for x in lines if x.kind == REDEEMED), ZERO)
    returned = sum((x.points for x in lines if x.kind == RETURNED), ZERO)
    return Statement(lines=lines, earned=credit, redeemed=redeemed, returned=returned,
                     balance=credit - redeemed + returned, policy=earned.policy,
                     counter_balance=spendable(earned, household, today))
