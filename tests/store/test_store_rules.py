"""The store's pure rules: carts, stock arithmetic, receipt numbers, cards and who may do what."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from tests.refusals import refused
from webapp.people.domain.access import Grant
from webapp.points.domain.ledger import Freeze
from webapp.store.domain import (
    CartLine,
    ShelfItem,
    StoreRef,
    StoreRefusal,
    can_manage_store,
    can_reverse_redemption,
    can_serve_counter,
    can_view_store,
    cart_from_fields,
    check_cart,
    check_stock_in,
    count_adjustment,
    format_number,
    is_low,
    parse_quantity,
    receipt_number,
    token_from_scan,
)

RICE = ShelfItem(1, "大米", Decimal("25"), stock=4)
SOAP = ShelfItem(2, "肥皂", Decimal("2.5"), stock=10)
OLD = ShelfItem(3, "旧货", Decimal("1"), stock=9, active=False)
SHELF = {1: RICE, 2: SOAP, 3: OLD}


def refusal(call) -> str:
    with pytest.raises(StoreRefusal) as caught:
        call()
    return caught.value.msgid


def test_a_cart_within_balance_and_stock_is_priced_line_by_line():
    """2 × 25 + 3 × 2.5 = 57.5 points; from 60 there are 2.5 left."""
    checkout = check_cart([CartLine(1, 2), CartLine(2, 3)], SHELF, Decimal(60), None)
    assert [(line.name, line.quantity, line.points) for line in checkout.lines] == [("大米", 2, 50), ("肥皂", 3, Decimal("7.5"))]
    assert checkout.total == Decimal("57.5") and checkout.balance_after == Decimal("2.5")


def test_spending_the_exact_balance_is_allowed():
    """A balance of exactly the cart's total may be spent to zero."""
    assert check_cart([CartLine(1, 4)], SHELF, Decimal(100), None).balance_after == 0


@pytest.mark.parametrize(("lines", "balance", "freeze", "msgid"), [
    ([CartLine(1, 1)], 100, Freeze(date(2026, 5, 1), None, "乱倒垃圾"), "Redemption is frozen since %(day)s: %(reason)s"),
    ([], 100, None, "The cart is empty."),
    ([CartLine(1, 0)], 100, None, "A quantity must be at least 1."),
    ([CartLine(1, -2)], 100, None, "A quantity must be at least 1."),
    ([CartLine(99, 1)], 100, None, "This product is not sold here."),
    ([CartLine(3, 1)], 100, None, "This product is not sold here."),
    ([CartLine(1, 5)], 1000, None, "Only %(stock)s of %(name)s left in stock."),
    ([CartLine(1, 3), CartLine(1, 2)], 1000, None, "Only %(stock)s of %(name)s left in stock."),
    ([CartLine(1, 4), CartLine(2, 1)], 100, None, "Not enough points: the cart needs %(total)s, the balance is %(balance)s."),
])
def test_a_cart_is_refused_with_the_reason(lines, balance, freeze, msgid):
    """Freeze first, then the cart's lines, then stock (summed over repeated lines), then points."""
    assert refusal(lambda: check_cart(lines, SHELF, Decimal(balance), freeze)) == msgid


def test_an_empty_shelf_says_out_of_stock():
    empty = {1: ShelfItem(1, "大米", Decimal(25), stock=0)}
    assert refusal(lambda: check_cart([CartLine(1, 1)], empty, Decimal(100), None)) == "%(name)s is out of stock."


def test_a_frozen_household_is_refused_even_with_an_empty_cart():
    """The freeze and its reason come first: the clerk must tell the villager why."""
    with refused("Redemption is frozen since %(day)s: %(reason)s", StoreRefusal) as caught:
        check_cart([], SHELF, Decimal(100), Freeze(date(2026, 5, 1), date(2026, 7, 31), "违反村规民约"))
    assert caught.value.params == {"day": "2026-05-01", "reason": "违反村规民约"}


def test_the_not_enough_points_message_shows_the_numbers_as_people_write_them():
    with refused("Not enough points: the cart needs %(total)s, the balance is %(balance)s.", StoreRefusal) as caught:
        check_cart([CartLine(1, 3)], SHELF, Decimal("62.50"), None)
    assert caught.value.params == {"total": "75", "balance": "62.5"}


@given(st.lists(st.tuples(st.sampled_from([1, 2]), st.integers(1, 5)), max_size=6),
       st.decimals(0, 200, places=2))
