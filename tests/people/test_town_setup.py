"""The first-run page: on an empty database `/` leads to a form that creates the town and its first town
admin; once a town exists the page is gone."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.worlds.pages import csrf_token, zh
from webapp.extensions import db
from webapp.people.models.geo import Town
from webapp.people.models.user import User
from webapp.people.routes.town import HAS_TOWN

FORM = {"town_name": "丰盛镇", "town_code": "FS", "area_code": "", "username": "zhen", "display_name": "王主任",
        "password": "chengguan-2026", "again": "chengguan-2026"}


@pytest.fixture
def empty(app):
    """An empty database, and an app that has not yet learned (and cached) that a town exists."""
    app.extensions.pop(HAS_TOWN, None)
    yield app
    app.extensions.pop(HAS_TOWN, None)


def post_first_run(client, **changes):
    token = csrf_token(client.get("/town/first-run").get_data(as_text=True))
    return client.post("/town/first-run", data={**FORM, **changes, "csrf_token": token})


def test_the_front_door_of_an_empty_database_leads_to_the_first_run_page(empty, client):
    """GET / answers a redirect to /town/first-run; the login page links to it."""
    answer = client.get("/")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/town/first-run")
    assert "/town/first-run" in client.get("/login").get_data(as_text=True)
    assert zh("Set up your town") in client.get("/town/first-run").get_data(as_text=True)


def test_the_first_run_page_creates_the_town_and_its_admin_who_can_log_in(empty, client, auth):
    """The form makes the town and a town admin with the typed password; then the page is gone."""
    answer = post_first_run(client)
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/login")
    assert db.session.scalar(select(Town.name)) == "丰盛镇"
    assert auth.login("zhen", "chengguan-2026").status_code == 302
    assert client.get("/town/first-run").status_code == 404
    assert client.get("/").headers["Location"].endswith("/home")


def test_the_first_run_page_refuses_when_a_town_exists(empty, client, make):
    """Any town: GET and POST answer 404, and nothing is written."""
    make.town(code="OLD")
    db.session.commit()
    assert client.get("/town/first-run").status_code == 404
    assert client.post("/town/first-run", data=FORM).status_code in (400, 404)
    assert db.session.scalar(select(func.count(Town.id))) == 1
    assert "/town/first-run" not in client.get("/login").get_data(as_text=True)


def test_the_first_run_form_needs_its_csrf_token_and_matching_passwords(empty, client):
    """No token: 400. Two different passwords: refused with the reason, no town."""
    assert client.post("/town/first-run", data=FORM).status_code == 400
    answer = post_first_run(client, again="something-else")
    assert answer.status_code == 302
    page = client.get("/town/first-run").get_data(as_text=True)
    assert zh("The two passwords differ; type the same password twice.") in page
    assert db.session.scalar(select(func.count(Town.id))) == 0
    assert db.session.scalar(select(func.count(User.id))) == 0
