"""The store's number fields refuse NaN, Infinity and numbers no column holds, with a clear message."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.refusals import refused
from tests.worlds.pages import Auth, csrf_token
from tests.worlds.store import Shop, build_shop
from webapp.extensions import db
from webapp.people.models.user import User
from webapp.store.domain import check_price, check_stock_in, parse_amount, parse_quantity
from webapp.store.models import Product, Redemption, StockMovement

NOT_NUMBERS = ("NaN", "nan", "sNaN", "Infinity", "-Infinity", "inf")
TOO_LARGE = ("1e999999", "1e9999999999", "100000000", "-1e20")


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_nan_and_infinity_are_not_an_amount(text):
    """A price or cost of NaN or Infinity is refused: "Enter a number."."""
    with refused("Enter a number."):
        parse_amount(text)


@pytest.mark.parametrize("text", TOO_LARGE)
def test_an_amount_beyond_the_columns_is_refused(text):
    """Ten digits, two of them decimals: 1e999999 and 10^8 are refused, not stored as Infinity or overflowed."""
    with refused("A number of more than %(max)s is not accepted.") as caught:
        parse_amount(text)
    assert caught.value.params == {"max": "99999999.99"}


def test_an_ordinary_amount_is_read_as_typed():
    """75.5 and 99999999.99 are amounts."""
    assert parse_amount(" 75.5 ") == Decimal("75.5") and parse_amount("99999999.99") == Decimal("99999999.99")


@pytest.mark.parametrize("text", [*NOT_NUMBERS, "1e999999", "1e9999999999"])
def test_a_quantity_that_is_no_whole_number_or_absurd_is_refused(text):
    """Quantities: NaN and Infinity are no whole number; 1e999999 is too many (and never rounded)."""
    with pytest.raises(Exception) as caught:
        parse_quantity(text)
    assert caught.value.msgid in ("A quantity must be a whole number.", "A quantity of more than %(max)s is not accepted.")


def test_services_refuse_a_non_finite_decimal_too():
    """A caller that hands the rules Decimal('Infinity') directly is refused as well."""
    with refused("Enter a number."):
        check_stock_in(1, Decimal("Infinity"), "供销社", "INV-1")
    with refused("Enter a number."):
        check_price(Decimal("NaN"))


@pytest.fixture
def shop(make) -> Shop:
    return build_shop(make)


def _stock_page(client, shop: Shop) -> str:
    clerk = db.session.get(User, shop.clerk_id).username
    Auth(client).login(clerk)
    return csrf_token(client.get(f"/store/stock?store={shop.store_id}").get_data(as_text=True))


@pytest.mark.parametrize("cost", ["Infinity", "NaN", "1e999999", "sNaN"])
def test_a_stock_in_with_an_impossible_unit_cost_is_refused_and_stores_nothing(shop, client, cost):
    """Stock-in with unit cost Infinity, NaN or 1e999999: the form says why, no movement is written."""
    token = _stock_page(client, shop)
    before = db.session.scalar(select(func.count(StockMovement.id)))
    answer = client.post(f"/store/stock/in?store={shop.store_id}", data={
        "csrf_token": token, "product": shop.rice, "quantity": "10", "unit_cost": cost,
        "supplier": "供销社", "invoice_no": "No.1"})
    assert answer.status_code < 500
    assert db.session.scalar(select(func.count(StockMovement.id))) == before
    assert db.session.scalar(select(func.count()).where(StockMovement.unit_cost > 10**8)) == 0


@pytest.mark.parametrize(("field", "value"), [("price", "NaN"), ("price", "Infinity"), ("price", "1e999999"),
                                              ("low_stock_at", "NaN"), ("low_stock_at", "1e999999")])
def test_a_product_with_an_impossible_number_is_refused(shop, client, field, value):
    """A product priced NaN or 1e999999 (or warned at Infinity) is not saved."""
    token = _stock_page(client, shop)
    data = {"csrf_token": token, "code": "OIL", "name": "食用油", "price": "30", "low_stock_at": "3", field: value}
    answer = client.post(f"/store/stock/product?store={shop.store_id}", data=data)
    assert answer.status_code < 500
    assert db.session.scalar(select(Product).where(Product.code == "OIL")) is None


@pytest.mark.parametrize("quantity", ["NaN", "Infinity", "1e999999"])
def test_a_cart_with_an_impossible_quantity_or_product_is_refused(shop, client, quantity):
    """At the counter, quantity NaN or a product id of 2^63 is refused (422), nothing redeemed."""
    Auth(client).login(db.session.get(User, shop.clerk_id).username)
    token = csrf_token(client.get("/store/counter").get_data(as_text=True))
    for field, value in ((f"q{shop.rice}", quantity), (f"q{2**63}", "1")):
        answer = client.post("/store/counter/redeem", data={
            "csrf_token": token, "store": shop.store_id, "code": shop.household, "client_key": str(uuid.uuid4()),
            field: value}, headers={"HX-Request": "true"})
        assert answer.status_code == 422
    answer = client.post("/store/counter/redeem", data={"csrf_token": token, "store": str(2**63),
                                                        "client_key": str(uuid.uuid4())})
    assert answer.status_code == 400
    assert db.session.scalar(select(func.count(Redemption.id))) == 0