def test_a_checkout_never_overdraws_points_or_stock(lines, balance):
    """Whatever passes leaves a balance ≥ 0 and takes no more of a product than is on the shelf."""
    try:
        checkout = check_cart([CartLine(p, q) for p, q in lines], SHELF, balance, None)
    except StoreRefusal:
        return
    assert checkout.balance_after >= 0
    for line in checkout.lines:
        assert line.quantity <= SHELF[line.product_id].stock


@pytest.mark.parametrize(("text", "expected"), [("3", 3), (" 2 ", 2), ("0", 0), ("-1", -1), ("4.0", 4)])
def test_quantities_are_whole_numbers(text, expected):
    assert parse_quantity(text) == expected


BAD_QUANTITIES = {"1.5": "A quantity must be a whole number.", "abc": "A quantity must be a whole number.",
                  "": "A quantity must be a whole number.", "1e9": "A quantity of more than %(max)s is not accepted.",
                  "5000": "A quantity of more than %(max)s is not accepted."}


@pytest.mark.parametrize("text", list(BAD_QUANTITIES))
def test_a_fraction_a_word_or_an_absurd_quantity_is_refused(text):
    with refused(BAD_QUANTITIES[text], StoreRefusal):
        parse_quantity(text)


def test_cart_fields_skip_blanks_and_zeros_but_keep_negatives_for_the_check():
    """`q<id>` fields of the counter form; 0 and blank mean "not in the cart"."""
    fields = {"q1": "2", "q2": "", "q3": "0", "q4": "-1", "client_key": "x", "qx": "1"}
    assert cart_from_fields(fields) == [CartLine(1, 2), CartLine(4, -1)]


def test_a_stock_count_books_the_difference_and_needs_a_reason_for_one():
    """Counted 7 where the books say 10: an adjustment of −3, with a reason."""
    assert count_adjustment(10, 7, "破损") == -3
    assert count_adjustment(10, 10, "") == 0
    assert refusal(lambda: count_adjustment(10, 7, " ")) == "Give a reason for the difference."
    assert refusal(lambda: count_adjustment(10, -1, "x")) == "A counted quantity cannot be negative."


@pytest.mark.parametrize(("quantity", "cost", "supplier", "invoice", "msgid"), [
    (0, Decimal(1), "供销社", "No.1", "A quantity must be at least 1."),
    (5, Decimal(-1), "供销社", "No.1", "The unit cost cannot be negative."),
    (5, Decimal(1), "", "No.1", "A stock-in needs the supplier and the invoice number."),
    (5, Decimal(1), "供销社", " ", "A stock-in needs the supplier and the invoice number."),
])
def test_a_stock_in_needs_a_quantity_a_cost_and_the_invoice(quantity, cost, supplier, invoice, msgid):
    assert refusal(lambda: check_stock_in(quantity, cost, supplier, invoice)) == msgid


def test_low_stock_is_at_or_below_the_warning_level():
    assert is_low(5, 5) and is_low(0, 5) and not is_low(6, 5)


def test_receipt_numbers_read_store_day_and_running_number():
    assert receipt_number("FS-S1", date(2026, 5, 20), 7) == "FS-S1-260520-007"


def test_a_scanned_card_yields_its_token_with_or_without_the_prefix():
    assert token_from_scan("JIFEN:abc_-1") == "abc_-1"
    assert token_from_scan(" abc ") == "abc"


def test_points_are_written_without_trailing_zeros():
    assert [format_number(Decimal(x)) for x in ("80.00", "87.50", "3")] == ["80", "87.5", "3"]


STORE = StoreRef(id=1, town_id=10, village_ids=frozenset({100, 101}))


@pytest.mark.parametrize(("grant", "counter", "manage", "view", "reverse_in_100"), [
    (Grant("clerk", store_id=1), True, True, True, False),
    (Grant("clerk", store_id=2), False, False, False, False),
    (Grant("village_admin", village_id=100), False, True, True, True),
    (Grant("village_admin", village_id=102), False, False, False, False),
    (Grant("town_admin", town_id=10), False, True, True, False),  # the town reads; the committee decides
    (Grant("auditor", village_id=101), False, False, True, False),
    (Grant("scorer", grid_id=5), False, False, False, False),
    (Grant("villager", household_id=7), False, False, False, False),
])
def test_who_may_serve_manage_view_and_reverse(grant, counter, manage, view, reverse_in_100):
    """Only the store's clerk serves the counter; reversing is the village committee's (never the town's)."""
    grants = (grant,)
    assert can_serve_counter(grants, 1) is counter
    assert can_manage_store(grants, STORE) is manage
    assert can_view_store(grants, STORE) is view
    assert can_reverse_redemption(grants, 100, 10) is reverse_in_100
