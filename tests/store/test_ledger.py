"""Redemption lowers the spendable balance only; the balance policy decides what stays spendable."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.worlds.store import Shop, attempt
from webapp.core.periods import Period
from webapp.extensions import db
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.points.services.points import village_ranking
from webapp.store.domain import CartLine
from webapp.store.models import Product, StockMovement
from webapp.store.services.ledger import household_ledger
from webapp.store.services.redeem import reverse
from webapp.villagers.services.household_points import household_points

APRIL_20, APRIL_25, MAY_20 = date(2026, 4, 20), date(2026, 4, 25), date(2026, 5, 20)


def store_with_30_point_goods(make, scheme: str, earn) -> tuple[Shop, int]:
    """A village on `scheme`, one household that `earn`s in April, a store selling a 30-point bag of rice."""
    town = make.town()
    village = make.village(town)
    version = make.scheme(village, scheme)
    household = make.household(village, "张三丰")
    earn(make, household, version)
    store = make.store(town, [village])
    clerk = make.user("clerk", store_id=store.id)
    admin = make.user("village_admin", village_id=village.id)
    rice = Product(store_id=store.id, code="R", name="大米", price_points=Decimal(30))
    db.session.add(rice)
    db.session.flush()
    db.session.add(StockMovement(store_id=store.id, product_id=rice.id, kind="stock_in", quantity=9,
                                 supplier="供销社", invoice_no="1"))
    db.session.commit()
    return Shop(store.id, clerk.id, admin.id, village.id, household.code, "", "", rice.id, 0), household.id


def ledger(household_id: int, today: date):
    db.session.rollback()
    return household_ledger(db.session.get(Household, household_id), today)


def test_under_reset_monthly_unspent_points_are_gone_next_month_but_the_years_earned_total_stays(make):
    """Earned 100 in April, spent 30 on 20 April: 70 spendable in April, 0 in May; earned stays 100."""
    shop, hh = store_with_30_point_goods(
        make, "store-monthly", lambda m, h, v: m.entry(h, v, "P10", date(2026, 4, 5), quantity=10))
    assert not isinstance(attempt(shop.clerk_id, shop, [CartLine(shop.rice, 1)], today=APRIL_20), str)
    assert (ledger(hh, APRIL_25).spendable, ledger(hh, APRIL_25).earned_year) == (70, 100)
    assert (ledger(hh, MAY_20).spendable, ledger(hh, MAY_20).earned_year) == (0, 100)
    assert ledger(hh, MAY_20).balance_policy == "reset_monthly"
    assert attempt(shop.clerk_id, shop, [CartLine(shop.rice, 1)], today=MAY_20) == (
        "Not enough points: the cart needs %(total)s, the balance is %(balance)s.")


def test_under_carry_over_unspent_points_remain_next_month(make):
    """Fengsheng, April inspected at defaults (65 base points), spent 30 in April: 35 still spendable in May."""
    shop, hh = store_with_30_point_goods(make, "fengsheng", lambda m, h, v: m.inspection(h, v, "2026-04"))
    attempt(shop.clerk_id, shop, [CartLine(shop.rice, 1)], today=APRIL_20)
    assert (ledger(hh, MAY_20).spendable, ledger(hh, MAY_20).earned_year) == (35, 65)
    assert ledger(hh, MAY_20).balance_policy == "carry_over"


def test_redemption_leaves_the_earned_total_the_ranking_and_the_statement_untouched(make):
    """The household page's spendable figure follows the redemption; total, rank and earned do not."""
    shop, hh = store_with_30_point_goods(make, "fengsheng", lambda m, h, v: m.inspection(h, v, "2026-04"))
    april = Period.month(2026, 4)
    before = household_points(db.session.get(Household, hh), april, MAY_20)
    ranking_before = village_ranking(shop.village_id, april)
    attempt(shop.clerk_id, shop, [CartLine(shop.rice, 2)], today=APRIL_20)
    after = household_points(db.session.get(Household, hh), april, MAY_20)
    assert (after.statement.total, after.rank, after.earned_year) == (before.statement.total, before.rank, 65)
    assert village_ranking(shop.village_id, april) == ranking_before
    assert (before.spendable, after.spendable) == (65, 5)


@pytest.mark.parametrize(("returned_on", "spendable_in_may"), [(APRIL_25, 65), (MAY_20, 65)])
def test_a_reversed_redemption_spends_nothing(make, returned_on, spendable_in_may):
    """The return nets out the redemption on its own day, whenever the committee reverses it."""
    shop, hh = store_with_30_point_goods(make, "fengsheng", lambda m, h, v: m.inspection(h, v, "2026-04"))
    receipt = attempt(shop.clerk_id, shop, [CartLine(shop.rice, 1)], today=APRIL_20)
    reverse(db.session.get(User, shop.admin_id), receipt.redemption.receipt_no, "买错了", returned_on)
    db.session.commit()
    assert ledger(hh, MAY_20).spendable == spendable_in_may
