"""Products and stock: stock on hand is the sum of movements and never goes below zero."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.refusals import refused
from tests.worlds.store import attempt
from webapp.core.refusal import NotFound, Refusal
from webapp.extensions import db
from webapp.people.models.user import User
from webapp.store.domain import CartLine
from webapp.store.models import Product, StockMovement
from webapp.store.services.stock import movements, on_hand, save_product, stock_count, stock_in, stock_list


def as_user(user_id: int) -> User:
    """The user, with the read transaction that loaded them ended (a store write begins its own)."""
    user = db.session.get(User, user_id)
    db.session.rollback()
    return user


def test_stock_on_hand_is_the_sum_of_stock_in_counts_redemptions_and_returns(shop):
    """50 in, +10 in, 1 redeemed, counted 55 (−4 'damaged'): 55 on hand, and five rows say why."""
    stock_in(as_user(shop.clerk_id), shop.store_id, shop.rice, 10, Decimal("75.50"), "供销社", "No.7")
    db.session.commit()
    attempt(shop.clerk_id, shop, [CartLine(shop.rice, 1)])
    stock_count(as_user(shop.clerk_id), shop.store_id, shop.rice, 55, "破损")
    db.session.commit()
    assert on_hand([shop.rice]) == {shop.rice: 55}
    assert [(m.kind, m.quantity) for m in reversed(movements(shop.store_id, shop.rice))] == [
        ("stock_in", 50), ("stock_in", 10), ("redemption", -1), ("count", -4)]
    count = movements(shop.store_id, shop.rice)[0]
    assert count.counted == 55 and count.reason == "破损"


def test_a_stock_in_keeps_the_supplier_invoice_and_unit_cost(shop):
    movement = stock_in(as_user(shop.clerk_id), shop.store_id, shop.soap, 24, Decimal("1.80"), "明华日化", "FP-2026-118")
    db.session.commit()
    assert (movement.supplier, movement.invoice_no, movement.unit_cost) == ("明华日化", "FP-2026-118", Decimal("1.80"))


@pytest.mark.parametrize(("call", "msgid"), [
    (lambda s, u: stock_in(u, s.store_id, s.rice, 0, None, "供销社", "1"), "A quantity must be at least 1."),
    (lambda s, u: stock_in(u, s.store_id, s.rice, 5, None, "供销社", ""),
     "A stock-in needs the supplier and the invoice number."),
    (lambda s, u: stock_count(u, s.store_id, s.rice, -1, "x"), "A counted quantity cannot be negative."),
    (lambda s, u: stock_count(u, s.store_id, s.rice, 40, ""), "Give a reason for the difference."),
    (lambda s, u: stock_in(u, s.store_id, 999_999, 5, None, "供销社", "1"), "This product is not sold here."),
])
def test_bad_stock_writes_are_refused_and_write_nothing(shop, call, msgid):
    before = db.session.scalar(select(func.count(StockMovement.id)))
    db.session.rollback()
    with pytest.raises(Refusal) as caught:
        call(shop, as_user(shop.clerk_id))
    db.session.rollback()
    assert caught.value.msgid == msgid
    assert db.session.scalar(select(func.count(StockMovement.id))) == before


def test_stock_never_goes_below_zero(shop):
    """Soap: 2 in stock; a cart of 3 is refused, two carts of 1 empty it, a third is refused."""
    assert attempt(shop.clerk_id, shop, [CartLine(shop.soap, 3)]) == "Only %(stock)s of %(name)s left in stock."
    attempt(shop.clerk_id, shop, [CartLine(shop.soap, 1)])
    attempt(shop.clerk_id, shop, [CartLine(shop.soap, 1)])
    assert attempt(shop.clerk_id, shop, [CartLine(shop.soap, 1)]) == "%(name)s is out of stock."
    assert on_hand([shop.soap]) == {shop.soap: 0}
    stock_count(as_user(shop.clerk_id), shop.store_id, shop.soap, 0, "")
    db.session.commit()
    assert on_hand([shop.soap]) == {shop.soap: 0}


def test_low_stock_is_flagged_at_the_products_warning_level(shop):
    lines = {line.product.code: line for line in stock_list(shop.store_id)}
    assert lines["S1"].low and not lines["R1"].low


def test_products_are_added_and_changed_by_code_with_a_positive_price(shop):
    clerk = db.session.get(User, shop.clerk_id)
    oil = save_product(clerk, shop.store_id, "OIL", "食用油 5L", Decimal(30), "粮油", "桶", 3)
    save_product(clerk, shop.store_id, "OIL", "食用油 5L", Decimal("32.5"), "粮油", "桶", 3)
    db.session.commit()
    assert db.session.get(Product, oil.id).price_points == Decimal("32.5")
    with pytest.raises(Refusal, match="more than 0"):
        save_product(clerk, shop.store_id, "X", "免费", Decimal(0))


def test_an_admin_of_a_village_the_store_does_not_serve_cannot_touch_its_stock(shop, make):
    stranger = make.user("village_admin", village_id=make.village().id)
    db.session.commit()
    with refused("Choose one of your stores.", NotFound):
        save_product(stranger, shop.store_id, "X", "x", Decimal(1))
