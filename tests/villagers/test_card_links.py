"""一户一码: a card's link opens its household's page (after the household's login), a replaced card
says so and shows nothing; the door plates print the link large."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from sqlalchemy import select

from tests.worlds.pages import csrf_token
from webapp.extensions import db
from webapp.people.models.household import Household
from webapp.store.models import HouseholdCard
from webapp.store.services.cards import issue_missing, printed_cards, qr_svg, reissue


@pytest.fixture
def village(make):
    v = make.village(code="YF", name="油房村")
    hh = make.household(v, "张三丰", code="YF0001")
    make.household(v, "李四", code="YF0002")
    make.user("villager", username="YF0001", household_id=hh.id)
    make.user("villager", username="YF0002",
              household_id=db.session.scalar(select(Household.id).where(Household.code == "YF0002")))
    make.user("village_admin", username="admin", village_id=v.id)
    make.user("village_admin", username="elsewhere", village_id=make.village(code="WJ", name="王家村").id)
    issue_missing(v, None)
    db.session.commit()
    return v


def link_of(code: str) -> str:
    return "/k/" + db.session.scalar(select(HouseholdCard.token).join(HouseholdCard.household).where(
        Household.code == code, HouseholdCard.revoked_at.is_(None)))


def test_the_cards_qr_opens_the_households_page_after_the_pin(village, client):
    """Scanned with a phone that is not logged in: the household page, which asks for the code and PIN;
    logged in as the household, the link lands on its points."""
    card = printed_cards(village, codes=["YF0001"], site="http://localhost/")[0]
    assert card.qr_svg == qr_svg(card.link) and card.link == "http://localhost" + link_of("YF0001")
    opened = client.get(link_of("YF0001"))
    assert opened.status_code == 303 and "/login?" in opened.headers["Location"]
    assert unquote(opened.headers["Location"]).endswith("next=/households/YF0001&username=YF0001")
    login = client.get(opened.headers["Location"]).get_data(as_text=True)
    assert 'type="password"' in login and 'value="YF0001"' in login  # only the PIN left to type
    answer = client.post(opened.headers["Location"], data={"csrf_token": csrf_token(login), "username": "YF0001",
                                                           "password": "password123"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/households/YF0001")
    page = client.get(link_of("YF0001"), follow_redirects=True)
    assert page.status_code == 200 and "张三丰" in page.get_data(as_text=True)


def test_a_replaced_card_says_so_and_shows_no_household(village, client):
    old = link_of("YF0001")
    reissue(village, "YF0001", None)
    db.session.commit()
    answer = client.get(old)
    body = answer.get_data(as_text=True)
    assert answer.status_code == 410 and 'id="card-link"' in body
    assert "张三丰" not in body and "YF0001" not in body
    assert client.get(link_of("YF0001")).status_code == 303


def test_an_unknown_card_is_not_found(village, client):
    answer = client.get("/k/not-a-card")
    assert answer.status_code == 404 and 'id="card-link"' in answer.get_data(as_text=True)


def test_a_neighbours_phone_is_told_whose_card_it_is_and_nothing_more(village, auth, client):
    auth.login("YF0002")
    answer = client.get(link_of("YF0001"))
    assert answer.status_code == 403 and "YF0001" in answer.get_data(as_text=True)
    assert "张三丰" not in answer.get_data(as_text=True)


def test_the_admin_prints_door_plates_with_village_name_code_and_the_big_qr(village, auth, client):
    auth.login("admin")
    sheet = client.get(f"/cards/plates?village={village.id}").get_data(as_text=True)
    assert sheet.count('class="plate"') == 2 and "油房村" in sheet and "张三丰" in sheet and "YF0002" in sheet
    one = client.get(f"/cards/plates?village={village.id}&code=YF0001&size=a6").get_data(as_text=True)
    assert one.count('class="plate"') == 1 and "size: A6" in one
    assert f"/cards/plates?size=a5&amp;village={village.id}&amp;code=YF0001" in one  # back to A5, the same plate
    assert qr_svg("http://localhost" + link_of("YF0001")) in one
    cards = client.get(f"/store/cards?village={village.id}").get_data(as_text=True)
    assert 'id="print-door-plates"' in cards and "/cards/plates?" in cards


def test_door_plates_are_for_the_villages_admins_only(village, auth, client):
    assert client.get(f"/cards/plates?village={village.id}").status_code == 302  # to the login
    auth.login("elsewhere")
    assert client.get(f"/cards/plates?village={village.id}").status_code == 404
    auth.logout()
    auth.login("YF0001")
    assert client.get(f"/cards/plates?village={village.id}").status_code == 403
