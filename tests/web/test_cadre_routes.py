"""The 包村干部, route by route: walking every route of the demo town as a cadre assigned to one of its two
villages. They read their village (households, the review queue, publications, store reports, the audit
trail) and are refused every write and every page of the other village.

READABLE lists the pages a cadre may open; every other route is refused by default, so a route someone adds
later is walked, and refused, without this file changing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.worlds.pages import Auth, csrf_token
from tests.worlds.route_walk import (
    other_village_leaks,
    reads_wrongly,
    writes_not_refused,
    demo_town,
    fingerprint,
    village_values,
)
from webapp.extensions import db
from webapp.people.models.geo import Village
from webapp.people.services.users import create_user

MINE, OTHER = "YF", "WJ"  # the demo town's two villages; the cadre is assigned to the first
# The pages a cadre reads (GET), by endpoint; each answers 200 for the cadre's own village.
READABLE = {
    "main.home", "households.index", "households.detail", "api.household_points_json",
    "review.queue", "publications.index", "publications.detail",
    "store.receipt", "store.redemptions", "store.stock", "store.reports", "store.reports_xlsx",
    "admin.audit", "photos.full", "photos.thumb", "courtyards.index",
    "town_dashboard.index", "town_dashboard.dispatch_workbook", "town_dashboard.quarter_workbook",  # their villages
}
NEEDS_A_PHOTO = {"photos.full", "photos.thumb"}  # 200 only when the village has evidence photos
# Of those, the ones that show one object or one village: the other village's is refused (403 or 404).
ONE_VILLAGE = {"households.detail", "api.household_points_json", "review.queue", "publications.index",
               "publications.detail", "store.receipt", "photos.full", "photos.thumb"}
SESSION = {"auth.login", "auth.logout"}  # logging in and out: the session itself, not the town's data
ANY_HOUSEHOLD = re.compile(rf"\b(?:{MINE}|{OTHER})\d{{4}}\b")  # a household code of either village


@pytest.fixture
def cadre_walk(app, client):
    """The demo town; a cadre `baocun` assigned to its first village, logged in. Yields the values of both
    villages, the query/form values a write would send, and the CSRF token."""
    values = demo_town()
    mine, other = village_values(values, MINE), village_values(values, OTHER)
    village = db.session.scalar(select(Village).where(Village.code == MINE))
    create_user("baocun", "password123", "town_cadre", display_name="包村干部", village_id=village.id)
    db.session.commit()
    assert Auth(client).login("baocun").status_code in (302, 303)
    token = csrf_token(client.get("/households").get_data(as_text=True))
    return mine, other, token


def test_a_cadre_is_refused_every_write_on_every_route_and_nothing_is_written(app, client, cadre_walk):
    """Every method but GET on every route, with the cadre's own village's objects and the other village's:
    401, 403, 404 or 405 (or the login page), and not one row of any table changes."""
    mine, other, token = cadre_walk
    before = fingerprint()
    wrong, walked = writes_not_refused(app, client, (mine, other), token, SESSION)
    assert wrong == []
    assert walked > 2 * 50, walked
    after = fingerprint()
    assert [name for name in before if before[name] != after[name]] == []


def test_a_cadre_reads_their_village_and_no_other_page(app, client, cadre_walk):
    """GET of every route with the cadre's own village: the READABLE pages answer 200; every other page that
    is not public (200 for anyone, logged in or not) is refused, sends them elsewhere, or is one of their own
    that shows no household (the phone's bootstrap of a user who scores nothing)."""
    mine, _other, _token = cadre_walk
    not_read, opened = reads_wrongly(app, client, mine, READABLE, NEEDS_A_PHOTO, ANY_HOUSEHOLD)
    assert not_read == []
    assert opened == []


def test_a_cadre_is_refused_every_page_of_the_other_village(app, client, cadre_walk):
    """GET of every route with the other village's objects: its households, queue, publications and receipts
    are 403 or 404; the lists (households, store, audit) answer without one of its households in them."""
    mine, other, _token = cadre_walk
    their_codes = re.compile(rf"\b{OTHER}\d{{4}}\b")
    opened, shown = other_village_leaks(app, client, other, READABLE, ONE_VILLAGE, their_codes)
    assert opened == []
    assert shown == []
    # … while the same pages show the cadre's own village.
    page = client.get(f"/households?village={mine['village_id']}").get_data(as_text=True)
    assert mine["code"] in page and not their_codes.search(page)
