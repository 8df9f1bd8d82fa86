"""The 包村干部's pages: a home page of their villages with links to what they read, and the committee's
pages shown to them without a form to change anything (tests/web/test_cadre_routes.py walks every route)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.worlds.pages import csrf_token, zh
from webapp.core.period_choices import default_period
from webapp.extensions import db
from webapp.people.services.users import grant


@pytest.fixture
def world(make):
    """油房村 with two households (one entry waiting for review, last month inspected), its admin and a
    reviewer; 王家村 with a household; the cadre `baocun` assigned to 油房村."""
    town = make.town(code="FS")
    village = make.village(town, code="YF", name="油房村")
    version = make.scheme(village)
    last_month = default_period(date.today()).key
    homes = [make.household(village, name, code=code) for name, code in (("张三", "YF0001"), ("李四", "YF0002"))]
    for hh in homes:
        make.inspection(hh, version, last_month)
    make.entry(homes[0], version, "J2", date.today(), status="recorded")
    other = make.village(town, code="WJ", name="王家村")
    wj_version = make.scheme(other)
    wj_home = make.household(other, "王五", code="WJ0001")
    make.entry(wj_home, wj_version, "J2", date.today(), status="recorded")
    make.user("village_admin", "cunweihui", village_id=village.id)
    make.user("reviewer", "pingyi", village_id=village.id)
    make.user("town_cadre", "baocun", village_id=village.id)
    db.session.commit()
    return {"village": village, "other": other, "period": last_month}


def writes(page: str) -> list[str]:
    """Where the page's forms post, leaving out the layout's own (language, large type, log out)."""
    actions = re.findall(r'<form[^>]*method="post"[^>]*action="([^"]+)"', page)
    return [a for a in actions if not a.startswith(("/prefs/", "/logout"))]


def closed_publication(client, auth, world) -> int:
    """The committee closes last month; the publication's id."""
    auth.login("cunweihui")
    page = client.get(f"/admin/publications?village={world['village'].id}").get_data(as_text=True)
    closed = client.post("/admin/publications/close", data={
        "csrf_token": csrf_token(page), "village": world["village"].id, "period": world["period"]})
    assert closed.status_code == 302
    auth.logout()
    return int(closed.headers["Location"].rsplit("/", 1)[1])


def test_the_cadres_home_page_lists_their_village_with_links_to_what_they_read(client, auth, world):
    auth.login("baocun")
    page = client.get("/home").get_data(as_text=True)
    village = world["village"]
    assert "油房村" in page and "王家村" not in page
    assert zh("Village liaison cadre") in page
    for link in (f"/households?village={village.id}", f"/review?village={village.id}",
                 f"/admin/publications?village={village.id}", "/store/reports", "/admin/audit"):
        assert f'href="{link}"' in page, link
    assert "/admin/roster" not in page


def test_a_cadre_reads_the_review_queue_of_their_village_without_a_decision_form(client, auth, world):
    auth.login("baocun")
    page = client.get("/review").get_data(as_text=True)
    assert "张三" in page and "王五" not in page
    assert "/review/entries/" not in page and writes(page) == []
    assert client.get(f"/review?village={world['other'].id}").status_code == 404
    auth.logout()
    auth.login("pingyi")  # the village's reviewer still decides
    assert "/review/entries/" in client.get("/review").get_data(as_text=True)


def test_a_cadre_reads_a_publication_without_its_forms_and_the_committee_keeps_them(client, auth, world):
    publication_id = closed_publication(client, auth, world)
    auth.login("baocun")
    listing = client.get(f"/admin/publications?village={world['village'].id}").get_data(as_text=True)
    assert f"/admin/publications/{publication_id}" in listing and writes(listing) == []
    detail = client.get(f"/admin/publications/{publication_id}")
    assert detail.status_code == 200
    page = detail.get_data(as_text=True)
    assert "张三" in page and writes(page) == []
    assert client.get(f"/admin/publications?village={world['other'].id}").status_code == 404
    auth.logout()
    auth.login("cunweihui")
    assert f"/admin/publications/{publication_id}/picks" in client.get(
        f"/admin/publications/{publication_id}").get_data(as_text=True)


def test_a_cadre_of_two_villages_reads_both_and_still_changes_neither(client, auth, world, make):
    from webapp.people.models.user import User

    cadre = db.session.scalar(db.select(User).where(User.username == "baocun"))
    grant(cadre, "town_cadre", village_id=world["other"].id)
    db.session.commit()
    auth.login("baocun")
    page = client.get("/review").get_data(as_text=True)
    assert "张三" in page and "王五" in page and "/review/entries/" not in page
    assert client.get("/households/WJ0001").status_code == 200
    token = csrf_token(client.get("/households").get_data(as_text=True))
    assert client.post("/households/WJ0001/pin", data={"csrf_token": token}).status_code == 404
