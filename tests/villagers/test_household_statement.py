"""积分明细: a household's earned months, its receipts and a return as its own line add up to the balance
the store counter checks, to the cent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.worlds.store import Shop, attempt
from webapp.extensions import db
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.points.domain.ledger import Spend, spendable_balance
from webapp.store.domain import CartLine
from webapp.store.models import Product, StockMovement
from webapp.store.services.ledger import household_ledger
from webapp.store.services.redeem import reverse
from webapp.villagers.services.household_statement import (
    EARNED,
    EARNED_YEAR,
    REDEEMED,
    RETURNED,
    Spent,
    household_statement,
    statement_lines,
)

TODAY = date(2026, 5, 20)


@pytest.fixture
def year(make):
    """Fengsheng (carry over): 1.5 in December 2025 (J2×3); January to April 2026 inspected at defaults
    (65 a month), 2.5 of J2 in March; 30 points of rice on 20 February; 60 on 20 April, returned on
    25 April. Earned 1.5 + 4×65 + 2.5 = 264, spent 30: 234 spendable."""
    town = make.town()
    village = make.village(town, code="YF")
    version = make.scheme(village, "fengsheng")
    household = make.household(village, "张三丰", code="YF0001")
    make.entry(household, version, "J2", date(2025, 12, 8), quantity=3)
    for month in ("2026-01", "2026-02", "2026-03", "2026-04"):
        make.inspection(household, version, month)
    make.entry(household, version, "J2", date(2026, 3, 12), quantity=5)
    store = make.store(town, [village])
    clerk = make.user("clerk", store_id=store.id)
    admin = make.user("village_admin", username="admin", village_id=village.id)
    make.user("villager", username="v", household_id=household.id)
    rice = Product(store_id=store.id, code="R", name="大米", price_points=Decimal(30))
    db.session.add(rice)
    db.session.flush()
    db.session.add(StockMovement(store_id=store.id, product_id=rice.id, kind="stock_in", quantity=9,
                                 supplier="供销社", invoice_no="1"))
    db.session.commit()
    shop = Shop(store.id, clerk.id, admin.id, village.id, household.code, "", "", rice.id, 0)
    kept = attempt(clerk.id, shop, [CartLine(rice.id, 1)], today=date(2026, 2, 20)).redemption.receipt_no
    returned = attempt(clerk.id, shop, [CartLine(rice.id, 2)], today=date(2026, 4, 20)).redemption.receipt_no
    reverse(db.session.get(User, admin.id), returned, "买错了", date(2026, 4, 25))
    db.session.commit()
    return {"household_id": household.id, "kept": kept, "returned": returned}


def test_the_statement_lines_sum_to_the_counters_balance_for_a_year_with_a_redemption_and_a_return(year):
    household = db.session.get(Household, year["household_id"])
    statement = household_statement(household, TODAY)
    counter = household_ledger(household, TODAY).spendable
    assert sum((line.points for line in statement.lines), Decimal(0)) == statement.balance == counter == Decimal(234)
    assert statement.lines[-1].balance == counter
    assert (statement.earned, statement.redeemed, statement.returned) == (Decimal(264), Decimal(90), Decimal(60))
    assert [(line.kind, line.on, line.points, line.receipt_no) for line in statement.lines] == [
        (EARNED_YEAR, date(2025, 1, 1), Decimal("1.5"), ""),
        (EARNED, date(2026, 1, 1), Decimal(65), ""),
        (EARNED, date(2026, 2, 1), Decimal(65), ""),
        (REDEEMED, date(2026, 2, 20), Decimal(-30), year["kept"]),
        (EARNED, date(2026, 3, 1), Decimal("67.5"), ""),
        (EARNED, date(2026, 4, 1), Decimal(65), ""),
        (REDEEMED, date(2026, 4, 20), Decimal(-60), year["returned"]),
        (RETURNED, date(2026, 4, 25), Decimal(60), year["returned"]),
    ]
    assert statement.lines[3].goods == "大米×1" and statement.lines[3].store_name == "积分超市"


SPENT = [Spent("A", "超市", date(2025, 12, 20), Decimal("10.5")),
         Spent("B", "超市", date(2026, 1, 5), Decimal(20), returned_on=date(2026, 2, 1)),
         Spent("C", "超市", date(2026, 5, 3), Decimal("7.25")),
         Spent("D", "超市", date(2026, 5, 21), Decimal(1))]  # after today: not yet
MONTHS = {(2025, 11): Decimal("30.5"), (2025, 12): Decimal(40), (2026, 1): Decimal("12.5"),
          (2026, 5): Decimal(9), (2026, 6): Decimal(100)}  # June: after today


@pytest.mark.parametrize("policy", ["carry_over", "reset_yearly", "reset_monthly"])
def test_under_every_balance_policy_the_lines_end_on_the_ledgers_balance(policy):
    """The window of the policy (all time, the year, the month): the lines add up to the domain's balance."""
    lines = statement_lines(policy, MONTHS, SPENT, TODAY)
    spends = [Spend(s.on, s.points) for s in SPENT if s.returned_on is None]  # as the counter counts them
    assert sum((line.points for line in lines), Decimal(0)) == spendable_balance(policy, MONTHS, spends, TODAY)
    assert lines[-1].balance == spendable_balance(policy, MONTHS, spends, TODAY)


def test_earlier_years_fold_into_one_line_and_a_return_is_its_own_line():
    lines = statement_lines("carry_over", MONTHS, SPENT, TODAY)
    assert [(line.kind, line.points, line.receipt_no) for line in lines] == [
        (EARNED_YEAR, Decimal("70.5"), ""), (REDEEMED, Decimal("-10.5"), "A"),
        (EARNED, Decimal("12.5"), ""), (REDEEMED, Decimal(-20), "B"), (RETURNED, Decimal(20), "B"),
        (EARNED, Decimal(9), ""), (REDEEMED, Decimal("-7.25"), "C"),
    ]
    assert [line.kind for line in statement_lines("reset_monthly", MONTHS, SPENT, TODAY)] == [EARNED, REDEEMED]


def test_the_household_page_shows_the_statement_with_receipts_and_the_return(year, auth, client):
    auth.login("v")
    page = client.get("/households/YF0001").get_data(as_text=True)
    assert 'id="ledger"' in page and year["kept"] in page and year["returned"] in page
    assert page.count(year["returned"]) == 2  # the redemption, and its return on a line of its own
    assert "264" in page and "234" in page and "大米×1" in page


def test_the_statement_is_left_out_of_the_htmx_period_swap(year, auth, client):
    """Choosing another period swaps the statement block only: the 明细 stays, so it is not computed again."""
    auth.login("v")
    part = client.get("/households/YF0001?period=2026-03", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'id="statement"' in part and 'id="ledger"' not in part


def test_a_household_never_sees_another_households_statement(year, make, auth, client):
    other = make.household(db.session.get(Household, year["household_id"]).village, "李四", code="YF0002")
    make.user("villager", username="w", household_id=other.id)
    db.session.commit()
    auth.login("w")
    assert client.get("/households/YF0001").status_code == 404
