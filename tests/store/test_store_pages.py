"""The store's pages: counter, receipts and returns, stock, reports, household cards."""

from __future__ import annotations

import io
import re
import uuid
from datetime import date

import pytest
from flask_babel import gettext
from markupsafe import escape
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.worlds.pages import Auth, csrf_token
from tests.worlds.store import Shop, build_shop
from webapp.extensions import db
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.points.models.entry import Freeze
from webapp.store.models import HouseholdCard, Redemption, StockMovement

TODAY = date.today()


@pytest.fixture
def shop(make) -> Shop:
    """The store of the service tests, with this month's 100 points (the pages use today's date)."""
    return build_shop(make, today=TODAY)


def username(user_id: int) -> str:
    return db.session.get(User, user_id).username


def logged_in(app, name: str):
    """Another phone or PC: a client of its own, logged in as `name`."""
    other = app.test_client()
    Auth(other).login(name)
    return other


def page_token(client, url: str = "/store/counter") -> str:
    return csrf_token(client.get(url).get_data(as_text=True))


def post_cart(client, shop: Shop, quantities: dict[int, int | str], key: str | None = None, code: str | None = None,
              **headers):
    data = {"csrf_token": page_token(client), "store": shop.store_id, "client_key": key or str(uuid.uuid4()),
            "code": code or shop.household, **{f"q{pid}": str(q) for pid, q in quantities.items()}}
    return client.post("/store/counter/redeem", data=data, headers=headers)


def said(msgid: str, **params) -> str:
    """A message as the page shows it: translated for the user, HTML-escaped."""
    return str(escape(gettext(msgid, **params)))


def rows() -> int:
    return sum(db.session.scalar(select(func.count()).select_from(m)) for m in (Redemption, StockMovement))


def test_the_counter_page_offers_the_camera_the_vendored_decoder_and_a_typed_code(shop, auth, client):
    auth.login(username(shop.clerk_id))
    page = client.get("/store/counter").get_data(as_text=True)
    assert "data-scan" in page and "vendor/jsqr-1.4.0/jsQR.js" in page and 'name="code"' in page
    assert "store/counter.js" in page


def test_only_clerks_open_the_counter(shop, make, auth, client):
    make.user("villager", username="v", household_id=db.session.scalar(select(Household.id)))
    db.session.commit()
    auth.login("v")
    assert client.get("/store/counter").status_code == 403


def test_a_typed_code_shows_the_household_its_balance_and_the_shelf(shop, auth, client):
    """htmx gets only the panel: the head's name, 100 points, the products with their stock."""
    auth.login(username(shop.clerk_id))
    answer = client.post("/store/counter/lookup", data={"csrf_token": page_token(client), "store": shop.store_id,
                                                        "code": shop.household.lower()}, headers={"HX-Request": "true"})
    body = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "<html" not in body
    assert "张三丰" in body and ">100<" in body and "大米" in body and 'name="client_key"' in body
    assert f'name="q{shop.soap}"' in body and 'max="2"' in body


def test_a_household_of_a_village_the_store_does_not_serve_is_refused_at_lookup(shop, auth, client):
    auth.login(username(shop.clerk_id))
    answer = client.post("/store/counter/lookup", data={"csrf_token": page_token(client), "store": shop.store_id,
                                                        "code": shop.outsider})
    assert answer.status_code == 422
    assert said("This store does not serve the household's village.") in answer.get_data(as_text=True)
    assert "王五" not in answer.get_data(as_text=True)


def test_confirming_the_cart_redirects_to_a_printable_receipt_with_its_number(shop, auth, client):
    auth.login(username(shop.clerk_id))
    answer = post_cart(client, shop, {shop.rice: 1, shop.soap: 2})
    assert answer.status_code == 303
    receipt = client.get(answer.headers["Location"]).get_data(as_text=True)
    number = re.search(r"data-receipt-no>([^<]+)<", receipt).group(1)
    assert number.endswith(f"-{TODAY:%y%m%d}-001")
    assert "大米" in receipt and "86" in receipt and "data-print" in receipt


