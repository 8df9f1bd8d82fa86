"""The courtyard ratings' pages: a round's households, the rating form on the phone, the review list, the
household page's stars, and who may open or write which (grid worker, other village, 包村干部)."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from tests.worlds.courtyards import courtyard_world
from tests.worlds.pages import csrf_token, zh
from tests.worlds.photos import small_jpeg
from webapp.courtyards.models import CourtyardRating, CourtyardRound
from webapp.courtyards.services.ratings import record_rating
from webapp.courtyards.services.rounds import open_round
from webapp.extensions import db
from webapp.photos.services.storage import photo_store


@pytest.fixture
def world(make):
    return courtyard_world(make)


@pytest.fixture
def round_(world):
    found = open_round(world.admin, world.village.id, 2026, "2026年美丽庭院")
    db.session.commit()
    return found


def _token(client, url="/courtyards"):
    return csrf_token(client.get(url).get_data(as_text=True))


def _rate(client, round_, code, stars, photo=True):
    url = f"/courtyards/rounds/{round_.id}/households/{code}"
    data = {"csrf_token": _token(client, url), "stars": str(stars), "note": "干净整洁"}
    if photo:
        data["photo"] = (io.BytesIO(small_jpeg()), "yard.jpg")
    return client.post(url, data=data, content_type="multipart/form-data")


def test_the_village_admin_opens_a_round_from_the_page(world, auth, client):
    auth.login("yfadmin")
    answer = client.post("/courtyards/rounds", data={"csrf_token": _token(client), "village": world.village.id,
                                                     "year": 2026, "name": "2026年星级评定"})
    assert answer.status_code == 303
    round_ = db.session.scalar(select(CourtyardRound))
    assert (round_.village_id, round_.year, round_.state) == (world.village.id, 2026, "open")
    assert "2026年星级评定" in client.get("/courtyards").get_data(as_text=True)


def test_a_grid_worker_rates_their_grids_household_on_the_phone_with_a_photo(world, round_, auth, client):
    auth.login("grid1")
    form = client.get(f"/courtyards/rounds/{round_.id}/households/YF001").get_data(as_text=True)
    assert 'type="file" name="photo"' in form and 'capture="environment"' in form
    assert zh("Rate the courtyard") in form
    answer = _rate(client, round_, "YF001", 5)
    assert answer.status_code == 303
    rating = db.session.scalar(select(CourtyardRating))
    assert (rating.stars, rating.status, rating.rated_by_id) == (5, "recorded", world.scorer.id)
    assert rating.photo_id is not None
    page = client.get(f"/courtyards/rounds/{round_.id}").get_data(as_text=True)
    assert "YF001" in page and "YF002" in page and "YF003" not in page  # only their grid's households
    assert zh("Waiting for review: %(n)s stars", n=5) in page
    assert client.get(f"/photos/{rating.photo_id}/thumb").status_code == 200


def test_stars_without_a_photo_are_refused_on_the_form(world, round_, auth, client):
    auth.login("grid1")
    answer = _rate(client, round_, "YF001", 3, photo=False)
    assert answer.status_code == 422
    assert zh("A courtyard rated %(stars)s stars needs a photo.", stars=3) in answer.get_data(as_text=True)
    assert db.session.scalar(select(CourtyardRating)) is None


def test_a_grid_worker_cannot_open_or_rate_another_grids_household(world, round_, auth, client):
    auth.login("grid1")
    assert client.get(f"/courtyards/rounds/{round_.id}/households/YF003").status_code == 404
    answer = client.post(f"/courtyards/rounds/{round_.id}/households/YF003",
                         data={"csrf_token": _token(client), "stars": "0"})
    assert answer.status_code == 404
    assert db.session.scalar(select(CourtyardRating)) is None


def test_another_villages_round_and_household_are_not_found(world, round_, auth, client):
    other = open_round(world.other_admin, world.other_village.id, 2026, "王家村评定")
    db.session.commit()
    auth.login("yfadmin")
    assert client.get(f"/courtyards/rounds/{other.id}").status_code == 404
    assert client.get(f"/courtyards/rounds/{round_.id}/households/WJ001").status_code == 404
    token = _token(client)
    assert client.post(f"/courtyards/rounds/{other.id}/close", data={"csrf_token": token}).status_code == 404
    assert client.post(f"/courtyards/rounds/{round_.id}/households/WJ001",
                       data={"csrf_token": token, "stars": "0"}).status_code == 404
    assert "王家村评定" not in client.get("/courtyards").get_data(as_text=True)


def test_a_reviewer_approves_and_rejects_on_the_review_list(world, round_, auth, client):
    first = record_rating(world.scorer, round_, world.households[0], 0)
    second = record_rating(world.scorer, round_, world.households[1], 0)
    db.session.commit()
    auth.login("yfreview")
    page = client.get("/courtyards/review").get_data(as_text=True)
    assert "YF001" in page and "YF002" in page
    token = csrf_token(page)
    assert client.post(f"/courtyards/ratings/{first.id}/review",
                       data={"csrf_token": token, "action": "approve"}).status_code == 303
    assert client.post(f"/courtyards/ratings/{second.id}/review",
                       data={"csrf_token": token, "action": "reject", "reason": "未整改"}).status_code == 303
    db.session.expire_all()
    assert (first.status, second.status, second.reason) == ("approved", "rejected", "未整改")


def test_a_village_admin_cannot_review_their_own_rating_on_the_page(world, round_, auth, client):
    rating = record_rating(world.admin, round_, world.households[0], 0)
    db.session.commit()
    auth.login("yfadmin")
    page = client.get("/courtyards/review").get_data(as_text=True)
    assert zh("You rated this courtyard; another reviewer decides.") in page
    answer = client.post(f"/courtyards/ratings/{rating.id}/review",
                         data={"csrf_token": csrf_token(page), "action": "approve"})
    assert answer.status_code in (302, 303)  # refused: back to the page with the reason flashed
    db.session.expire_all()
    assert rating.status == "recorded"


def test_the_household_page_shows_its_current_stars(world, round_, auth, client):
    rating = record_rating(world.scorer, round_, world.households[0], 0)
    rating.status, rating.stars = "approved", 3  # approved 3★ (written straight, as a review leaves it)
    db.session.commit()
    auth.login("yfadmin")
    page = client.get("/households/YF001").get_data(as_text=True)
    assert 'id="courtyard-stars"' in page and zh("%(n)s-star courtyard", n=3) in page
    assert 'id="courtyard-stars"' not in client.get("/households/YF002").get_data(as_text=True)


def test_a_cadre_reads_the_rounds_and_is_refused_every_write(world, round_, auth, client):
    rating = record_rating(world.scorer, round_, world.households[0], 0)
    db.session.commit()
    auth.login("cadre")
    assert client.get("/courtyards").status_code == 200
    page = client.get(f"/courtyards/rounds/{round_.id}").get_data(as_text=True)
    assert "YF001" in page and zh("Close the round") not in page and zh("Rate") not in page
    token = _token(client)
    writes = [("/courtyards/rounds", {"village": world.village.id, "year": 2026, "name": "x"}),
              (f"/courtyards/rounds/{round_.id}/close", {}),
              (f"/courtyards/rounds/{round_.id}/households/YF001", {"stars": "0"}),
              (f"/courtyards/ratings/{rating.id}/review", {"action": "approve"})]
    for url, data in writes:
        assert client.post(url, data={"csrf_token": token, **data}).status_code == 403, url
    assert client.get(f"/courtyards/rounds/{round_.id}/households/YF001").status_code == 403
    assert client.get("/courtyards/review").status_code == 403
    db.session.expire_all()
    assert rating.status == "recorded" and round_.state == "open"
    assert db.session.query(CourtyardRound).count() == 1


def test_the_town_admin_reads_the_rounds_and_does_not_decide(world, round_, auth, client):
    auth.login("townadmin")
    assert client.get(f"/courtyards/rounds/{round_.id}").status_code == 200
    token = _token(client)
    assert client.post(f"/courtyards/rounds/{round_.id}/close", data={"csrf_token": token}).status_code == 403
    assert client.get("/courtyards/review").status_code == 403


def test_a_rating_photo_is_seen_only_by_those_who_may_see_the_household(world, round_, auth, client):
    rating = record_rating(world.admin, round_, world.households[2], 1, photo=small_jpeg((10, 200, 10)),
                           store=photo_store(client.application.config))
    db.session.commit()
    auth.login("wjadmin")
    assert client.get(f"/photos/{rating.photo_id}/thumb").status_code == 404
    auth.logout()
    auth.login("yfreview")
    assert client.get(f"/photos/{rating.photo_id}/thumb").status_code == 200
    auth.logout()
    auth.login("grid1")  # grid one's worker; the household is in grid two
    assert client.get(f"/photos/{rating.photo_id}/thumb").status_code == 404
