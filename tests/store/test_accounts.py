"""The running account: a redemption checks and lowers a stored balance in its own transaction, the
account equals earned − redeemed, and `verify_accounts` finds any row that does not."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from tests.worlds.store import TODAY, Shop, attempt
from webapp.core.refusal import Refusal
from webapp.extensions import db
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.points.models.scheme import SchemeVersion
from webapp.store.domain import CartLine
from webapp.store.models import HouseholdAccount
from webapp.store.services import accounts
from webapp.store.services.ledger import household_ledger
from webapp.store.services.redeem import reverse

NOT_ENOUGH = "Not enough points: the cart needs %(total)s, the balance is %(balance)s."


def household(shop: Shop, code: str | None = None) -> Household:
    return db.session.scalar(select(Household).where(Household.code == (code or shop.household)))


def account(shop: Shop) -> tuple[Decimal, Decimal, Decimal, str]:
    db.session.rollback()
    row = db.session.get(HouseholdAccount, household(shop).id)
    return row.earned, row.redeemed, row.balance, row.window


def test_a_redemption_stores_the_account_and_lowers_it_in_the_same_transaction(shop):
    """100 earned in May (a monthly reset), rice for 80: the account holds 100 − 80 = 20."""
    attempt(shop.clerk_id, shop, [CartLine(shop.rice, 1)])
    assert account(shop) == (100, 80, 20, "2026-05")
    assert household_ledger(household(shop), TODAY).spendable == 20


def test_a_refused_redemption_leaves_the_account_as_it_was(shop):
    attempt(shop.clerk_id, shop, [CartLine(shop.soap, 1)])
    assert attempt(shop.clerk_id, shop, [CartLine(shop.rice, 2)]) == NOT_ENOUGH
    assert account(shop) == (100, 3, 97, "2026-05")


def test_a_current_account_spares_the_redemption_the_years_earned_points(shop, monkeypatch):
    """The second redemption finds the account current: the rules engine is not asked again."""
    attempt(shop.clerk_id, shop, [CartLine(shop.soap, 1)])
    asked = []
    real = accounts.household_earned
    monkeypatch.setattr(accounts, "household_earned", lambda *a: asked.append(a) or real(*a))
    attempt(shop.clerk_id, shop, [CartLine(shop.soap, 1)])
    assert asked == [] and account(shop)[:3] == (100, 6, 94)


def test_the_conditional_update_refuses_what_the_balance_does_not_cover(shop):
    """Should anything bypass the lock, the UPDATE … WHERE balance ≥ points is the last word."""
    attempt(shop.clerk_id, shop, [CartLine(shop.soap, 1)])
    hh = household(shop).id
    with pytest.raises(Refusal, match="Not enough points"):
        accounts.spend(hh, Decimal(98), Decimal(97))
    accounts.spend(hh, Decimal(97), Decimal(97))
    assert account(shop)[:3] == (100, 3, 97)  # rolled back by account(): nothing was committed


def test_cents_add_up_on_sqlite_as_on_postgresql(shop):
    """Binary floating point would make 10.10 − 0.30 differ from 9.80: the CHECK would refuse the row."""
    hh = household(shop)
    accounts._store(hh, accounts.Figures("x", "all", Decimal("10.10"), Decimal("0.30")))
    accounts.spend(hh.id, Decimal("0.70"), Decimal("9.80"))
    accounts.spend(hh.id, Decimal("9.10"), Decimal("9.10"))
    db.session.commit()
    row = db.session.get(HouseholdAccount, hh.id)
    assert (row.redeemed, row.balance) == (Decimal("10.10"), 0)


def test_a_reversal_gives_the_points_back_to_the_account(shop):
    receipt = attempt(shop.clerk_id, shop, [CartLine(shop.rice, 1)]).redemption.receipt_no
    reverse(db.session.get(User, shop.admin_id), receipt, "商品破损", TODAY)
    db.session.commit()
    assert account(shop)[:3] == (100, 0, 100)
    assert accounts.verify_accounts(TODAY) == []


def test_a_new_counted_entry_refreshes_the_account_before_the_next_redemption(shop, make):
    attempt(shop.clerk_id, shop, [CartLine(shop.rice, 1)])
    hh = household(shop)
    version = db.session.scalar(select(SchemeVersion).order_by(SchemeVersion.id))
    make.entry(hh, version, "P10", date(2026, 5, 10), quantity=6)
    db.session.commit()
    assert household_ledger(household(shop), TODAY).spendable == 80  # read: computed, not stored
    assert account(shop)[:3] == (100, 80, 20)
    assert not isinstance(attempt(shop.clerk_id, shop, [CartLine(shop.rice, 1)]), str)
    assert account(shop)[:3] == (160, 160, 0)


def test_a_new_month_opens_a_new_window_under_a_monthly_reset(shop):
    """May's unspent points are gone in June: the account is refreshed to June's window."""
    attempt(shop.clerk_id, shop, [CartLine(shop.soap, 1)])
    june = date(2026, 6, 3)
    assert attempt(shop.clerk_id, shop, [CartLine(shop.soap, 1)], today=june) == NOT_ENOUGH
    assert household_ledger(household(shop), june).spendable == 0
    assert attempt(shop.clerk_id, shop, [CartLine(shop.soap, 1)], code=shop.poor) != NOT_ENOUGH


def test_verify_accounts_reports_a_planted_difference_and_a_negative_balance(shop):
    attempt(shop.clerk_id, shop, [CartLine(shop.soap, 1)])
    attempt(shop.clerk_id, shop, [CartLine(shop.soap, 1)], code=shop.poor)
    assert accounts.verify_accounts(TODAY) == []
    table = HouseholdAccount.__table__
    db.session.execute(update(table).where(table.c.household_id == household(shop).id)
                       .values(earned=table.c.earned + 5, balance=table.c.balance + 5))
    db.session.execute(update(table).where(table.c.household_id == household(shop, shop.poor).id)
                       .values(redeemed=table.c.redeemed + 20, balance=table.c.balance - 20))
    problems = accounts.verify_accounts(TODAY)
    assert any("earned 105.00 stored, 100.00 recomputed" in p for p in problems), problems
    assert any("negative balance -13.00" in p for p in problems), problems
    assert any("redeemed 23.00 stored, 3.00 recomputed" in p for p in problems), problems
