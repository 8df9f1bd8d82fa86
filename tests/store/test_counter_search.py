"""The counter finds a household by name or pinyin initials (an older villager without the card), only in
the store's villages; the clerk sees name, balance and freeze, never the statement; the receipt prints on
a 58 mm thermal printer or A4."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import gettext
from markupsafe import escape
from sqlalchemy import select

from tests.worlds.pages import csrf_token
from tests.worlds.store import Shop, attempt, build_shop
from webapp.extensions import db
from webapp.people.models.geo import Village
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.points.models.entry import Freeze
from webapp.store.domain import CartLine

TODAY = date.today()


@pytest.fixture
def shop(make) -> Shop:
    return build_shop(make, today=TODAY)


def clerk_logged_in(shop: Shop, auth) -> None:
    auth.login(db.session.get(User, shop.clerk_id).username)


def look_up(client, shop: Shop, typed: str, htmx: bool = True):
    token = csrf_token(client.get(f"/store/counter?store={shop.store_id}").get_data(as_text=True))
    return client.post("/store/counter/lookup", data={"csrf_token": token, "store": shop.store_id, "code": typed},
                       headers={"HX-Request": "true"} if htmx else {})


def test_the_counter_finds_a_household_by_the_heads_name(shop, auth, client):
    clerk_logged_in(shop, auth)
    answer = look_up(client, shop, "张三丰")
    body = answer.get_data(as_text=True)
    assert answer.status_code == 200 and 'name="client_key"' in body and shop.household in body


def test_the_counter_finds_a_household_by_pinyin_initials(shop, auth, client):
    clerk_logged_in(shop, auth)
    body = look_up(client, shop, "ZSF").get_data(as_text=True)
    assert 'name="client_key"' in body and shop.household in body


def test_several_matches_are_tap_targets_that_work_without_javascript(shop, make, auth, client):
    """Two heads named 张…: a list of forms, each posting its household's code; without htmx a whole page."""
    village = db.session.get(Village, shop.village_id)
    other = make.household(village, "张山")
    db.session.commit()
    clerk_logged_in(shop, auth)
    answer = look_up(client, shop, "张", htmx=False)
    body = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "<html" in body and 'name="client_key"' not in body
    assert f'name="code" value="{shop.household}"' in body and f'name="code" value="{other.code}"' in body
    assert 'class="match"' in body


def test_another_villages_household_is_never_found_by_name_or_initials(shop, auth, client):
    clerk_logged_in(shop, auth)
    for typed in ("王五", "ww", shop.outsider):
        answer = look_up(client, shop, typed)
        body = answer.get_data(as_text=True)
        assert answer.status_code == 422, typed
        assert 'name="client_key"' not in body and 'class="match"' not in body
        assert shop.outsider not in body or typed == shop.outsider


def test_the_clerk_sees_name_balance_and_freeze_but_not_the_statement(shop, make, auth, client):
    """The counter shows the head, the balance and the freeze; no record line (参加志愿服务) of the household."""
    hh = db.session.scalar(select(Household).where(Household.code == shop.household))
    db.session.add(Freeze(household_id=hh.id, starts_on=TODAY, reason="拒不整改"))
    db.session.commit()
    clerk_logged_in(shop, auth)
    body = look_up(client, shop, shop.household).get_data(as_text=True)
    assert "张三丰" in body and ">100<" in body and "拒不整改" in body
    assert "参加志愿服务" not in body and "P10" not in body


def test_the_clerks_refused_statement(shop, auth, client):
    """PIPL, the least a role needs: the household's page, its records as JSON and the household list are
    not the clerk's (404, as for a household that does not exist)."""
    clerk_logged_in(shop, auth)
    assert client.get(f"/households/{shop.household}").status_code == 404
    assert client.get(f"/api/v1/households/{shop.household}/points").status_code == 404
    listing = client.get("/households?q=张").get_data(as_text=True)
    assert shop.household not in listing
    assert 'href="/households"' not in client.get("/store/counter").get_data(as_text=True)


def test_the_receipt_prints_on_58_mm_paper_by_default_or_on_a4(shop, auth, client):
    receipt = attempt(shop.clerk_id, shop, [CartLine(shop.soap, 1)], today=TODAY).redemption.receipt_no
    clerk_logged_in(shop, auth)
    strip = client.get(f"/store/receipts/{receipt}").get_data(as_text=True)
    assert "size: 58mm auto" in strip and "width: 48mm" in strip and 'data-paper="58mm"' in strip
    sheet = client.get(f"/store/receipts/{receipt}?paper=a4").get_data(as_text=True)
    assert "size: A4" in sheet and "58mm auto" not in sheet
    assert str(escape(gettext("A4 sheet"))) in strip and "paper=a4" in strip