def test_htmx_confirm_answers_with_a_redirect_header(shop, auth, client):
    auth.login(username(shop.clerk_id))
    answer = post_cart(client, shop, {shop.soap: 1}, **{"HX-Request": "true"})
    assert answer.status_code == 204 and answer.headers["HX-Redirect"].startswith("/store/receipts/")


def test_the_same_cart_posted_twice_gives_the_same_receipt_and_writes_once(shop, auth, client):
    """A double tap or a retry after a dropped connection: one redemption, the first receipt again."""
    auth.login(username(shop.clerk_id))
    key = str(uuid.uuid4())
    first = post_cart(client, shop, {shop.rice: 1}, key=key)
    before = rows()
    second = post_cart(client, shop, {shop.rice: 1}, key=key)
    assert second.headers["Location"] == first.headers["Location"]
    assert rows() == before


def test_a_refused_cart_says_why_keeps_the_cart_and_writes_nothing(shop, auth, client):
    """Too few points: 422, the reason in the clerk's language, the quantities still filled in."""
    auth.login(username(shop.clerk_id))
    before = rows()
    answer = post_cart(client, shop, {shop.rice: 2}, **{"HX-Request": "true"})
    body = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "<html" not in body
    assert said("Not enough points: the cart needs %(total)s, the balance is %(balance)s.",
                   total="160", balance="100") in body
    assert f'name="q{shop.rice}" value="2"' in body
    assert rows() == before


@pytest.mark.parametrize(("quantity", "msgid"), [
    ("-1", "A quantity must be at least 1."), ("1.5", "A quantity must be a whole number."),
    ("", "The cart is empty."),
])
def test_bad_quantities_are_refused_before_anything_is_written(shop, auth, client, quantity, msgid):
    auth.login(username(shop.clerk_id))
    before = rows()
    answer = post_cart(client, shop, {shop.soap: quantity})
    assert answer.status_code == 422 and said(msgid) in answer.get_data(as_text=True)
    assert rows() == before


def test_a_frozen_household_shows_the_reason_and_no_cart(shop, auth, client):
    hh = db.session.scalar(select(Household).where(Household.code == shop.household))
    db.session.add(Freeze(household_id=hh.id, starts_on=TODAY.replace(day=1), reason="乱倒建筑垃圾"))
    db.session.commit()
    auth.login(username(shop.clerk_id))
    page = client.post("/store/counter/lookup", data={"csrf_token": page_token(client), "store": shop.store_id,
                                                      "code": shop.household}).get_data(as_text=True)
    assert "乱倒建筑垃圾" in page and 'id="cart"' not in page
    assert post_cart(client, shop, {shop.soap: 1}).status_code == 422


def test_a_village_admin_reverses_a_redemption_with_a_reason(shop, auth, client, app):
    auth.login(username(shop.clerk_id))
    location = post_cart(client, shop, {shop.rice: 1}).headers["Location"]
    client = logged_in(app, username(shop.admin_id))
    receipt = client.get(location).get_data(as_text=True)
    assert "/return" in receipt
    answer = client.post(f"{location}/return", data={"csrf_token": csrf_token(receipt), "reason": "商品破损"})
    assert answer.status_code == 303
    assert "商品破损" in client.get(location).get_data(as_text=True)
    assert db.session.scalar(select(func.sum(StockMovement.quantity)).where(StockMovement.product_id == shop.rice)) == 50


def test_a_clerk_of_another_store_cannot_use_this_counter(shop, make, app):
    make.user("clerk", username="other", store_id=make.store(make.town(), []).id)
    db.session.commit()
    other = logged_in(app, "other")
    before = rows()
    assert post_cart(other, shop, {shop.soap: 1}).status_code == 404
    answer = other.post("/store/counter/lookup", data={"csrf_token": page_token(other), "store": shop.store_id,
                                                       "code": shop.household})
    assert answer.status_code == 404 and rows() == before


def test_a_clerk_of_another_store_cannot_see_a_receipt(shop, make, auth, client, app):
    auth.login(username(shop.clerk_id))
    location = post_cart(client, shop, {shop.soap: 1}).headers["Location"]
    make.user("clerk", username="other", store_id=make.store(make.town(), []).id)
    make.user("village_admin", username="elsewhere", village_id=make.village().id)
    db.session.commit()
    assert logged_in(app, "other").get(location).status_code == 404
    assert logged_in(app, "elsewhere").get(location).status_code == 404


