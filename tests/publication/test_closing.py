"""Closing only what makes sense: periods the rules cover, the period just ended first, and a question
before freezing or publishing a ranking where nothing was recorded (issue 14)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.worlds.pages import csrf_token
from webapp.core.periods import Period
from webapp.core.refusal import Refusal
from webapp.extensions import db
from webapp.publication.models import Publication
from webapp.publication.services.publications import close_period


def _month_before(period: Period) -> Period:
    return Period.of_date("month", period.start - timedelta(days=1))


@pytest.fixture
def world(make):
    """A village whose rules took effect on the first day of the month before last; one household."""
    today = date.today()
    last = _month_before(Period.of_date("month", today))
    first = _month_before(last)
    village = make.village(code="YF", name="油房村")
    version = make.scheme(village, effective_from=first.start)
    household = make.household(village, "张三", code="YF0001")
    admin = make.user("village_admin", "cunweihui", village_id=village.id)
    db.session.commit()
    return {"village": village, "version": version, "household": household, "admin": admin,
            "last": last, "first": first, "before": _month_before(first)}


def _publications() -> int:
    return db.session.scalar(select(func.count(Publication.id))) or 0


def test_closing_a_period_before_the_rules_took_effect_is_refused_by_the_service(world):
    """The month before the rules took effect: refused with the day they did, and nothing is written."""
    with pytest.raises(Refusal) as refused:
        close_period(world["admin"], world["village"], world["before"], date.today())
    assert "before this village's rules took effect" in refused.value.msgid
    assert refused.value.params["day"] == world["first"].start.isoformat()
    assert _publications() == 0


def test_closing_a_period_before_the_rules_took_effect_is_refused_over_http(client, auth, world):
    """Even posted by hand (the form never offers it), the close is refused and nothing is closed."""
    auth.login("cunweihui")
    page = f"/admin/publications?village={world['village'].id}"
    token = csrf_token(client.get(page).get_data(as_text=True))
    response = client.post("/admin/publications/close", data={
        "csrf_token": token, "village": world["village"].id, "period": world["before"].key, "confirm": "1"})
    assert response.status_code in (302, 303, 400, 409)
    assert _publications() == 0


def test_the_close_form_offers_only_covered_ended_periods_and_defaults_to_the_one_just_ended(client, auth, world):
    """Last month (selected) and the month the rules took effect; not the month before, not this month."""
    auth.login("cunweihui")
    page = client.get(f"/admin/publications?village={world['village'].id}").get_data(as_text=True)
    offered = re.findall(r'<option value="([^"]+)"', page)
    assert world["last"].key in offered and world["first"].key in offered
    assert world["before"].key not in offered
    assert Period.of_date("month", date.today()).key not in offered
    assert re.search(rf'<option value="{world["last"].key}" selected', page)


def _close(client, village_id: int, period: str, **extra):
    page = f"/admin/publications?village={village_id}"
    token = csrf_token(client.get(page).get_data(as_text=True))
    return client.post("/admin/publications/close",
                       data={"csrf_token": token, "village": village_id, "period": period, **extra})


def test_closing_a_period_with_nothing_recorded_asks_first(client, auth, world):
    """No inspection and no entry last month: the page warns and asks; only "close anyway" closes it."""
    auth.login("cunweihui")
    asked = _close(client, world["village"].id, world["last"].key)
    assert asked.status_code == 200
    html = asked.get_data(as_text=True)
    assert 'id="confirm-close"' in html and 'name="confirm" value="1"' in html
    assert _publications() == 0
    closed = _close(client, world["village"].id, world["last"].key, confirm="1")
    assert closed.status_code == 302
    assert _publications() == 1


def test_a_period_with_an_inspection_closes_without_asking(client, auth, make, world):
    make.inspection(world["household"], world["version"], world["last"].key)
    db.session.commit()
    auth.login("cunweihui")
    assert _close(client, world["village"].id, world["last"].key).status_code == 302
    assert _publications() == 1


def test_publishing_a_ranking_where_every_household_has_0_asks_first(client, auth, world):
    """Closed with nothing recorded (after the question), the publish step asks again before the notice."""
    auth.login("cunweihui")
    closed = _close(client, world["village"].id, world["last"].key, confirm="1")
    detail = closed.headers["Location"]
    token = csrf_token(client.get(detail).get_data(as_text=True))
    asked = client.post(f"{detail}/publish", data={"csrf_token": token, "notice_days": "3"})
    assert asked.status_code == 200 and 'id="confirm-publish"' in asked.get_data(as_text=True)
    publication = db.session.scalar(select(Publication))
    assert publication.status == "closed"
    # Fengsheng asks for 10-15 model households: with one household, that one (0 points: none proposed).
    client.post(f"{detail}/picks", data={"csrf_token": token, "model": world["household"].id})
    done = client.post(f"{detail}/publish", data={"csrf_token": token, "notice_days": "3", "confirm": "1"})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Publication)).status == "notice"
