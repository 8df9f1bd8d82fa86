"""预约兑换 from the household's phone: reserve for the redemption day, see it waiting, cancel it; the clerk
hands it over at the counter with one tap (a second tap shows the same receipt)."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import gettext
from markupsafe import escape
from sqlalchemy import func, select

from tests.worlds.pages import Auth, csrf_token
from tests.worlds.store import Shop, build_shop
from webapp.extensions import db
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.store.models import Redemption, Reservation

TODAY = date.today()


@pytest.fixture
def shop(make) -> Shop:
    return build_shop(make, today=TODAY)


def villager_of(make, code: str) -> str:
    hh = db.session.scalar(select(Household).where(Household.code == code))
    user = make.user("villager", household_id=hh.id)
    db.session.commit()
    return user.username


def reserve(client, shop: Shop, quantities: dict[int, int]):
    token = csrf_token(client.get("/my/reservations").get_data(as_text=True))
    return client.post("/my/reservations", data={"csrf_token": token, "store": shop.store_id,
                                                 **{f"q{pid}": str(q) for pid, q in quantities.items()}})


def test_a_household_reserves_and_the_clerk_hands_it_over_once(app, shop, make, auth, client):
    auth.login(villager_of(make, shop.household))
    page = client.get("/my/reservations").get_data(as_text=True)
    assert "大米" in page and "肥皂" in page and f'name="q{shop.soap}"' in page
    answer = reserve(client, shop, {shop.soap: 2})
    assert answer.status_code == 303
    mine = client.get("/my/reservations").get_data(as_text=True)
    assert str(escape(gettext("Waiting for pickup"))) in mine
    reservation = db.session.scalar(select(Reservation))
    clerk = app.test_client()
    Auth(clerk).login(db.session.get(User, shop.clerk_id).username)
    counter = clerk.get(f"/store/counter?store={shop.store_id}").get_data(as_text=True)
    assert f"/store/reservations/{reservation.id}/hand-over" in counter and "肥皂 × 2" in counter
    data = {"csrf_token": csrf_token(counter), "store": shop.store_id}
    first = clerk.post(f"/store/reservations/{reservation.id}/hand-over", data=data)
    second = clerk.post(f"/store/reservations/{reservation.id}/hand-over", data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(select(func.count(Redemption.id))) == 1
    assert str(escape(gettext("Picked up"))) in client.get("/my/reservations").get_data(as_text=True)


def test_a_reservation_beyond_the_free_points_is_refused_and_writes_nothing(shop, make, auth, client):
    auth.login(villager_of(make, shop.poor))
    answer = reserve(client, shop, {shop.rice: 1})
    assert answer.status_code == 422
    assert "80" in answer.get_data(as_text=True) and 'role="alert"' in answer.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Reservation.id))) == 0


def test_another_household_neither_sees_nor_cancels_a_reservation(app, shop, make, auth, client):
    auth.login(villager_of(make, shop.household))
    reserve(client, shop, {shop.soap: 1})
    reservation = db.session.scalar(select(Reservation))
    neighbour = app.test_client()
    Auth(neighbour).login(villager_of(make, shop.poor))
    page = neighbour.get("/my/reservations").get_data(as_text=True)
    assert f"/my/reservations/{reservation.id}/cancel" not in page
    answer = neighbour.post(f"/my/reservations/{reservation.id}/cancel", data={"csrf_token": csrf_token(page)})
    assert answer.status_code == 404
    db.session.expire_all()
    assert db.session.get(Reservation, reservation.id).status == "open"
    own = client.get("/my/reservations").get_data(as_text=True)
    assert client.post(f"/my/reservations/{reservation.id}/cancel",
                       data={"csrf_token": csrf_token(own)}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Reservation, reservation.id).status == "cancelled"


def test_the_households_page_links_to_reserving(shop, make, auth, client):
    auth.login(villager_of(make, shop.household))
    page = client.get(f"/households/{shop.household}").get_data(as_text=True)
    assert 'id="reserve-link"' in page and "/my/reservations" in page


def test_only_a_household_reserves(shop, auth, client):
    auth.login(db.session.get(User, shop.clerk_id).username)
    assert client.get("/my/reservations").status_code == 403
