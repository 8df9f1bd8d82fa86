"""The request's one commit point (webapp/web/transaction.py): a successful request commits once, an
answer of 400 or more rolls back, and a refusal that reaches the edge writes nothing and says why
— as a flash and a redirect for a page, a 422 fragment for htmx, JSON for the API, 404 for NotFound.

The pages are the review groups' (one village admin, "yf"); a refusal after a real flush is made by
wrapping the service the page calls, so the rollback is of rows that were really sent to the database.
"""

from __future__ import annotations

import pytest
from markupsafe import escape
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session
from werkzeug.exceptions import Conflict

from tests.worlds.pages import csrf_token, zh
from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.extensions import db
from webapp.people.models.audit import AuditEvent
from webapp.review.models import ReviewGroup
from webapp.review.services import groups

PAGE = "/admin/review-groups"
REFUSED = N_("Give the group a name.")


@pytest.fixture
def village(make):
    yf = make.village(make.town(code="FS"), code="YF", name="油房村")
    make.household(yf, code="YF0001")
    make.user("village_admin", username="yf", village_id=yf.id)
    db.session.commit()
    return yf


@pytest.fixture
def refusing_after_a_flush(monkeypatch):
    """create_group writes the group and its audit event (flushed), then refuses."""
    real = groups.create_group

    def create_then_refuse(village, name, actor_id):
        real(village, name, actor_id)
        assert db.session.scalar(select(func.count()).select_from(ReviewGroup)) == 1  # sent to the database
        raise Refusal(REFUSED)

    monkeypatch.setattr(groups, "create_group", create_then_refuse)


@pytest.fixture
def commits():
    """The commits made by requests' sessions (not the test's own), as they happen."""
    made: list[Session] = []
    mine = db.session()

    def counted(session: Session) -> None:
        if session is not mine:
            made.append(session)

    event.listen(Session, "after_commit", counted)
    yield made
    event.remove(Session, "after_commit", counted)


def token(client) -> str:
    return csrf_token(client.get(PAGE).get_data(as_text=True))


def written() -> tuple[int, int]:
    db.session.expire_all()
    return (db.session.scalar(select(func.count()).select_from(ReviewGroup)),
            db.session.scalar(select(func.count()).select_from(AuditEvent)))


def test_a_successful_post_commits_once(village, auth, client, commits):
    """One request, one commit: the group and its audit event together, before the redirect leaves."""
    auth.login("yf")
    csrf = token(client)
    commits.clear()

    response = client.post(PAGE, data={"csrf_token": csrf, "village": village.id, "name": "甲组"})

    assert response.status_code == 302
    assert len(commits) == 1
    assert db.session.scalars(select(ReviewGroup.name)).all() == ["甲组"]


def test_a_refused_form_rolls_back_what_was_flushed_and_flashes_why_in_chinese(
        village, auth, client, refusing_after_a_flush, commits):
    """The refusal reaches the edge: nothing the service flushed stays, the page says why in Chinese."""
    auth.login("yf")
    csrf = token(client)
    before = written()
    commits.clear()

    response = client.post(PAGE, data={"csrf_token": csrf, "village": village.id, "name": "甲组"})

    assert response.status_code == 302 and response.headers["Location"] == PAGE
    assert written() == before and commits == []
    assert zh(REFUSED) != REFUSED  # the catalogue has it: the page is in Chinese by default
    assert str(escape(zh(REFUSED))) in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_refused_form_goes_back_to_the_page_it_was_posted_from(village, auth, client, refusing_after_a_flush):
    """Back to the Referer when it is this site; another site's Referer is never followed."""
    auth.login("yf")
    csrf = token(client)
    form = {"csrf_token": csrf, "village": village.id, "name": "甲组"}
    here = f"{PAGE}?village={village.id}"

    back = client.post(PAGE, data=form, headers={"Referer": f"http://localhost{here}"})
    elsewhere = client.post(PAGE, data=form, headers={"Referer": f"https://evil.example{here}"})

    assert back.headers["Location"] == here
    assert elsewhere.headers["Location"] == PAGE


def test_a_refused_htmx_post_gets_a_422_fragment_with_the_message(village, auth, client, refusing_after_a_flush):
    """htmx gets the message alone, status 422, and nothing is written."""
    auth.login("yf")
    csrf = token(client)
    before = written()

    response = client.post(PAGE, data={"csrf_token": csrf, "village": village.id, "name": "甲组"},
                           headers={"HX-Request": "true"})

    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "HX-Request" in response.headers["Vary"]
    assert body == f'<p class="flash flash-error" role="alert">{escape(zh(REFUSED))}</p>'
    assert written() == before


def test_an_answer_of_400_or_more_rolls_back_even_without_a_refusal(village, auth, client, monkeypatch):
    """Whatever made the request fail after a flush, the commit point does not keep the flush."""
    real = groups.create_group

    def create_then_fail(village, name, actor_id):
        real(village, name, actor_id)
        raise Conflict()

    monkeypatch.setattr(groups, "create_group", create_then_fail)
    auth.login("yf")
    csrf = token(client)
    before = written()

    response = client.post(PAGE, data={"csrf_token": csrf, "village": village.id, "name": "甲组"})

    assert response.status_code == 409 and written() == before


def test_not_found_is_a_404_on_a_page_and_in_json(village, auth, client):
    """NotFound from a service becomes 404: a page for a browser, JSON for the API."""
    auth.login("yf")
    csrf = token(client)

    renamed = client.post(f"{PAGE}/999999/name", data={"csrf_token": csrf, "name": "乙组"})
    page = client.get("/households/NOPE")
    api = client.get("/api/v1/households/NOPE/points")

    assert renamed.status_code == 404 and page.status_code == 404
    assert "<html" in page.get_data(as_text=True)
    assert api.status_code == 404 and api.get_json()["status"] == 404 and api.get_json()["error"]


def test_a_refused_read_is_a_bad_request(village, auth, client):
    """A GET whose query names no real period is answered 400, as a page and as JSON."""
    auth.login("yf")

    page = client.get("/households/YF0001?period=2026-13")
    api = client.get("/api/v1/households/YF0001/points?period=2026-13")

    assert page.status_code == 400 and "<html" in page.get_data(as_text=True)
    assert api.status_code == 400 and api.get_json()["status"] == 400
