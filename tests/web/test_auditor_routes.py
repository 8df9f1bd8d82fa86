"""The supervision committee (村务监督委员会, the auditor), route by route: walking every route of the demo town as
the auditor of one of its two villages. They read their village (the review queue and its decisions, publications
and objections with their answers, the service desk's log, lists, the store's reports and stock, the audit trail)
and are refused every write and every page of the other village.

READABLE lists the pages an auditor opens; every other route is refused by default, so a route someone adds
later is walked, and refused, without this file changing."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from sqlalchemy import select

from tests.worlds.pages import Auth, csrf_token
from tests.worlds.route_walk import (
    other_village_leaks,
    reads_wrongly,
    writes_not_refused,
    demo_town,
    fingerprint,
    rules,
    url_for_rule,
    village_values,
)
from webapp.extensions import db
from webapp.lists.models import ServiceMatter
from webapp.lists.services import service_desk as desk
from webapp.people.models.geo import Village
from webapp.people.models.user import User
from webapp.people.services.users import create_user
from webapp.publication.models import Objection

MINE, OTHER = "YF", "WJ"  # the demo town's two villages; the auditor sits on the first one's committee
# The pages an auditor reads (GET), by endpoint; each answers 200 for the auditor's own village.
READABLE = {
    "main.home", "households.index", "households.detail", "api.household_points_json",
    "review.queue", "publications.index", "publications.detail",
    "store.receipt", "store.redemptions", "store.stock", "store.reports", "store.reports_xlsx",
    "lists.desk_index", "lists.desk_matter",
    "admin.audit", "photos.full", "photos.thumb", "courtyards.index",
}
# The pages the issue names (the list item's supervision), each opened with 200 by name below.
SUPERVISED = ("review.queue", "publications.index", "publications.detail", "lists.desk_index", "lists.desk_matter",
              "lists.public_index", "store.reports", "store.stock", "admin.audit")
NEEDS_A_PHOTO = {"photos.full", "photos.thumb"}  # 200 only when the village has evidence photos
# Of those, the ones that show one object or one village: the other village's is refused (403 or 404).
ONE_VILLAGE = {"households.detail", "api.household_points_json", "review.queue", "publications.index",
               "publications.detail", "store.receipt", "photos.full", "photos.thumb", "lists.desk_index",
               "lists.desk_matter"}
SESSION = {"auth.login", "auth.logout"}  # logging in and out: the session itself, not the town's data
ANY_HOUSEHOLD = re.compile(rf"\b(?:{MINE}|{OTHER})\d{{4}}\b")  # a household code of either village


def _with_matter(values: dict[str, object]) -> dict[str, object]:
    """The village's values with one of its service desk matters (registered when the demo has none there)."""
    matter = db.session.scalar(select(ServiceMatter.id).where(ServiceMatter.village_id == values["village_id"])
                               .order_by(ServiceMatter.id).limit(1))
    if matter is None:
        village = db.session.get(Village, values["village_id"])
        item = desk.desk_items(village, date.today())[0][1][0]
        matter = desk.register(village, str(values["code"]), item.id, date.today()).id
        db.session.commit()
    return {**values, "matter_id": matter}


def _write_forms(page: str) -> list[str]:
    """The page's POST forms, but the shell's own (language, large type, logging out)."""
    forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>", page, flags=re.I)
    return [f for f in forms if not re.search(r"/(?:prefs|logout)", f)]


@pytest.fixture
def auditor_walk(app, client):
    """The demo town; an auditor `jiandu` of its first village, logged in. Yields the values of both villages
    (with a service desk matter of each) and the CSRF token."""
    values = demo_town()
    mine, other = _with_matter(village_values(values, MINE)), _with_matter(village_values(values, OTHER))
    village = db.session.scalar(select(Village).where(Village.code == MINE))
    create_user("jiandu", "password123", "auditor", display_name="监委会老李", village_id=village.id)
    db.session.commit()
    assert Auth(client).login("jiandu").status_code in (302, 303)
    token = csrf_token(client.get("/households").get_data(as_text=True))
    return mine, other, token


def test_an_auditor_is_refused_every_write_on_every_route_and_nothing_is_written(app, client, auditor_walk):
    """Every method but GET on every route, with the auditor's own village's objects and the other village's:
    401, 403, 404 or 405 (or the login page), and not one row of any table changes."""
    mine, other, token = auditor_walk
    before = fingerprint()
    wrong, walked = writes_not_refused(app, client, (mine, other), token, SESSION)
    assert wrong == []
    assert walked > 2 * 50, walked
    after = fingerprint()
    assert [name for name in before if before[name] != after[name]] == []


def test_an_auditor_opens_each_page_the_committee_supervises(app, client, auditor_walk):
    """The review queue, publications (with their objections and answers), the service desk's log and a matter,
    the lists, the store's reports and stock, the audit trail: 200, with no write form on the read pages."""
    mine, _other, _token = auditor_walk
    by_endpoint = {rule.endpoint: rule for rule in rules(app)}
    closed = []
    for endpoint in SUPERVISED:
        answer = client.get(url_for_rule(app, by_endpoint[endpoint], mine), query_string={"village": mine["village_id"]})
        if answer.status_code != 200:
            closed.append((endpoint, answer.status_code))
    assert closed == []
    for url in ("/admin/desk", f"/admin/desk/{mine['matter_id']}"):
        assert _write_forms(client.get(url).get_data(as_text=True)) == [], url
    assert _write_forms(client.get("/review").get_data(as_text=True)) == []


def test_an_auditor_reads_a_publication_s_objections_with_the_committee_s_answers(app, client, auditor_walk):
    """An objection to the village's publication and the committee's answer show on its page, with no form to
    answer it; the same page of the other village is refused."""
    mine, other, _token = auditor_walk
    filer = db.session.scalar(select(User.id).where(User.username == "jiandu"))
    db.session.add(Objection(publication_id=mine["publication_id"], household_id=mine["household_id"],
                             filed_by_id=filer, text="我家的卫生分算错了", status="dismissed",
                             answer="经评议小组核实，评分无误", answered_by_id=filer, answered_at=datetime(2026, 12, 3, 2, 0)))
    db.session.commit()
    answer = client.get(f"/admin/publications/{mine['publication_id']}")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "我家的卫生分算错了" in page and "经评议小组核实，评分无误" in page
    assert _write_forms(page) == []
    assert client.get(f"/admin/publications/{other['publication_id']}").status_code in (403, 404)


def test_an_auditor_reads_their_village_and_no_other_page(app, client, auditor_walk):
    """GET of every route with the auditor's own village: the READABLE pages answer 200; every other page that
    is not public (200 for anyone, logged in or not) is refused, sends them elsewhere, or shows no household."""
    mine, _other, _token = auditor_walk
    not_read, opened = reads_wrongly(app, client, mine, READABLE, NEEDS_A_PHOTO, ANY_HOUSEHOLD)
    assert not_read == []
    assert opened == []


def test_an_auditor_is_refused_every_page_of_the_other_village(app, client, auditor_walk):
    """GET of every route with the other village's objects: its households, queue, publications, receipts and
    service matters are 403 or 404; the lists (households, store, audit) show none of its households."""
    mine, other, _token = auditor_walk
    their_codes = re.compile(rf"\b{OTHER}\d{{4}}\b")
    opened, shown = other_village_leaks(app, client, other, READABLE, ONE_VILLAGE, their_codes)
    assert opened == []
    assert shown == []
    page = client.get(f"/households?village={mine['village_id']}").get_data(as_text=True)
    assert mine["code"] in page and not their_codes.search(page)
