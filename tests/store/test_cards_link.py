"""一户一码: a card's QR code is a link to the household's page, and the counter reads the link as well
as the old JIFEN: cards, which stay valid."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.worlds.pages import csrf_token
from tests.worlds.store import build_shop
from webapp.extensions import db
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.store.domain import StoreRefusal, card_url, token_from_scan
from webapp.store.models import HouseholdCard
from webapp.store.services.cards import household_by_card, issue_missing, printed_cards, qr_svg, reissue


@pytest.mark.parametrize(("scanned", "token"), [
    ("https://jifen.example.cn/k/abc_-1", "abc_-1"),         # a card's link, any host
    ("http://192.168.1.5:8000/jifen/k/abc_-1/?from=wx", "abc_-1"),  # behind a prefix, with a query
    (" JIFEN:abc_-1 ", "abc_-1"), ("jifen:abc_-1", "abc_-1"),  # an old card
    ("abc_-1", "abc_-1"),                                     # a typed token
    ("https://jifen.example.cn/board/abc", ""), ("https://jifen.example.cn/k/", ""),  # links that are no card
    ("https://x.cn/blk/abc", ""),
])
def test_the_counter_reads_a_cards_link_an_old_card_and_a_bare_token(scanned, token):
    assert token_from_scan(scanned) == token


def test_a_cards_link_is_the_site_and_k_and_the_token():
    assert card_url("https://jifen.example.cn/", "T0k") == card_url("https://jifen.example.cn", "T0k") \
        == "https://jifen.example.cn/k/T0k"


@pytest.fixture
def village(make):
    v = make.village(code="YF")
    make.household(v, "张三丰", code="YF0001")
    issue_missing(v, None)
    db.session.commit()
    return v


def test_the_printed_qr_code_holds_the_households_link(village):
    card = printed_cards(village, site="https://jifen.example.cn/")[0]
    assert card.link == f"https://jifen.example.cn/k/{card.token}"
    assert card.qr_svg == qr_svg(card.link)  # the modules encode the link …
    assert card.token not in card.qr_svg  # … and the page shows them, not the token as text


def test_the_counter_finds_the_household_by_the_link_and_by_the_old_prefix(village):
    token = db.session.scalar(select(HouseholdCard.token))
    assert household_by_card(f"https://jifen.example.cn/k/{token}").code == "YF0001"
    assert household_by_card(f"JIFEN:{token}").code == "YF0001"


def test_a_replaced_cards_link_is_refused_at_the_counter(village):
    old = db.session.scalar(select(HouseholdCard.token))
    reissue(village, "YF0001", None)
    with pytest.raises(StoreRefusal, match="replaced"):
        household_by_card(f"https://jifen.example.cn/k/{old}")
    with pytest.raises(StoreRefusal, match="not known"):
        household_by_card("https://jifen.example.cn/board/YF")


def test_the_card_sheet_prints_the_link_of_this_site_and_the_counter_looks_it_up(make, auth, client):
    """Printed by the admin, scanned at the counter: the sheet's link finds the household's panel."""
    shop = build_shop(make)
    hh = db.session.scalar(select(Household).where(Household.code == shop.household))
    issue_missing(hh.village, shop.admin_id)
    token = db.session.scalar(select(HouseholdCard.token).where(HouseholdCard.household_id == hh.id))
    db.session.commit()
    auth.login(db.session.get(User, shop.admin_id).username)
    sheet = client.get(f"/store/cards/sheet?village={shop.village_id}&code={shop.household}").get_data(as_text=True)
    assert qr_svg(f"http://localhost/k/{token}") in sheet
    auth.logout()
    auth.login(db.session.get(User, shop.clerk_id).username)
    page = client.get("/store/counter").get_data(as_text=True)
    answer = client.post("/store/counter/lookup", data={"csrf_token": csrf_token(page), "store": shop.store_id,
                                                        "card": f"http://localhost/k/{token}"})
    assert answer.status_code == 200 and "张三丰" in answer.get_data(as_text=True)


def test_cards_printed_from_the_office_lan_hold_the_public_address_when_one_is_set(make, auth, client, app):
    """JIFEN_PUBLIC_URL: a card printed from the office (here http://localhost/) must open at home."""
    shop = build_shop(make)
    hh = db.session.scalar(select(Household).where(Household.code == shop.household))
    issue_missing(hh.village, shop.admin_id)
    token = db.session.scalar(select(HouseholdCard.token).where(HouseholdCard.household_id == hh.id))
    db.session.commit()
    auth.login(db.session.get(User, shop.admin_id).username)
    app.config["PUBLIC_URL"] = "https://jifen.example.cn"
    try:
        sheet = client.get(f"/store/cards/sheet?village={shop.village_id}&code={shop.household}").get_data(as_text=True)
        plates = client.get(f"/cards/plates?village={shop.village_id}&code={shop.household}").get_data(as_text=True)
    finally:
        app.config["PUBLIC_URL"] = None
    assert qr_svg(f"https://jifen.example.cn/k/{token}") in sheet
    assert qr_svg(f"https://jifen.example.cn/k/{token}") in plates
    assert qr_svg(f"http://localhost/k/{token}") not in sheet
