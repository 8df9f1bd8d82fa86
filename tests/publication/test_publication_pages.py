"""The committee's publication pages and the villager's notices and objections, over HTTP."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.worlds.pages import csrf_token
from webapp.core.period_choices import default_period
from webapp.extensions import db
from webapp.publication.models import Objection, Publication


@pytest.fixture
def world(make):
    """A village with two inspected households last month, its admin, a villager; and another village."""
    village = make.village(code="YF", name="油房村")
    version = make.scheme(village)
    last_month = default_period(date.today()).key
    homes = [make.household(village, name, code=code) for name, code in (("张三", "YF0001"), ("李四", "YF0002"))]
    for hh in homes:
        make.inspection(hh, version, last_month)
    make.user("village_admin", "cunweihui", village_id=village.id)
    make.user("villager", "YF0002", household_id=homes[1].id)
    make.user("reviewer", "pingyi", village_id=village.id)
    other = make.village(code="WJ", name="王家村")
    make.scheme(other)
    make.user("village_admin", "wangjia", village_id=other.id)
    return {"village": village, "homes": homes, "period": last_month}


def post(client, page_url: str, url: str, **data):
    token = csrf_token(client.get(page_url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def close_and_publish(client, auth, world) -> int:
    auth.login("cunweihui")
    page = f"/admin/publications?village={world['village'].id}"
    closed = post(client, page, "/admin/publications/close", village=world["village"].id, period=world["period"])
    assert closed.status_code == 302
    publication_id = int(closed.headers["Location"].rsplit("/", 1)[1])
    detail = f"/admin/publications/{publication_id}"
    assert post(client, detail, f"{detail}/publish", notice_days="3").status_code == 302
    auth.logout()
    return publication_id


def test_the_committee_closes_and_publishes_a_month(client, auth, world):
    """Close freezes the ranking (both households shown); publish opens a 3-day notice with a hash."""
    publication_id = close_and_publish(client, auth, world)
    publication = db.session.get(Publication, publication_id)
    assert publication.status == "notice" and publication.sha256
    assert (publication.notice_ends_on - publication.notice_starts_on).days == 2
    auth.login("cunweihui")
    page = client.get(f"/admin/publications/{publication_id}").get_data(as_text=True)
    assert publication.sha256[:4] in page


def test_only_the_villages_committee_reaches_its_publications(client, auth, world):
    """A reviewer is refused the pages; another village's admin gets 404 for this village's publication."""
    publication_id = close_and_publish(client, auth, world)
    auth.login("pingyi")
    assert client.get("/admin/publications").status_code == 403
    auth.logout()
    auth.login("wangjia")
    assert client.get(f"/admin/publications/{publication_id}").status_code == 404
    assert client.get(f"/admin/publications?village={world['village'].id}").status_code == 404


def test_a_villager_objects_and_reads_the_committees_answer(client, auth, world):
    """李四 objects to 张三's result during the notice; the committee dismisses it; 李四 sees the answer."""
    publication_id = close_and_publish(client, auth, world)
    auth.login("YF0002")
    notices = client.get("/my/notices").get_data(as_text=True)
    assert f"/my/notices/{publication_id}/object" in notices
    form = f"/my/notices/{publication_id}/object"
    short = post(client, form, form, household=world["homes"][0].id, text="不对")
    assert short.status_code == 422 and db.session.scalar(select(func.count(Objection.id))) == 0
    filed = post(client, form, form, household=world["homes"][0].id, text="他家院子没有打扫干净")
    assert filed.status_code == 302
    objection = db.session.scalar(select(Objection))
    assert (objection.household_id, objection.status) == (world["homes"][0].id, "open")
    post(client, "/my/notices", "/logout")
    auth.login("cunweihui")
    detail = f"/admin/publications/{publication_id}"
    assert "他家院子没有打扫干净" in client.get(detail).get_data(as_text=True)
    answered = post(client, detail, f"/admin/publications/objections/{objection.id}", action="dismiss",
                    answer="经复查，评分时院子整洁")
    assert answered.status_code == 302
    auth.logout()
    auth.login("YF0002")
    assert "经复查，评分时院子整洁" in client.get("/my/notices").get_data(as_text=True)


def test_a_villager_of_another_village_cannot_object_here(client, auth, world, make):
    """The objection page of another village's publication is 404."""
    publication_id = close_and_publish(client, auth, world)
    other = db.session.scalar(select(Publication.village_id).where(Publication.id == publication_id))
    stranger_village = make.village(code="QT")
    stranger = make.household(stranger_village, "外人", code="QT0001")
    make.user("villager", "QT0001", household_id=stranger.id)
    assert other != stranger_village.id
    auth.login("QT0001")
    assert client.get(f"/my/notices/{publication_id}/object").status_code == 404