def test_stock_in_count_and_products_are_recorded_from_the_stock_page(shop, auth, client):
    """Stock-in of 10 rice, a count finding 55 (−5, with a reason), a new product; soap (2) warns low."""
    auth.login(username(shop.clerk_id))
    url = f"/store/stock?store={shop.store_id}"
    page = client.get(url).get_data(as_text=True)
    assert "low-stock" in page and "肥皂 (2)" in page
    token = csrf_token(page)
    client.post(f"/store/stock/in?store={shop.store_id}", data={
        "csrf_token": token, "product": shop.rice, "quantity": "10", "unit_cost": "75.5",
        "supplier": "供销社", "invoice_no": "No.0042"})
    client.post(f"/store/stock/count?store={shop.store_id}", data={
        "csrf_token": token, "product": shop.rice, "counted": "55", "reason": "鼠咬"})
    client.post(f"/store/stock/product?store={shop.store_id}", data={
        "csrf_token": token, "code": "OIL", "name": "食用油", "price": "30", "low_stock_at": "3", "active": "1"})
    page = client.get(url).get_data(as_text=True)
    assert "No.0042" in page and "鼠咬" in page and "食用油" in page
    kinds = [(m.kind, m.quantity) for m in db.session.scalars(
        select(StockMovement).where(StockMovement.product_id == shop.rice).order_by(StockMovement.id))]
    assert kinds == [("stock_in", 50), ("stock_in", 10), ("count", -5)]


def test_a_stock_in_without_an_invoice_is_refused(shop, auth, client):
    auth.login(username(shop.clerk_id))
    token = page_token(client, f"/store/stock?store={shop.store_id}")
    before = rows()
    answer = client.post(f"/store/stock/in?store={shop.store_id}", data={
        "csrf_token": token, "product": shop.rice, "quantity": "10", "supplier": "供销社", "invoice_no": ""},
        follow_redirects=True)
    assert said("A stock-in needs the supplier and the invoice number.") in answer.get_data(as_text=True)
    assert rows() == before


def test_reports_show_the_month_and_export_a_workbook(shop, auth, client):
    auth.login(username(shop.clerk_id))
    post_cart(client, shop, {shop.rice: 1})
    page = client.get(f"/store/reports?store={shop.store_id}").get_data(as_text=True)
    assert "张三丰" in page and "大米" in page
    answer = client.get(f"/store/reports.xlsx?store={shop.store_id}&period={TODAY:%Y-%m}")
    book = load_workbook(io.BytesIO(answer.data))
    assert len(book.sheetnames) == 6
    by_product = list(book.worksheets[1].values)
    assert by_product[1][0] == "大米" and by_product[1][2] == 1 and by_product[1][3] == 80
    issued = list(book.worksheets[5].values)
    assert [row[2:] for row in issued[1:] if row[1] == f"{TODAY:%Y-%m}"] == [(110, 80)]  # 张三丰 100 + 李四 10


def test_the_village_admin_issues_prints_and_reissues_household_cards(shop, auth, client):
    """Cards for every household, a sheet with the QR codes (the token, never the household id), a new card."""
    auth.login(username(shop.admin_id))
    page = client.get("/store/cards").get_data(as_text=True)
    client.post("/store/cards", data={"csrf_token": csrf_token(page)})
    tokens = dict(db.session.execute(select(HouseholdCard.household_id, HouseholdCard.token)).all())
    assert len(tokens) == 2
    sheet = client.get(f"/store/cards/sheet?village={shop.village_id}").get_data(as_text=True)
    assert sheet.count('<svg viewBox') == 2 and shop.household in sheet and "张三丰" in sheet
    page = client.get("/store/cards").get_data(as_text=True)
    client.post("/store/cards", data={"csrf_token": csrf_token(page), "reissue": shop.household})
    active = db.session.scalars(select(HouseholdCard).where(HouseholdCard.revoked_at.is_(None))).all()
    assert len(active) == 2 and not {c.token for c in active} >= set(tokens.values())


def test_a_clerk_cannot_issue_cards(shop, auth, client):
    auth.login(username(shop.clerk_id))
    assert client.get("/store/cards").status_code == 403
